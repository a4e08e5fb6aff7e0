"""A demo/test estate: realistic government sites with planted problems and ground truth.

`build_estate()` makes the sites (TRS, Hanweb, old GBK and "modern" templates,
a provincial platform, a crawler trap) and the `Truth` rows; `EstateServer`
serves each site on its own loopback IP; `write_registry_csv` writes the
registry a crawl starts from.
"""

from .build import DEMO_AS_OF, build_estate
from .model import Estate, Resource, SiteSpec, Truth
from .registry import write_registry_csv
from .server import EstateServer

__all__ = [
    "DEMO_AS_OF",
    "Estate",
    "EstateServer",
    "Resource",
    "SiteSpec",
    "Truth",
    "build_estate",
    "write_registry_csv",
]
