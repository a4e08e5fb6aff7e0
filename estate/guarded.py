"""Sites behind bot protection and rate limits (issue 14, item 3): blocked is not broken.

Three loopback sites, each on its own address, served by a small server of
their own (the estate server's resources do not depend on cookies):

- `guarded`: every answer is a script challenge (HTTP 412, a page whose
  script computes a cookie from a value in the page and reloads, as 瑞数-style
  services do) until the request carries that cookie; then the site's
  pages. Behind it: two full columns (decoys), a placeholder column (flag)
  and a working consultation form.
- `wall`: the challenge never lets anyone through (the cookie is never
  accepted): the site must be "not judged: blocked by bot protection", never
  unreachable, never a veto.
- `throttled`: the first request for its home page and one column answers
  429 with `Retry-After: 1`; asked again after the wait, the page. Its
  columns are full.
- `expiring`: the guarded site's pages behind a pass that expires: after
  PASS_LIMIT pages answered, the token changes and the challenge comes back
  (computing the new one), as services whose clearance cookie lasts minutes do.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SEED = "q7w3e9r1"
COOKIE = "gs_clearance"
TOKEN = SEED[::-1] + "_ok"  # what the challenge's script computes
SITES = ("guarded", "wall", "throttled", "expiring")
TITLES = {"guarded": "松林县人民政府", "wall": "石门县人民政府", "throttled": "清河县人民政府",
          "expiring": "柳溪县人民政府"}
GUARDED = ("guarded", "expiring")  # the challenge lets these through
PLACEHOLDER_COLUMN = "/zwgk/"  # guarded, expiring: the one empty column
PASS_LIMIT = 6  # expiring: pages answered on one token before it expires
THROTTLED = ("/", "/tzgg/")  # throttled: these answer 429 the first time
FULL_COLUMNS = {"/xwdt/": "新闻动态", "/tzgg/": "通知公告"}


def token(generation: int = 0) -> str:
    """What the challenge's script computes; `expiring` moves to the next generation."""
    return TOKEN if generation == 0 else f"{TOKEN}{generation}"


def challenge_page(generation: int = 0) -> bytes:
    suffix = f"+{generation}" if generation else ""
    script = (f'var s="{SEED}";var t=s.split("").reverse().join("")+"_ok"{suffix};'
              f'document.cookie="{COOKIE}="+t+"; path=/";'
              "setTimeout(function(){location.reload();},300);")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title></title>'
            f'<script type="text/javascript">{script}</script></head>'
            f"<body><p>正在验证您的浏览器…</p></body></html>").encode()


def _page(site: str, title: str, main: str) -> bytes:
    name = TITLES[site]
    nav = "".join(f'<a href="{href}">{text}</a> ' for href, text in (
        ("/", "首页"), *FULL_COLUMNS.items(), (PLACEHOLDER_COLUMN, "政务公开"),
        ("/hdjl/", "在线咨询")))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_{name}</title>'
            f'</head><body><div class="nav">{nav}</div><div class="main">{main}</div>'
            f'<div class="footer">主办单位：{name}办公室 网站标识码：5399990{SITES.index(site) + 2}01'
            "</div></body></html>").encode()


def _items(column: str, as_of: date, count: int) -> str:
    rows = []
    for n in range(count):
        day = as_of - timedelta(days=2 + 3 * n)
        rows.append(f'<li><a href="{column}{day:%Y%m}/t{day:%Y%m%d}_{n + 1}.html">'
                    f"关于做好第{n + 1}批重点工作的通知</a><span>{day.isoformat()}</span></li>")
    return "<ul>" + "".join(rows) + "</ul>"


def content(site: str, path: str, as_of: date) -> bytes | None:
    """The site's own page for a path, or None (404)."""
    bare = path.split("?", 1)[0]
    if bare in ("/", "/index.html"):
        blocks = "".join(f"<h3>{name}</h3>{_items(col, as_of, 5)}"
                         for col, name in FULL_COLUMNS.items())
        return _page(site, "首页", blocks)
    if bare in FULL_COLUMNS:
        return _page(site, FULL_COLUMNS[bare], _items(bare, as_of, 12))
    if bare == PLACEHOLDER_COLUMN:
        return _page(site, "政务公开", "<p>暂无信息</p>" if site in GUARDED
                     else _items(bare, as_of, 6))
    if bare == "/hdjl/":
        form = ('<form action="/hdjl/submit" method="post"><p>标题：<input name="title"></p>'
                '<p>内容：<textarea name="content"></textarea></p>'
                '<input type="submit" value="提交"></form>')
        return _page(site, "在线咨询", f"<p>我们将在5个工作日内答复。</p>{form}")
    for column in (*FULL_COLUMNS, PLACEHOLDER_COLUMN):
        if bare.startswith(column) and bare.endswith(".html"):
            return _page(site, "通知", "<h1>关于做好重点工作的通知</h1><p>"
                         + "各乡镇、各部门：现将有关事项通知如下。" * 8 + "</p>")
    return None


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer

    def do_GET(self) -> None:
        estate = self.server.estate
        site, path = self.server.site, self.path
        estate.requests[(site, path)] += 1
        estate.times.setdefault((site, path), []).append(time.monotonic())
        cookie = self.headers.get("Cookie") or ""
        generation = estate.generation if site == "expiring" else 0
        passed = f"{COOKIE}={token(generation)}" in cookie
        if site == "wall" or (site in GUARDED and not passed):
            return self._send(412, challenge_page(generation))
        if site == "expiring":
            estate.passed()
        if site == "throttled" and path in THROTTLED and estate.requests[(site, path)] == 1:
            return self._send(429, b"Too Many Requests", {"Retry-After": "1"},
                              content_type="text/plain")
        body = content(site, path, estate.as_of)
        if body is None:
            return self._send(404, b"<html><body>404</body></html>")
        return self._send(200, body)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None,
              content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: str, estate: GuardedEstate) -> None:
        super().__init__(address, _Handler)
        self.site, self.estate = site, estate


class GuardedEstate:
    """Serves the three sites on 127.0.3.2 … (ephemeral ports); counts every request."""

    FIRST_IP = 2

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.requests: Counter[tuple[str, str]] = Counter()
        self.times: dict[tuple[str, str], list[float]] = {}
        self.servers: dict[str, _SiteServer] = {}
        self.generation = 0  # expiring: the token in force
        self.passes = 0  # expiring: pages answered on it
        self._lock = threading.Lock()

    def passed(self) -> None:
        """An `expiring` page answered: after PASS_LIMIT of them the token changes."""
        with self._lock:
            self.passes += 1
            if self.passes % PASS_LIMIT == 0:
                self.generation += 1

    def __enter__(self) -> GuardedEstate:
        for n, site in enumerate(SITES):
            server = _SiteServer((f"127.0.3.{self.FIRST_IP + n}", 0), site, self)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers[site] = server
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    def base_url(self, site: str) -> str:
        host, port = self.servers[site].server_address[:2]
        return f"http://{host}:{port}/"

    def registry_csv(self) -> str:
        rows = ["name,url,site_code,organizer,region,kind"]
        for n, site in enumerate(SITES):
            rows.append(f"{TITLES[site]},{self.base_url(site)},53999900{n + 2}1,"
                        f"{TITLES[site]}办公室,云南省,portal")
        return "\n".join(rows) + "\n"
