"""Link checking: every link and embedded resource of a site's pages, once per run per target.

One job: know, for each target a site's pages point to, whether a visitor
following it gets the page. Targets the crawl fetches anyway (on-site pages)
are answered by the crawl's own fetch; the rest — another host's page, an
on-site PDF, picture, script or style sheet — get one request each per run
(HEAD for files, GET for pages, so a "soft 404" and a bot-protection
challenge can be read; a HEAD refused or failing is asked again by GET).
These requests go through Scrapy's scheduler and per-host slots, so they
spend the same politeness budget as the crawl; another host's target is
requested, never crawled. A target several sites share is requested once
and its answer given to each.

What is kept per site is small: for every target, how many pages link it and
the first few of them; at the site's end the problem targets become facts of
the check that asked for link checking (`Check.checks_links`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from govsite.crawler.sharedlinks import ASKING, SharedLinkAnswers
from govsite.crawler.state import SiteState
from govsite.i18n import msg
from govsite.storage.recorder import RunRecorder
from govsite.web.challenge import challenge_sign, may_be_challenge
from govsite.web.html import parse_html
from govsite.web.soft404 import looks_not_found
from govsite.web.urls import canonical, extension, host_key

FACT = "link"
BROKEN, SUSPECTED, INCONCLUSIVE = "broken", "suspected", "inconclusive"
LINK_PRIORITY = 0  # beside the crawl's own pages: a site is done only when its links are
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
# A HEAD some servers refuse or get wrong: asked again by GET before it is believed.
_HEAD_NOT_TRUSTED_FROM = 400


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What a visitor following a target gets; state None: it works."""

    state: str | None
    status: int | None = None
    error: str | None = None
    detail: str | None = None  # soft 404, challenge, ...

    @property
    def problem(self) -> bool:
        return self.state is not None


WORKS = LinkResult(None)
UNCHECKED = LinkResult(None, detail=msg("not checked"))


def judge_answer(status: int, title: str | None, challenge: str | None) -> LinkResult:
    """A fetched target's state by the rules: 404/410 broken; 403 broken unless a
    bot-protection challenge (inconclusive); 5xx and other errors suspected; a
    200 page that says it does not exist is a soft 404 (broken)."""
    if challenge is not None:
        return LinkResult(INCONCLUSIVE, status, detail=challenge)
    if status in (404, 410, 403):
        return LinkResult(BROKEN, status)
    if status >= 400:
        return LinkResult(SUSPECTED, status)
    if status < 300 and looks_not_found(title):
        return LinkResult(BROKEN, status, detail=msg("soft 404: the page says 「{title}」",
                                                               title=title[:60]))
    return WORKS


