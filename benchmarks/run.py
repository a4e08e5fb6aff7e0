"""Benchmark govsite's crawl throughput and memory side by side with peers.

    python -m govsite.benchmarks.run                 # the full run (~15 min on 2 cores)
    python -m govsite.benchmarks.run --render        # ... plus the rendering-cost section
    python -m govsite.benchmarks.run --tiny          # CI's smoke version (~1 min)
    python benchmarks/run.py --help                  # direct invocation works too

One run generates the sites (a 5,000-page and a 20,000-page TRS-style portal,
an estate of 300 small TRS/Hanweb/GBK sites on 127.0.1.x and 127.0.2.x),
writes them as static files in a temp dir, serves them with nginx (its own
prefix and config, `daemon off`, stopped at the end even on error), runs
govsite, the lean Scrapy spider, LinkChecker and wget over each, profiles
govsite with py-spy, and prints a Markdown report (also written to
benchmarks/results.md with the machine's description; --output elsewhere).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python benchmarks/run.py`: make `govsite.benchmarks` importable
    sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
    __package__ = "govsite.benchmarks"

from govsite.benchmarks import profiling as prof
from govsite.benchmarks.nginx import Nginx, find_nginx, free_port, nginx_version
from govsite.benchmarks.report import Results, machine_info, markdown, num
from govsite.benchmarks.sitegen import Outside, SiteFiles, big_site, render_estate, small_estate
from govsite.benchmarks.tools import (
    TOOLS,
    Context,
    Scenario,
    ToolRun,
    find_linkchecker,
    linkchecker_version,
    run_govsite,
    run_lean,
    run_linkchecker,
    run_wget,
    wget_version,
    write_config,
)

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m govsite.benchmarks.run",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--tiny", action="store_true",
                   help="CI smoke run: 2 small sites of ~50 pages; govsite and the lean spider "
                        "(LinkChecker and wget too when installed); no profile")
    p.add_argument("--sizes", default="5000,20000",
                   help="page counts of the big single sites (default 5000,20000)")
    p.add_argument("--estate-sites", type=int, default=300, help="small sites in the estate")
    p.add_argument("--estate-pages", type=int, default=25, help="pages per estate site")
    p.add_argument("--tools", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}")
    p.add_argument("--concurrent-requests", type=int, default=32)
    p.add_argument("--concurrent-per-host", type=int, default=8)
    p.add_argument("--linkchecker-threads", type=int, default=10)
    p.add_argument("--linkchecker-cap", type=float, default=100,
                   help="stop LinkChecker after this many seconds per scenario (0: never; "
                        "default 100): it checks ~40 pages/s on 2 cores, so the 20,000-page "
                        "site alone would take ~9 min; its rate is measured on what it did")
    p.add_argument("--tool-timeout", type=float, default=3600,
                   help="kill any tool still running after this many seconds")
    p.add_argument("--profile", dest="profile", action="store_true", default=None,
                   help="profile govsite with py-spy (default: on, off with --tiny)")
    p.add_argument("--no-profile", dest="profile", action="store_false")
    p.add_argument("--profile-scenario", default=None,
                   help="scenario to profile (default: the first single site, 5k)")
    p.add_argument("--no-evidence", dest="evidence", action="store_false",
                   help="govsite crawls without its evidence pass (screenshots of findings)")
    p.add_argument("--no-journal", dest="journal", action="store_false",
                   help="govsite crawls without its response journal (crawl.journal_responses)")
    p.add_argument("--render", action="store_true",
                   help="also measure render.policy auto on a Hanweb-style estate")
    p.add_argument("--render-sites", type=int, default=8)
    p.add_argument("--render-pages", type=int, default=40)
    p.add_argument("--workdir", type=Path, help="where sites, DBs and logs go (default: a "
                                                "temp dir, removed at the end)")
    p.add_argument("--keep", action="store_true", help="keep the work dir")
    p.add_argument("--output", type=Path, help="Markdown report (default: benchmarks/results.md; "
                                               "with --tiny: in the work dir)")
    p.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    p.add_argument("--port", type=int, help="port for every site (default: a free one)")
    args = p.parse_args(argv)
    if args.profile is None:
        args.profile = not args.tiny
    return args


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- scenarios
def build_scenarios(args: argparse.Namespace, root: Path, port: int,
                    outside: Outside) -> tuple[list[Scenario], Scenario | None]:
    if args.tiny:
        sites = small_estate(2, 50, port, root, outside, mix=("trs", "oldgbk"))
        return [Scenario("tiny", "tiny: 2 sites", sites)], None
    scenarios = []
    for i, size in enumerate(int(x) for x in args.sizes.split(",") if x.strip()):
        key = f"{size // 1000}k" if size >= 1000 else str(size)
        name = f"big{size}"
        say(f"generating a {size:,}-page site")
        title = ("临水市人民政府", "青山县人民政府", "白河县人民政府")[i % 3]
        site = big_site(name, title, size, f"127.0.3.{i + 1}", port, root, outside)
        scenarios.append(Scenario(key, f"{size:,}-page site", [site]))
    if args.estate_sites > 0:
        say(f"generating an estate of {args.estate_sites} sites")
        sites = small_estate(args.estate_sites, args.estate_pages, port, root, outside)
        scenarios.append(Scenario("estate", f"estate of {len(sites)} sites", sites))
    render = None
    if args.render:
        say(f"generating a Hanweb-style estate of {args.render_sites} sites for rendering")
        sites = render_estate(args.render_sites, args.render_pages, port, root, outside)
        render = Scenario("render", f"Hanweb estate of {len(sites)} sites", sites)
    return scenarios, render


# --------------------------------------------------------------------------- rendering
def render_precheck(ctx: Context) -> str | None:
    """Why rendering cannot be measured, or None when it may be."""
    try:
        from govsite.config import Config, load_config
        from govsite.crawler.browser import find_chromium
    except ImportError as exc:
        return f"rendering not available: {exc}"
    path = write_config(ctx.workdir / "render-check.yaml", ctx, "auto")
    try:
        config = load_config(path)
    except Exception as exc:  # ConfigError, or a schema without render.policy
        return f"rendering not available: this govsite refuses render.policy auto ({exc})"
    if not isinstance(config, Config) or getattr(config.render, "policy", None) != "auto":
        return "rendering not available: the config has no render.policy"
    executable = getattr(getattr(config, "browser", None), "executable_path", "") or ""
    if find_chromium(executable) is None:
        return "rendering not available: no Chromium found"
    return None


def run_render(ctx: Context, scenario: Scenario, tools: list[str]) -> tuple[list[ToolRun], str]:
    reason = render_precheck(ctx)
    if reason:
        return [], reason
    runs = []
    say("render: govsite with render.policy never")
    never = run_govsite(ctx, scenario, render_policy="never", label="govsite-render-never")
    never.extra["variant"] = " (render never)"
    runs.append(never)
    say("render: govsite with render.policy auto")
    auto = run_govsite(ctx, scenario, render_policy="auto", label="govsite-render-auto")
    auto.extra["variant"] = " (render auto)"
    runs.append(auto)
    if "lean" in tools:
        runs.append(run_lean(ctx, scenario))
    rendered = auto.extra.get("pages_rendered", 0)
    stored = auto.extra.get("pages_stored", 0)
    if auto.error:
        return runs, f"rendering not available: the crawl with render.policy auto failed: " \
                     f"{auto.error}"
    if not rendered:
        return runs, ("rendering not available: render.policy auto is accepted, but the crawl "
                      "rendered no page (rendering not implemented in crawler/ yet?)")
    note = (f"render.policy auto rendered {rendered:,} of {stored:,} stored pages "
            f"({rendered / max(stored, 1):.0%}); pages/s {num(auto.pages_per_s)} against "
            f"{num(never.pages_per_s)} without rendering, CPU per 1k pages "
            f"{num(auto.cpu_per_1k, 2)} s against {num(never.cpu_per_1k, 2)} s, peak RSS "
            f"(browser included) {num(auto.rss_mb, 0)} MB against {num(never.rss_mb, 0)} MB.")
    return runs, note


# --------------------------------------------------------------------------- profile
def run_profile(ctx: Context, scenario: Scenario
                ) -> tuple[prof.Profile | None, prof.Profile | None, str]:
    """Profiles of the crawl process and of its analysis workers, from one run."""
    py_spy = prof.find_py_spy(ctx.python)
    if py_spy is None:
        return None, None, "py-spy not installed (pip install 'govsite[bench]'): not profiled."
    raw = ctx.workdir / "profile" / "py-spy.txt"
    raw.parent.mkdir(parents=True, exist_ok=True)
    wrap = prof.py_spy_command(py_spy, raw, rate=100)
    say(f"profiling govsite on {scenario.label} with py-spy")
    run = run_govsite(ctx, scenario, label=f"govsite-profile-{scenario.key}", wrap=wrap)
    if run.error and not raw.exists():
        return None, None, f"profiled run failed: {run.error}"
    profile = prof.analyse(raw, role="crawl")
    workers = prof.analyse(raw, role="workers")
    wall = run.measurement.wall_s if run.measurement else 0
    note = (f"The profiled run took {wall:.0f} s for {run.pages:,} pages "
            f"(py-spy samples from outside the process; the timed runs above were not profiled).")
    return profile, workers, note


PROPOSALS: list[tuple[str, float, str]] = [
    ("    urljoin in resolve()", 0.05,
     "**Link resolution** (web/html.py `page_links` → web/urls.py `resolve`): plain "
     "links take a regex fast path and the rest are memoised; a large share means links the "
     "fast path does not recognise (upper-case hosts, escapes, dot segments mid-path): "
     "widen `_plain`/`_resolve_plain`, keeping tests/test_urls.py's comparison with urllib."),
    ("    canonical()", 0.03,
     "**Canonicalisation** (web/urls.py `canonical`): as for `resolve`, the fast path "
     "misses these URLs; query strings always take urllib's path (`parse_qsl`/`urlencode`)."),
    ("    host_key()", 0.03,
     "**Host test** (crawler/spider.py `_follow_links` → web/urls.py `host_key`): fast "
     "path missed; see `canonical`."),
    ("Scrapy: spider output (_parallel_asyncio)", 0.05,
     "**Scrapy's output handling** (scrapy/core/scraper.py `handle_spider_output_async`): "
     "`CONCURRENT_ITEMS` is 1 (callbacks return requests only); a large share here is "
     "Scrapy's own per-request cost."),
    ("evaluation step (judge_and_record)", 0.05,
     "**Evaluation** (scoring/judge.py `judge_and_record` → `load_evidence`): pages and facts "
     "are read as plain rows; next, stream facts per check rather than all of a site's at once."),
    ("  render detection (render_reason)", 0.05,
     "**Render detection** (crawler/render_detect.py `render_signs`): the costly readings run "
     "only after a structural sign; a large share means many empty, id'd containers: test "
     "`_is_empty` on fewer candidates."),
    ("  store rows (add_page/add_fact/flush)", 0.05,
     "**Storage** (storage/recorder.py): raise `storage.write_batch`, or write pages and facts "
     "in one transaction per flush."),
    ("  checks' extract()", 0.10,
     "**Checks' extract()** (see the per-check table, in the workers' profile): most of it "
     "is empty-column's content root (extract/structure.py `content_root`: a copy of the "
     "body with header, navigation and footer dropped); next, look for a page's first item "
     "by walking the body and skipping chrome subtrees, without the copy. Elsewhere, keep a "
     "cheap word test (`PageContext.compact_text`) before any walk of the tree."),
    ("  link list (page_links)", 0.08,
     "**Anchor texts** (web/html.py `page_links`): `text_content()` per anchor; compute "
     "texts lazily, only for the links a check or the offsite table reads."),
    ("page reading (read_page; in the workers)", 0.85,
     "**Page reading** dominates the workers, as it should; on a machine with more cores, "
     "more workers (`crawl.analysis_workers`) raise throughput until the crawl process "
     "(Scrapy's one thread) is the limit."),
]


def proposals(profile: prof.Profile | None) -> list[str]:
    if profile is None or not profile.samples:
        return []
    found = []
    for group, threshold, text in PROPOSALS:
        share = profile.group_share(group)
        if share >= threshold:
            found.append(f"- {text} Measured share: {share:.1%} of samples.")
    return found


# --------------------------------------------------------------------------- main
def run_scenario(ctx: Context, scenario: Scenario, tools: list[str],
                 args: argparse.Namespace) -> list[ToolRun]:
    runs = []
    for tool in tools:
        say(f"{scenario.label}: {tool}")
        if tool == "govsite":
            run = run_govsite(ctx, scenario)
        elif tool == "lean":
            run = run_lean(ctx, scenario)
        elif tool == "linkchecker":
            run = run_linkchecker(ctx, scenario, args.linkchecker_threads)
        else:
            run = run_wget(ctx, scenario)
            if run.ok and run.pages < 0.5 * scenario.generated_pages:
                say("wget --spider did not recurse here: trying -r --delete-after")
                run = run_wget(ctx, scenario, mode="delete-after")
        if run.skipped:
            say(f"  skipped: {run.skipped}")
        elif run.error:
            say(f"  error: {run.error}")
        else:
            m = run.measurement
            assert m is not None
            say(f"  {run.pages:,} pages in {m.wall_s:.1f} s = {num(run.pages_per_s)} pages/s, "
                f"CPU {m.cpu_s:.1f} s, peak RSS {m.peak_rss_mb:.0f} MB {run.note}")
        runs.append(run)
    return runs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    command = "python -m govsite.benchmarks.run" + (" " + shlex.join(argv if argv is not None
                                                                     else sys.argv[1:])).rstrip()
    nginx_binary = find_nginx()
    if nginx_binary is None:
        print("nginx is not installed (Debian: apt-get install nginx)", file=sys.stderr)
        return 2
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        print(f"--tools: unknown {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if args.tiny:
        if find_linkchecker(sys.executable) is None and "linkchecker" in tools:
            tools.remove("linkchecker")
        if shutil.which("wget") is None and "wget" in tools:
            tools.remove("wget")

    own_workdir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="govsite-bench-")) if own_workdir else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    os.chmod(workdir, 0o755)  # nginx workers and LinkChecker run as nobody when we are root
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        port = args.port or free_port()
        outside = Outside(port)
        say(f"work dir {workdir}, port {port}")
        scenarios, render = build_scenarios(args, workdir / "sites", port, outside)
        all_sites: list[SiteFiles] = [s for sc in scenarios for s in sc.sites]
        if render:
            all_sites += render.sites
        say(f"{sum(s.html_pages for s in all_sites):,} HTML pages on {len(all_sites)} sites "
            f"written ({sum(s.html_bytes for s in all_sites) / 2**20:,.0f} MB); starting nginx")
        extra = {"nginx": nginx_version(nginx_binary)}
        if shutil.which("wget"):
            extra["wget"] = wget_version(shutil.which("wget") or "wget")
        linkchecker = find_linkchecker(sys.executable)
        if linkchecker:
            extra["LinkChecker binary"] = linkchecker_version(linkchecker)
        machine = machine_info(extra)
        nginx = Nginx(nginx_binary, workdir / "nginx", port, all_sites, outside.ips)
        ctx = Context(workdir=workdir, nginx=nginx,
                      concurrent_requests=args.concurrent_requests,
                      concurrent_per_host=args.concurrent_per_host,
                      tool_timeout_s=args.tool_timeout,
                      linkchecker_cap_s=0 if args.tiny else args.linkchecker_cap,
                      evidence=args.evidence, journal=args.journal)
        results = Results(command=command, machine=machine, scenarios=scenarios, runs=[],
                          settings={"concurrent_requests": args.concurrent_requests,
                                    "concurrent_per_host": args.concurrent_per_host,
                                    "linkchecker_threads": args.linkchecker_threads,
                                    "evidence": args.evidence,
                                    "journal": args.journal,
                                    "linkchecker_cap_text":
                                        f", stopped after {args.linkchecker_cap:.0f} s per "
                                        "scenario when not done" if ctx.linkchecker_cap_s else ""})
        with nginx:
            for scenario in scenarios:
                results.runs += run_scenario(ctx, scenario, tools, args)
            if args.profile and "govsite" in tools:
                singles = [s for s in scenarios if len(s.sites) == 1] or scenarios
                target = next((s for s in scenarios if s.key == args.profile_scenario),
                              singles[0])
                results.profile, results.worker_profile, results.profile_note = \
                    run_profile(ctx, target)
                results.profile_scenario = target.label
            elif not args.profile:
                results.profile_note = "Not profiled (--no-profile or --tiny)."
            if not render:
                results.render_note = "Not run: pass --render."
            else:
                results.render_scenario = render
                results.render_runs, results.render_note = run_render(ctx, render, tools)
                say(results.render_note)
        results.elapsed_s = time.perf_counter() - started
        results.machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        text = markdown(results, proposals(results.profile) + proposals(results.worker_profile))
        print(text)
        output = args.output or (workdir / "results.md" if args.tiny else HERE / "results.md")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        say(f"report written to {output}")
        if args.json:
            args.json.write_text(json.dumps(to_json(results), indent=2, ensure_ascii=False),
                                 encoding="utf-8")
        failed = [r for r in results.runs if r.error and r.tool in ("govsite", "lean")]
        return 1 if failed else 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if own_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif args.keep or not own_workdir:
            say(f"work dir kept: {workdir}")


def to_json(results: Results) -> dict[str, object]:
    def run_dict(run: ToolRun) -> dict[str, object]:
        m = run.measurement
        return {"tool": run.tool, "scenario": run.scenario, "pages": run.pages,
                "pages_per_s": run.pages_per_s, "cpu_s_per_1k_pages": run.cpu_per_1k,
                "peak_rss_mb": run.rss_mb, "wall_s": m.wall_s if m else None,
                "cpu_s": m.cpu_s if m else None, "server_cpu_s": m.server_cpu_s if m else None,
                "peak_pss_mb": m.peak_pss_bytes / 2**20 if m else None,
                "rss_timeline_mb": [(round(t, 1), round(b / 2**20)) for t, b in m.rss_timeline]
                if m else None,
                "returncode": m.returncode if m else None, "own_count": run.own_count,
                "own_label": run.own_label, "error": run.error, "skipped": run.skipped,
                "note": run.note, "served": asdict(run.served) | {"by_address": None},
                "extra": run.extra}

    def profile_dict(profile: prof.Profile | None) -> dict[str, Any] | None:
        return None if profile is None else {
            "scenario": results.profile_scenario, "samples": profile.samples,
            "groups": {k: profile.group_share(k) for k in profile.groups},
            "top_cumulative": prof.top(profile.cumulative, profile.samples, 30, prof.PLUMBING),
            "top_self": prof.top(profile.self_time, profile.samples, 30)}

    return {
        "command": results.command, "machine": results.machine, "elapsed_s": results.elapsed_s,
        "scenarios": [{"key": s.key, "label": s.label, "sites": len(s.sites),
                       "generated_pages": s.generated_pages} for s in results.scenarios],
        "runs": [run_dict(r) for r in results.runs],
        "render_runs": [run_dict(r) for r in results.render_runs],
        "render_note": results.render_note,
        "profile": profile_dict(results.profile),
        "worker_profile": profile_dict(results.worker_profile),
    }


if __name__ == "__main__":
    sys.exit(main())
