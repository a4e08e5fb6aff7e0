"""Rendering in the browser: the scrapy-playwright download handler and its waits.

Requests with `meta["playwright"]` are loaded in Chromium (one browser context
per site, pages capped over all sites, images/fonts/media aborted, bounded
waits); every other request stays on Scrapy's own HTTP handler. Imported only
when a run renders (crawler/settings.py) or takes screenshots
(crawler/evidence.py), so a crawl without a browser never loads Playwright.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import suppress
from time import monotonic
from typing import Any
from urllib.parse import urlsplit

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

from govsite.crawler.expand import expand
from govsite.crawler.render import RenderTimeout, context_name
from govsite.crawler.signals import site_finished
from govsite.crawler.visibility import MARK_SCRIPT as MARK_VISIBILITY
from govsite.web.addresses import allowed_classes, may_be_refused, refusal
from govsite.web.challenge import CHALLENGE_STATUSES

ABORTED_TYPES = frozenset({"image", "font", "media"})
EXPAND_SETTLE_S = 3.0  # the settle bound after each load-more or page click
# Requests that bring a page its content: when one fails, what the page shows
# is not all it would show, and nothing on it may be called empty or missing.
DATA_TYPES = frozenset({"xhr", "fetch"})  # and the page's own scripts (JSONP)
MAX_DATA_FAILURES = 5
# The rendered DOM carries the failures to the reader as this meta element.
DATA_FAILURES_META = "govsite-data-failures"
_MARK_FAILURES = """(text) => { const meta = document.createElement('meta');
  meta.name = '""" + DATA_FAILURES_META + """'; meta.content = text;
  (document.head || document.documentElement).appendChild(meta); }"""


# The status of the document a challenged tab ended on (see _through_challenge).
FINAL_STATUS_META = "govsite-final-status"
_MARK_STATUS = _MARK_FAILURES.replace(DATA_FAILURES_META, FINAL_STATUS_META)
# The cookies a tab earned by passing a challenge (JSON {name: value} for the
# page's host): the crawl sends them with that host's further static fetches.
COOKIES_META = "govsite-cookies"
_MARK_COOKIES = _MARK_FAILURES.replace(DATA_FAILURES_META, COOKIES_META)
# How long a challenge page may take to reload itself into the site's page.
CHALLENGE_WAIT_S = 8.0
# The bound on marking which off-site links are hidden (crawler/visibility.py).
VISIBILITY_WAIT_S = 5.0


def abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, fonts and media are not needed to read a
    page; a request to an address outside the page's scope (a metadata service,
    a private host; web/addresses.py) is never sent."""
    if request.resource_type in ABORTED_TYPES:
        return True
    url = request.url
    if url.startswith(("http://", "https://")) and may_be_refused(url):
        page_host = urlsplit(_page_url(request)).netloc
        return refusal(url, allowed_classes([page_host] if page_host else [])) is not None
    return False


def _page_url(request: Any) -> str:
    """The URL of the page a request serves, whose host sets the scope. The
    page's own navigation (Scrapy admitted it) is its own page: before it
    loads, the tab shows about:blank."""
    try:
        main = request.frame.page.main_frame.url
    except Exception:  # a detached frame: judged by public scope alone
        main = ""
    if main.startswith(("http://", "https://")):
        return main
    try:
        return request.url if request.is_navigation_request() else ""
    except Exception:
        return ""


def _brings_data(request: Any) -> bool:
    """A data request (XHR, fetch), or a script from the page's own host (JSONP,
    a list's bundle); a third party's analytics script brings no content."""
    kind = request.resource_type
    if kind in DATA_TYPES:
        return True
    if kind != "script":
        return False
    try:
        return urlsplit(request.url).netloc == urlsplit(request.frame.url).netloc
    except Exception:  # a detached frame: nothing to compare
        return False


class NetworkWatch:
    """Requests in flight on one page, and since when the page has been quiet."""

    def __init__(self, page: Any) -> None:
        self.in_flight = 0
        self.changed = monotonic()
        self.data_failures: list[str] = []  # the page's data requests that failed
        self.page = page
        # Statuses of the tab's own documents, in order: a bot-protection challenge
        # (412 …) reloads itself into the real page (200) after setting its cookie.
        self.document_statuses: list[int] = []
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._failed)
        page.on("response", self._answered)

    def _failed(self, request: Any) -> None:
        self._ended(request)
        failure = request.failure or "failed"
        # ERR_ABORTED: still loading when the settle wait ended and govsite
        # stopped the page, which is then read as it is (see settle()).
        if _brings_data(request) and "ERR_ABORTED" not in failure:
            self._note(f"{request.method} {request.url}: {failure}")

    def _answered(self, response: Any) -> None:
        with suppress(Exception):  # a detached frame: not the tab's document
            if response.request.resource_type == "document" \
                    and response.frame == self.page.main_frame:
                self.document_statuses.append(response.status)
        if response.status >= 400 and _brings_data(response.request):
            self._note(f"{response.request.method} {response.url}: HTTP {response.status}")

    def _note(self, failure: str) -> None:
        if len(self.data_failures) < MAX_DATA_FAILURES:
            self.data_failures.append(failure[:200])

    def _started(self, _request: Any) -> None:
        self.in_flight += 1
        self.changed = monotonic()

    def _ended(self, _request: Any) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self.changed = monotonic()

    def touch(self) -> None:
        """Something just happened (a click): quiet is counted from now, so the
        requests it is about to start are waited for."""
        self.changed = monotonic()

    def quiet_for(self) -> float:
        return 0.0 if self.in_flight else monotonic() - self.changed


