"""Scale-out (issue 15): crawl workers sharing a run's sites through a real Redis,
writing into one real PostgreSQL (Debian's servers, started on loopback by the
tests), judge the estate as one process does; a worker SIGKILLed mid-run
loses nothing: another takes over its sites and resumes them from the journal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import AS_OF, count, run_cli, tight_config
from synthetic import invoke

from govsite.crawler.sitequeue import SiteQueue
from govsite.estate import write_registry_csv

pytestmark = pytest.mark.slow


def outcome(report: dict) -> dict[str, tuple]:
    return {site["name"]: (site["verdict"], site["score"], sorted(
        (f["check"], f["severity"], f["url"], f["message"]) for f in site["findings"]))
        for site in report["sites"]}


def differences(report: dict, reference: dict) -> list[tuple]:
    """Per site whose outcome differs: its verdicts, scores and the findings only one has."""
    got, want = outcome(report), outcome(reference)
    return [(name, got.get(name, ())[:2], want.get(name, ())[:2],
             sorted(set(got.get(name, ((), (), []))[2]) ^ set(want.get(name, ((), (), []))[2])))
            for name in sorted(set(got) | set(want)) if got.get(name) != want.get(name)]


def distributed_config(tmp_path: Path) -> Path:
    """Two sites per worker at once, so both workers take some; a short lease so
    a killed worker's sites come back within seconds."""
    path = tight_config(tmp_path, concurrent_per_host=1)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["distributed"] = {"active_sites": 2, "lease_s": 5}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class Estate:
    registry: Path
    config: Path
    reference: dict  # the report of one process crawling it into SQLite
    requests: Counter  # what that crawl asked the estate's servers


@pytest.fixture(scope="module")
def estate(estate_server, tmp_path_factory) -> Estate:
    """The test estate, its registry and config, and one process's crawl of it."""
    folder = tmp_path_factory.mktemp("distributed")
    registry = write_registry_csv(estate_server, folder / "registry.csv")
    config = distributed_config(folder)
    db = folder / "single.db"
    assert run_cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
    before = len(estate_server.requests)
    result = run_cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet",
                     "--no-evidence", "--format", "json", db=db)
    assert result.code in (0, 1), result.stderr
    return Estate(registry, config, json.loads(result.stdout),
                  Counter(estate_server.requests[before:]))


def seed(db: str, config: Path, registry: Path, redis_url: str) -> int:
    assert run_cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
    seeded = run_cli("--config", str(config), "crawl", "--redis", redis_url, "--seed",
                     "--as-of", AS_OF, "--quiet", db=db)
    assert seeded.code == 0, seeded.stderr
    return int(seeded.stdout.strip())


