"""PostgreSQL everywhere (issue 15, item 3): a crawl into a real PostgreSQL server
(Debian's, started by the test on loopback) reports as one into SQLite, reports,
rescores and `runs list` read it, and a crawl killed there resumes from its journal.
The storage tests (migrations, run lock, tracking, registry import) run on both
backends through the `db_url` fixture (tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import AS_OF, count, crawl_until_killed, run_cli, tight_config

from govsite.estate import write_registry_csv

pytestmark = pytest.mark.slow

SITES = ("青山县人民政府", "松岭县人民政府")


def outcome(report: dict) -> dict[str, tuple]:
    return {site["name"]: (site["verdict"], site["score"], sorted(
        (f["check"], f["severity"], f["url"], f["message"]) for f in site["findings"]))
        for site in report["sites"]}


def crawl(db: Path | str, config: Path, registry: Path) -> dict:
    assert run_cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
    picked = [arg for name in SITES for arg in ("--site", name)]
    result = run_cli("--config", str(config), "crawl", *picked, "--as-of", AS_OF, "--quiet",
                     "--no-evidence", "--format", "json", db=db, timeout=300)
    assert result.code in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_a_crawl_into_postgresql_reports_as_one_into_sqlite(estate_server, postgres,
                                                            tmp_path: Path) -> None:
    registry = write_registry_csv(estate_server, tmp_path / "registry.csv")
    config = tight_config(tmp_path)
    url = postgres.database()
    into_pg = crawl(url, config, registry)
    into_sqlite = crawl(tmp_path / "s.db", config, registry)
    assert outcome(into_pg) == outcome(into_sqlite)
    assert count(url, "select count(*) from pages") == \
        count(tmp_path / "s.db", "select count(*) from pages")
    assert count(url, "select count(*) from response_journal") == 0  # a done run keeps none
    again = run_cli("report", "--run", "1", "--format", "json", db=url)
    assert again.code in (0, 1) and outcome(json.loads(again.stdout)) == outcome(into_pg)
    listed = run_cli("runs", "list", db=url)
    assert listed.code == 0 and "done" in listed.stdout
    rescored = run_cli("--config", str(config), "rescore", "--run", "1", "--format", "json",
                       db=url)
    assert rescored.code in (0, 1), rescored.stderr
    assert outcome(json.loads(rescored.stdout)) == outcome(into_pg)


def test_a_crawl_killed_on_postgresql_resumes(estate_server, postgres, tmp_path: Path) -> None:
    registry = write_registry_csv(estate_server, tmp_path / "registry.csv")
    config = tight_config(tmp_path, concurrent_per_host=1)
    url = postgres.database()
    reference = crawl(tmp_path / "whole.db", config, registry)
    assert run_cli("--config", str(config), "sites", "import", str(registry), db=url).code == 0
    picked = [arg for name in SITES for arg in ("--site", name)]
    crawl_until_killed(url, config, [*picked, "--as-of", AS_OF, "--no-evidence"],
                       lambda: count(url, "select count(*) from pages") >= 30)
    assert count(url, "select count(*) from response_journal") >= 30
    resumed = run_cli("--config", str(config), "crawl", "--resume", "--quiet", "--no-evidence",
                      "--format", "json", db=url, timeout=300)
    assert resumed.code in (0, 1), resumed.stderr
    assert outcome(json.loads(resumed.stdout)) == outcome(reference)
    assert count(url, "select count(*) from runs where status = 'done'") == 1
