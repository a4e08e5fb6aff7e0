"""Where pages are read: in worker processes beside the crawl, or in the crawl itself.

Scrapy's engine runs in one thread; reading a page (parse, links, render
signs, every check) costs more CPU than fetching it. With workers, the crawl
process only fetches and schedules while the workers read, so a run uses a
second core, and a page that crashes or hangs a reader costs that page, not
the run. Workers are spawned (not forked: the crawl runs threads), each
builds the run's checks from the config once, and a broken or stuck pool is
replaced.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any

from govsite.checks.base import Check
from govsite.checks.registry import enabled_checks
from govsite.config import Config
from govsite.crawler.analysis import PageJob, PageReading, read_page

logger = logging.getLogger(__name__)
MAX_POOL_RESTARTS = 3  # then pages are read in the crawl process for the rest of the run

_worker_checks: list[Check] = []


class AnalysisFailed(Exception):
    """A page could not be read: it crashed or hung its worker twice."""


def worker_count(setting: int | str) -> int:
    """`auto`: one core for the crawl, the others (at most four) for reading."""
    if setting != "auto":
        return int(setting)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(0, min((cores or 1) - 1, 4))


def _start_worker(config_data: dict[str, Any]) -> None:
    global _worker_checks
    _worker_checks = enabled_checks(Config.model_validate(config_data))


def _read_in_worker(job: PageJob) -> PageReading:
    return read_page(job, _worker_checks)


class AnalysisPool:
    """Reads pages for the spider; `workers=0` reads them in the crawl process."""

    def __init__(self, config: Config, checks: list[Check], workers: int,
                 timeout_s: float) -> None:
        self.config = config
        self.checks = checks
        self.workers = workers
        self.timeout_s = timeout_s
        self.restarts = 0
        self._executor: ProcessPoolExecutor | None = None

    @property
    def inline(self) -> bool:
        return self.workers <= 0

    def read_inline(self, job: PageJob) -> PageReading:
        return read_page(job, self.checks)

    async def read(self, job: PageJob) -> PageReading:
        """The page's reading from a worker; one retry on a fresh pool when the
        pool broke (the page that broke it may have been another one)."""
        if self.inline:
            return self.read_inline(job)
        for attempt in (1, 2):
            executor = self._pool()
            try:
                with _main_module_hidden():  # the submit may spawn a worker
                    submitted = executor.submit(_read_in_worker, job)
                future = asyncio.wrap_future(submitted)
                return await asyncio.wait_for(future, self.timeout_s)
            except (BrokenProcessPool, TimeoutError) as exc:
                why = "hung" if isinstance(exc, TimeoutError) else "crashed"
                logger.warning("page reader %s on %s (attempt %d)", why, job.url, attempt)
                self._replace(executor)
                if self.inline:
                    return self.read_inline(job)
                if attempt == 2:
                    raise AnalysisFailed(
                        f"reading the page {why} its worker twice"
                        + (f" (> {self.timeout_s:g} s)" if why == "hung" else "")) from exc
        raise AssertionError("unreachable")

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.config.model_dump(mode="json"),))
        return self._executor

    def _replace(self, executor: ProcessPoolExecutor) -> None:
        """Kill a broken or stuck pool; after a few, read in the crawl process."""
        if executor is not self._executor:
            return  # another page already replaced it
        self._executor = None
        _kill(executor)
        self.restarts += 1
        if self.restarts > MAX_POOL_RESTARTS:
            logger.warning("page readers failed %d times: reading in the crawl process",
                           self.restarts)
            self.workers = 0

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Spawn workers without re-importing the parent's __main__ (the CLI: typer,
    rich, Scrapy, SQLAlchemy), which they never use: ~50 MB less per worker.
    multiprocessing imports the main module in a child when it has a spec or a
    file; without both it leaves it out."""
    main = sys.modules["__main__"]
    saved = {name: main.__dict__.pop(name) for name in ("__spec__", "__file__")
             if name in main.__dict__}
    main.__spec__ = None
    try:
        yield
    finally:
        del main.__spec__
        main.__dict__.update(saved)


def _kill(executor: ProcessPoolExecutor) -> None:
    # ProcessPoolExecutor cannot stop a running task (before Python 3.14's
    # terminate_workers): end its processes, then let it clean up.
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        if process.is_alive():
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
