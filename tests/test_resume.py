"""`govsite crawl --resume` (issue 14, item 1 in part): a crawl killed with SIGKILL at two
points — before any site finished, then after some had — is continued twice and ends
with the findings, scores and verdicts of an uninterrupted crawl of the same sites."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import AS_OF, count, crawl_until_killed, run_cli, tight_config

from govsite.estate import write_registry_csv

pytestmark = pytest.mark.slow  # four crawls of part of the estate

SITES = ("青山县人民政府", "松岭县人民政府", "蓝山县人民政府", "云溪县人民政府")


def kill_then_check(db: Path, config: Path, args: list[str], ready) -> None:
    crawl_until_killed(db, config, [*args, "--no-evidence"], ready)
    with sqlite3.connect(db) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"


def outcome(report: dict) -> dict[str, tuple]:
    return {site["name"]: (site["verdict"], site["score"], sorted(
        (f["check"], f["severity"], f["url"], f["message"]) for f in site["findings"]))
        for site in report["sites"]}


def test_a_twice_killed_crawl_resumes_to_the_uninterrupted_result(estate_server,
                                                                  tmp_path: Path) -> None:
    registry = write_registry_csv(estate_server, tmp_path / "registry.csv")
    config = tight_config(tmp_path, concurrent_per_host=1)
    picked = [arg for name in SITES for arg in ("--site", name)]
    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    for db in (whole, killed):
        assert run_cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
    reference = run_cli("--config", str(config), "crawl", *picked, "--as-of", AS_OF, "--quiet",
                        "--no-evidence", "--format", "json", db=whole, timeout=300)
    assert reference.code in (0, 1), reference.stderr

    args = [*picked, "--as-of", AS_OF]
    kill_then_check(killed, config, args, lambda: count(killed, "select count(*) from pages")
                       >= 30)
    assert count(killed, "select count(*) from site_results") < len(SITES)
    kill_then_check(killed, config, ["--resume"],
                       lambda: count(killed, "select count(*) from site_results") >= 1)
    finished = count(killed, "select count(*) from site_results")
    assert 1 <= finished < len(SITES)
    pages_kept = count(killed, "select count(*) from pages p join site_results r on "
                               "r.site_id = p.site_id and r.run_id = p.run_id")
    resumed = run_cli("--config", str(config), "crawl", "--resume", "--quiet", "--no-evidence",
                      "--format", "json", db=killed, timeout=300)
    assert resumed.code in (0, 1), resumed.stderr
    assert "resuming run 1" in resumed.stderr
    assert outcome(json.loads(resumed.stdout)) == outcome(json.loads(reference.stdout))
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
