"""The inspection spider: walks every site of a run within its own host.

One spider serves all sites of a run. It fetches and schedules; each
response is read once (parsed, its links listed, every check's `wants` and
`extract` run on the one tree) by crawler/analysis.py, in analysis workers
or in this process (crawler/analysis_pool.py). Requests carry only
serialisable data (site id, depth, purpose, referrer in `meta`; callbacks by
name), so a shared scheduler or JOBDIR can hold them.

Rendering (see crawler/render.py). A site's render policy is `never`,
`auto` or `always`. Under `auto` a page is fetched by Scrapy's HTTP handler;
when its static HTML shows a list filled in by script, or a check asked for
the page rendered (`FetchRequest.render`), the same URL is fetched again in
the browser and only the rendered reading goes through the page pipeline
(one page row with rendered=True, links followed and facts extracted from the
rendered DOM). Meanwhile the static copy waits, compressed, in the site's
state; if the render fails it is processed instead, marked needs_render with
the render_error, so checks can say "could not render; not judged". Under
`always` every page goes straight to the browser, and falls back to a static
fetch when the browser fails. So each URL is stored once per run: the
rendered reading supersedes the static one, which is never stored.
"""

from __future__ import annotations

import asyncio
import html as html_lib
import json
import re
from collections.abc import AsyncIterator
from contextlib import suppress
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from govsite.checks.base import FetchRequest
from govsite.crawler.analysis import PageJob, PageReading
from govsite.crawler.analysis_pool import AnalysisPool
from govsite.crawler.bounds import SiteBounds
from govsite.crawler.linkcheck import SUSPECTED, UNCHECKED, LinkChecker, LinkResult
from govsite.crawler.records import PageRecords
from govsite.crawler.render import context_name, describe_render_failure
from govsite.crawler.scope import REFUSED_PREFIX
from govsite.crawler.settings import HANDLED_STATUSES
from govsite.crawler.signals import site_finished
from govsite.crawler.state import CrawlPlan, Fetched, Seed, SiteState, StaticCopy
from govsite.i18n import msg
from govsite.web.challenge import CHALLENGE_PREFIX
from govsite.web.page import Link
from govsite.web.urls import canonical, extension, host_key

# Written into a challenged tab's DOM (crawler/render_browser.py, FINAL_STATUS_META).
_FINAL_STATUS = re.compile(r'name="govsite-final-status" content="(\d{3})"')
# Written beside it: the cookies the tab earned (COOKIES_META), as JSON.
_EARNED_COOKIES = re.compile(r'name="govsite-cookies" content="([^"]*)"')
# The last quoted reason in OpenSSL's error list: ('SSL routines', '', 'wrong version number').
_SSL_REASON = re.compile(r"'([a-z][a-z ]+[a-z])'\)\]")
CHECK_REQUEST_PRIORITY = 100  # pages a check asked for go before ordinary crawl pages
RENDER_PRIORITY = CHECK_REQUEST_PRIORITY + 1  # a waiting static copy is released soon
# Requests a site may have in Scrapy's scheduler and downloader at once; links
# found beyond that wait in the site's frontier (a 20,000-page site finds most
# of its links within its first few hundred pages).
FRONTIER_WINDOW = 500
POLICY_ALWAYS = "render policy always"
PLAIN_FILES = frozenset({"xml", "txt"})  # a check's sitemap or robots.txt: never rendered
# What a request's meta carries into the page row and on to a render or fallback.
CARRIED = ("site_id", "depth", "purpose", "referrer", "offsite", "render_reason", "optional",
           "post", "render_wanted")
# A check's POST (a search form): a browser cannot load its answer again by URL.
POST_NOT_RENDERED = "not rendered: the answer to a form's POST cannot be loaded again in a browser"


