"""Page reading in analysis workers: real spawned workers that crash and hang
(only the page at fault is lost), workers that cannot start (the crawl reads
pages itself), and a crawl that reads the same with workers as without.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import re
import sqlite3
import sys
import time
import types
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from importlib.machinery import ModuleSpec
from multiprocessing import spawn
from pathlib import Path

import psutil
import pytest
from helpers import AS_OF, tight_config

from govsite.checks.base import Link, SiteInfo
from govsite.checks.registry import enabled_checks
from govsite.config import load_config
from govsite.crawler.analysis import PageJob, PageReading, read_page
from govsite.crawler.analysis_pool import (
    AnalysisFailed,
    AnalysisPool,
    _main_module_hidden,
    worker_count,
)
from govsite.estate import DEMO_AS_OF, build_estate, write_registry_csv

CONFIG = load_config()
CHECKS = enabled_checks(CONFIG)
SITE = SiteInfo(1, "测试站", "http://127.0.0.9/", "127.0.0.9", "portal")
PAGE = ("<html><head><title>政务公开</title></head><body>"
        "<a href='/zwgk/index.html'>政务公开</a> <a href='/xxgk/list.html'>信息公开</a>"
        "</body></html>").encode()
EXPECTED_LINKS = [("http://127.0.0.9/zwgk/index.html", "政务公开"),
                  ("http://127.0.0.9/xxgk/list.html", "信息公开")]


# A site that reads like any other in the crawl process but ends (or stalls)
# the worker that unpickles it: the reduce value names only stdlib callables,
# so the spawned worker never needs this test module.
class ExitsWorker(SiteInfo):
    def __reduce__(self):
        return (os._exit, (3,))


class StallsWorker(SiteInfo):
    def __reduce__(self):
        return (time.sleep, (30,))


def page_job(site: SiteInfo = SITE) -> PageJob:
    return PageJob(site=site, url=site.url, final_url=site.url, status=200,
                   content_type="text/html; charset=utf-8", body=PAGE, depth=0,
                   purpose="crawl", as_of=DEMO_AS_OF)


def crashing_job() -> PageJob:
    return page_job(ExitsWorker(*vars(SITE).values()))


def hanging_job() -> PageJob:
    return page_job(StallsWorker(*vars(SITE).values()))


@contextmanager
def analysis_pool(workers: int = 1, timeout_s: float = 30) -> Iterator[AnalysisPool]:
    pool = AnalysisPool(CONFIG, CHECKS, workers=workers, timeout_s=timeout_s)
    try:
        yield pool
    finally:
        pool.close()


def live_workers() -> list[psutil.Process]:
    """This process's spawned workers that are still running (not killed or reaped)."""
    found = []
    for child in psutil.Process().children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def no_live_workers_within(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while live_workers():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def assert_is_the_small_page(reading: PageReading) -> None:
    assert reading.html and reading.title == "政务公开"
    assert [(link.url, link.text) for link in reading.links] == EXPECTED_LINKS


# ------------------------------------------------------------------ crashes and hangs
def test_job_that_kills_its_worker_fails_as_crashed_and_the_next_page_is_read() -> None:
    crash = crashing_job()
    # Only unpickling kills: the same job read in this process is an ordinary page.
    with analysis_pool() as pool:
        assert_is_the_small_page(pool.read_inline(crash))

        async def scenario() -> PageReading:
            with pytest.raises(AnalysisFailed, match="crashed") as caught:
                await pool.read(crash)
            assert isinstance(caught.value.__cause__, BrokenProcessPool)
            assert (pool.restarts, pool.lost, pool.workers) == (1, 1, 1) and not pool.inline
            return await pool.read(page_job())

        assert_is_the_small_page(asyncio.run(scenario()))
        assert pool.restarts == 1
        assert len(live_workers()) == 1  # the fresh pool's worker read it


def test_job_that_hangs_its_worker_fails_as_hung_in_time_and_the_worker_is_killed() -> None:
    timeout_s = 2
    with analysis_pool(timeout_s=timeout_s) as pool:

        async def scenario() -> PageReading:
            started = time.monotonic()
            with pytest.raises(AnalysisFailed, match=rf"hung.*> {timeout_s} s") as caught:
                await pool.read(hanging_job())
            # two attempts of timeout_s each, plus starting two workers
            assert time.monotonic() - started < 2 * timeout_s + 6
            assert isinstance(caught.value.__cause__, TimeoutError)
            assert (pool.restarts, pool.lost) == (1, 1) and not pool.inline
            # the stalled workers (30 s sleeps) are killed, not left behind
            assert no_live_workers_within(3), live_workers()
            return await pool.read(page_job())

        assert_is_the_small_page(asyncio.run(scenario()))


def test_a_crash_costs_only_the_page_at_fault_not_the_pages_read_beside_it() -> None:
    """The pool's other pages die with the crash; read again alone, each one but
    the culprit is read, and no page is ever read in the crawl process."""
    with analysis_pool(workers=2) as pool:

        async def scenario() -> list[PageReading | BaseException]:
            jobs = [page_job(), page_job(), crashing_job(), page_job(), page_job()]
            return await asyncio.gather(*(pool.read(job) for job in jobs),
                                        return_exceptions=True)

        outcomes = asyncio.run(scenario())
        failed = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, BaseException)]
        assert failed == [2], outcomes
        assert isinstance(outcomes[2], AnalysisFailed)
        for outcome in outcomes[:2] + outcomes[3:]:
            assert_is_the_small_page(outcome)
        assert pool.lost == 1 and pool.workers == 2 and not pool.inline


