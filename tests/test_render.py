"""Rendering with Chromium: what a citizen sees, and only when needed.

One crawl (module fixture) of two sites through the real CLI, policy `auto`:
the estate's Hanweb county portal (云溪县: columns filled by a POST to
dataproxy.jsp returning XML, one whose endpoint returns no record) and a
small site served here, not Hanweb, whose lists come from fetch()/JSON, with
a page that never finishes loading and one that keeps the browser busy
forever. Assertions read the stored page rows, the run statistics and the
evidence screenshots. A second crawl has no browser at all.

Browser tests skip only when no Chromium is found (CI installs one).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import AS_OF, SCHEMA, tight_config
from lxml import html as lxml_html

from govsite.crawler.browser import ENV_VAR, INSTALL_HINT, find_chromium
from govsite.crawler.render_detect import dated_rows, render_reason, render_signs

CHROMIUM = find_chromium()
browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found")
YUNXI = "云溪县人民政府"
SCRIPTED = "脚本测试站"
NAVIGATION_S = 5
SETTLE_S = 2
MAX_HEIGHT = 2000


# ------------------------------------------------------------------ a script-driven site
def _page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1>{body}<p>主办单位：脚本测试单位</p></body></html>").encode()


ARTICLES = [(f"/art/{n}.html", title, f"2026-11-{10 - n:02d}") for n, title in enumerate(
    ["关于开展秋季森林防火检查的通知", "关于做好冬季安全生产工作的通知",
     "县政府召开常务会议研究部署重点工作"], start=1)]
PAGES = {
    "/": _page(SCRIPTED, '<ul class="nav"><li><a href="/list.html">通知公告</a></li>'
               '<li><a href="/never.html">政策解读</a></li>'
               '<li><a href="/busy.html">工作动态</a></li></ul>'),
    # Not Hanweb: a div filled from JSON by fetch().
    "/list.html": _page("通知公告", """<div class="news-list" id="newsList"></div>
<script>
fetch('/api/news.json').then(function (r) { return r.json(); }).then(function (items) {
  var html = '';
  items.forEach(function (it) {
    html += '<li><a href="' + it.url + '">' + it.title + '</a><span>' + it.date + '</span></li>';
  });
  document.getElementById('newsList').innerHTML = '<ul>' + html + '</ul>';
});
</script>"""),
    # Never finishes loading: a frame and a request the server never answers.
    "/never.html": _page("政策解读", """<ul id="policy_list"></ul>
<iframe src="/hang/frame.html"></iframe>
<script>
var xhr = new XMLHttpRequest(); xhr.open('GET', '/hang/data.json'); xhr.send();
document.getElementById('policy_list').innerHTML =
  '<li><a href="/art/9.html">关于印发政策解读工作方案的通知</a> 2026-11-01</li>';
</script>"""),
    # Keeps the browser busy forever: DOMContentLoaded never comes.
    "/busy.html": _page("工作动态", """<ul id="work_list"></ul>
