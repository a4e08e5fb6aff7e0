"""The crawlers under test and how each is run, counted and read back.

- govsite: `govsite crawl --quiet` after a registry import into a temp DB,
  with a benchmark config (delay 0, AutoThrottle and robots.txt off, caps
  high, every check on, rendering as the scenario says);
- lean: benchmarks/lean_spider.py with the same concurrency settings;
- LinkChecker: recursive, its per-host rate raised (the nginx config sends
  the opt-in `LinkChecker` header), extern URLs not checked;
- wget: `wget -r -l inf --spider` (or `--delete-after` when spider mode does
  not recurse on the installed wget).

Pages are counted the same way for every tool: HTML pages nginx answered with
200 to a GET during the tool's run (the access log); each tool's own count is
kept beside it.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from govsite.benchmarks.measure import Measurement, run_measured
from govsite.benchmarks.nginx import AccessLog, Nginx, Served
from govsite.benchmarks.sitegen import AS_OF, OUTSIDE_PREFIX, SiteFiles

TOOLS = ("govsite", "lean", "linkchecker", "wget")


@dataclass
class Scenario:
    key: str  # 5k | 20k | estate | tiny | render
    label: str
    sites: list[SiteFiles]

    @property
    def generated_pages(self) -> int:
        return sum(s.html_pages for s in self.sites)

    @property
    def urls(self) -> list[str]:
        return [s.url for s in self.sites]


@dataclass
class ToolRun:
    tool: str
    scenario: str
    measurement: Measurement | None = None
    served: Served = field(default_factory=Served)
    own_count: int | None = None
    own_label: str = ""
    error: str | None = None
    skipped: str | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.measurement is not None and self.error is None and self.skipped is None

    @property
    def pages(self) -> int:
        return self.served.html_pages

    @property
    def pages_per_s(self) -> float | None:
        if not self.ok or not self.measurement or self.measurement.wall_s <= 0:
            return None
        return self.pages / self.measurement.wall_s

    @property
    def cpu_per_1k(self) -> float | None:
        if not self.ok or not self.measurement or not self.pages:
            return None
        return self.measurement.cpu_s / self.pages * 1000

    @property
    def rss_mb(self) -> float | None:
        return self.measurement.peak_rss_mb if self.ok and self.measurement else None


@dataclass
class Context:
    workdir: Path
    nginx: Nginx
    python: str = sys.executable
    concurrent_requests: int = 32
    concurrent_per_host: int = 8
    tool_timeout_s: float = 1200
    linkchecker_cap_s: float = 0
    env: dict[str, str] = field(default_factory=dict)
    # govsite's evidence pass (a browser screenshots each finding's page after the
    # crawl) is part of a crawl's wall time unless this is off.
    evidence: bool = True
    # The response journal a resume reads (crawler/journal.py): on, as shipped.
    journal: bool = True

    def is_outside(self, address: str) -> bool:
        return address.startswith(OUTSIDE_PREFIX)


def govsite_command(python: str) -> list[str]:
    script = Path(python).with_name("govsite")
    return [str(script)] if script.exists() else [python, "-m", "govsite.cli"]


def write_config(path: Path, ctx: Context, render_policy: str) -> Path:
    """The bundled config.yaml, made fast and unbounded for loopback, every check on."""
    from govsite.checks.registry import available_checks
    from govsite.config import DEFAULT_CONFIG_PATH

    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")) or {}
    crawl = data.setdefault("crawl", {})
    crawl.update({
        "download_delay_s": 0, "autothrottle": False, "robots_obey": False,
        "max_pages_per_site": 1_000_000, "max_depth": 100,
        "max_query_variants_per_path": 1_000_000,
        "concurrent_requests": ctx.concurrent_requests,
        "concurrent_per_host": ctx.concurrent_per_host,
        "journal_responses": ctx.journal,
    })
    data.setdefault("render", {})["policy"] = render_policy
    checks = data.get("checks") or {}
    for check_id in available_checks():
        block = checks.get(check_id) or {}
        block["enabled"] = True
        checks[check_id] = block
    data["checks"] = checks
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_registry(path: Path, sites: list[SiteFiles]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "url", "site_code", "organizer", "region", "kind"])
        for s in sites:
            writer.writerow([s.title, s.url, s.site_code, s.organizer, s.region, s.kind])
    return path


def _measure(ctx: Context, command: list[str], label: str, run: ToolRun,
             timeout_s: float | None = None, cwd: Path | None = None) -> None:
    log = AccessLog(ctx.nginx.access_log)
    log.mark()
    env = {**os.environ, **ctx.env}
    run.measurement = run_measured(command, out_dir=ctx.workdir / "logs", label=label, env=env,
                                   cwd=cwd, timeout_s=timeout_s or ctx.tool_timeout_s,
                                   server_pids=ctx.nginx.pids())
    run.served = log.since_mark(ctx.is_outside)
    if run.measurement.timed_out:
        run.note = (f"stopped after {run.measurement.wall_s:.0f} s (time cap); "
                    + run.note).strip("; ")


# --------------------------------------------------------------------------- govsite
def run_govsite(ctx: Context, scenario: Scenario, *, render_policy: str = "never",
                label: str | None = None, wrap: list[str] | None = None) -> ToolRun:
    """Import the scenario's sites into a fresh DB, then time `govsite crawl --quiet`."""
    label = label or f"govsite-{scenario.key}"
    run = ToolRun("govsite", scenario.key)
    base = ctx.workdir / label
    base.mkdir(parents=True, exist_ok=True)
    config = write_config(base / "config.yaml", ctx, render_policy)
    db = base / "govsite.db"
    db.unlink(missing_ok=True)
    registry = write_registry(base / "registry.csv", scenario.sites)
    cli = govsite_command(ctx.python)
    common = [*cli, "--config", str(config), "--db", f"sqlite:///{db}"]
    env = {**os.environ, **ctx.env}
    imported = subprocess.run([*common, "sites", "import", str(registry)], capture_output=True,
                              text=True, env=env, check=False)
    if imported.returncode != 0:
        run.error = f"registry import failed: {(imported.stderr or imported.stdout).strip()[-300:]}"
        return run
    command = [*common, "crawl", "--quiet", "--as-of", AS_OF.isoformat(), "--format", "json",
               "--output", str(base / "report.json"), *([] if ctx.evidence else ["--no-evidence"])]
    _measure(ctx, [*(wrap or []), *command], label, run)
    assert run.measurement is not None
    if run.measurement.returncode not in (0, 1):  # 1: some site unqualified, as expected
        run.error = f"exit code {run.measurement.returncode}: {tail(run.measurement.stderr_path)}"
    run.extra.update(read_govsite_db(db))
    run.own_count = run.extra.get("pages_stored")
    run.own_label = "pages stored"
    return run


