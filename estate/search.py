"""Site search for the estate's templates: a real search over the site's own articles.

Every template answers its own search URL (TRS `/was5/web/search`, Hanweb's
`/jrobot/search.do` by POST, the old GBK site's `/search.asp` decoding GBK
query bytes, the modern site's script page over `/api/search`) from one
index of the site's articles, by title substring, newest first, as a CMS's
search does. `SitePlan.search` plants how it behaves:

- ok: it works;
- fuzzy: any title sharing four characters with the query, shortest first
  (the article is listed among others, rarely first);
- error: HTTP 500 with an error page;
- nothing: the index is empty (every search says 没有找到相关结果);
- none: no search box anywhere, and no search URL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from .common import esc, fmt_date
from .content import Article, Column, SitePlan
from .model import Resource

SearchMode = Literal["ok", "fuzzy", "error", "nothing", "none"]
FUZZY_CHARS = 4
MAX_HITS = 20
NO_RESULTS = "没有找到相关结果，请更换关键词再试。"
ERROR_PAGE = (b"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>"
              b"<h1>HTTP Status 500 - Internal Server Error</h1><p>java.lang.NullPointerException"
              b"</p></body></html>")


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    day: date


def index(plan: SitePlan, url_of: Callable[[Column, Article], str]) -> list[Hit]:
    """Every article of the site, newest first (the empty index of mode "nothing")."""
    if plan.search == "nothing":
        return []
    hits = [Hit(a.title, url_of(c, a), a.day) for c in plan.leaf_columns() for a in c.articles]
    return sorted(hits, key=lambda h: h.day, reverse=True)


def find(hits: list[Hit], query: str, fuzzy: bool = False) -> list[Hit]:
    """Titles holding the query; fuzzy: sharing any four characters with it."""
    query = query.strip()
    if not query:
        return []
    if not fuzzy:
        return [h for h in hits if query in h.title][:MAX_HITS]
    grams = {query[i:i + FUZZY_CHARS] for i in range(max(1, len(query) - FUZZY_CHARS + 1))}
    found = [h for h in hits if any(g in h.title for g in grams)]
    return sorted(found, key=lambda h: (len(h.title), h.title))[:MAX_HITS]  # "relevance"


def results_html(hits: list[Hit], query: str, style: str = "iso") -> str:
    """A result list: count, then title links with dates, or the no-results line."""
    head = f'<div class="search-info">搜索“{esc(query)}”，共找到{len(hits)}条结果</div>'
    if not hits:
        return f'{head}<div class="search-none">{NO_RESULTS}</div>'
    rows = "".join(f'<li><a href="{h.url}" target="_blank">{esc(h.title)}</a>'
                   f'<span class="date">{fmt_date(h.day, style)}</span></li>' for h in hits)
    return f'{head}<ul class="search-list">{rows}</ul>'


def query_of(path: str, name: str, encoding: str = "utf-8") -> str:
    """A query-string field decoded as the server's own charset (undecodable: empty)."""
    try:
        pairs = parse_qsl(urlsplit(path).query, keep_blank_values=True, encoding=encoding,
                          errors="strict")
    except UnicodeDecodeError:
        return ""
    return dict(pairs).get(name, "")


def any_charset_query(path: str, name: str) -> str:
    """A field sent in UTF-8 or, failing that, GBK (the modern site's API takes both)."""
    return query_of(path, name) if _strict(path) else query_of(path, name, "gbk")


def _strict(path: str) -> bool:
    try:
        parse_qsl(urlsplit(path).query, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def json_answer(hits: list[Hit]) -> Resource:
    data = {"total": len(hits), "items": [{"title": h.title, "url": h.url,
                                           "date": h.day.isoformat()} for h in hits]}
    return Resource(json.dumps(data, ensure_ascii=False).encode(),
                    "application/json; charset=utf-8")


def error_answer() -> Resource:
    return Resource(ERROR_PAGE, "text/html; charset=utf-8", status=500)


# The modern site's search page: the form's query goes on to the API as it came
# (a GBK page's form sends GBK bytes), the results are written by script.
SEARCH_JS = """<script>
(function () {
  var box = document.getElementById('searchResult');
  var info = document.getElementById('searchInfo');
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/api/search' + location.search, true);
  xhr.onreadystatechange = function () {
    if (xhr.readyState !== 4) { return; }
    if (xhr.status !== 200) { info.textContent = '搜索服务暂不可用'; return; }
    var data = JSON.parse(xhr.responseText);
    info.textContent = '共找到' + data.total + '条结果';
    if (!data.total) { info.textContent = '@NONE@'; return; }
    for (var i = 0; i < data.items.length; i++) {
      var li = document.createElement('li'), a = document.createElement('a');
      var day = document.createElement('span');
      a.href = data.items[i].url; a.textContent = data.items[i].title;
      day.className = 'date'; day.textContent = data.items[i].date;
      li.appendChild(a); li.appendChild(day); box.appendChild(li);
    }
  };
  xhr.send();
})();
</script>""".replace("@NONE@", NO_RESULTS)
SEARCH_SHELL = ('<div class="search-page"><div class="search-info" id="searchInfo">正在搜索…</div>'
                '<ul class="search-list" id="searchResult"></ul></div>' + SEARCH_JS)
