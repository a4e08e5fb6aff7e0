"""The page model every check reads: one fetched page, parsed once.

It lives below the crawler and the checks alike, so a check (or a test)
builds and reads pages without importing the crawler: `page_from_html`
makes one from a string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from lxml import etree
from lxml import html as lxml_html

from govsite.web.urls import canonical, host_key

_VISIBLE_TEXT = etree.XPath("//text()[not(parent::script or parent::style)]", smart_strings=False)


@dataclass(frozen=True)
class SiteInfo:
    """What a check may know about the site under inspection."""

    id: int
    name: str
    url: str
    host: str
    kind: str = "department"  # portal | department
    site_code: str | None = None  # 网站标识码 as registered (lower case), when the registry has one


class Link(NamedTuple):
    """A hyperlink as a citizen sees it: absolute URL and visible text.

    A named tuple, not a dataclass: a page has ~150 of them and they cross
    from the analysis worker to the crawl process, where a tuple pickles
    about 3x faster."""

    url: str
    text: str


@dataclass
class PageContext:
    """One fetched page, parsed once and shared by every check."""

    site: SiteInfo
    url: str  # as linked
    final_url: str  # after redirects
    status: int
    depth: int
    purpose: str  # "crawl", or the purpose a check gave in its FetchRequest
    content_type: str
    encoding: str | None
    title: str
    text: str  # decoded body ("" for non-text)
    tree: lxml_html.HtmlElement | None
    links: list[Link]
    rendered: bool
    as_of: date
    error: str | None = None
    # Set by the crawler's render policy: the static HTML shows script-loaded
    # content; render_error says why no rendered reading could be had.
    needs_render: bool = False
    render_error: str | None = None
    # Readings several checks share (label pairs, board rows), computed once.
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """The value of `compute()` for this page, computed on first use only."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def compact_text(self) -> str:
        """The document's text with no white space at all, for cheap word tests
        before a check reads the tree: labels may be spaced (办 理 时 限), split
        by tags or written as entities, and all read the same here. Script and
        style text is left out: it is not what a visitor reads, and on a CMS
        page it is most of the text (15,000 of 17,000 characters on benchmark
        pages), so every word test would cost seven times as much."""
        return self.memo("compact_text", lambda: "".join("".join(_VISIBLE_TEXT(self.tree)).split())
                         if self.tree is not None else "")

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300



def page_from_html(html: str, url: str = "http://www.example.gov.cn/", *,
                   as_of: date | None = None, site: SiteInfo | None = None, status: int = 200,
                   depth: int = 1, purpose: str = "crawl", rendered: bool = False) -> PageContext:
    """A PageContext from an HTML string, parsed as the crawler parses pages:
    for tests and for trying a check on a saved page."""
    from govsite.web.html import page_links, page_title, parse_html

    tree = parse_html(html)
    site = site or SiteInfo(1, "test site", url, host_key(url))
    return PageContext(
        site=site, url=canonical(url), final_url=url, status=status, depth=depth,
        purpose=purpose, content_type="text/html; charset=utf-8", encoding="utf-8",
        title=page_title(tree), text=html, tree=tree, links=page_links(tree, url),
        rendered=rendered, as_of=as_of or date.today())