def test_repeated_crashes_never_move_reading_into_the_crawl_process() -> None:
    with analysis_pool() as pool:

        async def scenario() -> PageReading:
            for _ in range(4):
                with pytest.raises(AnalysisFailed):
                    await pool.read(crashing_job())
            return await pool.read(page_job())

        assert_is_the_small_page(asyncio.run(scenario()))
        assert (pool.lost, pool.restarts, pool.workers) == (4, 4, 1)


def test_workers_that_cannot_start_leave_reading_to_the_crawl_process() -> None:
    """A worker whose start fails (here: a config it cannot load) is found by the
    probe before the crawl; pages are then read in this process, and the run says why."""
    broken = CONFIG.model_copy(update={"checks": {"no-such-check": {"enabled": True}}})
    pool = AnalysisPool(broken, CHECKS, workers=1, timeout_s=30)
    try:
        pool.start()
        assert pool.inline and pool.unavailable
        assert pool.stats()["unavailable"] == pool.unavailable
        assert_is_the_small_page(asyncio.run(pool.read(page_job())))
        assert no_live_workers_within(3), live_workers()
    finally:
        pool.close()


def test_started_workers_read_the_probe_and_stay_ready() -> None:
    with analysis_pool(workers=2) as pool:
        pool.start()
        assert not pool.inline and pool.unavailable is None
        assert len(live_workers()) == 2
        assert_is_the_small_page(asyncio.run(pool.read(page_job())))


# ------------------------------------------------------------------ same reading either way
def estate_jobs() -> list[PageJob]:
    """Every page of a TRS, an old GBK and a Hanweb site (script-filled columns),
    the Hanweb pages once where they can be rendered and once where they cannot."""
    estate = build_estate()
    jobs = []
    for name in ("qingshan", "songling", "yunxi"):
        spec = estate.site(name)
        host = f"{name}.test"
        site = SiteInfo(1, spec.title, f"http://{host}/", host, spec.kind)
        for path, resource in spec.resources.items():
            body = re.sub(rb"\{\{host:([^}]+)\}\}", lambda m: m.group(1) + b".test", resource.body)
            job = PageJob(site=site, url=f"http://{host}{path}", final_url=f"http://{host}{path}",
                          status=resource.status, content_type=resource.content_type, body=body,
                          depth=0 if path in ("/", "/index.html") else 1, purpose="crawl",
                          as_of=estate.as_of, detect=True)
            jobs.append(job)
            if name == "yunxi":
                jobs.append(replace(job, cannot_render="not rendered: the site's render policy "
                                                       "is never"))
    return jobs


