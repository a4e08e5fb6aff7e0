"""`govsite runs list` after a real kill (issue 14, items 1 and 6, in part).

A crawl of the demo estate is killed with SIGKILL (its whole process group:
analysis workers too) while it writes; the database stays whole, the run
shows as interrupted with what it had stored, and the next crawl takes the
dead run's lock over and finishes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import AS_OF, count, crawl_until_killed, run_cli, tight_config

from govsite.estate import write_registry_csv

pytestmark = pytest.mark.slow  # two crawls of the estate


def pages_stored(db: Path) -> int:
    return count(db, "select count(*) from pages")


def test_a_killed_run_is_interrupted_and_the_database_whole(estate_server, tmp_path: Path
                                                             ) -> None:
    db = tmp_path / "killed.db"
    registry = write_registry_csv(estate_server, tmp_path / "registry.csv")
    config = tight_config(tmp_path, concurrent_per_host=1)
    assert run_cli("--config", str(config), "sites", "import", str(registry), db=db).code == 0
    crawl_until_killed(db, config, ["--as-of", AS_OF, "--format", "json"],
                       lambda: pages_stored(db) >= 40, timeout_s=120)
    with sqlite3.connect(db) as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
    listed = run_cli("runs", "list", db=db)
    assert listed.code == 0, listed.stderr
    [row] = [line for line in listed.stdout.splitlines() if "crawl" in line]
    assert "interrupted" in row
    stored = pages_stored(db)
    assert stored >= 40 and str(stored) in row
    again = run_cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet", db=db,
                    timeout=300)
    assert again.code in (0, 1), again.stderr  # the dead run's lock was taken over
    states = [line for line in run_cli("runs", "list", db=db).stdout.splitlines()
              if "crawl" in line]
    assert len(states) == 2 and "done" in states[0] and "interrupted" in states[1]
