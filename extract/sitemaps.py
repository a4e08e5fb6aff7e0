"""XML site maps (sitemaps.org) and the robots.txt lines that name them.

RULES: a column linked from any kind of site map is a column. An XML
sitemap has no names and, on most CMSs, lists every article as well:
`column_candidates` keeps the URLs shaped like a column's (a folder, an
index or list page, a column id, or a route of a few plain words) and
leaves out article pages (dated or numbered file names).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_LOC = re.compile(r"<loc>\s*(?:<!\[CDATA\[)?\s*([^<\]\s]+)\s*(?:\]\]>)?\s*</loc>", re.I)
_ROBOTS_SITEMAP = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)
_LIST_PAGE = re.compile(r"^(index|default|list|main)[\w-]*(\.\w+)?$", re.I)
_COLUMN_QUERY = re.compile(r"(^|&)(class|cat|column|channel|type|node|lm|col)_?id=|(^|&)cat=",
                           re.I)
_ARTICLE_MARK = re.compile(r"\d{4,}|^(t|art|content|detail|info|news)_", re.I)
# Function pages a sitemap may list beside the columns: never a column.
_FUNCTION_PAGE = re.compile(
    r"^(search|so|login|logout|register|user|member|my|rss|feed|api|admin|sitemap|wzdt|"
    r"help|404|error|print|share|download|en|english)$", re.I)
MAX_SEGMENTS = 4


def sitemap_locations(text: str) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index."""
    locations = [unquote(loc) if "%" in loc and "://" not in loc else loc
                 for loc in (m.group(1) for m in _LOC.finditer(text))]
    if re.search(r"<sitemapindex\b", text[:2000], re.I):
        return [], locations
    return locations, []


def robots_sitemaps(text: str) -> list[str]:
    """The sitemaps a robots.txt names (`Sitemap: URL`)."""
    return [m.group(1) for m in _ROBOTS_SITEMAP.finditer(text)]


def is_xml_sitemap(text: str) -> bool:
    head = text[:2000].lower()
    return "<urlset" in head or "<sitemapindex" in head


def looks_like_column_url(url: str) -> bool:
    """A URL shaped like a column's, not an article's."""
    parts = urlsplit(url)
    if parts.query:
        return bool(_COLUMN_QUERY.search(parts.query))
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return False  # the home page
    if len(segments) > MAX_SEGMENTS or any(_FUNCTION_PAGE.match(s.rsplit(".", 1)[0])
                                             for s in segments):
        return False
    last = segments[-1] if not parts.path.endswith("/") else ""
    if not last:
        return not any(_ARTICLE_MARK.search(s) for s in segments)
    if _LIST_PAGE.match(last):
        return not any(_ARTICLE_MARK.search(s) for s in segments[:-1])
    return "." not in last and not any(_ARTICLE_MARK.search(s) for s in segments)


def column_candidates(urls: list[str], host: str, limit: int) -> list[str]:
    """The sitemap's URLs on `host` that look like columns, at most `limit`."""
    found: list[str] = []
    for url in urls:
        if urlsplit(url).netloc == host and looks_like_column_url(url) and url not in found:
            found.append(url)
            if len(found) >= limit:
                break
    return found

