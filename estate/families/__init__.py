"""The "unseen structures" estate (issue 12, item 8): one module per structure family.

Separate from the demo estate (`build_estate()` and its sites are unchanged):

- `framed`: column lists inside an `<iframe>` or a `<frameset>`, short
  single-page columns, placeholder columns, a consultation button;
- `catalogue`: a gkmlpt-style catalogue, one page for every category, lists
  fetched as JSON;
- `spa`: a history-mode single-page application whose columns are listed in
  `/sitemap.xml` and a script-built site map;
- `apps`: a county whose message board and service guides are script
  applications on two other hosts.

`build_families(as_of)` returns an `Estate` whose sites' `template` is the
family name (the other hosts of `apps` have template "platform", so the
registry leaves them out) and whose truth rows plant flags and decoys for the
four mission checks, with "needs render" in the note wherever only a browser
shows what the judgement rests on.
"""

from __future__ import annotations

import re
from datetime import date

from ..build import DEMO_AS_OF
from ..model import Estate, SiteSpec
from . import apps, catalogue, framed, spa

FAMILIES = ("framed", "catalogue", "spa", "apps")
MODULES = {"framed": framed, "catalogue": catalogue, "spa": spa, "apps": apps}
HOST_TOKEN = re.compile(rb"\{\{host:([A-Za-z0-9_.-]+)\}\}")


def build_families(as_of: date = DEMO_AS_OF) -> Estate:
    """Every family's sites (registered sites first within a family) and truth rows."""
    sites: list[SiteSpec] = []
    truth = []
    for name in FAMILIES:
        family = MODULES[name].build(as_of)
        sites += family.sites
        truth += family.truth
    _check(sites, truth)
    return Estate(sites, truth, as_of)


def _check(sites: list[SiteSpec], truth: list) -> None:
    """Host tokens name served sites; truth rows name sites and paths that exist."""
    names = {s.name for s in sites}
    for spec in sites:
        for path, res in spec.resources.items():
            for token in HOST_TOKEN.findall(res.body):
                if token.decode() not in names:
                    raise ValueError(f"{spec.name}{path}: unknown host token {token!r}")
    by_name = {s.name: s for s in sites}
    seen = set()
    for row in truth:
        key = (row.site, row.check, row.path)
        if key in seen:
            raise ValueError(f"truth row twice: {key}")
        seen.add(key)
        if row.site not in by_name or row.served_by not in by_name:
            raise ValueError(f"truth row names an unknown site: {row}")
        if by_name[row.served_by].handle_get(row.path) is None:
            raise ValueError(f"truth path not served: {row.served_by}{row.path}")


__all__ = ["FAMILIES", "build_families"]