class InspectionSpider(scrapy.Spider):
    name = "govsite"
    handle_httpstatus_list = HANDLED_STATUSES  # a 404 column is a finding, not noise

    def __init__(self, plan: CrawlPlan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.bounds = plan.config.crawl
        self.render_config = plan.config.render
        self.renderer = plan.renderer
        self.analysis = plan.analysis or AnalysisPool(plan.config, plan.checks, workers=0,
                                                      timeout_s=plan.config.crawl.analysis_timeout_s)
        self.site_bounds = SiteBounds(plan.config.crawl)
        self.records = PageRecords(plan.recorder)
        self.links = self._link_checker(plan)
        self._pending: set[asyncio.Future[None]] = set()  # dropped renders' copies being read

    def _link_checker(self, plan: CrawlPlan) -> LinkChecker | None:
        """Link checking runs when an enabled check asks for it (broken-link)."""
        check = next((c for c in plan.checks if c.checks_links), None)
        if check is None:
            return None
        settings: Any = check.settings
        return LinkChecker(
            check.id, max_per_site=settings.max_checks_per_site, timeout_s=settings.timeout_s,
            pages_kept=settings.pages_kept, skip_extensions=plan.config.crawl.skip_extensions,
            max_url_length=plan.config.crawl.max_url_length,
            recorder=plan.recorder, callback=self.parse_link, errback=self.on_link_error,
            done=self._one_done,
            # A distributed run's workers share their answers (crawler/sharedlinks.py).
            shared=plan.feed.link_answers(settings.timeout_s) if plan.feed else None,
            schedule=self._schedule_link)

    def _schedule_link(self, request: scrapy.Request) -> None:
        """A link check asked for outside a page's callback (crawler/linkcheck.py poll)."""
        try:
            self.crawler.engine.crawl(request)
        except RuntimeError:  # the spider is closing: the target stays unchecked
            if self.links is not None:
                self.links.settle(request.meta["linkcheck"], UNCHECKED)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # Every request is made before the first is yielded: a site is done
        # when its outstanding requests reach zero.
        states = list(self.plan.sites.values())
        if self.plan.feed is not None:  # a distributed run's worker takes its first sites
            states += await self.plan.feed.take(self)
        requests = [request for state in states for request in self.seed_requests(state)]
        for request in requests:
            yield request

    def seed_requests(self, state: SiteState) -> list[scrapy.Request]:
        """The requests a site's crawl starts with (its home page, or a recheck's pages)."""
        requests = []
        for seed in self.plan.seeds.get(state.info.id) or [Seed(state.info.url, 0, "crawl")]:
            request = self.make_request(
                state, seed.url, depth=seed.depth, purpose=seed.purpose,
                referrer=seed.referrer, offsite=host_key(seed.url) not in state.hosts)
            if request is not None:
                requests.append(request)
        return requests

    def take_more_sites(self) -> None:
        """A distributed run's worker takes sites as it has room for them (crawler/worker.py)."""
        if self.plan.feed is None or self.plan.feed.taking:
            return
        task = asyncio.ensure_future(self._take_more_sites())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _take_more_sites(self) -> None:
        for state in await self.plan.feed.take(self):
            requests = self.seed_requests(state)
            if not requests:  # nothing to fetch (its home page is out of bounds)
                self.finish_site(state)
            for request in requests:
                try:
                    self.crawler.engine.crawl(request)
                except RuntimeError:  # the spider is closing: the site's lease will lapse
                    return

    # -- scheduling ----------------------------------------------------
    def make_request(self, state: SiteState, url: str, *, depth: int, purpose: str,
                     referrer: str | None, offsite: bool = False,
                     priority: int | None = None, render: str | None = None,
                     may_wait: bool = False, optional: bool = False,
                     post: str | None = None) -> scrapy.Request | None:
        """A request within the site's bounds, or None (and the bound is noted).

        `render`: why this page must be rendered (a check asked); the site's
        policy `always` renders every page. `may_wait`: an ordinary link found
        while the site already has FRONTIER_WINDOW requests out waits in the
        site's frontier instead (released as pages complete).
        """
        url = self.site_bounds.admit(state, canonical(url), offsite, asked=purpose != "crawl")
        if url is None:
            return None
        if may_wait and state.outstanding >= FRONTIER_WINDOW and render is None:
            state.frontier.append((url, depth, referrer))
            return None
        return self._request(state, url, depth=depth, purpose=purpose, referrer=referrer,
                             offsite=offsite, priority=priority, render=render,
                             optional=optional, post=post)

    def _request(self, state: SiteState, url: str, *, depth: int, purpose: str,
                 referrer: str | None, offsite: bool = False, priority: int | None = None,
                 render: str | None = None, optional: bool = False,
                 post: str | None = None) -> scrapy.Request:
        # A challenged site goes through the browser, unless it gave the cookies
        # that pass its challenge: then static fetches carry them.
        through_browser = state.render_policy == "always" or (state.challenged
                                                              and not state.cookies)
        if through_browser and render is None and extension(url) not in PLAIN_FILES:
            render = POLICY_ALWAYS
        if post is not None:
            render = None  # its answer is read as the POST returned it
        # A request waits in the scheduler with its meta: only what is set is carried.
        meta: dict[str, Any] = {"site_id": state.info.id, "depth": depth, "purpose": purpose,
                                "referrer": referrer}
        if offsite:
            meta["offsite"] = True
        if optional:
            meta["optional"] = True
        if post is not None:
            meta["post"] = True
        if render is not None:
            meta["render_reason"] = render
        priority = CHECK_REQUEST_PRIORITY if priority is None and purpose != "crawl" \
            else (priority if priority is not None else -depth)
        if render is not None:
            unavailable = self._cannot_render(state)
            if unavailable is None:
                return self._render_request(state, url, meta, priority)
            meta["render_error"] = unavailable  # fetched statically, marked not rendered
        state.outstanding += 1
        # A check's one form submission (a site search) is a POST; all else a GET.
        form: dict[str, Any] = {} if post is None else {
            "method": "POST", "body": post,
            "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
        return scrapy.Request(
            url, callback=self.parse_page, errback=self.on_error, dont_filter=True,
            priority=priority, meta=meta, **form)

    def _release(self, state: SiteState) -> None:
        """Hand the scheduler the site's waiting links while it has room for them."""
        while state.frontier and state.outstanding < FRONTIER_WINDOW and not state.done:
            url, depth, referrer = state.frontier.popleft()
            request = self._request(state, url, depth=depth, purpose="crawl", referrer=referrer)
            try:
                self.crawler.engine.crawl(request)
            except RuntimeError:  # the spider is closing: nothing more will be fetched
                state.outstanding -= 1
                state.frontier.clear()

    def _cannot_render(self, state: SiteState) -> str | None:
        """Why this site's next page cannot be rendered, or None when it can;
        a render limit reached is noted among the site's limits hit."""
        obstacle = self._render_obstacle(state)
        if obstacle is not None and state.renders >= self.render_config.max_pages_per_site:
            state.limits_hit.add("render.max_pages_per_site")
        return obstacle

    def _render_obstacle(self, state: SiteState) -> str | None:
        if state.render_policy == "never":
            return "not rendered: the site's render policy is never"
        if not self.renderer.available:
            return f"not rendered: {self.renderer.unavailable}"
        if state.renders >= self.render_config.max_pages_per_site:
            return ("not rendered: render limit reached "
                    f"({self.render_config.max_pages_per_site} pages per site)")
        return None

    def _render_request(self, state: SiteState, url: str, meta: dict[str, Any],
                        priority: int) -> scrapy.Request:
        """The same URL again, loaded in the site's own browser context."""
        state.renders += 1
        state.outstanding += 1
        return scrapy.Request(
            url, callback=self.parse_page, errback=self.on_render_error, dont_filter=True,
            priority=priority,
            meta={**{k: meta.get(k) for k in CARRIED}, "playwright": True,
                  "playwright_context": context_name(state.info.id)})

    # -- responses -----------------------------------------------------
    async def parse_page(self, response: Response) -> list[scrapy.Request]:
        meta = response.meta
        state = self.plan.sites[meta["site_id"]]
        try:
            fetched = self._fetched(response)
            return await self._read_and_apply(state, fetched, self._job(state, fetched))
        except Exception as exc:  # a hostile page must not kill the site's crawl
            self.logger.exception("failed to process %s", response.url)
            self._record_failure(state, response.request, f"processing failed: {exc}")
            return []
        finally:
            self._one_done(state)

    @staticmethod
    def _fetched(response: Response) -> Fetched:
        meta = response.meta
        original_url = (meta.get("redirect_urls") or [response.url])[0]
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        rendered = bool(meta.get("playwright"))
        text = encoding = None
        status = response.status
        if rendered and isinstance(response, TextResponse):
            text, encoding = response.text, response.encoding
            final = _FINAL_STATUS.search(text[:20_000]) if status != 200 else None
            if final is not None:  # the tab got past a challenge: the page it shows
                status = int(final.group(1))
            earned = _EARNED_COOKIES.search(text[:40_000]) if "govsite-cookies" in text else None
            if earned is not None:  # what the tab earned passing it, whatever status it reports
                meta = {**meta, "earned_cookies": html_lib.unescape(earned.group(1))}
        return Fetched(
            url=canonical(original_url), final_url=response.url, status=status,
            content_type=content_type, body=response.body,
            meta={**{k: meta.get(k) for k in CARRIED},
                  "earned_cookies": meta.get("earned_cookies"),
                  "render_error": meta.get("render_error"),
                  "download_latency": meta.get("download_latency")},
            rendered=rendered, text=text, encoding=encoding)

    def _job(self, state: SiteState, fetched: Fetched, *,
             render_error: str | None = None) -> PageJob:
        """What the reader needs, with the render decision the crawl can make now."""
        meta = fetched.meta
        reason = meta.get("render_reason")
        # A check, or signs seen: the static HTML is not to be trusted. A page a
        # check wanted rendered for its own reading (Check.render_wanted) is.
        asked = reason is not None and reason != POLICY_ALWAYS and not meta.get("render_wanted")
        render_error = None if fetched.rendered else (render_error or meta.get("render_error"))
        return PageJob(
            site=state.info, url=fetched.url, final_url=fetched.final_url,
            status=fetched.status, content_type=fetched.content_type, body=fetched.body,
            depth=meta["depth"], purpose=meta["purpose"], as_of=self.plan.as_of,
            rendered=fetched.rendered, text=fetched.text, encoding=fetched.encoding,
            detect=not fetched.rendered and not asked,
            cannot_render=None if render_error else (
                POST_NOT_RENDERED if meta.get("post") else self._render_obstacle(state)),
            needs_render=asked, render_error=render_error,
            auto_min_items=self.render_config.auto_min_items)

    async def _read_and_apply(self, state: SiteState, fetched: Fetched,
                              job: PageJob) -> list[scrapy.Request]:
        """Read a page through the analysis pool (never in the crawl process when
        there are workers: a page that crashes or hangs its reader costs that
        page only) and act on the reading."""
        reading = await self.analysis.read(job)
        if reading.to_render:
            obstacle = self._cannot_render(state)
            if obstacle is not None:  # the browser went away, or the limit was reached
                job.cannot_render = obstacle  # meanwhile: read it as it is
                reading = await self.analysis.read(job)
        return self._apply(state, fetched, job, reading)

    def _apply(self, state: SiteState, fetched: Fetched, job: PageJob,
               reading: PageReading) -> list[scrapy.Request]:
        """Act on a page's reading: render it, or record it and schedule what it leads to."""
        meta = fetched.meta
        for why in (reading.detected, reading.wanted):
            if why is not None:
                reason = meta.get("render_reason")
                meta["render_reason"] = why if reason is None else f"{reason}; {why}"
        if reading.wanted is not None:
            meta["render_wanted"] = True
        challenge = reading.detected if reading.detected is not None \
            and reading.detected.startswith(CHALLENGE_PREFIX) else None
        released: list[scrapy.Request] = []
        if meta.get("earned_cookies"):  # the browser passed the challenge: keep its pass
            with suppress(ValueError, TypeError):
                state.cookies = {str(k): str(v) for k, v in
                                 json.loads(meta["earned_cookies"]).items()}
            released = self._end_refresh(state, passed=bool(state.cookies))
        elif fetched.rendered and fetched.url == state.refresh_url:
            released = self._end_refresh(state, passed=False)  # the browser did not get through
        if challenge is not None and not state.challenged:
            state.challenged = True  # its further pages go through the browser
            self.logger.info("site %s: %s; its pages are fetched through the browser",
                             state.info.url, reading.detected)
        if reading.to_render:  # its reading in the browser will stand for this URL
            if challenge is not None and state.cookies and not fetched.rendered:
                # The pass expired: one page is rendered to earn the next, the
                # others wait for it instead of each going through the browser.
                if state.refresh_url is not None:
                    self._park(state, fetched)
                    return released
                state.refresh_url = fetched.url
            state.waiting_render[fetched.url] = StaticCopy.keep(fetched)
            return [*released, self._render_request(state, fetched.url, meta, RENDER_PRIORITY)]
        if reading.detected is not None and job.cannot_render is not None:
            self._cannot_render(state)  # notes a render limit reached
        depth: int = meta["depth"]
        if depth == 0 and meta["purpose"] == "crawl":
            state.hosts.add(host_key(fetched.final_url))  # the home page may redirect to www.
        failed = fetched.status >= 400 and not meta.get("optional")
        if fetched.rendered:
            self.renderer.succeeded()
            state.rendered += 1
        state.render_needed += reading.needs_render
        state.fetched += 1
        state.failed += failed
        self.records.page(state, fetched, reading)
        self.plan.progress.page(failed)
        if self.links is not None:
            self.links.crawled(state, fetched.url, fetched.status, reading.title, challenge)
        # Checks' pages first, so a page they need keeps their purpose (the site
        # map, a column, a board page) when ordinary crawling also links it.
        requests = [request for check_id, want in reading.requests
                    if (request := self._check_request(state, fetched.url, depth, check_id,
                                                       want)) is not None]
        on_site = host_key(fetched.final_url) in state.hosts and not meta.get("offsite")
        if fetched.status < 400 and on_site:
            requests += self._follow_links(state, fetched.url, depth, reading.links)
            if self.links is not None:
                home = depth == 0 and meta["purpose"] == "crawl"
                requests += self.links.found(
                    state, fetched.url, home,
                    [*(link.url for link in reading.links), *reading.resources])
        for check_id, step, error in reading.errors:
            self.logger.error("check %s failed to %s %s: %s", check_id, step, fetched.url, error)
        return [*released, *requests]

    # -- an expired bot-protection pass -----------------------------------
    def _park(self, state: SiteState, fetched: Fetched) -> None:
        """A page that met the challenge while the pass is being renewed: it waits,
        counted as outstanding so the site stays open, and is fetched again."""
        state.parked.append({**{k: fetched.meta.get(k) for k in CARRIED}, "url": fetched.url})
        state.outstanding += 1

    def _end_refresh(self, state: SiteState, *, passed: bool) -> list[scrapy.Request]:
        """The renewal ended: the waiting pages go again, with the new pass, or
        through the browser when none was earned (cookies dropped)."""
        state.refresh_url = None
        if not passed:
            state.cookies = {}
        parked, state.parked = state.parked, []
        requests = []
        for meta in parked:
            state.outstanding -= 1
            requests.append(self._request(
                state, meta["url"], depth=meta["depth"], purpose=meta["purpose"],
                referrer=meta["referrer"], offsite=bool(meta.get("offsite")),
                optional=bool(meta.get("optional"))))
        return requests

    def _follow_links(self, state: SiteState, page_url: str, depth: int,
                      links: list[Link]) -> list[scrapy.Request]:
        requests: list[scrapy.Request] = []
        next_depth = depth + 1
        for link in links:
            if host_key(link.url) not in state.hosts:
                self.records.offsite_link(state, page_url, link.url, link.text)
                continue
            if self.site_bounds.too_deep(state, next_depth):
                continue
            request = self.make_request(state, link.url, depth=next_depth, purpose="crawl",
                                        referrer=page_url, may_wait=True)
            if request is not None:
                requests.append(request)
        return requests

    def _check_request(self, state: SiteState, page_url: str, depth: int, check_id: str,
                       want: FetchRequest) -> scrapy.Request | None:
        offsite = host_key(want.url) not in state.hosts
        if offsite and not want.offsite:
            return None
        return self.make_request(
            state, want.url, depth=depth + 1, purpose=want.purpose, referrer=page_url,
            offsite=offsite, render=f"requested by check {check_id}" if want.render else None,
            optional=want.optional, post=want.post)

    # -- failures ------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        state = self.plan.sites[request.meta["site_id"]]
        try:
            if (failure.check(IgnoreRequest) and "robots" in str(failure.value).lower()) \
                    or (failure.check(IgnoreRequest) and not str(failure.value)):
                state.limits_hit.add("robots_txt")
                self._record_failure(state, request, "disallowed by robots.txt", failed=False)
            elif failure.check(IgnoreRequest) and str(failure.value).startswith(REFUSED_PREFIX):
                state.limits_hit.add("address_scope")  # govsite's choice, not the site's failure
                self._record_failure(state, request, str(failure.value), failed=False)
            else:
                reason = describe_failure(failure, self.bounds)
                self._record_failure(state, request, reason)
                if self.links is not None:
                    asked = (request.meta.get("redirect_urls") or [request.url])[0]
                    self.links.crawl_failed(state, canonical(asked), reason)
        finally:
            self._one_done(state)

    # -- link checks (crawler/linkcheck.py) -----------------------------
    def parse_link(self, response: Response) -> list[scrapy.Request]:
        assert self.links is not None
        try:
            follow = self.links.answered(response)
        except Exception as exc:  # a hostile answer costs its link only
            self.logger.exception("link check of %s failed", response.url)
            self.links.settle(response.meta["linkcheck"],
                              LinkResult(SUSPECTED, error=msg("processing failed: {detail}",
                                                                   detail=str(exc))))
            return []
        return [follow] if follow is not None else []

    def on_link_error(self, failure: Failure) -> None:
        assert self.links is not None
        self.links.failed(failure, lambda f: describe_failure(f, self.bounds))

    async def on_render_error(self, failure: Failure) -> list[scrapy.Request]:
        """The browser could not give the page: use the static copy, or fetch one."""
        request = failure.request  # type: ignore[attr-defined]
        state = self.plan.sites[request.meta["site_id"]]
        if failure.check(IgnoreRequest) and canonical(request.url) not in state.waiting_render:
            self.on_error(failure)  # robots.txt: recorded as for a static fetch
            return []
        try:
            reason = describe_render_failure(failure, self.plan.config.browser.navigation_timeout_s)
            self.renderer.failed(reason)
            state.render_failed += 1
            self.logger.warning("render failed for %s: %s", request.url, reason)
            released = self._end_refresh(state, passed=False) \
                if canonical(request.url) == state.refresh_url else []
            return [*released,
                    *await self._without_render(state, request, f"render failed: {reason}")]
        finally:
            self._one_done(state)

    async def _without_render(self, state: SiteState, request: scrapy.Request,
                              render_error: str) -> list[scrapy.Request]:
        """Go on with the page unrendered: its waiting static copy, or a static fetch."""
        copy = state.waiting_render.pop(canonical(request.url), None)
        if copy is not None:
            try:
                fetched = copy.restore()
                job = self._job(state, fetched, render_error=render_error)
                return await self._read_and_apply(state, fetched, job)
            except Exception as exc:
                self.logger.exception("failed to process %s", request.url)
                self._record_failure(state, request, f"processing failed: {exc}")
                return []
        meta = {k: request.meta.get(k) for k in CARRIED}
        state.outstanding += 1
        return [scrapy.Request(
            request.url, callback=self.parse_page, errback=self.on_error, dont_filter=True,
            priority=request.priority,
            meta={**meta, "render_error": render_error})]

    def _record_failure(self, state: SiteState, request: scrapy.Request, reason: str,
                        *, failed: bool = True) -> None:
        meta = request.meta
        failed = failed and not meta.get("optional")
        state.failed += failed
        needs_render = meta.get("render_reason") not in (None, POLICY_ALWAYS)
        state.render_needed += needs_render
        self.records.failure(state, request.url, meta, reason, needs_render)
        self.plan.progress.page(failed)

    def on_request_dropped(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        if request.meta.get("linkcheck") and self.links is not None:
            self.links.settle(request.meta["linkcheck"], UNCHECKED)
            return
        state = self.plan.sites.get(request.meta.get("site_id"))
        if state is None:
            return
        if request.meta.get("playwright") and canonical(request.url) in state.waiting_render:
            # Its static copy is read in the pool; the site stays open until it is recorded.
            task = asyncio.ensure_future(self._render_dropped(state, request))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
            return
        self._one_done(state)

    async def _render_dropped(self, state: SiteState, request: scrapy.Request) -> None:
        try:
            for follow_up in await self._without_render(state, request,
                                                        "render failed: request dropped"):
                try:
                    self.crawler.engine.crawl(follow_up)
                except RuntimeError:  # the spider is closing: it will not be fetched
                    self._one_done(state)
        except Exception:
            self.logger.exception("failed to go on without rendering %s", request.url)
        finally:
            self._one_done(state)

    def on_idle(self, spider: scrapy.Spider) -> None:
        """Keep the spider open while a dropped render's static copy is being read,
        and, in a distributed run, until the run's every site is done (a site
        whose worker died comes back to the queue when its lease lapses)."""
        if self.plan.feed is not None and not self.plan.feed.run_complete():
            self.take_more_sites()
            raise DontCloseSpider
        if self._pending:
            raise DontCloseSpider

    # -- a site's end --------------------------------------------------
    def _one_done(self, state: SiteState) -> None:
        state.outstanding -= 1
        self._release(state)
        if state.outstanding <= 0 and not state.frontier and not state.done:
            self.finish_site(state)

    def finish_site(self, state: SiteState) -> None:
        """Nothing of the site is left to fetch: say so (the judging extension
        judges it, the rendering handler closes its browser context) and
        release what the crawl held for it."""
        state.done = True
        if self.links is not None:
            self.links.flush(state)
        self.records.counters(state)
        self.crawler.signals.send_catch_log(site_finished, site_id=state.info.id, spider=self)
        self.take_more_sites()
        state.seen.clear()  # a finished site's memory is released
        state.query_variants.clear()
        state.offsite_links.clear()
        state.waiting_render.clear()
        state.frontier.clear()


def describe_failure(failure: Failure, bounds: Any) -> str:
    """One line an auditor can read: what went wrong fetching the page."""
    name = type(failure.value).__name__
    text = str(failure.value).strip()
    if "Timeout" in name or "timed out" in text.lower():
        return f"timeout after {bounds.download_timeout_s:g} s"
    if "maxsize" in text.lower() or "max size" in text.lower() or "Cancelled" in name:
        return f"response larger than {bounds.max_response_bytes} bytes (not read)"
    if "DNS" in name:
        return f"DNS lookup failed: {text[:200]}"
    if "ConnectionRefused" in name:
        return "connection refused"
    if "SSL" in text:  # OpenSSL's failure list, as Twisted wraps it: say what it means
        why = _SSL_REASON.findall(text)
        return "TLS handshake failed" + (f": {why[-1]}" if why else "")
    return f"{name}: {text[:300]}" if text else name