def read_govsite_db(db: Path) -> dict[str, Any]:
    """Run window, pages, rendered pages, and the time each site's evaluation took.

    A site is evaluated once its last page is processed (scoring.judge.judge_and_record:
    flush, load evidence, evaluate, score, write the result), so its evaluation
    time is site_crawls.finished_at minus the fetched_at of its last page.
    """
    if not db.exists():
        return {}
    found: dict[str, Any] = {}
    try:
        with sqlite3.connect(db) as con:
            row = con.execute("select started_at, finished_at, status, stats from runs "
                              "order by id desc limit 1").fetchone()
            if row is None:
                return {}
            started, finished, status, stats = row
            found["run_status"] = status
            found["run_stats"] = json.loads(stats) if stats else {}
            if started and finished:
                found["crawl_window_s"] = (_dt(finished) - _dt(started)).total_seconds()
            pages, rendered = con.execute("select count(*), coalesce(sum(rendered), 0) from pages"
                                          ).fetchone()
            found["pages_stored"] = pages
            found["pages_rendered"] = rendered
            found["pages_ok"] = con.execute("select count(*) from pages where status = 200"
                                            ).fetchone()[0]
            found["facts"] = con.execute("select count(*) from facts").fetchone()[0]
            found["findings"] = con.execute("select count(*) from findings").fetchone()[0]
            evals = con.execute(
                "select sc.site_id, sc.finished_at, max(p.fetched_at) from site_crawls sc "
                "join pages p on p.site_id = sc.site_id and p.run_id = sc.run_id "
                "group by sc.site_id").fetchall()
            seconds = [(_dt(done) - _dt(last)).total_seconds()
                       for _site, done, last in evals if done and last]
            found["eval_s"] = sum(max(0.0, s) for s in seconds)
            found["eval_max_site_s"] = max(seconds, default=0.0)
            verdicts = con.execute("select verdict, count(*) from site_results group by verdict"
                                   ).fetchall()
            found["verdicts"] = dict(verdicts)
    except sqlite3.Error as exc:
        found["db_error"] = str(exc)
    if found.get("crawl_window_s"):
        found["eval_share"] = found.get("eval_s", 0.0) / found["crawl_window_s"]
    return found


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


# --------------------------------------------------------------------------- lean
def run_lean(ctx: Context, scenario: Scenario) -> ToolRun:
    label = f"lean-{scenario.key}"
    run = ToolRun("lean", scenario.key)
    base = ctx.workdir / label
    base.mkdir(parents=True, exist_ok=True)
    config = write_config(base / "config.yaml", ctx, "never")
    urls = base / "urls.txt"
    urls.write_text("\n".join(scenario.urls) + "\n", encoding="utf-8")
    stats = base / "stats.json"
    _measure(ctx, [ctx.python, "-m", "govsite.benchmarks.lean_spider", "--config", str(config),
                   "--out", str(stats), "--urls-file", str(urls)], label, run)
    assert run.measurement is not None
    if run.measurement.returncode != 0:
        run.error = f"exit code {run.measurement.returncode}: {tail(run.measurement.stderr_path)}"
    if stats.exists():
        counts = json.loads(stats.read_text())
        run.own_count, run.own_label = counts.get("html"), "HTML responses"
        run.extra.update(counts)
    return run


