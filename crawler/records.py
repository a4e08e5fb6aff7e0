"""The rows a crawl writes for each page: fetched and read, or failed.

One job: turn what the spider knows of a page into the store's page row and
facts, through the run's recorder (batched writes), and keep the site's
counters in step.
"""

from __future__ import annotations

from typing import Any

from govsite.crawler.analysis import PageReading
from govsite.crawler.state import Fetched, SiteState
from govsite.storage.recorder import RunRecorder, utcnow
from govsite.web.urls import canonical

MAX_OFFSITE_LINKS_RECORDED = 2000


class PageRecords:
    def __init__(self, recorder: RunRecorder) -> None:
        self.recorder = recorder

    def page(self, state: SiteState, fetched: Fetched, reading: PageReading) -> None:
        """A page read: its row and every fact the checks extracted from it."""
        meta = fetched.meta
        reason = meta.get("render_reason")
        self.recorder.add_page({
            "site_id": state.info.id, "url": fetched.url, "final_url": fetched.final_url,
            "status": fetched.status, "content_type": fetched.content_type[:100],
            "encoding": reading.encoding, "title": reading.title[:500], "depth": meta["depth"],
            "referrer": meta["referrer"], "purpose": meta["purpose"], "fetched_at": utcnow(),
            "elapsed_s": meta.get("download_latency"), "size": len(fetched.body),
            "rendered": fetched.rendered, "needs_render": reading.needs_render,
            "render_reason": (reason or None) and reason[:300],
            "render_error": reading.render_error and reading.render_error[:500],
            "content_hash": reading.content_hash, "error": None})
        for check_id, kind, data in reading.facts:
            self.recorder.add_fact(state.info.id, check_id, fetched.url, kind, data)
        self.counters(state)

    def failure(self, state: SiteState, url: str, meta: dict[str, Any], reason: str,
                needs_render: bool) -> None:
        """A page that could not be fetched or read: a row with its error, under the
        URL that was asked for (a redirect's target is its final URL)."""
        asked = (meta.get("redirect_urls") or [url])[0]
        self.recorder.add_page({
            "site_id": state.info.id, "url": canonical(asked),
            "final_url": url, "status": 0, "content_type": None, "encoding": None,
            "title": None, "depth": meta["depth"], "referrer": meta["referrer"],
            "purpose": meta["purpose"], "fetched_at": utcnow(), "elapsed_s": None, "size": 0,
            "rendered": False, "needs_render": needs_render,
            "render_reason": meta.get("render_reason"),
            "render_error": meta.get("render_error"),
            "content_hash": None, "error": reason[:500]})
        self.counters(state)

    def offsite_link(self, state: SiteState, from_url: str, to_url: str, text: str) -> None:
        """A link leaving the site (kept for checks and reports, never followed)."""
        if to_url in state.offsite_links or len(state.offsite_links) >= MAX_OFFSITE_LINKS_RECORDED:
            return
        state.offsite_links.add(to_url)
        self.recorder.add_offsite_link(state.info.id, from_url, to_url, text)

    def counters(self, state: SiteState) -> None:
        self.recorder.set_counters(state.info.id, **state.counters())