async def settle(page: Any, watch: NetworkWatch | None, timeout_s: float, quiet_s: float) -> None:
    """After DOMContentLoaded: wait for `load`, then for the network to stay quiet for
    `quiet_s`, all within `timeout_s`; then stop whatever is still loading (a hanging
    frame or script), so reading the page never waits on it."""
    from playwright.async_api import Error as PlaywrightError

    deadline = monotonic() + timeout_s
    with suppress(PlaywrightError):
        await page.wait_for_load_state("load", timeout=timeout_s * 1000)
    while watch is not None and monotonic() < deadline:
        if watch.quiet_for() >= quiet_s:
            break
        await asyncio.sleep(0.05)
    with suppress(PlaywrightError, TimeoutError):
        await asyncio.wait_for(page.evaluate(
            "() => { if (document.readyState !== 'complete') window.stop(); }"), 2)


class RenderingHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, shared by http and https, with govsite's rules.

    - One instance per crawl (not one per scheme), so one browser.
    - `meta["playwright"]` requests only; the rest go to Scrapy's HTTP handler.
    - At most GOVSITE_MAX_OPEN_PAGES pages open over all sites (a gate around
      each render; PLAYWRIGHT_MAX_PAGES_PER_CONTEXT caps each site too).
      PLAYWRIGHT_MAX_CONTEXTS is deliberately not used: contexts live until
      their site is done, so capping them would let render requests of new
      sites hold every download slot while waiting, and the crawl would stall.
    - Navigation waits for DOMContentLoaded (never for `load` forever), then
      `settle()`; the whole render is bounded, and a page that overruns is
      closed here and the render fails with RenderTimeout.
    - The site's context is closed when the spider says the site is done.
    """

    lazy = False

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.settle_timeout_s = settings.getfloat("GOVSITE_SETTLE_TIMEOUT_S", 5.0)
        self.settle_quiet_s = settings.getint("GOVSITE_SETTLE_QUIET_MS", 300) / 1000
        self.max_expansions = settings.getint("GOVSITE_MAX_EXPANSIONS", 0)
        self.context_kwargs = settings.getdict("GOVSITE_CONTEXT_KWARGS")
        navigation_s = (self.config.navigation_timeout_ms or 30_000) / 1000
        self.render_cap_s = (navigation_s + self.settle_timeout_s + 15
                             + self.max_expansions * min(self.settle_timeout_s, EXPAND_SETTLE_S))
        self.gate = asyncio.Semaphore(settings.getint("GOVSITE_MAX_OPEN_PAGES", 4))
        self.contexts: dict[str, Any] = {}
        self.watches: dict[int, NetworkWatch] = {}
        self.open_pages: dict[int, Any] = {}  # by id(request): closed here on overrun
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closing = False
        crawler.signals.connect(self._site_finished, signal=site_finished)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RenderingHandler:
        existing = getattr(crawler, "_govsite_rendering_handler", None)
        if existing is None:
            existing = cls(crawler)
            crawler._govsite_rendering_handler = existing
        return existing

    async def download_request(self, request: Any, spider: Any = None) -> Any:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        meta = request.meta
        meta.setdefault("playwright_context_kwargs", dict(self.context_kwargs))
        meta["playwright_page_goto_kwargs"] = {"wait_until": "domcontentloaded"}
        meta["playwright_page_init_callback"] = self._init_page
        meta["playwright_page_methods"] = [_settle_method(self)]
        meta.pop("playwright_include_page", None)  # scrapy-playwright closes every page
        key = id(request)
        async with self.gate:
            try:
                return await asyncio.wait_for(super().download_request(request),
                                              self.render_cap_s)
            except TimeoutError:
                page = self.open_pages.get(key)
                if page is not None:
                    with suppress(Exception):
                        await asyncio.wait_for(page.close(), 10)
                raise RenderTimeout(f"render took longer than {self.render_cap_s:g} s "
                                    "(the page kept the browser busy)") from None
            finally:
                page = self.open_pages.pop(key, None)
                if page is not None:
                    self.watches.pop(id(page), None)

    async def _init_page(self, page: Any, request: Any) -> None:
        self.open_pages[id(request)] = page
        self.contexts[request.meta["playwright_context"]] = page.context
        self.watches[id(page)] = NetworkWatch(page)

    async def _settle(self, page: Any) -> None:
        watch = self.watches.get(id(page))
        await settle(page, watch, self.settle_timeout_s, self.settle_quiet_s)
        if watch is not None:
            await self._through_challenge(page, watch)
        if self.max_expansions:
            # Each batch gets the same quiet wait, within a shorter bound.
            async def after_click() -> None:
                if watch is not None:
                    watch.touch()
                await settle(page, watch, min(self.settle_timeout_s, EXPAND_SETTLE_S),
                             self.settle_quiet_s)

            await expand(page, self.max_expansions, after_click)
        from playwright.async_api import Error as PlaywrightError

        if watch is not None and watch.data_failures:
            with suppress(PlaywrightError):
                await page.evaluate(_MARK_FAILURES, "; ".join(watch.data_failures))
        # Last, on the page as a visitor now sees it: which off-site links are hidden.
        # A page where it could not run carries no mark, and is not judged for them.
        with suppress(PlaywrightError, TimeoutError):
            await asyncio.wait_for(page.evaluate(MARK_VISIBILITY), VISIBILITY_WAIT_S)

    async def _through_challenge(self, page: Any, watch: NetworkWatch) -> None:
        """A page answered by a challenge status is given time to pass it (its script
        sets a cookie and reloads, sometimes after a pause); the status of the
        document the tab ends on is written into the DOM for the crawl to store."""
        from playwright.async_api import Error as PlaywrightError

        if not watch.document_statuses or watch.document_statuses[0] not in CHALLENGE_STATUSES:
            return
        deadline = monotonic() + CHALLENGE_WAIT_S
        while monotonic() < deadline and watch.document_statuses[-1] in CHALLENGE_STATUSES:
            await asyncio.sleep(0.1)
        if len(watch.document_statuses) > 1:
            await settle(page, watch, self.settle_timeout_s, self.settle_quiet_s)
        with suppress(PlaywrightError):
            await page.evaluate(_MARK_STATUS, str(watch.document_statuses[-1]))
        if watch.document_statuses[-1] in CHALLENGE_STATUSES:
            return  # not through: no cookie worth keeping
        with suppress(PlaywrightError):
            earned = {c["name"]: c["value"] for c in await page.context.cookies(page.url)}
            if earned:
                await page.evaluate(_MARK_COOKIES, json.dumps(earned, ensure_ascii=False))

    # -- contexts ------------------------------------------------------------
    def _site_finished(self, site_id: int) -> None:
        context = self.contexts.pop(context_name(site_id), None)
        if context is None:
            return
        task = asyncio.ensure_future(self._close_context(context))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _close_context(context: Any) -> None:
        with suppress(Exception):
            await asyncio.wait_for(context.close(), 15)

    async def close(self) -> None:
        if self._closing:  # one instance serves both schemes; Scrapy closes each
            return
        self._closing = True
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await super().close()


def _settle_method(handler: RenderingHandler) -> PageMethod:
    return PageMethod(handler._settle)


def playwright_settings(executable: str, browser: Any, crawl: Any) -> dict[str, Any]:
    """Scrapy settings that route `meta["playwright"]` requests to Chromium."""
    from govsite.crawler.browser import launch_options

    handler = f"{RenderingHandler.__module__}.{RenderingHandler.__qualname__}"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch_options(executable),
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": browser.navigation_timeout_s * 1000,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": min(browser.max_open_pages,
                                                max(1, crawl.concurrent_per_host)),
        "PLAYWRIGHT_ABORT_REQUEST": f"{abort_request.__module__}.abort_request",
        "PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER": True,
        "GOVSITE_MAX_OPEN_PAGES": browser.max_open_pages,
        "GOVSITE_SETTLE_TIMEOUT_S": browser.settle_timeout_s,
        "GOVSITE_SETTLE_QUIET_MS": browser.settle_quiet_ms,
        "GOVSITE_MAX_EXPANSIONS": browser.max_expansions,
        "GOVSITE_CONTEXT_KWARGS": context_options(browser, crawl.user_agent),
    }


def context_options(browser: Any, user_agent: str | None = None) -> dict[str, Any]:
    """Browser context options: a desktop screen, Chinese locale, no service workers."""
    options: dict[str, Any] = {
        "viewport": {"width": browser.viewport_width, "height": browser.viewport_height},
        "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
        "ignore_https_errors": True,  # as the static crawl: an expired certificate is no reason
        "service_workers": "block",
    }
    if user_agent:
        options["user_agent"] = user_agent
    return options
