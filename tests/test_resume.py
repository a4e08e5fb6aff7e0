"""`govsite crawl --resume` (issue 14, item 1): a crawl killed with SIGKILL at two
points — before any site finished, then after some had — is continued twice and ends
with the findings, scores and verdicts of an uninterrupted crawl of the same sites;
no page it had stored before a kill is fetched again (the response journal)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import AS_OF, count, crawl_until_killed, run_cli, tight_config

from govsite.estate import write_registry_csv

pytestmark = pytest.mark.slow  # four crawls of part of the estate

SITES = ("青山县人民政府", "松岭县人民政府", "蓝山县人民政府", "云溪县人民政府")


def kill_then_check(db: Path, config: Path, args: list[str], ready) -> None:
    crawl_until_killed(db, config, [*args, "--no-evidence"], ready)
    with sqlite3.connect(db) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"


def stored_pages(db: Path, server) -> set[tuple[str, str]]:
    """(estate site, path?query) of every page row: what a resume must not fetch again."""
    names = {f"{ip}:{port}": name for name, (ip, port) in server.addresses.items()}
    with sqlite3.connect(db) as connection:
        urls = [url for (url,) in connection.execute("select url from pages where status > 0")]
    return {(names[parts.netloc], parts.path + (f"?{parts.query}" if parts.query else ""))
            for parts in map(urlsplit, urls) if parts.netloc in names}


def served_since(server, start: int) -> set[tuple[str, str]]:
    """Pages asked for since `start` (a HEAD is the https check's probe or a link check)."""
    return {(name, path) for name, method, path in server.requests[start:] if method == "GET"}


def reference_crawl(estate_server, tmp_path: Path, config: Path, sites: tuple[str, ...],
                    *, evidence: bool = False) -> tuple[Path, dict, list[str]]:
    """An uninterrupted crawl of the sites (the outcome to reach), and an empty
    database with the same registry for the crawl to kill; the --site arguments."""
    registry = write_registry_csv(estate_server, tmp_path / "registry.csv")
    picked = [arg for name in sites for arg in ("--site", name)]
    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    for db in (whole, killed):
        assert run_cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
    reference = run_cli("--config", str(config), "crawl", *picked, "--as-of", AS_OF, "--quiet",
                        *([] if evidence else ["--no-evidence"]), "--format", "json", db=whole,
                        timeout=300)
    assert reference.code in (0, 1), reference.stderr
    return killed, json.loads(reference.stdout), picked


def resume(db: Path, config: Path, command: str = "crawl", *, evidence: bool = False):
    result = run_cli("--config", str(config), command, "--resume", "--quiet",
                     *([] if evidence else ["--no-evidence"]), "--format", "json", db=db,
                     timeout=300)
    assert result.code in (0, 1), result.stderr
    return result


def outcome(report: dict) -> dict[str, tuple]:
    return {site["name"]: (site["verdict"], site["score"], sorted(
        (f["check"], f["severity"], f["url"], f["message"]) for f in site["findings"]))
        for site in report["sites"]}


def test_a_twice_killed_crawl_resumes_to_the_uninterrupted_result(estate_server,
                                                                  tmp_path: Path) -> None:
    config = tight_config(tmp_path, concurrent_per_host=1)
    killed, reference, picked = reference_crawl(estate_server, tmp_path, config, SITES)
    whole = tmp_path / "whole.db"
    args = [*picked, "--as-of", AS_OF]
    kill_then_check(killed, config, args, lambda: count(killed, "select count(*) from pages")
                       >= 30)
    assert count(killed, "select count(*) from site_results") < len(SITES)
    kept = stored_pages(killed, estate_server)
    assert len(kept) >= 30
    assert count(killed, "select count(*) from response_journal") >= len(kept)
    start = len(estate_server.requests)
    kill_then_check(killed, config, ["--resume"],
                       lambda: count(killed, "select count(*) from site_results") >= 1)
    again = kept & served_since(estate_server, start)
    assert not again, sorted(again)
    finished = count(killed, "select count(*) from site_results")
    assert 1 <= finished < len(SITES)
    # a finished site's journal went with its result
    assert count(killed, "select count(*) from response_journal j join site_results r on "
                         "r.site_id = j.site_id and r.run_id = j.run_id") == 0
    pages_kept = count(killed, "select count(*) from pages p join site_results r on "
                               "r.site_id = p.site_id and r.run_id = p.run_id")
    kept |= stored_pages(killed, estate_server)
    start = len(estate_server.requests)
    resumed = resume(killed, config)
    assert "resuming run 1" in resumed.stderr
    assert not kept & served_since(estate_server, start), "stored pages fetched again"
    assert count(killed, "select count(*) from response_journal") == 0  # the run is done
    assert outcome(json.loads(resumed.stdout)) == outcome(reference)
    assert count(killed, "select count(*) from runs") == 1
    assert count(killed, "select count(*) from runs where status = 'done'") == 1
    # the finished sites' pages were kept, not fetched again
    assert count(killed, "select count(*) from pages p join site_results r on "
                         "r.site_id = p.site_id and r.run_id = p.run_id") >= pages_kept
    assert count(killed, "select count(*) from pages") == count(whole, "select count(*) from pages")
    again = run_cli("--config", str(config), "crawl", "--resume", db=killed)
    assert again.code == 2 and "nothing to resume" in again.stderr


def test_resume_takes_the_runs_own_sites_and_date(tmp_path: Path) -> None:
    result = run_cli("crawl", "--resume", "--as-of", AS_OF, db=tmp_path / "x.db")
    assert result.code == 2 and "--resume" in result.stderr


RENDERED = ("蓝山县人民政府", "青山县人民政府")  # script-fed lists; every home page is rendered


def test_a_crawl_killed_while_rendering_and_while_taking_evidence_resumes(
        estate_server, tmp_path: Path) -> None:
    """The browser and the analysis workers die with the crawl: once while pages are
    being rendered, once in the evidence pass after every site had its result."""
    config = tight_config(tmp_path, render="auto", concurrent_per_host=1)
    killed, reference, picked = reference_crawl(estate_server, tmp_path, config, RENDERED,
                                                evidence=True)
    assert count(tmp_path / "whole.db", "select sum(pages_rendered) from site_crawls") >= 3

    crawl_until_killed(killed, config, [*picked, "--as-of", AS_OF], lambda: count(
        killed, "select count(*) from pages where rendered") >= 1)
    assert count(killed, "select count(*) from site_results") < len(RENDERED)
    kept = stored_pages(killed, estate_server)
    start = len(estate_server.requests)
    crawl_until_killed(killed, config, ["--resume"], lambda: count(
        killed, "select count(*) from site_results") == len(RENDERED))
    assert not kept & served_since(estate_server, start), "stored pages fetched again"
    with sqlite3.connect(killed) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert connection.execute("select status from runs").fetchone()[0] == "running"
    resumed = resume(killed, config, evidence=True)
    assert "0 site(s) to crawl again" in resumed.stderr  # only the evidence pass was left
    report = json.loads(resumed.stdout)
    assert outcome(report) == outcome(reference)
    shots = [f["evidence"].get("screenshot") for site in report["sites"]
             for f in site["findings"]]
    assert any(shots), "the resumed run took its findings' screenshots"
    assert count(killed, "select count(*) from runs where status = 'done'") == 1


def test_a_killed_check_resumes(estate_server, tmp_path: Path) -> None:
    config = tight_config(tmp_path, concurrent_per_host=1)
    url = f"http://{estate_server.host('songling')}/"
    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    reference = run_cli("--config", str(config), "check", url, "--as-of", AS_OF, "--quiet",
                        "--no-evidence", "--format", "json", db=whole, timeout=300)
    assert reference.code in (0, 1), reference.stderr
    crawl_until_killed(killed, config, [url, "--as-of", AS_OF, "--no-evidence"],
                       lambda: count(killed, "select count(*) from pages") >= 20, command="check")
    kept = stored_pages(killed, estate_server)
    start = len(estate_server.requests)
    resumed = resume(killed, config, "check")
    assert "1 site(s) to crawl again" in resumed.stderr
    assert not kept & served_since(estate_server, start), "stored pages fetched again"
    assert outcome(json.loads(resumed.stdout)) == outcome(json.loads(reference.stdout))
    assert count(killed, "select count(*) from runs where command = 'check' and "
                         "status = 'done'") == 1
    # nothing left: a crawl has nothing to resume either, and a URL is refused with --resume
    for args in (["check", "--resume"], ["crawl", "--resume"], ["check", url, "--resume"],
                 ["check"]):
        result = run_cli("--config", str(config), *args, db=killed)
        assert result.code == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_a_crawl_killed_six_times_resumes_each_time(estate_server, tmp_path: Path) -> None:
    """Killed again and again as it goes (every ~15 pages stored), resumed each time:
    the database stays whole, nothing stored is fetched again, and the sixth resume
    ends with the uninterrupted outcome."""
    config = tight_config(tmp_path, concurrent_per_host=1)
    killed, reference, picked = reference_crawl(estate_server, tmp_path, config, SITES[:3])
    total = count(tmp_path / "whole.db", "select count(*) from pages")
    kept: set[tuple[str, str]] = set()
    args = [*picked, "--as-of", AS_OF]
    for kill in range(6):
        start = len(estate_server.requests)
        # Pages the run holds: those of finished sites, and those journaled since.
        target = min(total - 5, 15 * (kill + 1))
        kill_then_check(killed, config, args, lambda target=target: count(
            killed, "select count(*) from pages") >= target)
        again = kept & served_since(estate_server, start)
        assert not again, (kill, sorted(again))
        kept |= stored_pages(killed, estate_server)
        args = ["--resume"]
    start = len(estate_server.requests)
    resumed = resume(killed, config)
    assert not kept & served_since(estate_server, start)
    assert outcome(json.loads(resumed.stdout)) == outcome(reference)
    assert count(killed, "select count(*) from runs") == 1


def test_a_killed_crawl_reads_its_unjudged_feeds_on_resume(estate_server, tmp_path: Path) -> None:
    """A full crawl reads the registered accounts' feeds too: killed before they were
    judged, the resume reads them and judges them as an uninterrupted crawl did."""
    from feed_samples import FRESH_RSS, STALE_ATOM
    from feed_server import FeedServer

    routes = {"/wechat/fresh": (200, "application/rss+xml; charset=utf-8", FRESH_RSS.encode()),
              "/weibo/stale": (200, "application/atom+xml", STALE_ATOM.encode())}
    config = tight_config(tmp_path, concurrent_per_host=1)
    lines = write_registry_csv(estate_server, tmp_path / "all.csv").read_text(
        encoding="utf-8").splitlines()
    registry = tmp_path / "two.csv"
    registry.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    with FeedServer(routes, host="127.0.0.32") as feeds:
        accounts = tmp_path / "accounts.csv"
        accounts.write_text("name,platform,account_id,organizer,region,feed_url\n"
                            f"青山发布,wechat,qs-wx,青山县,云南省,{feeds.base}/wechat/fresh\n"
                            f"白河微博,weibo,bh-wb,白河县,云南省,{feeds.base}/weibo/stale\n",
                            encoding="utf-8")
        for db in (whole, killed):
            for what, path in (("sites", registry), ("accounts", accounts)):
                assert run_cli("--config", str(config), what, "import", str(path),
                               db=db).code == 0
        reference = run_cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet",
                            "--no-evidence", "--format", "json", db=whole, timeout=300)
        assert reference.code in (0, 1), reference.stderr
        kill_then_check(killed, config, ["--as-of", AS_OF],
                        lambda: count(killed, "select count(*) from pages") >= 20)
        assert count(killed, "select count(*) from account_results") == 0
        resumed = resume(killed, config)
    judged = {a["name"]: (a["verdict"], sorted(f["check"] for f in a["findings"]))
              for a in json.loads(resumed.stdout)["accounts"]}
    expected = {a["name"]: (a["verdict"], sorted(f["check"] for f in a["findings"]))
                for a in json.loads(reference.stdout)["accounts"]}
    assert judged == expected and len(expected) == 2
    assert expected["白河微博"][0] == "fail"  # the stale feed: a veto either way
    assert outcome(json.loads(resumed.stdout)) == outcome(json.loads(reference.stdout))
