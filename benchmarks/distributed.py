"""The distributed crawl's throughput (issue 15): one estate, crawled in one run by
one process into SQLite, one process into PostgreSQL, and 1, 2, 4 … `govsite
worker` processes sharing it through Redis into PostgreSQL, side by side.

    python -m govsite.benchmarks.distributed                  # 300 sites, 1/2/4 workers
    python -m govsite.benchmarks.distributed --sites 40 --workers 1,2   # a quick look

The estate is benchmarks/sitegen.py's (TRS, Hanweb and GBK sites of 25 pages on
127.0.1.x), served by nginx; Redis and PostgreSQL are Debian's, started on
loopback with throwaway data (benchmarks/servers.py). Each run is measured
as the other benchmarks measure (benchmarks/measure.py: wall time, CPU of
the process tree, pages nginx served), plus the CPU the database and Redis
servers spent on it, the database's size and Redis's peak memory. The report
(Markdown) gives pages/s and the ratio of each worker count to one worker.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from govsite.benchmarks.nginx import Nginx, find_nginx, free_port
from govsite.benchmarks.report import machine_info, num
from govsite.benchmarks.servers import PostgresServer, RedisServer
from govsite.benchmarks.sitegen import AS_OF, Outside, small_estate
from govsite.benchmarks.tools import (
    Context,
    Scenario,
    ToolRun,
    _measure,
    govsite_command,
    write_config,
    write_registry,
)

HERE = Path(__file__).resolve().parent


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def server_cpu_s(pid: int | None) -> float:
    """CPU a server spent, its reaped children (PostgreSQL's backends) included."""
    if pid is None:
        return 0.0
    with contextlib.suppress(psutil.Error):
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system + times.children_user + times.children_system
    return 0.0


def postmaster_pid(server: PostgresServer) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int((server.data / "postmaster.pid").read_text().split()[0])
    return None


@dataclass
class Row:
    label: str
    workers: int  # 0: one ordinary `govsite crawl` process
    backend: str
    run: ToolRun
    server_cpu_s: float = 0.0
    db_mb: float | None = None
    redis_peak_mb: float | None = None
    extra: dict[str, object] = field(default_factory=dict)


def sql_one(url: str, sql: str) -> object:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql)).scalar()
    finally:
        engine.dispose()


def govsite(ctx: Context, config: Path, db: str) -> list[str]:
    return [*govsite_command(ctx.python), "--config", str(config), "--db", db]


def import_registry(ctx: Context, config: Path, db: str, registry: Path) -> None:
    subprocess.run([*govsite(ctx, config, db), "sites", "import", str(registry)],
                   check=True, capture_output=True, env={**os.environ, **ctx.env})


def single(ctx: Context, scenario: Scenario, config: Path, registry: Path, db: str,
           label: str) -> ToolRun:
    import_registry(ctx, config, db, registry)
    run = ToolRun("govsite", scenario.key)
    _measure(ctx, [*govsite(ctx, config, db), "crawl", "--quiet", "--no-evidence",
                   "--as-of", AS_OF.isoformat(), "--format", "json"], label, run)
    return run


def distributed(ctx: Context, scenario: Scenario, config: Path, registry: Path, db: str,
                redis_url: str, workers: int, label: str) -> ToolRun:
    """Seed the run, then measure N workers started together until the last exits."""
    import_registry(ctx, config, db, registry)
    subprocess.run([*govsite(ctx, config, db), "crawl", "--redis", redis_url, "--seed",
                    "--as-of", AS_OF.isoformat(), "--quiet"],
                   check=True, capture_output=True, env={**os.environ, **ctx.env})
    worker = shlex.join([*govsite(ctx, config, db), "worker", "--redis", redis_url, "--quiet",
                         "--no-evidence", "--format", "json"])
    script = " ".join(f"{worker} > {shlex.quote(str(ctx.workdir / f'{label}-{i}.json'))} &"
                      for i in range(workers)) + " wait"
    run = ToolRun("govsite", scenario.key)
    _measure(ctx, ["bash", "-c", script], label, run)
    return run


