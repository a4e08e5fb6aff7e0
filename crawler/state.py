"""What a run's crawl holds: the plan handed to the spider, and each site's state.

Plain data: the spider (crawler/spider.py), its bounds (crawler/bounds.py),
the page recorder (crawler/records.py) and the judging extension
(crawler/judging.py) share it.
"""

from __future__ import annotations

import zlib
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from govsite.checks.base import Check, SiteInfo
from govsite.config import Config
from govsite.crawler.analysis_pool import AnalysisPool
from govsite.crawler.progress import NullProgress
from govsite.crawler.render import Renderer
from govsite.storage.recorder import RunRecorder
from govsite.web.addresses import PUBLIC


@dataclass(frozen=True)
class Seed:
    """A URL a crawl starts from (a recheck starts from a site's problem pages)."""

    url: str
    depth: int
    purpose: str
    referrer: str | None = None


@dataclass
class Fetched:
    """One answer for a URL, from Scrapy's HTTP handler or from the browser."""

    url: str  # as linked (canonical)
    final_url: str
    status: int
    content_type: str
    body: bytes
    meta: dict[str, Any]
    rendered: bool = False
    text: str | None = None  # rendered: the DOM as the browser serialised it
    encoding: str | None = None


@dataclass
class StaticCopy:
    """A static answer waiting for its render; processed only if the render fails."""

    fetched: Fetched
    packed: bytes  # the body, zlib-compressed (fetched.body is emptied)

    @classmethod
    def keep(cls, fetched: Fetched) -> StaticCopy:
        packed = zlib.compress(fetched.body, 6)
        fetched.body = b""
        return cls(fetched, packed)

    def restore(self) -> Fetched:
        self.fetched.body = zlib.decompress(self.packed)
        return self.fetched


@dataclass
class SiteState:
    """What the crawl tracks per site; its counters are mirrored to the store."""

    info: SiteInfo
    hosts: set[str]
    render_policy: str = "auto"  # never | auto | always
    # Address classes its crawl may reach (web/addresses.py): public, plus the
    # class of the registered host when written as an address (loopback in tests).
    allowed_addresses: frozenset[str] = PUBLIC
    # A bot-protection challenge answered one of its pages: the rest are
    # fetched through the browser, whose context keeps the cookie it earns.
    challenged: bool = False
    # The cookies the browser earned passing the challenge: sent with the site's
    # static fetches, which then need no browser until a challenge comes back.
    cookies: dict[str, str] = field(default_factory=dict)
    # The pass expired (a static fetch met the challenge again): this page is
    # being rendered to earn the next one; the pages that meet the challenge
    # meanwhile wait (the meta they carry) and are fetched again with it.
    refresh_url: str | None = None
    parked: list[dict[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    query_variants: dict[str, int] = field(default_factory=dict)
    offsite_links: set[str] = field(default_factory=set)
    waiting_render: dict[str, StaticCopy] = field(default_factory=dict)
    # Links found while the site had FRONTIER_WINDOW requests out: (url, depth,
    # referrer), a few dozen bytes each instead of a scrapy.Request's ~700.
    frontier: deque[tuple[str, int, str | None]] = field(default_factory=deque)
    outstanding: int = 0
    scheduled: int = 0
    fetched: int = 0
    failed: int = 0
    offsite_fetches: int = 0
    renders: int = 0  # browser fetches scheduled
    rendered: int = 0  # pages stored as rendered
    render_needed: int = 0  # pages stored that needed rendering (rendered or not)
    render_failed: int = 0  # renders that failed (the page was stored unrendered)
    limits_hit: set[str] = field(default_factory=set)
    done: bool = False
    # Link checking (crawler/linkcheck.py): target -> [pages linking it, linked
    # from the home page, the first pages, canonical target, the last of those
    # pages]; problem targets.
    link_refs: dict[str, list[Any]] = field(default_factory=dict)
    bad_links: dict[str, Any] = field(default_factory=dict)
    link_checks: int = 0  # requests this site asked for

    def counters(self) -> dict[str, Any]:
        return {"status": "done" if self.done else "crawling", "pages_fetched": self.fetched,
                "pages_failed": self.failed, "pages_rendered": self.rendered,
                "offsite_fetches": self.offsite_fetches,
                "limits_hit": sorted(self.limits_hit)}

    def render_stats(self) -> dict[str, Any]:
        return {"policy": self.render_policy, "rendered": self.rendered,
                "needed": self.render_needed, "not_rendered": self.render_needed - self.rendered,
                "failed": self.render_failed}


@dataclass
class MemoryUse:
    """What the memory guard saw (crawler/memory.py), for the run's statistics."""

    peak_mb: float = 0.0
    render_stopped: str | None = None  # why rendering stopped, when it did
    stopped: str | None = None  # why the crawl stopped, when it did

    def stats(self, ceiling_mb: int) -> dict[str, Any]:
        return {"ceiling_mb": ceiling_mb, "peak_mb": round(self.peak_mb),
                "render_stopped": self.render_stopped, "stopped": self.stopped}


@dataclass
class CrawlPlan:
    """Everything the spider needs, handed over by the runner."""

    config: Config
    recorder: RunRecorder
    checks: list[Check]
    as_of: date
    sites: dict[int, SiteState]
    progress: NullProgress = field(default_factory=NullProgress)
    # Where each site's crawl starts; a site absent here starts at its home page.
    seeds: dict[int, list[Seed]] = field(default_factory=dict)
    verdicts: dict[int, str] = field(default_factory=dict)
    renderer: Renderer = field(default_factory=lambda: Renderer(None))
    analysis: AnalysisPool | None = None  # None: pages are read in the crawl process
    # A resumed run: request key -> the journal entries that answer it (crawler/journal.py).
    replay: dict[str, list[int]] = field(default_factory=dict)
    replayed: int = 0  # answers read from the journal instead of fetched
    memory: MemoryUse = field(default_factory=MemoryUse)
    # A distributed run's worker: where it takes its sites from (crawler/worker.py).
    feed: Any = None
