"""The benchmark's Markdown: results tables, target ratios, growth, profile, machine."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from govsite.benchmarks.profiling import GROUPS, PLUMBING, Profile, per_check, top
from govsite.benchmarks.tools import Scenario, ToolRun

TOOL_NAMES = {"govsite": "govsite crawl", "lean": "lean Scrapy spider",
              "linkchecker": "LinkChecker", "wget": "wget -r"}


@dataclass
class Results:
    command: str
    machine: dict[str, str]
    scenarios: list[Scenario]
    runs: list[ToolRun]
    profile: Profile | None = None  # the crawl process's main thread
    worker_profile: Profile | None = None  # the analysis workers' main threads, summed
    profile_scenario: str = ""
    profile_note: str = ""
    render_runs: list[ToolRun] = field(default_factory=list)
    render_scenario: Scenario | None = None
    render_note: str = ""
    elapsed_s: float = 0.0
    settings: dict[str, Any] = field(default_factory=dict)

    def run(self, tool: str, scenario: str) -> ToolRun | None:
        return next((r for r in self.runs if r.tool == tool and r.scenario == scenario), None)


# --------------------------------------------------------------------------- machine
def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _git_rev(repo: Path) -> str:
    try:
        rev = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               check=False).stdout.strip()
        return f"{rev}{' + uncommitted changes' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine_info(extra: dict[str, str]) -> dict[str, str]:
    import govsite

    repo = Path(govsite.__file__).resolve().parent
    try:
        os_name = next(line.split("=", 1)[1].strip('"') for line in
                       Path("/etc/os-release").read_text().splitlines()
                       if line.startswith("PRETTY_NAME="))
    except (OSError, StopIteration):
        os_name = platform.platform()
    memory = psutil.virtual_memory().total / 2**30
    return {
        "CPU": _cpu_model(),
        "cores": f"{os.cpu_count()} logical ({psutil.cpu_count(logical=False)} physical)",
        "RAM": f"{memory:.1f} GiB",
        "OS": f"{os_name}, Linux {platform.release()}",
        "Python": platform.python_version(),
        "govsite": f"{_version('govsite')} ({repo}, git {_git_rev(repo)})",
        "Scrapy": _version("scrapy"), "Twisted": _version("twisted"), "lxml": _version("lxml"),
        "SQLAlchemy": _version("sqlalchemy"), "LinkChecker": _version("linkchecker"),
        "py-spy": _version("py-spy"), "psutil": _version("psutil"),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        **extra,
    }


# --------------------------------------------------------------------------- formatting
def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✅ met" if ok else "❌ missed")


def results_table(results: Results, runs: list[ToolRun], scenarios: list[Scenario]) -> list[str]:
    lines = ["| scenario | tool | HTML pages | wall s | pages/s | CPU s / 1k pages | "
             "peak RSS MB | tool's own count | notes |",
             "|---|---|--:|--:|--:|--:|--:|--:|---|"]
    for scenario in scenarios:
        for run in [r for r in runs if r.scenario == scenario.key]:
            m = run.measurement
            name = TOOL_NAMES.get(run.tool, run.tool) + run.extra.get("variant", "")
            if run.skipped or (run.error and m is None):
                lines.append(f"| {scenario.label} | {name} | — | — | — | — | — | — | "
                             f"{run.skipped or run.error} |")
                continue
            notes = [run.note] if run.note else []
            if run.error:
                notes.append(f"error: {run.error}")
            if run.tool == "govsite" and run.extra.get("eval_share") is not None:
                notes.append(f"last page → result {run.extra['eval_share']:.1%} of the crawl "
                             "window, summed over sites")
            if run.extra.get("pages_rendered"):
                stored = run.extra.get("pages_stored") or 1
                notes.append(f"rendered {run.extra['pages_rendered']} pages "
                             f"({run.extra['pages_rendered'] / stored:.0%})")
            if m and m.peak_pss_bytes and m.peak_pss_bytes < m.peak_rss_bytes * 0.9:
                notes.append(f"peak PSS {m.peak_pss_bytes / 2**20:,.0f} MB (shared pages "
                             "counted once)")
            if run.served.not_found:
                notes.append(f"{run.served.not_found} 404s")
            if run.served.head:
                notes.append(f"{run.served.head} HEAD requests")
            coverage = run.pages / scenario.generated_pages if scenario.generated_pages else 0
            if coverage < 0.98:
                notes.append(f"{coverage:.0%} of generated pages")
            own = f"{run.own_count:,} {run.own_label}" if run.own_count is not None else "—"
            lines.append(
                f"| {scenario.label} | {name} | {run.pages:,} | {num(m.wall_s if m else None)} | "
                f"{num(run.pages_per_s)} | {num(run.cpu_per_1k, 2)} | {num(run.rss_mb, 0)} | "
                f"{own} | {'; '.join(notes)} |")
    return lines


def target_lines(results: Results) -> list[str]:
    lines = ["| target | measured | status |", "|---|---|---|"]
    keys = [s.key for s in results.scenarios]
    for key in keys:
        gov = results.run("govsite", key)
        label = next(s.label for s in results.scenarios if s.key == key)
        for peer, wanted in (("lean", 0.8), ("linkchecker", 3.0)):
            other = results.run(peer, key)
            value = ratio(gov.pages_per_s if gov else None,
                          other.pages_per_s if other and other.ok else None)
            if value is None:
                continue
            capped = " (LinkChecker time-capped)" if other and other.extra.get("capped") else ""
            lines.append(f"| {label}: govsite pages/s ≥ {wanted:g}× {TOOL_NAMES[peer]} | "
                         f"{value:.2f}×{capped} | {mark(value >= wanted)} |")
            # CPU per page is far less sensitive to other load on the machine than wall time
            by_cpu = ratio(other.cpu_per_1k if other else None, gov.cpu_per_1k if gov else None)
            if by_cpu is not None:
                lines.append(f"| {label}: the same by CPU per page (load-independent view) | "
                             f"{by_cpu:.2f}× | {mark(by_cpu >= wanted)} |")
    big = results.run("govsite", "20k")
    small = results.run("govsite", "5k")
    if big and big.rss_mb is not None:
        lines.append(f"| govsite peak RSS at 20,000 pages < 250 MB | {big.rss_mb:.0f} MB | "
                     f"{mark(big.rss_mb < 250)} |")
    if big and small and big.rss_mb and small.rss_mb:
        growth = big.rss_mb / small.rss_mb
        lines.append(f"| govsite peak RSS growth 5,000 → 20,000 pages ≤ 1.5× | {growth:.2f}× | "
                     f"{mark(growth <= 1.5)} |")
    for run in [r for r in results.runs if r.tool == "govsite" and r.ok]:
        share = run.extra.get("eval_share")
        if share is None:
            continue
        label = next(s.label for s in results.scenarios if s.key == run.scenario)
        # From the store: each site's last page to its result. That is its evaluation,
        # and also its wait for link checks still pending (shared hosts, polite).
        lines.append(f"| {label}: last page → result < 10% of the run, summed over sites "
                     f"(evaluation and pending link checks; from the store: "
                     f"{run.extra.get('eval_s', 0):.1f} s of {run.extra['crawl_window_s']:.1f} s) | "
                     f"{share:.1%} | {mark(share < 0.10)} |")
    if results.profile and results.profile.samples:
        share = results.profile.group_share("evaluation step (judge_and_record)")
        lines.append(f"| {results.profile_scenario}: evaluation step < 10% of the run "
                     f"(py-spy samples in judge_and_record) | {share:.1%} | {mark(share < 0.10)} |")
    return lines


def growth_lines(results: Results) -> list[str]:
    lines = ["| tool | pages/s 5k → 20k | CPU s/1k pages 5k → 20k | peak RSS MB 5k → 20k |",
             "|---|---|---|---|"]
    for tool in TOOL_NAMES:
        a, b = results.run(tool, "5k"), results.run(tool, "20k")
        if not a or not b or not a.ok or not b.ok:
            continue

        def pair(x: float | None, y: float | None, digits: int = 1) -> str:
            factor = ratio(y, x)
            return f"{num(x, digits)} → {num(y, digits)} ({num(factor, 2)}×)"

        capped = " (20k run time-capped)" if b.extra.get("capped") else ""
        lines.append(f"| {TOOL_NAMES[tool]}{capped} | {pair(a.pages_per_s, b.pages_per_s)} | "
                     f"{pair(a.cpu_per_1k, b.cpu_per_1k, 2)} | {pair(a.rss_mb, b.rss_mb, 0)} |")
    return lines


def profile_lines(results: Results) -> list[str]:
    profile = results.profile
    if profile is None:
        return [results.profile_note or "Not profiled."]
    if profile.error or not profile.samples:
        return [f"Profiling failed: {profile.error or 'no samples'}. {results.profile_note}"]
    lines = [f"py-spy (100 Hz, idle included, `--subprocesses`), scenario "
             f"{results.profile_scenario}. {results.profile_note}".strip(), ""]
    workers = results.worker_profile
    sections = [("Crawl process, main thread", profile)]
    if workers is not None and workers.samples:
        sections.append(("Analysis workers, main threads (summed)", workers))
    for title, part in sections:
        lines += [f"### {title}: {part.samples:,} samples", "", *_profile_part(part), ""]
    return lines


def _profile_part(profile: Profile) -> list[str]:
    lines = ["Where the time goes (share of samples whose stack passes through):", "",
             "| part | share |", "|---|--:|"]
    for label in GROUPS:
        share = profile.group_share(label)
        if share >= 0.001:
            lines.append(f"| {label.replace('  ', '&nbsp;&nbsp;')} | {share:.1%} |")
    checks = per_check(profile)
    if checks:
        lines += ["", "Checks, per page (cumulative):", "", "| function | cumulative |",
                  "|---|--:|"]
        lines += [f"| `{key}` | {share:.1%} |" for key, share in checks if share >= 0.001]
    lines += ["", "Top functions by cumulative time (CLI/reactor plumbing left out):", "",
              "| function | cumulative |", "|---|--:|"]
    for key, share in top(profile.cumulative, profile.samples, 20, skip=PLUMBING):
        lines.append(f"| `{key}` | {share:.1%} |")
    lines += ["", "Top functions by self time:", "", "| function | self |", "|---|--:|"]
    for key, share in top(profile.self_time, profile.samples, 15):
        lines.append(f"| `{key}` | {share:.1%} |")
    return lines


def markdown(results: Results, findings: list[str] | None = None) -> str:
    s = results.settings
    out = ["# govsite crawl benchmark", "",
           f"Command: `{results.command}`  ", f"Total benchmark time: {results.elapsed_s / 60:.1f} min",
           "", "## Sites", "",
           "| scenario | sites | HTML pages generated | mean page KB | page KB range |",
           "|---|--:|--:|--:|--:|"]
    for scenario in [*results.scenarios, *([results.render_scenario]
                                          if results.render_scenario else [])]:
        sizes = [x for site in scenario.sites for x in site.sizes]
        mean = sum(sizes) / len(sizes) / 1024 if sizes else 0
        span = f"{min(sizes) / 1024:.0f}–{max(sizes) / 1024:.0f}" if sizes else "—"
        out.append(f"| {scenario.label} | {len(scenario.sites)} | {scenario.generated_pages:,} | "
                   f"{mean:.1f} | {span} |")
    out += ["", "Served by nginx from static files on loopback (one address per site). "
            f"Crawl settings for govsite and the lean spider: CONCURRENT_REQUESTS "
            f"{s.get('concurrent_requests')}, {s.get('concurrent_per_host')} per host, delay 0, "
            "AutoThrottle and robots.txt off; govsite with every check enabled (link checking "
            "included) and rendering off"
            + ("" if s.get("evidence", True) else ", without its evidence pass (--no-evidence)")
            + ". "
            f"LinkChecker: {s.get('linkchecker_threads')} threads, per-host rate limit lifted "
            f"(nginx sends the `LinkChecker` header){s.get('linkchecker_cap_text', '')}. "
            "Pages are counted alike for every tool: HTML pages nginx answered 200 to a GET "
            "during its run. CPU is user+sys of the tool's process tree; RSS is the sum over "
            "the tree, sampled every 0.1 s.", "",
            "## Crawl throughput and memory (rendering off)", ""]
    out += results_table(results, results.runs, results.scenarios)
    out += ["", "## Targets", "", *target_lines(results)]
    growth = growth_lines(results)
    if len(growth) > 2:
        out += ["", "## Growth from 5,000 to 20,000 pages", "", *growth]
    out += ["", "## Profile of govsite", "", *profile_lines(results)]
    if findings:
        out += ["", "## What the profile says, and proposed fixes", "", *findings]
    out += ["", "## Rendering cost (`render.policy: auto`, Hanweb-style estate)", ""]
    if results.render_runs:
        assert results.render_scenario is not None
        out += [*results_table(results, results.render_runs, [results.render_scenario]), ""]
    if results.render_note:
        out += [results.render_note]
    out += ["", "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in results.machine.items()]
    return "\n".join(out) + "\n"
