"""search-function: the site's search box works (搜索功能).

docs/rules.md, deduction items, "feature design": search. A working search is
one a visitor can use to find the site's own news: the check takes the
newest dated article on the home page, types the start of its title into the
home page's search form, submits it as a browser would (GET or POST, in the
form's charset: GBK on an old GBK site), and reads the answer: a link to the
article is a working search; an HTTP error is a broken one; no link to it is
a search that finds nothing. A home page without any search form, search box
or search link has no search.

Evidence before accusation: a search box a script submits, or a search link
to a separate page (maybe on another host, so.xx.gov.cn), is search, but one
this reader cannot submit: not judged, never a deduction. So is a home page
with no dated article to search for, an answer that needed a browser and had
none, a request robots.txt or the crawl's bounds kept back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    FetchRequest,
    Finding,
    PageContext,
    PageSummary,
    Severity,
    SiteEvidence,
)
from govsite.checks.home import home_page, is_home
from govsite.extract.item_dates import dated_items
from govsite.extract.search import search_box_without_form, search_forms, search_links
from govsite.i18n import Message, msg
from govsite.web.urls import canonical

HOME_FACT = "search-home"
RESULT_FACT = "search-result"
PURPOSE = "search"
MAX_LINKS = 600  # a result page's links kept for evaluation
# What a search answer says when it found nothing, or failed while answering 200.
NO_RESULTS = re.compile(r"(没有|未能?)(找到|检索到|搜索到|查询到)|无(相关|匹配|检索)(结果|信息|记录|内容)|"
                        r"共\s*0\s*条|找到\s*0\s*条|no results?|nothing found", re.I)
ERROR_PAGE = re.compile(r"系统(错误|异常|繁忙)|服务器(错误|异常)|出错了|Internal Server Error|"
                        r"Exception|Service Unavailable|Bad Gateway", re.I)
_ELLIPSIS = re.compile(r"(\.{2,}|…+|。{2,})$")


class Settings(CheckSettings):
    query_chars: int = Field(..., ge=2, le=100)


class SearchFunction(Check):
    title_zh = "搜索功能不可用"
    title_en = "Site search does not work"
    indicator = f"{INDICATORS_2019} 扣分指标「功能设计」（搜索功能）"
    severity = "deduct"
    # Search is how a visitor finds a policy or a service: the notice names it
    # under 办事服务 beside the guides.
    category = "service"
    remediation = msg("Provide a search box on the home page whose search covers the site's "
                   "articles: searching for a recent article's title must list it.")
    Settings = Settings

    def _plan(self, page: PageContext) -> dict[str, Any] | None:
        """The home page's search and what to search for (once per page)."""
        if page.tree is None or page.depth != 0 or page.purpose != "crawl" or not page.ok:
            return None
        return page.memo(f"{self.id}:plan", lambda: self._read_home(page))

    def _read_home(self, page: PageContext) -> dict[str, Any]:
        assert page.tree is not None
        forms = search_forms(page.tree, page.final_url, page.encoding)
        links = search_links(page.tree, page.final_url)
        plan: dict[str, Any] = {
            "forms": len(forms), "box": search_box_without_form(page.tree),
            "link": links[0] if links else None, "query": None, "target": None,
            "title": None, "request": None, "method": None, "action": None, "scripted": False,
            "post": None}
        item = _newest(page)
        if item is not None:
            plan["title"], plan["target"] = item
            plan["query"] = _query(item[0], self.settings.query_chars)
        if forms:
            form = forms[0]
            plan.update(action=form.action, method=form.method, scripted=form.scripted)
            if plan["query"]:
                url, body = form.request(plan["query"])
                plan.update(request=canonical(url), post=body)
        return plan

    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        plan = self._plan(page)
        if plan is None or plan["request"] is None:
            return
        # optional: an error answer is this check's finding, not one of the site's failed pages
        yield FetchRequest(plan["request"], PURPOSE, offsite=True, render=plan["scripted"],
                           optional=True, post=plan["post"])

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        plan = self._plan(page)
        if plan is not None:
            yield {"kind": HOME_FACT, "data": {k: v for k, v in plan.items() if k != "post"}}
            return
        if page.purpose != PURPOSE or page.tree is None:
            return
        text = page.compact_text()
        none = NO_RESULTS.search(text)
        error = ERROR_PAGE.search(page.title + " " + text[:2000])
        yield {"kind": RESULT_FACT, "data": {
            "links": [canonical(link.url) for link in page.links][:MAX_LINKS],
            "no_results": none.group(0) if none else None,
            "error": error.group(0) if error else None}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        home = home_page(site.pages)
        if home is None:
            return
        if home.needs_render and not home.rendered:
            yield self._unjudged(home.url, msg("The home page could not be read as a browser "
                                               "shows it ({reason}).",
                                               reason=home.render_error or ""),
                                 "home-not-rendered")
            return
        plan = next((f.data for f in site.facts if f.kind == HOME_FACT
                     and (p := site.page(f.url)) is not None and is_home(p)), None)
        if plan is None:
            return
        if not plan["forms"]:
            if plan["box"] or plan["link"]:
                where = (msg("a search page ({link})", link=plan["link"]) if plan["link"]
                         else msg("a search box a script submits"))
                yield self._unjudged(home.url, msg("The home page offers search through "
                                                   "{where}; it was not tried.", where=where),
                                     "search-not-submittable", url=plan["link"])
                return
            yield self._say(home.url, msg("The home page has no search box (no search form, "
                                          "search field or link to a search page)."),
                               problem="no-search-box", query=None, url=None)
            return
        if plan["request"] is None:
            yield self._unjudged(home.url, msg("The home page shows no dated article whose "
                                               "title could be searched for."),
                                 "nothing-to-search")
            return
        answer = site.page(plan["request"])
        yield from self._judge_answer(site, home, plan, answer)

    def _judge_answer(self, site: SiteEvidence, home: PageSummary, plan: dict[str, Any],
                      answer: PageSummary | None) -> Iterator[Finding]:
        query, url = plan["query"], plan["request"]
        said = msg("Searching for 「{query}」 ({method} {url})", query=query,
                   method=plan["method"], url=url)
        if answer is None:
            yield self._unjudged(home.url, msg("{said} was not fetched (the crawl's bounds).", said=said),
                                 "not-fetched", query=query, url=url)
            return
        if answer.status >= 400:
            yield self._say(home.url, msg("{said} answered HTTP {status}.", said=said,
                                              status=answer.status),
                               problem="search-error", query=query, url=url,
                               status=answer.status, method=plan["method"])
            return
        if answer.error or answer.status == 0:
            yield self._unjudged(home.url, msg("{said} could not be read ({error}).", said=said,
                                                   error=answer.error or ""),
                                 "not-read", query=query, url=url)
            return
        if answer.needs_render and not answer.rendered:
            yield self._unjudged(home.url, msg("{said}: the answer is filled in by script and "
                                               "could not be rendered ({reason}).", said=said,
                                               reason=answer.render_error or ""),
                                 "not-rendered", query=query, url=url)
            return
        if answer.render_error:  # rendered, but its data requests failed
            yield self._unjudged(home.url, msg("{said}: {reason}.", said=said,
                                               reason=answer.render_error), "not-rendered",
                                 query=query, url=url)
            return
        result = next((f.data for f in site.facts if f.kind == RESULT_FACT
                       and f.url in (answer.url, canonical(answer.final_url))), None)
        if result is None:
            yield self._unjudged(home.url, msg("{said}: the answer was not read.", said=said),
                                 "not-read",
                                 query=query, url=url)
            return
        if _links_to(result["links"], plan["target"]):
            return
        if result["error"]:
            yield self._say(home.url, msg("{said} answered an error page (「{page_says}」).",
                                          said=said, page_says=result["error"]),
                            problem="search-error", query=query,
                               url=url, status=answer.status, method=plan["method"],
                               said=result["error"])
            return
        shown = (msg(" (it says 「{page_says}」)", page_says=result["no_results"])
                 if result["no_results"] else "")
        yield self._say(home.url, msg("{said} did not list the article 「{title}」 ({target})"
                                      "{shown}.", said=said, title=plan["title"],
                                      target=plan["target"], shown=shown),
                        problem="finds-nothing", query=query,
                           url=url, target=plan["target"], title=plan["title"],
                           method=plan["method"], said=result["no_results"])

    def _unjudged(self, page: str, message: Message, reason: str, **evidence: Any) -> Finding:
        return self._say(page, msg("{message} Search not judged.", message=message),
                         severity="warn",
                         judged=False, problem="not-judged", reason=reason, **evidence)

    def _say(self, page: str, message: Message, severity: Severity | None = None,
             **evidence: Any) -> Finding:
        """A finding on `page` (the home page, whose search box it is); the
        evidence's `url` is the search request's (the contract's field)."""
        return self.finding(page, message, severity, **evidence)


def _newest(page: PageContext) -> tuple[str, str] | None:
    """(title, URL) of the newest dated item on the home page, dated up to as-of."""
    assert page.tree is not None
    items = [i for i in dated_items(page.tree, page.final_url, page.as_of)
             if i.day <= (page.as_of or date.max)]
    if not items:
        return None
    newest = max(items, key=lambda i: i.day)  # the first of that day, in page order
    return newest.title, newest.url


def _query(title: str, limit: int) -> str:
    """The start of a title, as a visitor would type it (no trailing ellipsis)."""
    return _ELLIPSIS.sub("", title).strip()[:limit].strip()


def _links_to(links: list[str], target: str) -> bool:
    """Whether a result page links to the article: the same URL, or the same path
    on the same host but for a leading www. (search engines on www. or not)."""
    if target in links:
        return True
    want = target.split("://", 1)[-1].removeprefix("www.")
    return any(link.split("://", 1)[-1].removeprefix("www.") == want for link in links)

