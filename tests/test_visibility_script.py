"""crawler/visibility.py's script in real Chromium, over a page served on loopback.

Each hiding technique a spammer uses is planted once, beside what must stay
unmarked or be recognised as a panel a visitor opens (tabs, a dropdown).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govsite.crawler.browser import find_chromium, launch_options
from govsite.crawler.expand import EARLIER_PAGES
from govsite.crawler.visibility import CONTRAST, HIDDEN, HIDER, MARK_SCRIPT, META, PANEL

pytestmark = pytest.mark.slow

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<style>
body { margin: 0; font: 14px sans-serif; }
.yc { position: absolute; left: -9999px; top: 0; }
.tiny { font-size: 0; }
.panel { padding: 4px; }
.skip { position: absolute; left: -10000px; }
.skip:focus { left: 0; }
</style></head>
<body>
<a class="skip" href="#main">跳转到主要内容</a>
<div id="main">
<p>新闻 <a id="onsite" href="/news/1.html">本站新闻</a></p>
<div style="display:none"><a id="none" href="http://www.hg-yulecheng.com/">皇冠娱乐城</a></div>
<div class="yc"><a id="offscreen" href="http://www.liuhecai-kj.net/">六合彩开奖</a></div>
<span class="tiny"><a id="font0" href="http://ads.example.net/">代开发票</a></span>
<p style="background:#ffffff"><a id="samecolour" style="color:#fefefe"
   href="http://seo.example.org/">网站优化</a></p>
<div style="visibility:hidden"><span><a id="vis" href="http://vis.example.org/">vis</a></span></div>
<div style="width:0;height:0;overflow:hidden"><a id="zero" href="http://zero.example.org/">zero</a></div>
<div style="opacity:0"><a id="opacity" href="http://op.example.org/">op</a></div>
<div hidden><a id="attr" href="http://attr.example.org/">attr</a></div>
<a id="indent" style="display:block;width:80px;text-indent:-9999px;overflow:hidden"
   href="http://indent.example.org/">indent</a>
<div style="position:absolute;clip:rect(0,0,0,0)"><a id="clip" href="http://clip.example.org/">clip</a></div>
<a onclick="return false" href="#">加入收藏</a><div style="display:none"><a id="afterclick"
   href="http://afterclick.example.org/">afterclick</a></div>
</div>
<div class="friends"><h3>友情链接</h3>
<ul class="tabs"><li onmouseover="tab(0)">国家部委</li><li onmouseover="tab(1)">市县政府</li></ul>
<div class="panel"><a id="tab1" href="http://www.gov.cn/">中国政府网</a></div>
<div class="panel" style="display:none"><a id="tab2" href="http://www.yn.gov.cn/">云南省人民政府</a></div>
</div>
<ul class="menu"><li onmouseover="this.lastElementChild.style.display='block'"><a href="#">部门网站</a>
<ul style="display:none"><li><a id="dropdown" href="http://dept.example.gov.cn/">县教育局</a></li></ul></li></ul>
<div class="footer"><a id="beian" href="https://beian.miit.gov.cn/">滇ICP备05001234号-1</a></div>
<div EARLIER hidden><a id="earlier" href="http://earlier.example.org/">earlier</a></div>
<script>function tab(i) {}</script>
</body></html>""".replace("EARLIER", EARLIER_PAGES)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def marks() -> Iterator[tuple[dict[str, dict[str, str | None]], str | None, int]]:
    executable = find_chromium("")
    assert executable is not None, "these tests need Chromium"
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with sync_playwright() as p:
            options = launch_options(executable)
            browser = p.chromium.launch(**{k: v for k, v in options.items()
                                           if not k.startswith("handle_")})
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            judged = page.evaluate(MARK_SCRIPT)
            found = page.evaluate("""(names) => Object.fromEntries(
                Array.from(document.querySelectorAll('a[id]')).map((a) => [a.id,
                  Object.fromEntries(names.map((n) => [n, a.getAttribute(n)]))]))""",
                                  [HIDDEN, HIDER, PANEL, CONTRAST])
            meta = page.evaluate(f"() => document.querySelector('meta[name={META}]')?.content")
            browser.close()
    finally:
        server.shutdown()
    yield found, meta, judged


@pytest.mark.parametrize("link, how", [
    ("none", "display:none"), ("offscreen", "off-screen"), ("font0", "font-size:0"),
    ("vis", "visibility:hidden"), ("zero", "zero size"), ("opacity", "opacity:0"),
    ("attr", "display:none"), ("indent", "off-screen"), ("clip", "clip"),
    ("afterclick", "display:none")])
def test_each_hiding_technique_is_named(marks, link, how) -> None:
    found, _meta, _judged = marks
    assert found[link][HIDDEN] == how
    assert found[link][PANEL] is None  # nothing visible opens it


def test_hider_is_the_outermost_hiding_element(marks) -> None:
    found, _meta, _judged = marks
    assert found["none"][HIDER] == "div"
    assert found["offscreen"][HIDER] == "div.yc"
    assert found["vis"][HIDER] == "div"


def test_text_the_colour_of_its_background_has_no_contrast(marks) -> None:
    found, _meta, _judged = marks
    assert found["samecolour"][HIDDEN] == ""
    assert found["samecolour"][CONTRAST] == "1"
    assert int(found["beian"][CONTRAST]) > 100  # default link blue on white


def test_visible_offsite_links_are_judged_visible(marks) -> None:
    found, _meta, _judged = marks
    assert found["beian"][HIDDEN] == "" and found["tab1"][HIDDEN] == ""


def test_panels_a_visitor_opens_are_told_apart(marks) -> None:
    found, _meta, _judged = marks
    assert found["tab2"][HIDDEN] == "display:none"
    assert "sibling" in found["tab2"][PANEL]
    assert found["dropdown"][HIDDEN] == "display:none"
    assert "menu entry" in found["dropdown"][PANEL]


def test_onsite_links_and_govsites_own_hidden_lists_are_not_marked(marks) -> None:
    found, meta, judged = marks
    assert found["onsite"] == {HIDDEN: None, HIDER: None, PANEL: None, CONTRAST: None}
    assert found["earlier"][HIDDEN] is None
    assert meta == str(judged) and judged == 15
