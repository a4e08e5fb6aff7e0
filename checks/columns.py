"""Columns (栏目) as the site map and the navigation name them: shared by the column checks.

empty-column and column-stale judge the same pages: every column the site map
lists (with the column it sits under) and every link of the home page's
navigation bar. Both ask for them with the same purposes, so a page is
fetched once whichever check asks first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from govsite.checks.base import FetchRequest, PageContext
from govsite.checks.home import is_home
from govsite.extract.structure import content_root, element_text, navigation_links, sitemap_links
from govsite.web.urls import canonical

SITEMAP = "sitemap"
COLUMN = "column"


def _parent_anchor(anchor: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The column a site-map link sits under: nested list, dt/dd, or a table row."""
    own_li = next(anchor.iterancestors("li"), None)
    if own_li is not None:
        outer_li = next(own_li.iterancestors("li"), None)
        if outer_li is not None:
            first = next(outer_li.iter("a"), None)
            if first is not None and first is not anchor:
                return first
        return None
    own_dd = next(anchor.iterancestors("dd"), None)
    if own_dd is not None:
        dt = own_dd.getprevious()
        while dt is not None and dt.tag != "dt":
            dt = dt.getprevious()
        return next(dt.iter("a"), None) if dt is not None else None
    row = next(anchor.iterancestors("tr"), None)
    if row is not None:
        first = next(row.iter("a"), None)
        if first is not None and first is not anchor:
            return first
    return None


def sitemap_columns(tree: lxml_html.HtmlElement, page_url: str) -> list[dict[str, Any]]:
    """Every on-site column the site map lists, with the column it sits under."""
    host = urlsplit(page_url).netloc
    found: dict[str, dict[str, Any]] = {}
    for anchor in content_root(tree).iter("a"):
        href = anchor.get("href")
        text = element_text(anchor)
        if not href or not text or href.startswith(("javascript:", "#", "mailto:")):
            continue
        url = canonical(urljoin(page_url, href))
        if urlsplit(url).netloc != host or url == canonical(page_url):
            continue
        parent = _parent_anchor(anchor)
        parent_url = canonical(urljoin(page_url, parent.get("href") or "")) \
            if parent is not None and parent.get("href") else None
        found.setdefault(url, {"url": url, "text": text[:60], "via": "sitemap",
                               "parent": parent_url})
    return list(found.values())


def column_requests(page: PageContext) -> Iterable[FetchRequest]:
    """The site map and the navigation's columns from the home page; the site
    map's columns from the site map."""
    if page.tree is None or not page.ok:
        return
    if is_home(page):
        for url, _text in sitemap_links(page.tree, page.final_url):
            yield FetchRequest(url, purpose=SITEMAP)
        for url, _text in navigation_links(page.tree, page.final_url):
            yield FetchRequest(url, purpose=COLUMN)
    elif page.purpose == SITEMAP:
        for column in sitemap_columns(page.tree, page.final_url):
            yield FetchRequest(column["url"], purpose=COLUMN)


def column_links(page: PageContext) -> Iterable[dict[str, Any]]:
    """The columns this page names, as `column-link` facts (url, text, via, parent)."""
    if page.tree is None or not page.ok:
        return
    if is_home(page):
        for url, text in navigation_links(page.tree, page.final_url):
            yield {"kind": "column-link", "data": {"url": canonical(url), "text": text[:60],
                                                   "via": "navigation", "parent": None}}
    if page.purpose == SITEMAP:
        for column in sitemap_columns(page.tree, page.final_url):
            yield {"kind": "column-link", "data": column}