<script>document.getElementById('work_list'); while (true) {}</script>"""),
    "/api/news.json": json.dumps([{"url": u, "title": t, "date": d} for u, t, d in ARTICLES],
                                 ensure_ascii=False).encode(),
    **{u: _page(t, f"<p>发布日期：{d}</p><p>正文。</p>") for u, t, d in ARTICLES},
    "/art/9.html": _page("关于印发政策解读工作方案的通知", "<p>发布日期：2026-11-01</p>"),
}


class ScriptedSite:
    """Serves PAGES on 127.0.0.1; /hang/... is never answered (until the site stops)."""

    def __init__(self) -> None:
        release = self.release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path.startswith("/hang/"):
                    release.wait(120)
                    return
                body = PAGES.get(path)
                status = 200 if body is not None else 404
                body = body or _page("404", "")
                kind = "application/json" if path.endswith(".json") else "text/html; charset=utf-8"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> ScriptedSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def scripted_site():
    with ScriptedSite() as site:
        yield site


def registry(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("name", "url", "site_code", "organizer", "region", "kind", "render"))
        for name, url, code in rows:
            writer.writerow((name, url, code, "测试单位", "测试", "portal", "auto"))
    return path


def render_config(tmp: Path, **browser_settings: object) -> Path:
    path = tight_config(tmp, render="auto", download_timeout_s=3, analysis_workers=1)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["browser"].update({"navigation_timeout_s": NAVIGATION_S, "settle_timeout_s": SETTLE_S,
                            "settle_quiet_ms": 200, "screenshot_max_height_px": MAX_HEIGHT,
                            **browser_settings})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def page_row(db: Path, url: str) -> dict:
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        found = connection.execute("select * from pages where url = ?", (url,)).fetchall()
    assert len(found) == 1, f"{url}: {len(found)} rows (one per URL: rendered supersedes static)"
    return dict(found[0])


# ------------------------------------------------------------------ the crawl with a browser
@pytest.fixture(scope="module")
def rendered_run(estate_server, scripted_site, tmp_path_factory, cli):
    if CHROMIUM is None:
        pytest.skip("no Chromium found")
    tmp = tmp_path_factory.mktemp("render")
    db = tmp / "render.db"
    config = render_config(tmp)
    sites = registry(tmp / "registry.csv", [
        (YUNXI, estate_server.base_url("yunxi"), "5399220001"),
        (SCRIPTED, scripted_site.url, "5399990002")])
    assert cli("--config", str(config), "sites", "import", str(sites), db=db).code == 0
    output = tmp / "report.json"
    started = time.monotonic()
    result = cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet",
                 "--format", "json", "--output", str(output), db=db, timeout=240)
    elapsed = time.monotonic() - started
    assert result.code in (0, 1), result.stderr
    report = json.loads(output.read_text(encoding="utf-8"))
    return db, report, elapsed, estate_server.base_url("yunxi"), scripted_site.url


@pytest.mark.slow
@browser
@needs_chromium
def test_hanweb_column_renders_with_the_items_its_script_loads(rendered_run) -> None:
    db, _report, _elapsed, yunxi, _ = rendered_run
    column = yunxi + "col/col4512/index.html"
    row = page_row(db, column)
    assert (row["status"], row["rendered"], row["needs_render"]) == (200, 1, 1)
    assert row["render_error"] is None
    assert "list_4512" in row["render_reason"] and "dataproxy" in row["render_reason"]
    assert row["title"].startswith("政务要闻")
    # The list exists only in the rendered DOM; its article links were followed from it.
    followed = rows(db, "select url from pages where referrer = ? and url like ?",
                    column, "%/art/%art_4512_%")
    assert len(followed) >= 5
    # the empty-column check's reading of the same rendered page
    listing = rows(db, "select data from facts where url = ? and kind = 'listing'", column)
    assert listing, f"no listing fact was stored for {column}"
    data = json.loads(listing[0][0])
    assert data["rendered"] and data["items"] >= 15


@pytest.mark.slow
@browser
@needs_chromium
def test_column_whose_endpoint_returns_nothing_stays_empty(rendered_run) -> None:
    db, _report, _elapsed, yunxi, _ = rendered_run
    column = yunxi + "col/col4517/index.html"
    row = page_row(db, column)
    assert (row["rendered"], row["needs_render"], row["render_error"]) == (1, 1, None)
    assert rows(db, "select url from pages where referrer = ? and url like '%/art/%'",
                column) == []
    listing = rows(db, "select data from facts where url = ? and kind = 'listing'", column)
    assert listing, f"no listing fact was stored for {column}"
    data = json.loads(listing[0][0])
    assert data["rendered"] and data["items"] == 0


@pytest.mark.slow
@browser
@needs_chromium
def test_static_pages_stay_on_scrapy(rendered_run) -> None:
    db, _report, _elapsed, yunxi, _ = rendered_run
    static = page_row(db, yunxi + "col/col4515/index.html")  # a plain HTML list
    assert (static["rendered"], static["needs_render"]) == (0, 0)
    home = page_row(db, yunxi)  # rendered for hidden-links alone
    assert (home["rendered"], home["render_error"]) == (1, None)
    assert home["render_reason"].startswith("requested by check hidden-links")
    total, rendered = rows(db, "select count(*), sum(rendered) from pages")[0]
    assert rendered < total / 5  # auto renders only the script-filled columns


@pytest.mark.slow
@browser
@needs_chromium
def test_a_list_loaded_by_fetch_json_renders_too(rendered_run) -> None:
    db, _report, _elapsed, _yunxi, scripted = rendered_run
    row = page_row(db, scripted + "list.html")
    assert (row["rendered"], row["needs_render"]) == (1, 1)
    assert "newsList" in row["render_reason"]
    followed = {url for (url,) in rows(db, "select url from pages where referrer = ?",
                                       scripted + "list.html")}
    assert {scripted + u.lstrip("/") for u, _, _ in ARTICLES} <= followed


@pytest.mark.slow
@browser
@needs_chromium
def test_pages_that_never_finish_loading_do_not_stall_the_crawl(rendered_run) -> None:
    db, _report, elapsed, _yunxi, scripted = rendered_run
    # A frame and a request never answered: read after the bounded settle wait.
    never = page_row(db, scripted + "never.html")
    assert (never["rendered"], never["render_error"]) == (1, None)
    assert rows(db, "select count(*) from pages where referrer = ? and url like '%/art/9.html'",
                scripted + "never.html") == [(1,)]
    # A script that never returns: the render times out, the static copy stands, marked.
    busy = page_row(db, scripted + "busy.html")
    assert (busy["rendered"], busy["needs_render"], busy["status"]) == (0, 1, 200)
    assert busy["render_error"].startswith("render failed: timeout")
    assert rows(db, "select status from runs") == [("done",)]
    assert {status for (status,) in rows(db, "select status from site_crawls")} == {"done"}
    assert elapsed < 90  # the hanging requests are held for 120 s


@pytest.mark.slow
@browser
@needs_chromium
def test_run_statistics_count_rendered_pages_per_site(rendered_run) -> None:
    db, report, _elapsed, _yunxi, _ = rendered_run
    jsonschema.validate(report, SCHEMA)
    stats = report["run"]["stats"]
    per_site = dict(rows(db, "select s.name, c.pages_rendered from site_crawls c "
                             "join sites s on s.id = c.site_id"))
    # 4512, 4513 (XHR), 4514 (XML island), 4517 (empty); and each home page, for hidden-links
    assert per_site[YUNXI] == 5
    assert per_site[SCRIPTED] == 3  # list.html, never.html, the home page
    assert stats["pages_rendered"] == sum(per_site.values())
    assert {name: site["rendered"] for name, site in stats["render"]["sites"].items()} == per_site
    assert stats["render"]["sites"][SCRIPTED]["not_rendered"] == 1  # busy.html
    assert stats["render"]["browser"]
    # busy.html's static copy, read after its render failed, was read by the
    # worker like every other page: none in the crawl process.
    assert stats["analysis"]["workers"] == 1 and stats["analysis"]["read_here"] == 0


def png_facts(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, after checking every chunk's CRC and inflating the image."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert zlib.crc32(kind + chunk) == crc, kind
        if kind == b"IHDR":
            header = struct.unpack(">IIBB", chunk[:10])
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
        position += 12 + length
    assert header is not None
    width, height, depth, color = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    assert len(zlib.decompress(idat)) == height * (1 + width * channels * depth // 8)
    return width, height


@pytest.mark.slow
@browser
@needs_chromium
def test_findings_carry_a_screenshot_of_their_page(rendered_run) -> None:
    db, report, _elapsed, _yunxi, _ = rendered_run
    shots = [(site["name"], f) for site in report["sites"] for f in site["findings"]
             if "screenshot" in f["evidence"]]
    assert shots, "no finding got a screenshot"
    for _name, finding in shots:
        path = db.parent / finding["evidence"]["screenshot"]  # relative to the evidence root
        assert path.is_file() and path.parts[-4] == "govsite-evidence"
        width, height = png_facts(path)
        assert width == 1366 and 100 <= height <= MAX_HEIGHT
    pages = {url for (url,) in rows(db, "select url from pages where status = 200")} | {
        url for (url,) in rows(db, "select final_url from pages where status = 200")}
    for site in report["sites"]:
        for finding in site["findings"]:
            if finding["url"] in pages and "screenshot" not in finding["evidence"]:
                assert finding["evidence"].get("screenshot_error"), finding
    assert report["run"]["stats"]["evidence"]["screenshots"] >= 1


@pytest.mark.slow
@browser
@needs_chromium
def test_no_evidence_takes_no_screenshots(scripted_site, tmp_path: Path, cli) -> None:
    db = tmp_path / "check.db"
    result = cli("--config", str(render_config(tmp_path)), "check", scripted_site.url,
                 "--as-of", AS_OF, "--quiet", "--format", "json", "--no-evidence",
                 db=db, timeout=120)
    assert result.code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert "evidence" not in report["run"]["stats"]
    assert not (tmp_path / "govsite-evidence").exists()
    assert all("screenshot" not in f["evidence"] for s in report["sites"] for f in s["findings"])
    assert report["run"]["stats"]["pages_rendered"] == 3  # list, never, home (hidden-links)


# ------------------------------------------------------------------ no browser at all
@pytest.mark.slow
def test_without_a_browser_the_crawl_runs_and_says_how_to_install_one(
        estate_server, scripted_site, tmp_path: Path, cli) -> None:
    db = tmp_path / "nobrowser.db"
    config = render_config(tmp_path, executable_path=str(tmp_path / "no-such-chromium"),
                           search_system=False)
    sites = registry(tmp_path / "registry.csv", [
        (YUNXI, estate_server.base_url("yunxi"), "5399220001"),
        (SCRIPTED, scripted_site.url, "5399990002")])
    assert cli("--config", str(config), "sites", "import", str(sites), db=db).code == 0
    result = cli("--config", str(config), "crawl", "--as-of", AS_OF, "--quiet",
                 "--format", "json", db=db, timeout=120, env={ENV_VAR: ""})
    assert result.code in (0, 1), result.stderr
    assert result.stderr.count(INSTALL_HINT) == 1, result.stderr
    report = json.loads(result.stdout)
    assert rows(db, "select status from runs") == [("done",)]
    for url in (estate_server.base_url("yunxi") + "col/col4512/index.html",
                scripted_site.url + "list.html"):
        row = page_row(db, url)
        assert (row["status"], row["rendered"], row["needs_render"]) == (200, 0, 1)
        assert row["render_error"] == "not rendered: no browser found"
    assert report["run"]["stats"]["pages_rendered"] == 0
    assert report["run"]["stats"]["render"]["unavailable"] == "no browser found"
    assert report["run"]["stats"]["evidence"]["skipped"] == "no browser found"


def test_browser_search_order(tmp_path: Path, monkeypatch) -> None:
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    other = tmp_path / "other"
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)
    monkeypatch.setenv(ENV_VAR, str(other))
    assert find_chromium(str(fake)) == str(fake)
    assert find_chromium(str(tmp_path / "missing")) == str(other)
    monkeypatch.setenv(ENV_VAR, "")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "empty"))
    assert find_chromium(str(tmp_path / "missing")) is None
    monkeypatch.setenv("PATH", str(tmp_path))
    fake.rename(tmp_path / "chromium")
    assert find_chromium("") == str(tmp_path / "chromium")
    assert find_chromium("", search_system=False) is None


# ------------------------------------------------------------------ the decision, by structure
def _tree(body: str, head: str = "") -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(
        f'<html><head><meta charset="utf-8"><title>t</title>{head}</head><body>'
        '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/a/">机构概况</a></li></ul>'
        f"{body}<p>主办单位：某某县人民政府办公室 网站标识码：5300000001</p></body></html>")


DATED = "".join(f'<li><a href="/art/{n}.html">关于开展第{n}批专项检查工作的通知</a>'
                f"<span>2026-10-{n:02d}</span></li>" for n in range(1, 9))


@pytest.mark.parametrize("body", [
    # jQuery $.ajax into a div named for its list (TRS-like CMSs)
    '<div id="gknr_list"></div><script>$.ajax({url: "/gkml/data.json", success: function (d) '
    '{ $("#gknr_list").html(d.html); }});</script>',
    # an empty tbody filled from a .do endpoint, referenced by class
    '<table class="xxgk-table"><tbody class="rows"></tbody></table><script>'
    'jQuery.post("/interface/list.do?col=12", function (h) { $(".rows").html(h); });</script>',
    # Vue template with bindings
    '<div id="app"><ul><li v-for="item in list"><a :href="item.url">{{ item.title }}</a></li>'
    "</ul></div><script>new Vue({el: '#app', data: {list: []}});</script>",
    # a JavaScript redirect page, nothing else
    "<script>window.location.href = '/portal/index.html';</script>",
    # the column's own list filled by script beside a static sidebar of dated
    # "hot articles": the sidebar's dates must not hide the missing list
    f'<div class="side"><h3>热点文章</h3><ul class="hot">{DATED}</ul></div>'
    '<div class="main"><ul id="list_4512"></ul></div><script>'
    '$.post("/module/web/jpage/dataproxy.jsp", {columnid: 4512}, function (x) '
    '{ $("#list_4512").html(x); });</script>',
    # an inline loop writing the column's items where it stands (old ASP.NET/JSP
    # CMSs), beside a static sidebar of dated items
    f'<ul class="hot">{DATED}</ul><div class="lm_list"><script>var d=[["关于印发方案的通知",'
    '"/News/Show.aspx?id=1","2026-10-09"]];for(var i=0;i<d.length;i++){document.write('
    '"<li><a href=\'"+d[i][1]+"\'>"+d[i][0]+"</a><span>"+d[i][2]+"</span></li>");}</script></div>',
    # a JSONP-style file that writes the list, in a container holding only it
    '<div id="newslist"><script src="/js/list_12.js?callback=show"></script></div>',
])
def test_script_loaded_content_is_detected_whatever_the_cms(body: str) -> None:
    assert render_reason(_tree(body), 3) is not None, render_signs(_tree(body))


@pytest.mark.parametrize("body", [
    # a plain static list, no script
    f'<ul class="list">{DATED}</ul>',
    # a full static list beside a script-filled widget (weather, visit counter)
    f'<ul class="list">{DATED}</ul><div id="weather"></div>'
    "<script>fetch('/weather.json').then(function (r) { return r.json(); });</script>",
    # an article with a share widget and a hit counter filled by script
    '<div class="article"><h1>关于做好秋冬季森林防火工作的通知</h1><p>' + "各乡镇：" * 80 +
    '</p></div><div class="share"></div><span id="hits"></span>'
    "<script>document.getElementById('hits').innerHTML = 12;</script>",
    # an empty list with no script at all (an empty column, not a scripted one)
    '<ul class="list"></ul><div class="no-data">暂无信息</div>',
    # a header that writes today's date, and an analytics tag written by script
    f'<ul class="list">{DATED}</ul><div class="date"><script>document.write("今天是" + '
    'new Date().toLocaleDateString());</script></div><script>document.write(\'<script '
    'src="https://hm.baidu.com/hm.js"></\' + \'script>\');</script>',
])
def test_ordinary_pages_are_not_rendered(body: str) -> None:
    assert render_reason(_tree(body), 3) is None, render_signs(_tree(body))


def test_dated_rows_count_list_items_not_navigation() -> None:
    assert dated_rows(_tree(f'<ul class="list">{DATED}</ul>')) == 8
    assert dated_rows(_tree("")) == 0
