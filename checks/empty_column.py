"""empty-column: columns reached from the site map or the navigation that show nothing (空白栏目).

The check asks the crawler for the site map and every column it and the
navigation list, reads each page's own list (extract.listing), and judges a
column empty when it answers with an HTTP error, shows placeholder text, or
lists nothing. A column that only lists sub-columns is judged by its
children; a single-page column with real text is not empty; a list that a
script fills in is judged only as rendered, never from its empty static HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Annotated, Any
from urllib.parse import unquote, urlsplit

from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    FetchRequest,
    Finding,
    PageContext,
    PageSummary,
    SiteEvidence,
)
from govsite.checks.columns import SITEMAP, column_links, column_requests
from govsite.checks.home import is_home
from govsite.extract.forms import message_form
from govsite.extract.listing import read_listing
from govsite.extract.sitemaps import (
    column_candidates,
    is_xml_sitemap,
    robots_sitemaps,
    sitemap_locations,
)
from govsite.extract.structure import (
    content_root,
)
from govsite.i18n import msg
from govsite.web.html import frame_sources
from govsite.web.urls import canonical, host_key


class Settings(CheckSettings):
    # docs/rules.md, single veto 栏目不更新: "≥5 empty columns (空白栏目)".
    veto_threshold: int = Field(..., ge=1)
    # govsite default: a column page with this much text of its own and no
    # list is a single-page column (机构概况), not an empty one. A page with
    # sentences of its own is one however short (extract.listing.prose_chars).
    single_page_min_chars: int = Field(..., ge=0)
    # govsite default list of placeholder phrases: a page that says only these
    # (暂无信息, 栏目建设中 …), beside the column's name and punctuation, is empty.
    placeholders: tuple[Annotated[str, Field(min_length=1)], ...] = Field(..., min_length=1)
    # govsite default: columns taken from an XML sitemap (which lists articles
    # too; only URLs shaped like a column's count), at most this many.
    xml_sitemap_max_columns: int = Field(..., ge=0, le=10_000)


XML_SITEMAP = "xml-sitemap"
ROBOTS = "robots"
FRAME = "frame"
MAX_NESTED_SITEMAPS = 5  # a sitemap index's children, or robots.txt's sitemaps, read
MAX_FRAMES = 10
MAX_FRAME_DEPTH = 2  # a frameset whose frame frames again
# A column known several ways is named and reported as the best way names it.
_VIA_RANK = {"xml-sitemap": 0, "navigation": 1, "sitemap": 2}


def _route_name(url: str) -> str:
    """A name for a column known only by its URL (an XML sitemap gives none)."""
    path = urlsplit(url).path.rstrip("/")
    return unquote(path.rsplit("/", 1)[-1]) or url


class EmptyColumn(Check):
    title_zh = "空白栏目"
    title_en = "Empty columns"
    indicator = f"{INDICATORS_2019} 单项否决指标「栏目不更新」（空白栏目5个及以上）"
    severity = "warn"  # each empty column; the site's veto comes from their number
    category = "operation"
    remediation = msg(
        "Publish content in the column, or remove it from the site map and navigation "
        "(update the site map after every revision). A placeholder such as 暂无信息 "
        "counts as empty."
    )
    Settings = Settings

    # -- what to fetch --------------------------------------------------
    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        if not page.ok:
            return
        if page.purpose in (XML_SITEMAP, ROBOTS):
            yield from self._xml_sitemap_wants(page)
            return
        if page.tree is None:
            return
        if is_home(page):
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.final_url))
            yield FetchRequest(f"{origin}/robots.txt", purpose=ROBOTS, optional=True)
            yield FetchRequest(f"{origin}/sitemap.xml", purpose=XML_SITEMAP, optional=True)
        yield from column_requests(page)
        if page.purpose in ("column", FRAME):
            # What a column frames in is part of what a visitor sees of it.
            for url in frame_sources(page.tree, page.final_url):
                # Rendered only when its own HTML shows script-loaded content.
                yield FetchRequest(url, purpose=FRAME, offsite=True)

    def _xml_sitemap_wants(self, page: PageContext) -> Iterable[FetchRequest]:
        if page.purpose == ROBOTS:
            for url in robots_sitemaps(page.text)[:MAX_NESTED_SITEMAPS]:
                yield FetchRequest(url, purpose=XML_SITEMAP)
            return
        if not is_xml_sitemap(page.text):
            return
        pages, nested = sitemap_locations(page.text)
        for url in nested[:MAX_NESTED_SITEMAPS]:
            yield FetchRequest(url, purpose=XML_SITEMAP)
        host = urlsplit(page.final_url).netloc
        for url in column_candidates(pages, host, self.settings.xml_sitemap_max_columns):
            yield FetchRequest(url, purpose="column")

    # -- what to read ---------------------------------------------------
    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if page.purpose == XML_SITEMAP and page.ok and is_xml_sitemap(page.text):
            yield {"kind": "sitemap", "data": {"url": page.url}}
            pages, _nested = sitemap_locations(page.text)
            host = urlsplit(page.final_url).netloc
            for url in column_candidates(pages, host, self.settings.xml_sitemap_max_columns):
                yield {"kind": "column-link", "data": {
                    "url": canonical(url), "text": _route_name(url), "via": "xml-sitemap",
                    "parent": None}}
            return
        if page.tree is None:
            return
        if page.purpose == SITEMAP and page.ok:
            yield {"kind": "sitemap", "data": {"url": page.url}}
        yield from column_links(page)
        if page.ok:
            root = page.memo("content_root", lambda: content_root(page.tree))
            # A page with items is never judged empty: unless its rendering is
            # in question, nothing is kept and the first item answers.
            flagged = page.rendered or page.needs_render
            reading = read_listing(page.tree, page.final_url, page.as_of, root=root,
                                   first_item_only=not flagged,
                                   placeholders=self.settings.placeholders)
            if reading.items and not flagged:
                return
            listing = reading.as_fact()
            frames = frame_sources(page.tree, page.final_url)
            if frames:
                listing["frames"] = [canonical(url) for url in frames[:MAX_FRAMES]]
            if message_form(page.tree):
                listing["form"] = True
            # Render flags only when set: this fact is stored for every page.
            listing.update({key: value for key, value in (
                ("rendered", page.rendered), ("needs_render", page.needs_render),
                ("render_error", page.render_error)) if value})
            yield {"kind": "listing", "data": listing}

    # -- how to judge ---------------------------------------------------
    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        columns = self._columns(site)
        listings = self._listings(site)
        pages = _pages_by_url(site.pages)
        skip = {canonical(site.site.url)} | {f.data["url"] for f in site.facts
                                             if f.kind == "sitemap"}
        verdicts: list[tuple[str, dict[str, Any], str]] = []
        not_judged: list[tuple[str, dict[str, Any], str]] = []
        navigation = {f.data["url"] for f in site.facts
                      if f.kind == "column-link" and f.data["via"] == "navigation"}
        queue = list(columns.items())
        while queue:
            url, column = queue.pop(0)
            if url in skip:
                continue
            skip.add(url)
            outcome = self._judge(url, columns, navigation, pages, listings)
            if outcome is None:
                continue
            kind, detail = outcome
            if kind == "empty":
                verdicts.append((url, column, detail))
            elif kind == "unjudged":
                not_judged.append((url, column, detail))
            else:  # a parent: its sub-columns are judged in its place
                for child in detail:
                    entry = columns.get(child) or {"url": child, "text": child.rsplit("/", 2)[-2]
                                                   if child.endswith("/") else child,
                                                   "via": column["via"], "parent": url}
                    queue.append((child, entry))
        severity = "veto" if len(verdicts) >= self.settings.veto_threshold else "warn"
        for url, column, reason in verdicts:
            yield self.finding(
                url, msg("Empty column 「{column}」 ({reason}), reached from the {via}.",
                         column=column["text"], reason=reason, via=column["via"]),
                severity=severity,
                via=column["via"], reason=reason, column=column["text"],
                empty_columns=len(verdicts), veto_threshold=self.settings.veto_threshold)
        for url, column, reason in not_judged:
            yield self.finding(
                url, msg("Column 「{column}」 could not be judged: {reason}.",
                         column=column["text"], reason=reason),
                severity="warn", via=column["via"], reason=reason, column=column["text"],
                judged=False)

    def _columns(self, site: SiteEvidence) -> dict[str, dict[str, Any]]:
        """Columns by URL; one listed in the site map is reported as reached from it."""
        columns: dict[str, dict[str, Any]] = {}
        for fact in site.facts:
            if fact.kind != "column-link":
                continue
            known = columns.get(fact.data["url"])
            if known is None or _VIA_RANK[fact.data["via"]] > _VIA_RANK[known["via"]]:
                columns[fact.data["url"]] = dict(fact.data)
        return columns

    @staticmethod
    def _listings(site: SiteEvidence) -> dict[str, dict[str, Any]]:
        """Each page's listing; a rendered reading wins over the static one."""
        listings: dict[str, dict[str, Any]] = {}
        for fact in site.facts:
            if fact.kind == "listing":
                known = listings.get(fact.url)
                if known is None or not known.get("rendered") or fact.data.get("rendered"):
                    listings[fact.url] = fact.data
        return listings

    def _judge(self, url: str, columns: dict[str, dict[str, Any]], navigation: set[str],
               pages: dict[str, PageSummary],
               listings: dict[str, dict[str, Any]]) -> tuple[str, Any] | None:
        """("empty", reason), ("unjudged", reason), ("parent", children), or None."""
        page = pages.get(url)
        if page is None:
            return None  # never fetched (a crawl bound); nothing to say about it
        if page.error:
            if "robots" in page.error:
                return None
            return "unjudged", msg("could not load: {error}", error=page.error)
        if page.status >= 400:
            return "empty", msg("HTTP {status}", status=page.status)
        listing = listings.get(url)
        if listing is None:
            return None  # a page with items (only itemless listings are kept), or not HTML
        if listing["items"] > 0 or listing.get("form"):
            return None  # a list, or a form a citizen can use (在线咨询): not empty
        if listing.get("rendered") and listing.get("render_error"):
            return "unjudged", msg("{reason}; not judged", reason=listing["render_error"])
        framed = self._frames(url, listing, pages, listings, depth=0) if listing.get("frames") \
            else None
        if framed is not None and framed[0] == "content":
            return None
        if framed is not None and framed[0] == "unjudged":
            return "unjudged", framed[1]
        # The page's own words first: a placeholder says it is empty, prose
        # of its own (sentences beyond title, breadcrumb, menus and footer,
        # however few) makes it a single-page column; only a page with
        # neither is judged by the sub-columns it lists.
        if listing.get("placeholder"):
            return "empty", msg("placeholder 「{text}」", text=listing["placeholder"])
        if listing.get("prose_chars"):
            return None
        children = sub_columns(url, listing.get("inner_groups", []), columns, navigation)
        if children:
            return "parent", children
        if listing["content_chars"] >= self.settings.single_page_min_chars:
            return None
        # The crawler's render policy flags pages whose list arrives by script
        # (needs_render); the listing's own script sign backs it up.
        if (listing.get("needs_render") or listing.get("script_loading")) \
                and not listing.get("rendered"):
            why = listing.get("render_error") or "its list is loaded by script"
            return "unjudged", msg("could not render; not judged ({why})", why=why)
        if framed is not None:  # ("empty", why): its framed documents are empty too
            return "empty", framed[1]
        return "empty", (msg("empty after rendering") if listing.get("rendered")
                         else msg("no items"))

    @staticmethod
    def _own_frames(frames: list[str], listings: dict[str, dict[str, Any]]) -> list[str]:
        """The frames that hold this page's own content: a frame every framed
        column shares (the top banner, the left menu, the footer of a frameset)
        is the site's chrome. When all are shared, all are read."""
        shared = Counter(url for listing in listings.values()
                         for url in listing.get("frames", ()))
        own = [url for url in frames if shared[url] <= 1]
        return own or frames

    def _frames(self, column: str, listing: dict[str, Any], pages: dict[str, PageSummary],
                listings: dict[str, dict[str, Any]], depth: int) -> tuple[str, str]:
        """What the documents a page frames in show: ("content", url) when one
        has items, prose or a form, or is another host's document that opened
        (a map, a video, a platform's page: not a list govsite can judge);
        ("unjudged", why) when one could not be read; else ("empty", why)."""
        empty: list[str] = []
        for url in self._own_frames(listing["frames"], listings):
            page = pages.get(url)
            if page is None:
                return "unjudged", msg("its framed page {url} was not fetched; not judged", url=url)
            if page.error:
                return "unjudged", msg("its framed page could not load: {error}; not judged",
                                       error=page.error)
            if host_key(url) != host_key(column) and page.status < 400:
                return "content", url
            if page.status >= 400:
                empty.append(f"framed page {url} answers HTTP {page.status}")
                continue
            inner = listings.get(url)
            if inner is None or inner["items"] > 0 or inner.get("form") \
                    or inner.get("prose_chars"):
                return "content", url
            if inner.get("rendered") and inner.get("render_error"):
                return "unjudged", msg("its framed page {url}: {reason}; not judged", url=url,
                                       reason=inner["render_error"])
            if inner.get("frames") and depth < MAX_FRAME_DEPTH:
                state, why = self._frames(url, inner, pages, listings, depth + 1)
                if state != "empty":
                    return state, why
                empty.append(why)
                continue
            if (inner.get("needs_render") or inner.get("script_loading")) \
                    and not inner.get("rendered"):
                why = inner.get("render_error") or "its list is loaded by script"
                return "unjudged", msg("could not render its framed page {url}; not judged ({why})",
                                       url=url, why=why)
            if inner.get("placeholder"):
                empty.append(f"framed page {url} says 「{inner['placeholder']}」")
            else:
                empty.append(f"framed page {url} lists nothing")
        return "empty", "; ".join(empty)


