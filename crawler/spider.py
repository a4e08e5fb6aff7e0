"""The inspection spider: walks every site of a run within its own host.

One spider serves all sites of a run. Each response is parsed once; the tree
is shared by every check's `wants` and `extract`. Requests carry only
serialisable data (site id, depth, purpose, referrer in `meta`; callbacks by
name), so a shared scheduler or JOBDIR can hold them.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from time import monotonic
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from govsite.checks.base import Check, FetchRequest, PageContext, SiteInfo
from govsite.config import Config
from govsite.crawler.encoding import decode_body
from govsite.crawler.page import is_html, page_links, page_title, parse_html
from govsite.crawler.progress import NullProgress
from govsite.crawler.settings import HANDLED_STATUSES
from govsite.crawler.urls import (
    canonical,
    extension,
    host_key,
    longest_segment_repeat,
    path_of,
)
from govsite.storage.recorder import RunRecorder, utcnow

MAX_OFFSITE_LINKS_RECORDED = 2000
CHECK_REQUEST_PRIORITY = 100  # pages a check asked for go before ordinary crawl pages


@dataclass
class SiteState:
    """What the crawl tracks per site; its counters are mirrored to the store."""

    info: SiteInfo
    hosts: set[str]
    seen: set[str] = field(default_factory=set)
    query_variants: dict[str, int] = field(default_factory=dict)
    offsite_links: set[str] = field(default_factory=set)
    outstanding: int = 0
    scheduled: int = 0
    fetched: int = 0
    failed: int = 0
    offsite_fetches: int = 0
    limits_hit: set[str] = field(default_factory=set)
    done: bool = False

    def counters(self) -> dict[str, Any]:
        return {"status": "done" if self.done else "crawling", "pages_fetched": self.fetched,
                "pages_failed": self.failed, "offsite_fetches": self.offsite_fetches,
                "limits_hit": sorted(self.limits_hit)}


@dataclass
class CrawlPlan:
    """Everything the spider needs, handed over by the runner."""

    config: Config
    recorder: RunRecorder
    checks: list[Check]
    as_of: date
    sites: dict[int, SiteState]
    progress: NullProgress = field(default_factory=NullProgress)
    verdicts: dict[int, str] = field(default_factory=dict)


class InspectionSpider(scrapy.Spider):
    name = "govsite"

    def __init__(self, plan: CrawlPlan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.bounds = plan.config.crawl
        self.skip_extensions = {e.lower().lstrip(".") for e in self.bounds.skip_extensions}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_request_dropped, signal=signals.request_dropped)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for state in self.plan.sites.values():
            request = self.make_request(state, state.info.url, depth=0, purpose="crawl",
                                        referrer=None)
            if request is not None:
                yield request

    # -- scheduling ----------------------------------------------------
    def make_request(self, state: SiteState, url: str, *, depth: int, purpose: str,
                     referrer: str | None, offsite: bool = False,
                     priority: int | None = None) -> scrapy.Request | None:
        """A request within the site's bounds, or None (and the bound is noted)."""
        url = canonical(url)
        if url in state.seen:
            return None
        if len(url) > self.bounds.max_url_length:
            state.limits_hit.add("max_url_length")
            return None
        if extension(url) in self.skip_extensions:
            return None
        if longest_segment_repeat(url) > self.bounds.max_repeated_path_segment:
            state.limits_hit.add("max_repeated_path_segment")
            return None
        if offsite:
            if state.offsite_fetches >= self.bounds.max_offsite_fetches_per_site:
                state.limits_hit.add("max_offsite_fetches_per_site")
                return None
            state.offsite_fetches += 1
        elif host_key(url) not in state.hosts:
            return None
        if state.scheduled >= self.bounds.max_pages_per_site:
            state.limits_hit.add("max_pages_per_site")
            return None
        if "?" in url:
            path = path_of(url)
            variants = state.query_variants.get(path, 0)
            if variants >= self.bounds.max_query_variants_per_path:
                state.limits_hit.add("max_query_variants_per_path")
                return None
            state.query_variants[path] = variants + 1
        state.seen.add(url)
        state.scheduled += 1
        state.outstanding += 1
        return scrapy.Request(
            url, callback=self.parse_page, errback=self.on_error, dont_filter=True,
            priority=CHECK_REQUEST_PRIORITY if priority is None and purpose != "crawl"
            else (priority if priority is not None else -depth),
            meta={"site_id": state.info.id, "depth": depth, "purpose": purpose,
                  "referrer": referrer, "offsite": offsite, "queued_at": monotonic(),
                  "handle_httpstatus_list": HANDLED_STATUSES},
        )

    # -- responses -----------------------------------------------------
    def parse_page(self, response: Response) -> list[scrapy.Request]:
        meta = response.meta
        state = self.plan.sites[meta["site_id"]]
        try:
            return self._process(state, response)
        except Exception as exc:  # a hostile page must not kill the site's crawl
            self.logger.exception("failed to process %s", response.url)
            self._record_failure(state, response.request, f"processing failed: {exc}")
            return []
        finally:
            self._one_done(state)

    def _process(self, state: SiteState, response: Response) -> list[scrapy.Request]:
        meta = response.meta
        depth: int = meta["depth"]
        original_url = (meta.get("redirect_urls") or [response.url])[0]
        if depth == 0 and meta["purpose"] == "crawl":
            state.hosts.add(host_key(response.url))  # the home page may redirect to www.
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        body = response.body
        html = is_html(content_type, body)
        text, encoding = decode_body(body, content_type) if html else ("", None)
        tree = parse_html(text) if html else None
        failed = response.status >= 400
        page = PageContext(
            site=state.info, url=canonical(original_url), final_url=response.url,
            status=response.status, depth=depth, purpose=meta["purpose"],
            content_type=content_type[:100], encoding=encoding, title=page_title(tree),
            text=text, tree=tree, links=page_links(tree, response.url), rendered=False,
            as_of=self.plan.as_of)
        state.fetched += 1
        state.failed += failed
        self.plan.recorder.add_page({
            "site_id": state.info.id, "url": page.url, "final_url": page.final_url,
            "status": page.status, "content_type": page.content_type, "encoding": encoding,
            "title": page.title[:500], "depth": depth, "referrer": meta["referrer"],
            "purpose": page.purpose, "fetched_at": utcnow(),
            "elapsed_s": meta.get("download_latency"), "size": len(body), "rendered": False,
            "content_hash": hashlib.sha256(body).hexdigest(), "error": None})
        self.plan.progress.page(failed)
        requests: list[scrapy.Request] = []
        # Checks ask first, so a page they need keeps their purpose (the site
        # map, a column, a board page) when ordinary crawling also links it.
        for check in self.plan.checks:
            requests += self._check_requests(state, page, check.wants(page))
        on_site = host_key(response.url) in state.hosts and not meta.get("offsite")
        if tree is not None and not failed and on_site:
            requests += self._follow_links(state, page)
        for check in self.plan.checks:
            for fact in check.extract(page):
                self.plan.recorder.add_fact(state.info.id, check.id, page.url,
                                            fact["kind"], fact["data"])
        self.plan.recorder.set_counters(state.info.id, **state.counters())
        return requests

    def _follow_links(self, state: SiteState, page: PageContext) -> list[scrapy.Request]:
        requests: list[scrapy.Request] = []
        next_depth = page.depth + 1
        for link in page.links:
            if host_key(link.url) not in state.hosts:
                self._record_offsite(state, page.url, link.url, link.text)
                continue
            if next_depth > self.bounds.max_depth:
                state.limits_hit.add("max_depth")
                continue
            request = self.make_request(state, link.url, depth=next_depth, purpose="crawl",
                                        referrer=page.url)
            if request is not None:
                requests.append(request)
        return requests

    def _check_requests(self, state: SiteState, page: PageContext,
                        wanted: Any) -> list[scrapy.Request]:
        requests: list[scrapy.Request] = []
        for want in wanted:
            if not isinstance(want, FetchRequest):
                continue
            offsite = host_key(want.url) not in state.hosts
            if offsite and not want.offsite:
                continue
            request = self.make_request(state, want.url, depth=page.depth + 1,
                                        purpose=want.purpose, referrer=page.url,
                                        offsite=offsite)
            if request is not None:
                requests.append(request)
        return requests

    def _record_offsite(self, state: SiteState, from_url: str, to_url: str, text: str) -> None:
        if to_url in state.offsite_links or len(state.offsite_links) >= MAX_OFFSITE_LINKS_RECORDED:
            return
        state.offsite_links.add(to_url)
        self.plan.recorder.add_offsite_link(state.info.id, from_url, to_url, text)

    # -- failures ------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        state = self.plan.sites[request.meta["site_id"]]
        try:
            if (failure.check(IgnoreRequest) and "robots" in str(failure.value).lower()) \
                    or (failure.check(IgnoreRequest) and not str(failure.value)):
                state.limits_hit.add("robots_txt")
                self._record_failure(state, request, "disallowed by robots.txt", failed=False)
            else:
                self._record_failure(state, request, describe_failure(failure, self.bounds))
        finally:
            self._one_done(state)

    def _record_failure(self, state: SiteState, request: scrapy.Request, reason: str,
                        *, failed: bool = True) -> None:
        meta = request.meta
        state.failed += failed
        self.plan.recorder.add_page({
            "site_id": state.info.id, "url": canonical(request.url),
            "final_url": request.url, "status": 0, "content_type": None, "encoding": None,
            "title": None, "depth": meta["depth"], "referrer": meta["referrer"],
            "purpose": meta["purpose"], "fetched_at": utcnow(), "elapsed_s": None, "size": 0,
            "rendered": False, "content_hash": None, "error": reason[:500]})
        self.plan.recorder.set_counters(state.info.id, **state.counters())
        self.plan.progress.page(failed)

    def on_request_dropped(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        state = self.plan.sites.get(request.meta.get("site_id"))
        if state is not None:
            self._one_done(state)

    # -- a site's end --------------------------------------------------
    def _one_done(self, state: SiteState) -> None:
        state.outstanding -= 1
        if state.outstanding <= 0 and not state.done:
            self.finish_site(state)

    def finish_site(self, state: SiteState) -> None:
        """Evaluate and score the site now that nothing of it is left to fetch."""
        state.done = True
        self.plan.recorder.set_counters(state.info.id, **state.counters())
        try:
            verdict = self.plan.recorder.finalize_site(state.info, self.plan.checks,
                                                       self.plan.as_of).verdict
        except Exception:
            self.logger.exception("evaluation failed for %s", state.info.url)
            verdict = "error"
        self.plan.verdicts[state.info.id] = verdict
        self.plan.progress.site_done(state.info.name, verdict)
        state.seen.clear()  # a finished site's memory is released
        state.query_variants.clear()
        state.offsite_links.clear()


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
    return f"{name}: {text[:300]}" if text else name
