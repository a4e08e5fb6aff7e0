"""The hostile estate: sites that would hang, flood or fool a crawler, crawled as one run.

Beside the trap site (estate/trap.py: calendar and link loops, a huge page, a
gzip bomb, binary bytes as HTML, a hanging page, redirect chains and loops,
a lying header, out-of-scope addresses) and one ordinary county site, it
serves:

- `hostile` — an endless stream, a page dripping one byte a second, links
  carrying a fresh session id on every answer, a 500 page, malformed HTML (a
  stray `</html>` inside a column's list; a column whose items are all
  commented out), a `<meta>` charset lying about the bytes and GB18030
  characters outside GBK on a page declared GBK;
- `robots-all` — robots.txt disallows everything;
- `all-500` — every page answers 500.

tests/test_hostile.py adds what a loopback HTTP server cannot be: a TLS port
that answers garbage and a name that does not resolve. Every site must end
in bounded time with a finding or a "not judged" reason, the ordinary site
must be judged as in the demo estate, and the whole crawl's memory must stay
under its ceiling.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

from . import trap
from .build import build_estate
from .common import esc
from .model import Estate, Resource, SiteSpec, Truth

ORDINARY = "qingshan"  # a demo-estate county site, judged beside the hostile ones
STREAM_CHUNK = b"<p>" + "持续推送的数据流。".encode() * 2000 + b"</p>\n"
DRIP_S = 1.0
DRIP_MAX_S = 600.0
META_LIES_TITLE = "关于开展安全生产大检查的通知"
GB18030_TITLE = "𠀾村村务公开栏（第三季度）"  # 𠀾 is outside GBK, inside GB18030
COLUMN_STRAY_END = "/tzgg/"  # items after a stray </html>: not empty
COLUMN_COMMENTED = "/zcjd/"  # every item inside <!-- -->: empty to a visitor
SID_PAGES = 5


def _page(title: str, body: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{esc(title)}</title>'
            f"</head><body><h1>{esc(title)}</h1>{body}</body></html>")


def _endless(stopping: threading.Event) -> Iterator[bytes]:
    yield b"<!DOCTYPE html><html><head><title>stream</title></head><body>"
    while not stopping.is_set():
        yield STREAM_CHUNK


def _drip(stopping: threading.Event) -> Iterator[bytes]:
    body = _page("慢速页面", "<p>" + "滴" * 600 + "</p>").encode()
    waited = 0.0
    for byte in body:
        if stopping.wait(DRIP_S) or waited >= DRIP_MAX_S:
            return
        waited += DRIP_S
        yield bytes([byte])


def _with_session(path: str) -> str:
    """A link as a JSP site writes it: a fresh session id in the path and the query."""
    token = uuid.uuid4().hex
    bare, _, query = path.partition("?")
    return f"{bare};jsessionid={token.upper()}?{query + '&' if query else ''}sid={token[:12]}"


def session_pages(path: str) -> Resource | None:
    """/sid/list.jsp and /sid/page.jsp?id=N, every link with a new session id."""
    bare = urlsplit(path).path.split(";")[0]
    links = "".join(f'<li><a href="{_with_session(f"/sid/page.jsp?id={n}")}">第{n}条</a>'
                    f"<span>2026-11-{10 + n:02d}</span></li>" for n in range(1, SID_PAGES + 1))
    if bare == "/sid/list.jsp":
        return Resource(_page("会话列表", f"<ul>{links}</ul>").encode())
    if bare == "/sid/page.jsp":
        return Resource(_page("会话页面", f'<p>正文</p><a href="{_with_session("/sid/list.jsp")}">'
                              f"返回列表</a><ul>{links}</ul>").encode())
    return None


def _items(prefix: str, count: int, month: int = 11) -> list[str]:
    return [f'<li><a href="{prefix}t2026{month:02d}{n:02d}_{n}.html">第{n}号工作通知</a>'
            f"<span>2026-{month:02d}-{n + 3:02d}</span></li>" for n in range(1, count + 1)]


def _column_stray_end() -> str:
    items = _items(COLUMN_STRAY_END, 6)
    # A template that closes the document twice: browsers (and lxml) read on.
    return _page("通知公告", "<ul class='list'>" + "".join(items[:2]) + "</body></html>"
                 + "".join(items[2:]) + "</ul>")


def _column_commented() -> str:
    items = _items(COLUMN_COMMENTED, 4)
    return _page("政策解读", "<ul class='list'><!--" + "".join(items) + "--></ul>"
                 "<!-- <li><a href='/zcjd/old.html'>旧稿</a><span>2026-11-01</span></li> -->")


def _article(title: str) -> Resource:
    return Resource(_page(title, "<p>正文内容。</p><p>发布时间：2026-11-05</p>").encode())


def hostile_site() -> SiteSpec:
    nav = [(COLUMN_STRAY_END, "通知公告"), (COLUMN_COMMENTED, "政策解读"),
           ("/stream.html", "实时数据"), ("/drip.html", "慢速页面"),
           ("/sid/list.jsp", "网上办事"), ("/error.html", "服务器错误"),
           ("/enc/meta-lies.html", "编码声明错误"), ("/enc/gb18030.html", "村务公开"),
           ("/sitemap.html", "网站地图")]
    home = ("<div class='nav'>" + "".join(f'<a href="{h}">{t}</a>' for h, t in nav) + "</div>"
            + "<ul>" + "".join(_items(COLUMN_STRAY_END, 3)) + "</ul>")
    sitemap = "<ul>" + "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in nav[:2]) + "</ul>"
    resources = {
        "/index.html": Resource(_page("恶意结构测试站", home).encode()),
        "/sitemap.html": Resource(_page("网站地图", sitemap).encode()),
        f"{COLUMN_STRAY_END}index.html": Resource(_column_stray_end().encode()),
        f"{COLUMN_COMMENTED}index.html": Resource(_column_commented().encode()),
        "/stream.html": Resource(b"", stream=_endless),
        "/drip.html": Resource(b"", stream=_drip),
        "/error.html": Resource(_page("错误", "<p>Internal Server Error</p>").encode(),
                                status=500),
        # Declares GBK, is UTF-8: the bytes decide.
        "/enc/meta-lies.html": Resource(
            _page(META_LIES_TITLE, "<p>各单位：请按要求开展检查。</p>", "gbk").encode(),
            "text/html"),
        # Declares GBK everywhere, holds a GB18030-only character.
        "/enc/gb18030.html": Resource(
            _page(GB18030_TITLE, "<p>村务公开内容。</p>", "gbk").encode("gb18030"),
            "text/html; charset=gbk"),
    }
    for n in range(1, 7):
        resources[f"{COLUMN_STRAY_END}t202611{n:02d}_{n}.html"] = _article(f"第{n}号工作通知")
    return SiteSpec(name="hostile", template="hostile", site_code="5399990002",
                    organizer="测试单位", region="测试", kind="department", resources=resources,
                    get_handlers={"/sid/": session_pages}, title="恶意结构测试站",
                    domain="hostile.example.gov.cn")


def robots_all_site() -> SiteSpec:
    return SiteSpec(
        name="robots-all", template="hostile", site_code="5399990003", organizer="测试单位",
        region="测试", kind="department", title="禁止抓取测试站",
        domain="robots.example.gov.cn",
        resources={"/robots.txt": Resource(b"User-agent: *\nDisallow: /\n", "text/plain"),
                   "/index.html": Resource(_page("禁止抓取测试站", "<p>首页</p>").encode())})


def all_500_site() -> SiteSpec:
    def error(path: str) -> Resource:
        return Resource(_page("500 Internal Server Error", "<p>服务器内部错误</p>").encode(),
                        status=500)
    return SiteSpec(name="all-500", template="hostile", site_code="5399990004",
                    organizer="测试单位", region="测试", kind="department",
                    title="服务器错误测试站", domain="e500.example.gov.cn",
                    get_handlers={"/": error})


def build_hostile_estate() -> Estate:
    demo = build_estate()
    trap_spec, trap_truth = trap.build()
    # The provincial platform the ordinary site links to is served, not registered.
    sites = [demo.site(ORDINARY), demo.site("platform"), trap_spec, hostile_site(),
             robots_all_site(), all_500_site()]
    truth = [t for t in demo.truth if t.site == ORDINARY] + trap_truth + [
        Truth("hostile", "empty-column", COLUMN_COMMENTED, "flag", "commented-out-items",
              "every item of the list is inside <!-- -->: a visitor sees none"),
        Truth("hostile", "empty-column", COLUMN_STRAY_END, "decoy", "stray-html-end",
              "a stray </body></html> after two items: six items show"),
    ]
    return Estate(sites=sites, truth=truth, as_of=demo.as_of)