def measured(row: Row, servers: list[int | None], body) -> Row:  # type: ignore[no-untyped-def]
    before = sum(server_cpu_s(pid) for pid in servers)
    row.run = body()
    row.server_cpu_s = sum(server_cpu_s(pid) for pid in servers) - before
    m = row.run.measurement
    say(f"  {row.label}: {row.run.pages:,} pages in {m.wall_s:.1f} s = "
        f"{num(row.run.pages_per_s)} pages/s, CPU {m.cpu_s:.1f} s (+ servers "
        f"{row.server_cpu_s:.1f} s)" if m else f"  {row.label}: {row.run.error}")
    return row


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m govsite.benchmarks.distributed")
    p.add_argument("--sites", type=int, default=300)
    p.add_argument("--pages", type=int, default=25, help="pages per site")
    p.add_argument("--workers", default="1,2,4")
    p.add_argument("--concurrent-requests", type=int, default=32)
    p.add_argument("--concurrent-per-host", type=int, default=8)
    p.add_argument("--delay", type=float, default=0.0,
                   help="download_delay_s per host (default 0: the crawl is CPU-bound; the "
                        "shipped config's 0.25 makes it politeness-bound, as on real sites)")
    p.add_argument("--active-sites", type=int, default=None,
                   help="distributed.active_sites: sites one worker crawls at once")
    p.add_argument("--no-single", dest="single", action="store_false",
                   help="leave out the single-process runs")
    p.add_argument("--output", type=Path, default=HERE / "distributed.md")
    args = p.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    nginx_binary = find_nginx()
    if nginx_binary is None:
        print("nginx is not installed (Debian: apt-get install nginx)", file=sys.stderr)
        return 2
    command = "python -m govsite.benchmarks.distributed " + shlex.join(
        argv if argv is not None else sys.argv[1:])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="govsite-dbench-") as tmp:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)
        port = free_port()
        outside = Outside(port)
        say(f"generating an estate of {args.sites} sites of {args.pages} pages")
        sites = small_estate(args.sites, args.pages, port, workdir / "sites", outside)
        scenario = Scenario("estate", f"estate of {len(sites)} sites", sites)
        nginx = Nginx(nginx_binary, workdir / "nginx", port, sites, outside.ips)
        ctx = Context(workdir=workdir, nginx=nginx, concurrent_requests=args.concurrent_requests,
                      concurrent_per_host=args.concurrent_per_host, evidence=False)
        config = bench_config(workdir / "config.yaml", ctx, args)
        registry = write_registry(workdir / "registry.csv", sites)
        rows: list[Row] = []
        with nginx, PostgresServer() as pg, RedisServer() as redis:
            pg_pid = postmaster_pid(pg)
            redis_pid = redis.process.pid if redis.process else None
            if not args.single:
                say("single-process runs left out (--no-single)")
            if args.single:
                say("one process into SQLite")
                sqlite_db = workdir / "single.db"
                rows.append(measured(Row("1 process, SQLite", 0, "SQLite", ToolRun("", "")), [],
                                     lambda: single(ctx, scenario, config, registry,
                                                    f"sqlite:///{sqlite_db}", "sqlite")))
                rows[-1].db_mb = sqlite_db.stat().st_size / 2**20
                rows[-1].extra["judged"] = sql_one(f"sqlite:///{sqlite_db}",
                                                   "select count(*) from site_results")
                say("one process into PostgreSQL")
                url = pg.database()
                rows.append(measured(Row("1 process, PostgreSQL", 0, "PostgreSQL",
                                         ToolRun("", "")), [pg_pid],
                                     lambda: single(ctx, scenario, config, registry, url, "pg")))
                rows[-1].db_mb = float(sql_one(url, "select pg_database_size(current_database())")
                                       or 0) / 2**20
                rows[-1].extra["judged"] = sql_one(url, "select count(*) from site_results")
            for n in counts:
                say(f"{n} worker(s) through Redis into PostgreSQL")
                url, redis_url = pg.database(), redis.url()
                rows.append(measured(
                    Row(f"{n} worker(s), Redis + PostgreSQL", n, "PostgreSQL",
                        ToolRun("", "")), [pg_pid, redis_pid],
                    lambda url=url, redis_url=redis_url, n=n: distributed(
                        ctx, scenario, config, registry, url, redis_url, n, f"w{n}")))
                rows[-1].db_mb = float(sql_one(
                    url, "select pg_database_size(current_database())") or 0) / 2**20
                rows[-1].redis_peak_mb = redis_peak_mb(redis_url)
                rows[-1].extra["judged"] = sql_one(url, "select count(*) from site_results")
        text = report(rows, command, args, time.perf_counter() - started)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    say(f"report written to {args.output}")
    return 0 if all(row.run.ok for row in rows) else 1


def bench_config(path: Path, ctx: Context, args: argparse.Namespace) -> Path:
    """The benchmark's config (tools.write_config: every check on, no render), with
    the politeness and the sites per worker asked for."""
    import yaml

    write_config(path, ctx, "never")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["crawl"]["download_delay_s"] = args.delay
    if args.active_sites:
        data["distributed"]["active_sites"] = args.active_sites
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def redis_peak_mb(url: str) -> float:
    from redis import Redis

    return float(Redis.from_url(url).info("memory")["used_memory_peak"]) / 2**20


def ratio(rate: float | None, to: float | None) -> str:
    return f"{rate / to:.2f}×" if rate and to else "–"


def report(rows: list[Row], command: str, args: argparse.Namespace, elapsed_s: float) -> str:
    one = next((r.run.pages_per_s for r in rows if r.workers == 1 and r.run.pages_per_s), None)
    sqlite = next((r for r in rows if r.backend == "SQLite"), None)
    lines = [
        "# Distributed crawl benchmark", "",
        f"`{command}` · {elapsed_s / 60:.1f} min · rendering off, evidence off, "
        f"CONCURRENT_REQUESTS {args.concurrent_requests} and {args.concurrent_per_host} per "
        f"host in each process, download delay {args.delay:g} s per host, "
        f"{args.active_sites or 'the default number of'} sites per worker at once.", "",
        "| run | sites judged | pages | wall s | pages/s | × 1 worker | × SQLite process | CPU s / 1k pages "
        "(govsite) | servers' CPU s / 1k pages (PostgreSQL, Redis) | database MB | "
        "Redis peak MB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    base = sqlite.run.pages_per_s if sqlite else None
    for row in rows:
        run, m = row.run, row.run.measurement
        if m is None or not run.pages:
            lines.append(f"| {row.label} | error: {run.error} ||||||||||")
            continue
        rate = run.pages_per_s
        cells = [row.label, str(row.extra.get("judged")), f"{run.pages:,}", f"{m.wall_s:.1f}",
                 num(rate), ratio(rate, one) if row.workers else "–", ratio(rate, base),
                 num(run.cpu_per_1k), f"{row.server_cpu_s / run.pages * 1000:.2f}",
                 f"{row.db_mb:.1f}" if row.db_mb is not None else "–",
                 f"{row.redis_peak_mb:.1f}" if row.redis_peak_mb is not None else "–"]
        lines.append("| " + " | ".join(cells) + " |")
    machine = machine_info({})
    lines += ["", "Machine: " + ", ".join(f"{k}: {v}" for k, v in machine.items()), ""]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
