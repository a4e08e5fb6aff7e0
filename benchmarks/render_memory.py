"""Memory over a long rendering crawl: RSS of the crawl and of every browser process.

Serves Hanweb-style sites on loopback (in a separate process, so its memory
is not counted): a home page linking every column, and columns whose list is
an empty <ul> filled by a POST to /module/web/jpage/dataproxy.jsp returning
XML, exactly as estate/templates/hanweb.py writes them. Every column page is
therefore rendered under policy `auto` (static fetch, then Chromium). Then
runs govsite's own crawl (crawler.runner.run_inspection, checks included,
evidence off) in this process, and samples, every --interval seconds:

- the crawl process's RSS;
- the RSS and PSS (shared pages counted once) summed over all its child
  processes: the Playwright driver and every Chromium process;
- the number of Chromium processes, and the pages stored as rendered so far.

Prints the samples, the figures at each quarter of the renders, and peaks.

    .venv/bin/python -m govsite.benchmarks.render_memory --sites 4 --columns 550
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import psutil

FIRST_COLUMN = 10_000
MIB = 1024 * 1024


# ------------------------------------------------------------------ the sites
def column_page(site: int, col: int, columns: int) -> bytes:
    from govsite.estate.templates.hanweb import DATAPROXY, JPAGE_JS

    script = JPAGE_JS % {"col": col, "per": 15, "proxy": DATAPROXY, "unit": 20000 + site,
                         "webid": site + 1}
    nav = "".join(f'<li><a href="/col/col{FIRST_COLUMN + i}/index.html">栏目{i}</a></li>'
                  for i in range(0, columns, max(1, columns // 12)))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="测试县人民政府{site}"><meta name="ColumnName" content="栏目{col}">
<title>栏目{col} 测试县人民政府{site}</title></head><body>
<div class="header"><h1>测试县人民政府{site}</h1></div><ul class="nav">{nav}</ul>
<div class="container"><div class="list-title">栏目{col}</div>
<div id="{col}" class="list-box"><ul id="list_{col}" class="list"></ul>
<div class="pager" id="pager_{col}"></div></div>{script}</div>
<div class="footer"><p>主办单位：测试县人民政府办公室　网站标识码：53999900{site:02d}</p></div>
</body></html>""".encode()


def home_page(site: int, columns: int) -> bytes:
    links = "".join(f'<li><a href="/col/col{FIRST_COLUMN + i}/index.html">栏目{FIRST_COLUMN + i}'
                    f"</a></li>" for i in range(columns))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>测试县人民政府{site}'
            f'</title></head><body><h1>测试县人民政府{site}</h1><ul class="map">{links}</ul>'
            "</body></html>").encode()


def records(col: int, columns: int, count: int) -> list[str]:
    """A column's records link to other columns (already known): renders only."""
    out = []
    for n in range(count):
        other = FIRST_COLUMN + (col - FIRST_COLUMN + n + 1) % columns
        out.append(f'<li><a href="/col/col{other}/index.html" title="关于栏目{other}的通知">'
                   f"关于栏目{other}的通知</a><span>2026-11-{n % 28 + 1:02d}</span></li>")
    return out


def serve(sites: int, columns: int, per_column: int, ready: Any) -> None:
    from govsite.estate.templates.hanweb import DATAPROXY, datastore

    def handler_for(site: int) -> type[BaseHTTPRequestHandler]:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, body: bytes, kind: str = "text/html; charset=utf-8",
                      status: int = 200) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path in ("/", "/index.html"):
                    return self._send(home_page(site, columns))
                if path.startswith("/col/col") and path.endswith("/index.html"):
                    col = int(path[len("/col/col"):-len("/index.html")])
                    if FIRST_COLUMN <= col < FIRST_COLUMN + columns:
                        return self._send(column_page(site, col, columns))
                return self._send(b"<html><title>404</title></html>", status=404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(urlsplit(self.path).query))
                form.update(parse_qsl(self.rfile.read(length).decode() if length else ""))
                if urlsplit(self.path).path != DATAPROXY:
                    return self._send(b"", status=404)
                col = int(form.get("columnid", "0"))
                recs = records(col, columns, per_column)
                body = datastore(recs[:15], len(recs), col, site + 1).encode()
                return self._send(body, "text/xml;charset=UTF-8")

        return Handler

    urls = []
    for site in range(sites):
        server = ThreadingHTTPServer((f"127.0.1.{site + 1}", 0), handler_for(site))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urls.append(f"http://127.0.1.{site + 1}:{server.server_address[1]}/")
    ready.put(urls)
    while True:
        time.sleep(3600)


# ------------------------------------------------------------------ sampling
@dataclass
class Sample:
    t: float
    rendered: int
    crawl_rss: float
    browser_rss: float
    browser_pss: float
    chromium_processes: int


class Sampler(threading.Thread):
    def __init__(self, db: Path, exclude: set[int], interval: float) -> None:
        super().__init__(daemon=True, name="rss-sampler")
        self.db, self.exclude, self.interval = db, exclude, interval
        self.samples: list[Sample] = []
        self.stop = threading.Event()
        self.start_time = time.monotonic()

    def rendered(self) -> int:
        try:
            with sqlite3.connect(self.db, timeout=1) as connection:
                return connection.execute("select count(*) from pages where rendered").fetchone()[0]
        except sqlite3.Error:
            return self.samples[-1].rendered if self.samples else 0

    def take(self) -> None:
        me = psutil.Process()
        rss = pss = 0.0
        chromium = 0
        for child in me.children(recursive=True):
            if child.pid in self.exclude:
                continue
            try:
                info = child.memory_full_info()
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
                chromium += "chrom" in child.name().lower()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        self.samples.append(Sample(time.monotonic() - self.start_time, self.rendered(),
                                   me.memory_info().rss / MIB, rss / MIB, pss / MIB, chromium))

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            self.take()


