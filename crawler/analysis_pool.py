"""Where pages are read: in worker processes beside the crawl, or in the crawl itself.

Scrapy's engine runs in one thread; reading a page (parse, links, render
signs, every check) costs more CPU than fetching it. With workers, the crawl
process only fetches and schedules while the workers read, so a run uses a
second core, and a page that crashes or hangs a reader costs that page, not
the run:

- workers are spawned (the crawl runs threads: no fork) and started before
  the crawl with a probe page; if they cannot start, the run reads pages in
  the crawl process and says why;
- at most PAGES_PER_WORKER pages per worker are handed over at once: enough
  that a worker never waits for the next page while results travel back
  through the pool's threads (2 left it idle a third of the time), few
  enough that a page's timeout measures its reading, not a long queue;
- a worker that dies or hangs takes down the pages the pool held with it,
  and which page did it is unknown: each is read again alone, one at a time,
  on a worker of its own, and only a page that fails there too is lost
  (recorded as failed by the spider).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import weakref
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import date
from multiprocessing import get_context
from typing import Any

from govsite.checks.base import Check, SiteInfo
from govsite.checks.registry import enabled_checks
from govsite.config import Config
from govsite.crawler.analysis import PageJob, PageReading, read_page

logger = logging.getLogger(__name__)
PAGES_PER_WORKER = 8  # handed over at once: reading goes on while results travel back
START_TIMEOUT_S = 120.0  # spawning and importing, on a slow or busy machine
PROBE = b"<html><head><title>probe</title></head><body><a href='/a'>a</a></body></html>"

_worker_checks: list[Check] = []


class AnalysisFailed(Exception):
    """A page could not be read: it crashed or hung a worker, then its own worker too."""


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


def probe_job() -> PageJob:
    site = SiteInfo(id=0, name="probe", url="http://probe.invalid/", host="probe.invalid")
    return PageJob(site=site, url="http://probe.invalid/", final_url="http://probe.invalid/",
                   status=200, content_type="text/html", body=PROBE, depth=0,
                   purpose="probe", as_of=date(2000, 1, 1))


class AnalysisPool:
    """Reads pages for the spider; `workers=0` reads them in the crawl process."""

    def __init__(self, config: Config, checks: list[Check], workers: int,
                 timeout_s: float) -> None:
        self.config = config
        self.checks = checks
        self.workers = workers
        self.timeout_s = timeout_s
        self.restarts = 0  # pools replaced after a worker died or hung
        self.lost = 0  # pages that failed even alone on a worker of their own
        self.unavailable: str | None = None  # why workers could not start
        self.read_here = 0  # pages read in the crawl process (all of them without workers)
        self._executor: ProcessPoolExecutor | None = None
        self._alone: ProcessPoolExecutor | None = None  # one worker, one page at a time
        self._slots: asyncio.Semaphore | None = None
        self._alone_lock: asyncio.Lock | None = None
        # Pools whose workers have started; a new pool's start is not a page's time.
        self._started: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()
        self._starting: dict[ProcessPoolExecutor, asyncio.Future[None]] = {}

    @property
    def inline(self) -> bool:
        return self.workers <= 0

    def stats(self) -> dict[str, Any]:
        return {"workers": self.workers, "restarts": self.restarts, "lost": self.lost,
                "unavailable": self.unavailable, "read_here": self.read_here}

    def start(self) -> None:
        """Spawn the workers and read a probe page on each, before the crawl
        starts its threads; on failure, read in the crawl process."""
        if self.inline:
            return
        try:
            executor = self._pool()
            with _main_module_hidden():
                futures = [executor.submit(_read_in_worker, probe_job())
                           for _ in range(self.workers)]
            for future in futures:
                if future.result(timeout=START_TIMEOUT_S).title != "probe":
                    raise RuntimeError("a worker read the probe page wrongly")
            self._started.add(executor)
        except Exception as exc:  # no processes here, a broken install: still crawl
            self.unavailable = f"{type(exc).__name__}: {exc}"[:300]
            logger.warning("analysis workers could not start (%s): reading pages in the "
                           "crawl process", self.unavailable)
            self.close()
            self.workers = 0

    def read_inline(self, job: PageJob) -> PageReading:
        self.read_here += 1
        return read_page(job, self.checks)

    async def read(self, job: PageJob) -> PageReading:
        """The page's reading from a worker; see the module docstring for failures."""
        if self.inline:
            return self.read_inline(job)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers * PAGES_PER_WORKER)
            self._alone_lock = asyncio.Lock()
        async with self._slots:
            executor = self._pool()
            try:
                await self._ready(executor, self.workers)
                return await self._run(executor, job)
            except (BrokenProcessPool, TimeoutError) as exc:
                logger.warning("page reader %s on %s: reading it again alone",
                               _why(exc), job.url)
                if executor is self._executor:  # the first page to see it replaces it
                    self._executor = None
                    self.restarts += 1
                    _kill(executor)
        assert self._alone_lock is not None
        async with self._alone_lock:
            alone = self._alone or self._new_executor(1)
            self._alone = alone
            try:
                await self._ready(alone, 1)
                return await self._run(alone, job)
            except (BrokenProcessPool, TimeoutError) as exc:
                self._alone = None
                _kill(alone)
                self.lost += 1
                why = _why(exc)
                raise AnalysisFailed(
                    f"reading the page {why} its worker, and again alone"
                    + (f" (> {self.timeout_s:g} s)" if why == "hung" else "")) from exc

    async def _ready(self, executor: ProcessPoolExecutor, workers: int) -> None:
        """A pool made to replace a dead one starts its workers (spawn, imports:
        seconds on a busy machine) before a page's `timeout_s` starts counting,
        so that a slow start is never taken for a page that hangs."""
        if executor in self._started:
            return
        starting = self._starting.get(executor)
        if starting is None:
            starting = self._starting[executor] = asyncio.ensure_future(
                self._start_workers(executor, workers))
        try:
            await asyncio.shield(starting)
        finally:
            if starting.done():
                self._starting.pop(executor, None)
        self._started.add(executor)

    @staticmethod
    async def _start_workers(executor: ProcessPoolExecutor, workers: int) -> None:
        with _main_module_hidden():
            probes = [executor.submit(_read_in_worker, probe_job()) for _ in range(workers)]
        await asyncio.wait_for(asyncio.gather(*map(asyncio.wrap_future, probes)),
                               START_TIMEOUT_S)

    async def _run(self, executor: ProcessPoolExecutor, job: PageJob) -> PageReading:
        with _main_module_hidden():  # the submit may spawn a worker
            submitted = executor.submit(_read_in_worker, job)
        return await asyncio.wait_for(asyncio.wrap_future(submitted), self.timeout_s)

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = self._new_executor(self.workers)
        return self._executor

    def _new_executor(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                   initializer=_start_worker,
                                   initargs=(self.config.model_dump(mode="json"),))

    def close(self) -> None:
        """Stop the workers; one still reading (a hung page at an interrupt) is killed."""
        for executor in (self._executor, self._alone):
            if executor is not None:
                _stop(executor)
        self._executor = self._alone = None


def _why(exc: BaseException) -> str:
    return "hung" if isinstance(exc, TimeoutError) else "crashed"


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


def _processes(executor: ProcessPoolExecutor) -> list[Any]:
    # ProcessPoolExecutor cannot stop a running task before Python 3.14's
    # terminate_workers(): its processes are reached through a private field.
    return list((getattr(executor, "_processes", None) or {}).values())


def _kill(executor: ProcessPoolExecutor) -> None:
    for process in _processes(executor):
        if process.is_alive():
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)


def _stop(executor: ProcessPoolExecutor, grace_s: float = 5.0) -> None:
    processes = _processes(executor)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(grace_s)
        if process.is_alive():
            process.kill()
            process.join(1)
