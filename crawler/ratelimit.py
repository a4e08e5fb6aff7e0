"""Rate-limit answers slow a host down instead of failing it.

A site answering 429 (or 503) with `Retry-After` is asking the inspector to
come back later, which says nothing about its pages. The request is tried
again after the wait the site names (capped), and the host's download slot
is slowed to that pace; only after `crawl.rate_limit_retries` such answers is
the page stored, as "not read: rate limited" (never judged by a check).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

RATE_LIMIT_STATUSES = frozenset({429, 503})
RETRIES_KEY = "govsite_rate_retries"


def retry_after_s(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RateLimitMiddleware:
    """Downloader middleware: 429/503 with Retry-After → wait, slow the host, try again."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.max_wait_s = settings.getfloat("GOVSITE_MAX_RETRY_AFTER_S", 120.0)
        self.max_retries = settings.getint("GOVSITE_RATE_LIMIT_RETRIES", 3)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RateLimitMiddleware:
        return cls(crawler)

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        if response.status not in RATE_LIMIT_STATUSES:
            return response
        wait = retry_after_s(response.headers.get(b"Retry-After"))
        if wait is None and response.status != 429:
            return response  # a 503 without Retry-After is an error of the site's
        tries = request.meta.get(RETRIES_KEY, 0)
        if tries >= self.max_retries:
            return response
        wait = min(wait if wait is not None else 1.0, self.max_wait_s)
        self._slow_down(request, wait)
        retry = request.replace(dont_filter=True)
        retry.meta[RETRIES_KEY] = tries + 1
        retry.meta["download_slot"] = self._slot_key(request)
        retry.priority = request.priority - 1
        return retry

    def _slot_key(self, request: Any) -> str:
        return self.crawler.engine.downloader.get_slot_key(request)

    def _slow_down(self, request: Any, wait: float) -> None:
        """The host's slot keeps at least `wait` seconds between its requests."""
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(self._slot_key(request))
        if slot is not None:
            slot.delay = max(slot.delay, wait)
            slot.randomize_delay = False
