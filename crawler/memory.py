"""The crawl's memory ceiling: every process of the run, browser included.

One job, as a Scrapy extension: every `crawl.memory_check_interval_s` it adds
up the resident memory of the crawl process and all its descendants (the
analysis workers, Playwright's driver and every Chromium process), keeps the
peak for the run's statistics, and acts before the machine does:

- past `crawl.memory_render_stop` of the ceiling, no page is rendered any
  more (pages that need it are recorded "not rendered", which no check
  judges), since the browser is what grows on hostile pages;
- past the ceiling, the crawl stops: the sites not finished are judged on
  what they had and marked interrupted, the run says why, and
  `govsite crawl --resume` goes on with it (from the response journal).

RSS counts pages shared between processes once per process, so the sum
over-states the tree's use: the guard errs on the safe side.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import psutil
from scrapy import signals
from twisted.internet import task

logger = logging.getLogger(__name__)
MB = 1024 * 1024


def tree_rss_mb(root_pid: int | None = None) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    try:
        root = psutil.Process(root_pid or os.getpid())
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:  # it ended between the listing and the reading
            continue
    return total / MB


class MemoryGuard:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> MemoryGuard:
        guard = cls(crawler)
        crawler.signals.connect(guard.opened, signal=signals.spider_opened)
        crawler.signals.connect(guard.closed, signal=signals.spider_closed)
        return guard

    def opened(self, spider: Any) -> None:
        config = spider.plan.config.crawl
        self.spider = spider
        self.ceiling_mb = config.memory_ceiling_mb
        self.render_stop_mb = config.memory_ceiling_mb * config.memory_render_stop
        self.loop = task.LoopingCall(self.sample)
        self.loop.start(config.memory_check_interval_s, now=True)

    def closed(self, spider: Any) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def sample(self) -> None:
        plan = self.spider.plan
        used = tree_rss_mb()
        plan.memory.peak_mb = max(plan.memory.peak_mb, used)
        if not self.ceiling_mb:
            return
        renderer = plan.renderer
        if used >= self.render_stop_mb and renderer.available:
            renderer.unavailable = (f"memory ceiling: rendering stopped at {used:.0f} MB "
                                    f"of {self.ceiling_mb} MB (crawl.memory_ceiling_mb)")
            plan.memory.render_stopped = renderer.unavailable
            logger.warning("%s", renderer.unavailable)
        if used >= self.ceiling_mb and plan.memory.stopped is None:
            plan.memory.stopped = (f"memory ceiling reached: {used:.0f} MB of "
                                   f"{self.ceiling_mb} MB (crawl.memory_ceiling_mb)")
            logger.error("%s; the crawl stops, `--resume` goes on with it", plan.memory.stopped)
            self.crawler.engine.close_spider(self.spider, "memory_ceiling")
