"""What an estate is made of: served resources, site specs and ground truth.

Everything here is plain data so that tests can inspect a site without
serving it, and the server can serve any site without knowing its template.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

Expect = Literal["flag", "decoy"]


@dataclass
class Resource:
    """One HTTP answer. Bodies may hold `{{host:NAME}}` tokens (see server)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    head_status: int = 0  # a server that answers HEAD otherwise (405): 0 = as for GET
    # A body sent bit by bit, with no Content-Length (an endless stream, a server
    # dripping a byte a second): chunks until the server stops (the event) or the
    # client hangs up. `body` is then unused.
    stream: Callable[[threading.Event], Iterator[bytes]] | None = None


FormHandler = Callable[[dict[str, str]], Resource]
"""A POST endpoint: form fields (body and query string merged) -> answer."""

DynamicHandler = Callable[[str], "Resource | None"]
"""A GET endpoint for a whole path prefix (traps): full path with query -> answer."""


def path_key(path: str) -> str:
    """Normalise a URL path + query so lookups ignore query-argument order."""
    parts = urlsplit(path)
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    base = parts.path or "/"
    if not query:
        return base
    return base + "?" + "&".join(f"{k}={v}" for k, v in query)


@dataclass
class SiteSpec:
    """A complete site: every path it serves, and its registry facts."""

    name: str  # short id, also the key of `{{host:NAME}}` tokens
    template: str  # trs | hanweb | oldgbk | modern | platform | trap
    site_code: str
    organizer: str
    region: str
    kind: str  # portal | department
    resources: dict[str, Resource] = field(default_factory=dict)
    post_handlers: dict[str, FormHandler] = field(default_factory=dict)
    title: str = ""  # the name a registry spreadsheet shows, e.g. 青山县人民政府
    domain: str = ""  # the .gov.cn domain the site pretends to live on
    get_handlers: dict[str, DynamicHandler] = field(default_factory=dict)  # prefix -> handler
    _index: dict[str, Resource] | None = field(default=None, repr=False, compare=False)

    def resource(self, path: str) -> Resource | None:
        """The static resource for a path, or None; "dir/" also finds "dir/index.html".

        Query-argument order is ignored, as crawlers may canonicalise URLs.
        """
        if self._index is None or len(self._index) > len(self.resources):
            self._index = {path_key(p): r for p, r in self.resources.items()}
        key = path_key(path)
        found = self._index.get(key)
        if found is None and key.endswith("/"):
            found = self._index.get(key + "index.html")
        return found

    def handle_get(self, path: str) -> Resource | None:
        """Static resource first, then a dynamic prefix handler."""
        found = self.resource(path)
        if found is not None:
            return found
        bare = urlsplit(path).path
        for prefix, handler in self.get_handlers.items():
            if bare.startswith(prefix):
                return handler(path)
        return None


@dataclass(frozen=True)
class Truth:
    """One planted problem (flag) or look-alike that is fine (decoy).

    `path` is served by site `host` when given (a county's message board on
    the provincial platform), else by `site` itself.
    """

    site: str
    check: str
    path: str
    expect: Expect
    problem: str
    note: str = ""
    host: str = ""

    @property
    def served_by(self) -> str:
        return self.host or self.site


@dataclass
class Estate:
    """All demo sites, their ground truth, and the date the truth is relative to."""

    sites: list[SiteSpec]
    truth: list[Truth]
    as_of: date

    def site(self, name: str) -> SiteSpec:
        for spec in self.sites:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def truth_for(
        self, check: str | None = None, site: str | None = None, expect: str | None = None
    ) -> list[Truth]:
        """Truth rows filtered by check id, site name and expectation."""
        return [
            t
            for t in self.truth
            if (check is None or t.check == check)
            and (site is None or t.site == site)
            and (expect is None or t.expect == expect)
        ]
