"""Keeps the benchmark script working: its --tiny mode, with no timing asserted.

Two small sites (~50 pages each) served by nginx; govsite and the lean Scrapy
spider crawl them (LinkChecker and wget too when installed). The test checks
that the report is produced and that every tool fetched a sane number of
pages. Skipped when nginx is not installed (CI installs Debian's nginx).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govsite.benchmarks.nginx import find_nginx

pytestmark = pytest.mark.skipif(find_nginx() is None, reason="nginx is not installed")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str],
                                                             dict, str]:
    tmp = tmp_path_factory.mktemp("bench")
    output, numbers = tmp / "results.md", tmp / "results.json"
    env = {k: v for k, v in os.environ.items() if k != "GOVSITE_DB"}
    done = subprocess.run(
        [sys.executable, "-m", "govsite.benchmarks.run", "--tiny", "--workdir", str(tmp / "work"),
         "--output", str(output), "--json", str(numbers)],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp)
    assert done.returncode == 0, done.stderr[-3000:]
    return done, json.loads(numbers.read_text(encoding="utf-8")), output.read_text("utf-8")


def test_the_report_has_the_results_table(tiny) -> None:
    done, _numbers, report = tiny
    assert "| scenario | tool | HTML pages | wall s | pages/s | CPU s / 1k pages |" in report
    assert "| tiny: 2 sites | govsite crawl |" in report
    assert "| tiny: 2 sites | lean Scrapy spider |" in report
    assert "## Machine" in report and "| CPU |" in report
    assert report in done.stdout  # printed as well as written


def test_govsite_and_the_lean_spider_fetch_every_generated_page(tiny) -> None:
    _done, numbers, _report = tiny
    generated = numbers["scenarios"][0]["generated_pages"]
    assert 80 <= generated <= 130
    runs = {run["tool"]: run for run in numbers["runs"]}
    for tool in ("govsite", "lean"):
        run = runs[tool]
        assert run["error"] is None, run
        assert run["pages"] == generated, run
        assert run["cpu_s"] > 0 and run["peak_rss_mb"] > 10 and run["wall_s"] > 0
    assert runs["govsite"]["extra"]["pages_stored"] >= generated
    assert runs["govsite"]["extra"]["run_status"] == "done"
    assert runs["lean"]["own_count"] == generated


def test_peers_run(tiny) -> None:
    """The peers the benchmark compares with are installed by the test set-up
    (wget by run.sh, LinkChecker by the test extra): a missing one fails here."""
    _done, numbers, _report = tiny
    generated = numbers["scenarios"][0]["generated_pages"]
    runs = {run["tool"]: run for run in numbers["runs"]}
    assert {"wget", "linkchecker"} <= set(runs), sorted(runs)
    assert runs["wget"]["pages"] >= generated * 0.9, runs["wget"]
    # LinkChecker stops at GBK pages served without a charset
    assert 0 < runs["linkchecker"]["pages"] <= generated, runs["linkchecker"]


def test_direct_invocation_shows_help() -> None:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--tiny" in done.stdout