class LinkChecker:
    """Targets per site, requests per run, results to facts at each site's end."""

    def __init__(self, check_id: str, *, max_per_site: int, timeout_s: float,
                 pages_kept: int, skip_extensions: Iterable[str], max_url_length: int,
                 recorder: RunRecorder,
                 callback: Callable[..., Any], errback: Callable[..., Any],
                 done: Callable[[SiteState], None],
                 shared: SharedLinkAnswers | None = None,
                 schedule: Callable[[scrapy.Request], None] | None = None) -> None:
        self.check_id = check_id
        self.max_per_site = max_per_site
        self.timeout_s = timeout_s
        self.pages_kept = pages_kept
        self.files = frozenset(skip_extensions)
        self.max_url_length = max_url_length
        self.recorder = recorder
        self.callback, self.errback, self.done = callback, errback, done
        self.results: dict[str, LinkResult] = {}  # run-wide, by canonical target
        self.waiting: dict[str, list[SiteState]] = {}  # targets asked for and not answered
        # A distributed run (crawler/sharedlinks.py): answers shared by the workers;
        # targets another worker is asking for, polled until answered.
        self.shared = shared
        self.schedule = schedule
        self.remote: set[str] = set()
        self._polling: Any = None

    # -- what the pages point to ---------------------------------------
    def found(self, state: SiteState, page_url: str, home: bool,
              targets: Iterable[str]) -> list[scrapy.Request]:
        """Note a page's targets; the requests for those not yet asked for."""
        requests: list[scrapy.Request] = []
        refs = state.link_refs
        for target in dict.fromkeys(targets):  # a page counts once per target
            entry = refs.get(target)
            if entry is None:
                try:
                    key = canonical(target)
                except ValueError:  # a link no client can follow: nothing to check
                    continue
                entry = refs[target] = [0, False, [], key, ""]
                request = self._ask(state, key)
                if request is not None:
                    requests.append(request)
            entry[0] += 1
            entry[1] = entry[1] or home
            self._keep(entry, page_url)
        return requests

    def _keep(self, entry: list[Any], page_url: str) -> None:
        """The first pages in URL order, whatever order the crawl met them in: the
        evidence of two crawls of one site is the same. entry[4]: the last kept."""
        pages = entry[2]
        if len(pages) < self.pages_kept:
            if page_url not in pages:
                pages.append(page_url)
                entry[4] = max(entry[4], page_url)
            return
        if page_url < entry[4] and page_url not in pages:
            pages[pages.index(entry[4])] = page_url
            entry[4] = max(pages)

    def _ask(self, state: SiteState, key: str) -> scrapy.Request | None:
        crawled = host_key(key) in state.hosts and extension(key) not in self.files
        if crawled:
            return None  # the crawl fetches it (or a bound stops it: then nothing is said)
        known = self.results.get(key)
        if known is not None:
            if known.problem:
                state.bad_links[key] = known
            return None
        if key in self.waiting:
            if state not in self.waiting[key]:
                self.waiting[key].append(state)
                state.outstanding += 1
            return None
        capped = state.link_checks >= self.max_per_site
        if self.shared is not None and len(key) <= self.max_url_length \
                and self._shared_answer(state, key, may_ask=not capped):
            return None
        if capped:
            state.limits_hit.add("link_checks")
            return None
        if len(key) > self.max_url_length:
            return None  # a trap's URL: not a link a visitor follows, never requested
        try:
            request = self._request(key, self._method(key), state.info.id)
        except ValueError:  # a hostile page's link no client can request (a bad port)
            return None
        state.link_checks += 1
        state.outstanding += 1
        self.waiting[key] = [state]
        return request

    def _method(self, key: str) -> str:
        return "HEAD" if extension(key) in self.files else "GET"

    def _shared_answer(self, state: SiteState, key: str, *, may_ask: bool) -> bool:
        """Another worker's answer, or its claim to ask (then the site waits for
        its answer); False when this worker is to ask (it has claimed the target)."""
        assert self.shared is not None
        answer = self.shared.claim(key) if may_ask else self.shared.answers([key])[key]
        if answer is None:
            return False
        if answer == ASKING:
            self.waiting[key] = [state]
            state.outstanding += 1
            self.remote.add(key)
            self._keep_polling()
            return True
        self._settle_here(key, LinkResult(**answer))
        if self.results[key].problem:
            state.bad_links[key] = self.results[key]
        return True

    def _keep_polling(self) -> None:
        if self._polling is None:
            from twisted.internet import task

            self._polling = task.LoopingCall(self.poll)
            self._polling.start(0.5, now=False)

    def poll(self) -> None:
        """Settle the targets other workers answered; ask for those whose
        worker died before answering (its claim lapsed)."""
        if not self.remote or self.shared is None:
            return
        for key, answer in self.shared.answers(sorted(self.remote)).items():
            if answer == ASKING:
                continue
            if answer is None:
                answer = self.shared.claim(key)
                if answer == ASKING:
                    continue
            self.remote.discard(key)
            if answer is not None:
                self._settle_here(key, LinkResult(**answer))
                continue
            waiting = self.waiting.get(key)
            if waiting and self.schedule is not None:
                self.schedule(self._request(key, self._method(key), waiting[0].info.id))
            else:
                self._settle_here(key, UNCHECKED)

    def _request(self, key: str, method: str, site_id: int) -> scrapy.Request:
        return scrapy.Request(
            key, method=method, callback=self.callback, errback=self.errback,
            dont_filter=True, priority=LINK_PRIORITY,
            meta={"linkcheck": key, "site_id": site_id, "dont_retry": True,
                  "dont_obey_robotstxt": True, "download_timeout": self.timeout_s})

    # -- the crawl's own answers ---------------------------------------
    def crawled(self, state: SiteState, url: str, status: int, title: str | None,
                challenge: str | None) -> None:
        """A page the crawl fetched: a problem if it is one (its links' evidence)."""
        result = judge_answer(status, title, challenge)
        if result.problem:
            state.bad_links[url] = result

    def crawl_failed(self, state: SiteState, url: str, reason: str) -> None:
        state.bad_links[url] = LinkResult(SUSPECTED, error=reason)

    # -- the link checks' answers --------------------------------------
    def answered(self, response: Response) -> scrapy.Request | None:
        key = response.meta["linkcheck"]
        if response.request.method == "HEAD" and response.status >= _HEAD_NOT_TRUSTED_FROM:
            return self._request(key, "GET", response.meta["site_id"])  # believe a GET only
        title = challenge = None
        if isinstance(response, TextResponse) and response.request.method == "GET":
            if response.status >= 400 and may_be_challenge(response.status, response.text):
                challenge = challenge_sign(response.status, parse_html(response.text))
            match = _TITLE.search(response.body[:20_000])
            if match is not None:
                title = match.group(1).decode(response.encoding or "utf-8", "replace").strip()
        self.settle(key, judge_answer(response.status, title, challenge))
        return None

    def failed(self, failure: Failure, describe: Callable[[Failure], str]) -> None:
        request = failure.request  # type: ignore[attr-defined]
        key = request.meta["linkcheck"]
        if failure.check(IgnoreRequest):  # refused by govsite's address scope: not judged
            self.settle(key, UNCHECKED)
        else:
            self.settle(key, LinkResult(SUSPECTED, error=describe(failure)))

    def settle(self, key: str, result: LinkResult) -> None:
        """The target's answer, given to every site waiting for it (and, in a
        distributed run, to the other workers)."""
        if self.shared is not None:
            self.shared.put(key, result)
        self._settle_here(key, result)

    def _settle_here(self, key: str, result: LinkResult) -> None:
        self.results[key] = result if result.problem else WORKS
        for state in self.waiting.pop(key, []):
            if result.problem:
                state.bad_links[key] = result
            self.done(state)

    # -- a site's end --------------------------------------------------
    def flush(self, state: SiteState) -> int:
        """The site's problem targets as facts; returns how many."""
        merged: dict[str, list[Any]] = {}
        for entry in state.link_refs.values():
            key = entry[3]
            if key not in state.bad_links:
                continue
            known = merged.setdefault(key, [0, False, []])
            known[0] += entry[0]
            known[1] = known[1] or entry[1]
            known[2].extend(p for p in entry[2] if p not in known[2])
        for key, (count, home, pages) in merged.items():
            result = state.bad_links[key]
            self.recorder.add_fact(state.info.id, self.check_id, key, FACT, {
                "state": result.state, "status": result.status, "error": result.error,
                "detail": result.detail, "count": count, "home": home,
                "pages": sorted(pages)[:self.pages_kept], "offsite": host_key(key) not in state.hosts})
        state.link_refs.clear()
        state.bad_links.clear()
        return len(merged)
