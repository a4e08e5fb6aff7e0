"""Build the demo/test estate: ten county and department sites, the platform, the trap.

Deterministic for a given `as_of` (seeded by site name), so ground truth
never drifts between runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from . import platform, trap
from .content import SitePlan
from .model import Estate, SiteSpec, Truth
from .plans import SITE_PLANS
from .templates import hanweb, modern, oldgbk, trs

DEMO_AS_OF = date(2026, 11, 16)

TEMPLATES: dict[str, Callable[[SitePlan], tuple[SiteSpec, list[Truth]]]] = {
    "trs": trs.build,
    "hanweb": hanweb.build,
    "oldgbk": oldgbk.build,
    "modern": modern.build,
}
HOST_TOKEN = re.compile(rb"\{\{host:([A-Za-z0-9_.-]+)\}\}")


def build_estate(as_of: date = DEMO_AS_OF) -> Estate:
    """All sites in serving order, with every planted flag and decoy as Truth rows."""
    sites: list[SiteSpec] = []
    truth: list[Truth] = []
    plans: list[SitePlan] = []
    for template, make_plan in SITE_PLANS:
        plan = make_plan(as_of)
        spec, rows = TEMPLATES[template](plan)
        plans.append(plan)
        sites.append(spec)
        truth.extend(rows)
    for spec, rows in (platform.build(plans), trap.build()):
        sites.append(spec)
        truth.extend(rows)
    _check_tokens(sites)
    return Estate(sites, truth, as_of)


def _check_tokens(sites: list[SiteSpec]) -> None:
    """Every `{{host:NAME}}` must name a site of the estate, or links would break."""
    names = {s.name.encode() for s in sites}
    for spec in sites:
        for path, res in spec.resources.items():
            for name in HOST_TOKEN.findall(res.body):
                if name not in names:
                    raise ValueError(f"{spec.name}{path}: unknown host token {name!r}")