def start_worker(db: str, config: Path, redis_url: str) -> subprocess.Popen[str]:
    """`govsite worker` in its own process group (its analysis workers die with it)."""
    env = {k: v for k, v in os.environ.items() if k != "GOVSITE_DB"}
    env.update({"GOVSITE_LANG": "en", "NO_COLOR": "1"})
    return subprocess.Popen(
        [sys.executable, "-m", "govsite.cli", "--db", db, "--config", str(config), "worker",
         "--redis", redis_url, "--quiet", "--no-evidence", "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)


def finished_report(workers: list[subprocess.Popen[str]]) -> dict:
    """The report of the one worker that finished the run; every other said so."""
    outputs = [worker.communicate(timeout=300) for worker in workers]
    reports = []
    for worker, (stdout, stderr) in zip(workers, outputs, strict=True):
        if worker.returncode == -signal.SIGKILL:
            continue
        assert worker.returncode in (0, 1), stderr
        if stdout.strip():
            reports.append(json.loads(stdout))
        else:
            assert worker.returncode == 0 and "another worker finishes the run" in stderr
    assert len(reports) == 1
    return reports[0]


def test_the_site_queue_leases_each_site_to_one_worker_and_takes_back_lapsed_leases(
        redis) -> None:
    url = redis.url()
    first = SiteQueue(url, run_id=7, lease_s=5)
    second = SiteQueue(url, run_id=7, lease_s=5)
    first.seed([1, 2, 3])
    assert first.take(2) == [1, 2] and second.take(5) == [3] and second.take(1) == []
    assert first.holder(1) == first.worker and second.holder(3) == second.worker
    assert second.renew([3, 1]) == [1]  # site 1 is the first worker's
    assert first.finish(1) and not second.finish(1)  # judged once
    assert second.reclaim() == []  # every lease is alive
    first.server.delete(first.key("lease:2"))  # the first worker died: its lease lapsed
    assert second.reclaim() == [2] and first.renew([2]) == [2]
    assert second.take(3) == [2] and second.holder(2) == second.worker
    assert not first.complete()
    assert second.finish(2) and second.finish(3) and first.complete()
    assert first.claim_finish() and not second.claim_finish()
    assert first.workers() == {first.worker: {"sites": 1, "journal_replayed": 0},
                               second.worker: {"sites": 2, "journal_replayed": 0}}


def test_two_workers_on_postgresql_judge_the_estate_as_one_process_does(
        estate_server, estate: Estate, postgres, redis) -> None:
    reference, single_requests, config = estate.reference, estate.requests, estate.config
    db, redis_url = postgres.database(), redis.url()
    run_id = seed(db, config, estate.registry, redis_url)
    before = len(estate_server.requests)
    report = finished_report([start_worker(db, config, redis_url) for _ in range(2)])
    distributed_requests = Counter(estate_server.requests[before:])
    assert report["run"]["id"] == run_id and report["run"]["status"] == "done"
    assert differences(report, reference) == []
    # Every site judged once, each worker judged some.
    workers = report["run"]["stats"]["workers"]
    assert len(workers) == 2 and all(w["sites"] >= 1 for w in workers.values())
    assert sum(w["sites"] for w in workers.values()) == len(reference["sites"])
    assert count(db, "select count(*) from site_results") == len(reference["sites"])
    # No page fetched twice: the workers asked the estate what one process asks.
    # (A site that met a bound admits the first URLs it finds; which those are
    # follows the order pages are read in, in either crawl.)
    assert all(times <= max(1, single_requests[request])
               for request, times in distributed_requests.items())
    bounded = {name for name, hit in report["run"]["stats"]["limits_hit"].items() if hit}
    unbounded = {site.name for site in estate_server.sites if site.title not in bounded}
    assert len(unbounded) >= 8
    assert {r: n for r, n in distributed_requests.items() if r[0] in unbounded} == \
        {r: n for r, n in single_requests.items() if r[0] in unbounded}
    assert distributed_requests.total() == single_requests.total()
    # A worker started after the run is done (a late timer) leaves it as it is.
    late = run_cli("--config", str(config), "worker", "--redis", redis_url, db=db)
    assert late.code == 0 and f"run {run_id} is done" in late.stderr
    assert count(db, "select count(*) from runs where status = 'done'") == 1


def test_a_worker_killed_mid_run_leaves_its_sites_to_the_other(
        estate: Estate, postgres, redis) -> None:
    reference, config = estate.reference, estate.config
    db, redis_url = postgres.database(), redis.url()
    run_id = seed(db, config, estate.registry, redis_url)
    victim = start_worker(db, config, redis_url)
    survivor = start_worker(db, config, redis_url)
    queue = SiteQueue(redis_url, run_id)
    held_by_victim: list[int] = []

    def victim_is_mid_site() -> bool:
        """The victim holds sites and has journalled some of their answers."""
        held_by_victim[:] = [int(site) for site, worker in
                             queue.server.hgetall(queue.key("held")).items()
                             if f":{victim.pid}:" in worker.decode()]
        return bool(held_by_victim) and count(
            db, "select count(*) from response_journal where site_id in ("
            + ",".join(map(str, held_by_victim)) + ")") >= 5

    deadline = time.monotonic() + 120
    while not victim_is_mid_site() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert victim.poll() is None and held_by_victim, "the victim ended before it was killed"
    os.killpg(victim.pid, signal.SIGKILL)
    report = finished_report([victim, survivor])
    assert differences(report, reference) == []
    assert report["run"]["status"] == "done"
    workers = report["run"]["stats"]["workers"]
    survivor_stats = next(stats for name, stats in workers.items()
                          if f":{survivor.pid}:" in name)
    # The survivor judged the victim's sites, reading what the victim had fetched.
    assert survivor_stats["journal_replayed"] > 0
    assert sum(w["sites"] for w in workers.values()) == len(reference["sites"])
    assert count(db, "select count(*) from site_results") == len(reference["sites"])
    assert count(db, "select count(*) from response_journal") == 0


@pytest.mark.parametrize(("args", "said"), [
    (["crawl", "--seed"], "give --redis"),
    (["crawl", "--redis", "redis://127.0.0.1:9/0", "--resume"], "resumes by itself"),
    (["worker", "--redis", "redis://127.0.0.1:9/0"], "Redis at redis://127.0.0.1:9/0 failed"),
])
def test_a_distributed_command_given_wrongly_or_without_redis_says_so(
        tmp_path: Path, args: list[str], said: str) -> None:
    result = invoke(*args, db=tmp_path / "store.db")
    assert result.code == 2
    assert said in result.stderr and "Traceback" not in result.stderr


def test_a_worker_of_a_run_never_offered_says_so(redis, tmp_path: Path) -> None:
    url = redis.url()
    assert "no run was offered" in invoke("worker", "--redis", url,
                                          db=tmp_path / "store.db").stderr
    SiteQueue(url, run_id=1).seed([1])  # offered in Redis, absent from this database
    missing = invoke("worker", "--redis", url, db=tmp_path / "store.db")
    assert missing.code == 2 and "run 1 is not in this database" in missing.stderr


def accounts_outcome(report: dict) -> dict[str, tuple]:
    return {a["name"]: (a["verdict"], sorted((f["check"], f["severity"]) for f in a["findings"]))
            for a in report["accounts"]}


def test_a_distributed_run_reads_the_new_media_feeds_once_and_judges_them_as_one_process(
        tmp_path: Path, postgres, redis) -> None:
    """The feeds are one more item of the run: one worker reads them beside its sites,
    the run completes once their accounts are judged, the others wait for that."""
    from feed_samples import AS_OF as FEEDS_AS_OF
    from feed_samples import FRESH_RSS, STALE_ATOM
    from feed_server import FeedServer

    config = distributed_config(tmp_path)
    routes = {"/wechat/qingshan": (200, "application/rss+xml; charset=utf-8", FRESH_RSS.encode()),
              "/weibo/baihe": (200, "application/atom+xml", STALE_ATOM.encode())}
    with FeedServer(routes) as server:
        accounts = tmp_path / "accounts.csv"
        accounts.write_text(
            "name,platform,account_id,organizer,region,feed_url\n"
            f"青山发布,wechat,qs-wx,青山县,云南省,{server.base}/wechat/qingshan\n"
            f"白河微博,weibo,bh-wb,白河县,云南省,{server.base}/weibo/baihe\n"
            f"已删除,weibo,gone-wb,某县,云南省,{server.base}/weibo/gone\n", encoding="utf-8")
        single_db = tmp_path / "single.db"
        assert run_cli("--config", str(config), "accounts", "import", str(accounts),
                       db=single_db).code == 0
        single = run_cli("--config", str(config), "crawl", "--as-of", FEEDS_AS_OF, "--quiet",
                         "--no-evidence", "--format", "json", db=single_db)
        assert single.code in (0, 1), single.stderr
        reference = json.loads(single.stdout)
        db, redis_url = postgres.database(), redis.url()
        assert run_cli("--config", str(config), "accounts", "import", str(accounts),
                       db=db).code == 0
        seeded = run_cli("--config", str(config), "crawl", "--redis", redis_url, "--seed",
                         "--as-of", FEEDS_AS_OF, "--quiet", db=db)
        assert seeded.code == 0, seeded.stderr
        asked = len(server.requests)
        report = finished_report([start_worker(db, str(config), redis_url) for _ in range(2)])
        feed_requests = Counter(server.requests[asked:])
    assert accounts_outcome(report) == accounts_outcome(reference)
    verdicts = {a["name"]: a["verdict"] for a in report["accounts"]}
    assert verdicts["白河微博"] == "fail" and verdicts["已删除"] == "error"  # stale; a 404
    feeds_asked = Counter({path: n for (path, _), n in feed_requests.items()
                           if path != "/robots.txt"})
    assert feeds_asked == Counter({"/wechat/qingshan": 1, "/weibo/baihe": 1, "/weibo/gone": 1})
    stats = report["run"]["stats"]
    assert sum(stats["accounts"].values()) == 3 and len(stats["feed_accounts"]) == 3
    assert count(db, "select count(*) from account_results") == 3