def test_workers_and_the_crawl_process_read_estate_pages_alike() -> None:
    jobs = estate_jobs()
    with analysis_pool(workers=2) as pool:
        inline = [pool.read_inline(job) for job in jobs]

        async def read_all() -> list[PageReading]:
            return await asyncio.gather(*(pool.read(job) for job in jobs))

        in_workers = asyncio.run(read_all())
        assert pool.restarts == 0 and pool.workers == 2
    for job, here, there in zip(jobs, inline, in_workers, strict=True):
        assert there == here, job.url
    # the comparison covered every part of a reading
    assert sum(len(r.requests) for r in inline) >= 50
    assert sum(len(r.facts) for r in inline) >= 300
    assert sum(len(r.links) for r in inline) >= 1000
    assert any(r.to_render for r in inline)
    assert any(r.detected and r.needs_render and r.render_error for r in inline)
    encodings = {r.encoding for r in inline}
    assert "utf-8" in encodings and encodings & {"gbk", "gb18030"}


# ------------------------------------------------------------------ spawning without __main__
@pytest.mark.parametrize("had_them", [True, False])
def test_main_module_is_hidden_inside_and_restored_exactly(monkeypatch, had_them: bool) -> None:
    main = types.ModuleType("__main__")
    spec = ModuleSpec("govsite.cli", None)
    if had_them:
        main.__spec__, main.__file__ = spec, "/opt/govsite/cli.py"
    else:
        del main.__spec__
    monkeypatch.setitem(sys.modules, "__main__", main)
    before = dict(main.__dict__)

    with pytest.raises(RuntimeError), _main_module_hidden():
        assert main.__spec__ is None and not hasattr(main, "__file__")
        prepared = spawn.get_preparation_data("worker")
        assert "init_main_from_name" not in prepared
        assert "init_main_from_path" not in prepared
        raise RuntimeError("the block fails: the module is restored all the same")

    assert main.__dict__ == before
    assert ("__spec__" in main.__dict__) is had_them
    if had_them:
        assert main.__spec__ is spec
        assert spawn.get_preparation_data("worker")["init_main_from_name"] == "govsite.cli"


# ------------------------------------------------------------------ how many workers
def test_auto_worker_count_leaves_a_core_for_the_crawl_and_takes_at_most_four() -> None:
    cores = len(os.sched_getaffinity(0))
    assert worker_count("auto") == max(0, min(cores - 1, 4))
    assert 0 <= worker_count("auto") <= 4
    assert worker_count(2) == 2
    assert worker_count(0) == 0


@pytest.mark.parametrize(("cores", "expected"), [(1, 0), (2, 1), (5, 4), (64, 4)])
def test_auto_worker_count_by_cores(monkeypatch, cores: int, expected: int) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    assert worker_count("auto") == expected


# ------------------------------------------------------------------ config
@pytest.mark.slow
@pytest.mark.parametrize(("crawl", "expected"), [
    ({"analysis_workers": -1}, ("crawl.analysis_workers", "(got -1)")),
    ({"analysis_workers": "many"}, ("crawl.analysis_workers", "(got 'many')")),
    ({"analysis_workers": 65}, ("crawl.analysis_workers", "(got 65)")),
    ({"analysis_timeout_s": 0}, ("crawl.analysis_timeout_s", "greater than 0")),
])
def test_bad_analysis_settings_exit_2_with_one_line(tmp_path: Path, cli, crawl: dict,
                                                    expected: tuple[str, ...]) -> None:
    config = tight_config(tmp_path, **crawl)
    result = cli("--config", str(config), "checks", "list", db=tmp_path / "t.db")
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    for part in (str(config), *expected):
        assert part in result.stderr


