"""The response journal: a resumed crawl reads what it had instead of fetching again.

One job, as a downloader middleware placed nearest the download handlers (so
what it keeps is the answer as it came off the wire or out of the browser,
before redirects, decompression, cookies and retries see it):

- every response of a site's request, and of Scrapy's robots.txt requests,
  is kept in the store (compressed, through the run's batched recorder) until
  the site's result is written (`crawl.journal_responses`);
- in a resumed run (`govsite crawl --resume`), a request the interrupted run
  had an answer for is answered from the journal instead of the network,
  each kept answer once, in the order they came. The spider then reads the
  page again exactly as it did the first time: its links, its checks' wants,
  the site's bounds and link checks follow from that reading, so nothing a
  check asked for is lost and no page already stored is fetched again.

Link checks (crawler/linkcheck.py) are one small request per target and are
asked again; failures (timeouts, refused connections) have no answer to keep.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

import scrapy
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.request import fingerprint

from govsite.storage.journal import journal_entry

REPLAYED = "journal"  # the response flag of an answer read from the journal
COMPRESSION_LEVEL = 1  # fast: the crawl process's CPU is the run's bottleneck


def journal_key(request: scrapy.Request) -> str:
    """The request's fingerprint (method, URL, body), and whether it went to the
    browser: a page is fetched statically and then rendered under one URL."""
    rendered = b"rendered" if request.meta.get("playwright") else b"static"
    return hashlib.sha1(fingerprint(request) + rendered).hexdigest()


def _journaled(request: scrapy.Request) -> bool:
    return "linkcheck" not in request.meta


class ResponseJournalMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ResponseJournalMiddleware:
        return cls(crawler)

    def _plan(self, spider: Any) -> Any:
        return getattr(spider or self.crawler.spider, "plan", None)

    def process_request(self, request: scrapy.Request, spider: Any = None) -> Response | None:
        plan = self._plan(spider)
        if plan is None or not plan.replay or not _journaled(request):
            return None
        # Each entry answers once, in the order received: a retry of a 503 gets
        # the answer that followed it, and a request past them goes out.
        entries = plan.replay.get(journal_key(request))
        if not entries:
            return None
        entry = journal_entry(plan.recorder.store, entries.pop(0))
        if entry is None:
            return None
        body = zlib.decompress(entry.body)
        headers = Headers([(name.encode("latin-1"), value.encode("latin-1"))
                           for name, value in entry.headers])
        cls = responsetypes.from_args(headers=headers, url=entry.url, body=body)
        extra: dict[str, Any] = {}
        if entry.encoding and issubclass(cls, TextResponse):
            extra["encoding"] = entry.encoding
        if entry.latency_s is not None:
            request.meta["download_latency"] = entry.latency_s
        flags = ["playwright", REPLAYED] if request.meta.get("playwright") else [REPLAYED]
        plan.replayed += 1
        return cls(url=entry.url, status=entry.status, headers=headers, body=body,
                   request=request, flags=flags, **extra)

    def process_response(self, request: scrapy.Request, response: Response,
                         spider: Any = None) -> Response:
        plan = self._plan(spider)
        if plan is None or REPLAYED in response.flags or not _journaled(request) \
                or not plan.config.crawl.journal_responses:
            return response
        site_id = request.meta.get("site_id")
        state = plan.sites.get(site_id) if site_id is not None else None
        if site_id is not None and (state is None or state.done):
            return response
        plan.recorder.add_response({
            "site_id": site_id, "key": journal_key(request), "url": response.url,
            "status": response.status,
            "headers": [[name.decode("latin-1"), value.decode("latin-1")]
                        for name, values in response.headers.items() for value in values],
            "body": zlib.compress(response.body, COMPRESSION_LEVEL),
            "encoding": response.encoding if isinstance(response, TextResponse)
            and "playwright" in response.flags else None,
            "latency_s": request.meta.get("download_latency")})
        return response