# ------------------------------------------------------------------ the run
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=4)
    parser.add_argument("--columns", type=int, default=550, help="JS columns per site")
    parser.add_argument("--records", type=int, default=12, help="list items per column")
    parser.add_argument("--max-open-pages", type=int, default=4)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between samples")
    parser.add_argument("--json", type=Path, help="also write the samples here")
    args = parser.parse_args(argv)

    from govsite.config import load_config
    from govsite.crawler.browser import find_chromium
    from govsite.crawler.progress import NullProgress
    from govsite.crawler.runner import run_inspection
    from govsite.storage.db import open_store
    from govsite.storage.models import Site
    from govsite.storage.recorder import utcnow

    browser = find_chromium()
    if browser is None:
        print("no Chromium found: nothing to measure", file=sys.stderr)
        return 2
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    server = context.Process(target=serve, args=(args.sites, args.columns, args.records, ready),
                             daemon=True)
    server.start()
    urls = ready.get(timeout=60)
    base = load_config()
    pages = args.columns + 20
    config = base.model_copy(update={
        "crawl": base.crawl.model_copy(update={
            "download_delay_s": 0.0, "autothrottle": False, "retries": 0,
            "concurrent_per_host": 4, "max_pages_per_site": pages, "robots_obey": False}),
        # Small batches, so the sampler sees the rendered count as it grows.
        "storage": base.storage.model_copy(update={"write_batch": 20}),
        "render": base.render.model_copy(update={"policy": "auto",
                                                 "max_pages_per_site": pages}),
        "browser": base.browser.model_copy(update={"max_open_pages": args.max_open_pages}),
    })
    with tempfile.TemporaryDirectory(prefix="govsite-render-memory-") as tmp:
        db = Path(tmp) / "bench.db"
        store = open_store(f"sqlite:///{db}")
        with store.sessions.begin() as session:
            sites = [Site(name=f"测试县人民政府{i}", url=url, kind="portal", registered=True,
                          created_at=utcnow(), updated_at=utcnow()) for i, url in enumerate(urls)]
            session.add_all(sites)
        sampler = Sampler(db, {server.pid}, args.interval)
        sampler.take()
        sampler.start()
        started = time.monotonic()
        run_id = run_inspection(store, config, sites, as_of=date(2026, 11, 16),
                                progress=NullProgress(), evidence=False)
        elapsed = time.monotonic() - started
        sampler.stop.set()
        sampler.join()
        sampler.take()
        with sqlite3.connect(db) as connection:
            stats = json.loads(connection.execute("select stats from runs where id = ?",
                                                  (run_id,)).fetchone()[0])
    server.terminate()
    report(sampler.samples, stats, elapsed, args, browser)
    if args.json:
        args.json.write_text(json.dumps({"stats": stats, "elapsed_s": elapsed,
                                         "samples": [s.__dict__ for s in sampler.samples]},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def report(samples: list[Sample], stats: dict[str, Any], elapsed: float,
           args: argparse.Namespace, browser: str) -> None:
    rendered = stats.get("pages_rendered", 0)
    print(f"browser {browser}; {args.sites} sites x {args.columns} JS columns; "
          f"max_open_pages {args.max_open_pages}")
    print(f"pages stored {stats.get('pages')}, rendered {rendered}, failed {stats.get('failed')}"
          f" in {elapsed:.0f} s ({rendered / max(elapsed, 1e-9):.1f} renders/s)")
    print(f"{'t (s)':>7} {'rendered':>8} {'crawl RSS':>10} {'browser RSS':>12} "
          f"{'browser PSS':>12} {'chromium procs':>15}   (MiB)")
    step = max(1, len(samples) // 25)
    shown = samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else [])
    for s in shown:
        print(f"{s.t:7.0f} {s.rendered:8d} {s.crawl_rss:10.0f} {s.browser_rss:12.0f} "
              f"{s.browser_pss:12.0f} {s.chromium_processes:15d}")
    during = [s for s in samples[:-1] if s.chromium_processes] or samples
    print("at each quarter of the renders, browser running (crawl RSS / browser PSS, MiB):")
    for quarter in (0.25, 0.5, 0.75, 1.0):
        target = rendered * quarter
        hit = next((s for s in during if s.rendered >= target), during[-1])
        print(f"  {quarter:>4.0%} ({hit.rendered:5d} rendered): {hit.crawl_rss:6.0f} / "
              f"{hit.browser_pss:6.0f}")
    last = samples[-1]
    print(f"after the run: crawl RSS {last.crawl_rss:.0f} MiB, {last.chromium_processes} "
          "chromium processes left")
    print(f"peak: crawl RSS {max(s.crawl_rss for s in samples):.0f} MiB, browser RSS "
          f"{max(s.browser_rss for s in samples):.0f} MiB, browser PSS "
          f"{max(s.browser_pss for s in samples):.0f} MiB, chromium processes "
          f"{max(s.chromium_processes for s in samples)}")


if __name__ == "__main__":
    sys.exit(main())