# --------------------------------------------------------------------------- LinkChecker
LINKCHECKER_RC = """[checking]
threads={threads}
# nginx sends the LinkChecker header, so rates above 10/s per host are allowed
maxrequestspersecond=100000
robotstxt=0
timeout=20

[filtering]
checkextern=0

[output]
status=0
warnings=0
"""


def find_linkchecker(python: str) -> str | None:
    beside = Path(python).with_name("linkchecker")
    return str(beside) if beside.exists() else shutil.which("linkchecker")


def linkchecker_version(binary: str) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"LinkChecker\s+(\S+)", done.stdout + done.stderr)
    return match.group(1) if match else "?"


def run_linkchecker(ctx: Context, scenario: Scenario, threads: int = 10) -> ToolRun:
    label = f"linkchecker-{scenario.key}"
    run = ToolRun("linkchecker", scenario.key)
    binary = find_linkchecker(ctx.python)
    if binary is None:
        run.skipped = "LinkChecker not installed (pip install 'govsite[bench]')"
        return run
    # Run as root, LinkChecker drops to nobody before it reads its config: keep that in a
    # world-readable dir of its own under /tmp, as the work dir's parents may be private.
    rc_dir = Path(tempfile.mkdtemp(prefix="govsite-bench-lc-",
                                   dir="/tmp" if os.path.isdir("/tmp") else None))
    os.chmod(rc_dir, 0o755)
    rc = rc_dir / "linkcheckerrc"
    cap = ctx.linkchecker_cap_s
    rc.write_text(LINKCHECKER_RC.format(threads=threads), encoding="utf-8")
    os.chmod(rc, 0o644)
    command = [binary, "-f", str(rc), "-r", "-1", "--no-status", "--no-warnings", "-o", "text",
               *scenario.urls]
    # The cap is the benchmark's own: LinkChecker 10.6's `maxrunseconds` raises
    # KeyboardInterrupt in a side thread, which never stops the run.
    try:
        _measure(ctx, command, label, run, timeout_s=cap or None)
    finally:
        shutil.rmtree(rc_dir, ignore_errors=True)
    assert run.measurement is not None
    out = run.measurement.stdout_path.read_text(errors="replace") if \
        run.measurement.stdout_path else ""
    match = re.search(r"That's it\.\s+([\d,]+) links? in ([\d,]+) URLs? checked", out)
    if match:
        run.own_count = int(match.group(2).replace(",", ""))
        run.own_label = "URLs checked"
    elif run.measurement.returncode not in (0, 1) and not run.measurement.timed_out:
        run.error = f"exit code {run.measurement.returncode}: {tail(run.measurement.stderr_path)}"
    if run.measurement.timed_out:
        run.note = f"stopped after {cap:.0f} s (time cap); rate measured on what it checked"
        run.extra["capped"] = True
    elif run.pages < scenario.generated_pages * 0.98 and any(s.charset == "gbk"
                                                              for s in scenario.sites):
        run.note = ("stops at the home page of GBK sites served without a charset header "
                    "(decodes them as UTF-8)")
    return run


# --------------------------------------------------------------------------- wget
def wget_version(binary: str) -> str:
    done = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"GNU Wget (\S+)", done.stdout)
    return match.group(1) if match else "?"


def run_wget(ctx: Context, scenario: Scenario, mode: str = "spider") -> ToolRun:
    label = f"wget-{scenario.key}"
    run = ToolRun("wget", scenario.key)
    binary = shutil.which("wget")
    if binary is None:
        run.skipped = "wget not installed"
        return run
    base = ctx.workdir / label
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    flag = "--spider" if mode == "spider" else "--delete-after"
    command = [binary, "-r", "-l", "inf", flag, "-nv", "-e", "robots=off", "--tries=3",
               "--timeout=20", "-P", str(base), *scenario.urls]
    _measure(ctx, command, label, run)
    assert run.measurement is not None
    err = run.measurement.stderr_path.read_text(errors="replace") \
        if run.measurement.stderr_path else ""
    match = re.search(r"Downloaded: ([\d,]+) files", err)
    if match:
        run.own_count, run.own_label = int(match.group(1).replace(",", "")), "files downloaded"
    run.note = f"wget -r {flag}"
    if run.measurement.returncode not in (0, 8):  # 8: some 404 (the search form, attachments)
        run.error = f"exit code {run.measurement.returncode}: {err.strip()[-300:]}"
    shutil.rmtree(base, ignore_errors=True)
    return run


def tail(path: Path | None, chars: int = 400) -> str:
    if path is None or not path.exists():
        return ""
    return path.read_text(errors="replace").strip()[-chars:]