_COLUMN_QUERY = re.compile(r"(^|&)(class|cat|column|channel|type|node|lm|col)_?id=", re.I)
_COLUMN_PATH = re.compile(r"(/|/index\.\w+|/list[\w-]*\.\w+|/col/col\d+(/.*)?|/node_\d+\.\w+)$",
                          re.I)


def looks_like_column(url: str) -> bool:
    """A list page's URL: a folder, index or list page, or a column id in the query."""
    parts = urlsplit(url)
    return bool(_COLUMN_PATH.search(parts.path) or _COLUMN_QUERY.search(parts.query))


def sub_columns(url: str, groups: list[list[str]], columns: dict[str, dict[str, Any]],
                navigation: set[str]) -> list[str]:
    """The sub-columns an itemless column lists. A list that links back to the
    page itself is the navigation or a sidebar of sibling columns, and links of
    the site's navigation bar are never sub-columns."""
    children: list[str] = []
    for group in groups:
        if url in group:
            continue
        for link in group:
            if link == url or link in navigation or link in children:
                continue
            if columns.get(link, {}).get("parent") == url or link in columns \
                    or looks_like_column(link):
                children.append(link)
    return children


def _pages_by_url(pages: list[PageSummary]) -> dict[str, PageSummary]:
    """Pages by the URL they were linked as; a rendered fetch wins."""
    found: dict[str, PageSummary] = {}
    for page in pages:
        known = found.get(page.url)
        if known is None or (page.rendered and not known.rendered):
            found[page.url] = page
    return found