# ------------------------------------------------------------------ a crawl either way
SITES = ("临水市发展和改革委员会", "清溪县人民政府", "云溪县教育体育局")  # fail, pass, script columns
QUERIES = {
    "pages": "select s.name, p.url, p.final_url, p.status, p.title, p.encoding, p.content_hash, "
             "p.needs_render, p.render_error, p.error from pages p join sites s on s.id = p.site_id",
    "facts": "select s.name, f.[check], f.url, f.kind, f.data from facts f "
             "join sites s on s.id = f.site_id",
    "findings": "select s.name, f.[check], f.severity, f.url, f.fingerprint from findings f "
                "join sites s on s.id = f.site_id",
    "verdicts": "select s.name, r.verdict, r.score, r.vetoes from site_results r "
                "join sites s on s.id = r.site_id",
}


@pytest.fixture(scope="module")
def crawls(estate_server, tmp_path_factory, cli) -> dict[int, dict]:
    """The same three sites crawled through the CLI, reading inline and in one worker."""
    results = {}
    for workers in (0, 1):
        tmp = tmp_path_factory.mktemp(f"workers{workers}")
        db = tmp / "crawl.db"
        config = tight_config(tmp, analysis_workers=workers)
        registry = write_registry_csv(estate_server, tmp / "registry.csv")
        assert cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
        site_args = [arg for name in SITES for arg in ("--site", name)]
        result = cli("--config", str(config), "crawl", *site_args, "--as-of", AS_OF, "--quiet",
                     "--no-evidence", "--format", "json", db=db, timeout=180)
        assert result.code in (0, 1), result.stderr
        with sqlite3.connect(db) as connection:
            tables = {name: sorted(connection.execute(sql).fetchall(), key=repr)
                      for name, sql in QUERIES.items()}
            [(stats,)] = connection.execute("select stats from runs").fetchall()
        results[workers] = {**tables, "stats": json.loads(stats)}
    return results


@pytest.mark.slow
def test_crawl_records_its_analysis_workers(crawls) -> None:
    inline, with_worker = crawls[0]["stats"]["analysis"], crawls[1]["stats"]["analysis"]
    fetched = [page for page in crawls[0]["pages"] if page[-1] is None]  # no fetch error
    assert inline.pop("read_here") >= len(fetched) >= 150  # every page was read here
    assert inline == {"workers": 0, "restarts": 0, "lost": 0, "unavailable": None}
    assert with_worker == {"workers": 1, "restarts": 0, "lost": 0, "unavailable": None,
                           "read_here": 0}


@pytest.mark.slow
@pytest.mark.parametrize("table", list(QUERIES))
def test_crawl_with_a_worker_records_what_the_inline_crawl_does(crawls, table: str) -> None:
    assert crawls[1][table] == crawls[0][table]


@pytest.mark.slow
def test_the_compared_crawls_are_substantial(crawls) -> None:
    inline = crawls[0]
    assert len(inline["pages"]) >= 150 and len(inline["facts"]) >= 300
    assert len(inline["findings"]) >= 5
    errors = [row[-1] for row in inline["pages"] + crawls[1]["pages"] if row[-1]]
    assert not any("processing failed" in error for error in errors)
    verdicts = {name: verdict for name, verdict, *_ in inline["verdicts"]}
    assert verdicts == {SITES[0]: "fail", SITES[1]: "pass", SITES[2]: "fail"}


def test_a_reading_survives_the_trip_between_processes_whole() -> None:
    """Links travel as plain tuples (cheaper to pickle) and come back as Links."""
    reading = read_page(page_job(), [])
    assert reading.links
    back = pickle.loads(pickle.dumps(reading))
    assert back == reading and all(type(link) is Link for link in back.links)
    assert back.links[0].url == reading.links[0].url
