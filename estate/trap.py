"""The trap site: everything a bounded crawler must survive, recorded as check="crawl".

Endless calendar and link loop (served by prefix handlers), an 8 MB page, a
gzip bomb, binary bytes served as text/html, a page that hangs 60 s, an
off-site link, binary files, a robots.txt-disallowed page, a redirect chain
and a redirect loop, and a GBK page whose header claims UTF-8.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from .common import esc
from .factory import CRAWL
from .model import Resource, SiteSpec, Truth

NAME = "trap"
BIG_BYTES = 8 * 1024 * 1024
HANG_S = 60.0
EXTERNAL = "http://www.example.gov.cn/zwgk/index.html"
GBK_TEXT = "关于做好秋冬季森林防火工作的通知"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Addresses and schemes a public site's pages may point at that are never requested.
METADATA = "http://169.254.169.254/latest/meta-data/"
OUT_OF_SCOPE = [(METADATA, "云服务元数据"), ("http://10.1.2.3/admin/", "内网管理"),
                ("http://[fe80::1]/", "链路本地地址"), ("file:///etc/passwd", "本地文件"),
                ("ftp://ftp.example.gov.cn/pub/", "FTP下载")]
LOOP_RE = re.compile(r"^/loop/a(/a)*/?$")


def _html(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"</head><body><h1>{esc(title)}</h1>{body}</body></html>").encode()


def calendar(path: str) -> Resource | None:
    """/calendar?month=N links to N+1 and N-1, forever."""
    query = parse_qs(urlsplit(path).query)
    try:
        month = int(query.get("month", ["1"])[0])
    except ValueError:
        return None
    body = (f"<p>第{month}月 活动日历</p><a href=\"/calendar?month={month + 1}\">下个月</a> "
            f'<a href="/calendar?month={month - 1}">上个月</a>')
    return Resource(_html(f"日历 {month}", body))


def loop(path: str) -> Resource | None:
    """/loop/a, /loop/a/a, ...: each links one level deeper and back to the top."""
    bare = urlsplit(path).path
    if not LOOP_RE.match(bare):
        return None
    depth = bare.rstrip("/").count("/a")
    body = f'<p>深度 {depth}</p><a href="a/a">下一级</a> <a href="/loop/a">返回</a>'
    return Resource(_html(f"循环 {depth}", body))


BOMB_BYTES = 64 * 1024 * 1024  # what /bomb.html inflates to; it travels as ~64 KB of gzip
# Bytes no text decoder makes sense of, served as text/html (a misconfigured file server).
BINARY = bytes((n * 97 + 13) % 256 for n in range(16_384))


@lru_cache(maxsize=1)
def _bomb_body() -> bytes:
    inflated = b"<html><body>" + b"\0" * BOMB_BYTES + b"</body></html>"
    return gzip.compress(inflated, compresslevel=9)


def bomb(path: str) -> Resource | None:
    """A gzip bomb: a small body that inflates to BOMB_BYTES (built once, when asked)."""
    if urlsplit(path).path != "/bomb.html":
        return None
    return Resource(_bomb_body(), headers={"Content-Encoding": "gzip"})


def big_page() -> bytes:
    head = b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>big</title></head><body>'
    tail = b"</body></html>"
    para = "<p>这是一个超大页面，用于测试爬虫的响应大小上限。</p>\n".encode()
    filler = para * ((BIG_BYTES - len(head) - len(tail)) // len(para))
    pad = b" " * (BIG_BYTES - len(head) - len(tail) - len(filler))
    return head + filler + pad + tail


def build() -> tuple[SiteSpec, list[Truth]]:
    links = [
        ("/calendar?month=1", "活动日历"), ("/loop/a", "循环链接"), ("/big.html", "超大页面"),
        ("/slow.html", "很慢的页面"), ("/links.html", "外部链接与附件"),
        ("/private/secret.html", "内部页面"), ("/redirect/1", "跳转链"),
        ("/gbk-wrong.html", "编码错误页面"), (EXTERNAL, "外部网站"),
        ("/scope.html", "范围之外"), ("/go/metadata", "跳转到元数据地址"),
        ("/bomb.html", "压缩炸弹"), ("/binary.html", "二进制页面"), ("/redirect/loop", "跳转循环"),
    ]
    home = "<ul>" + "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in links) + "</ul>"
    gbk = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
           f"<title>{GBK_TEXT}</title></head><body><h1>{GBK_TEXT}</h1>"
           "<p>各乡镇：现将有关事项通知如下。</p></body></html>").encode("gbk")
    resources = {
        "/index.html": Resource(_html("陷阱测试站", home)),
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/private/secret.html": Resource(_html("内部页面", "<p>robots.txt 禁止抓取</p>")),
        "/big.html": Resource(big_page()),
        "/slow.html": Resource(_html("很慢的页面", "<p>终于加载完成</p>"), delay_s=HANG_S),
        "/links.html": Resource(_html("外部链接与附件", (
            f'<a href="{EXTERNAL}">外部政府网站</a> <a href="/files/report.pdf">年度报告（PDF）</a>'
            ' <a href="/files/notice.doc">通知（DOC）</a>'))),
        "/files/report.pdf": Resource(PDF, "application/pdf"),
        "/files/notice.doc": Resource(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
                                      "application/msword"),
        "/redirect/1": Resource(b"", "text/html", 302, {"Location": "/redirect/2"}),
        "/redirect/2": Resource(b"", "text/html", 301, {"Location": "/redirect/3"}),
        "/redirect/3": Resource(b"", "text/html", 302, {"Location": "/landing.html"}),
        "/landing.html": Resource(_html("跳转终点", "<p>经过三次跳转到达</p>")),
        "/gbk-wrong.html": Resource(gbk, "text/html; charset=utf-8"),
        "/scope.html": Resource(_html("范围之外", "".join(
            f'<a href="{h}">{t}</a> ' for h, t in OUT_OF_SCOPE))),
        "/go/metadata": Resource(b"", "text/html", 302, {"Location": METADATA}),
        "/binary.html": Resource(BINARY, "text/html"),
        "/redirect/loop": Resource(b"", "text/html", 302, {"Location": "/redirect/loop"}),
    }
    truth = [
        Truth(NAME, CRAWL, "/calendar?month=1", "flag", "calendar-trap",
              "each month links to the next, forever: bound by query variants / depth"),
        Truth(NAME, CRAWL, "/loop/a", "flag", "link-loop",
              "/loop/a/a/... grows one level per page: bound by depth / URL length"),
        Truth(NAME, CRAWL, "/big.html", "flag", "huge-page",
              f"{BIG_BYTES} bytes: cut at max_response_bytes"),
        Truth(NAME, CRAWL, "/slow.html", "flag", "hanging-page",
              f"answers after {HANG_S:.0f} s: must time out without blocking other requests"),
        Truth(NAME, CRAWL, "/links.html", "flag", "external-link",
              f"links to {EXTERNAL}, which must never be fetched"),
        Truth(NAME, CRAWL, "/files/report.pdf", "flag", "binary-link",
              "recorded as a link, never downloaded"),
        Truth(NAME, CRAWL, "/files/notice.doc", "flag", "binary-link",
              "recorded as a link, never downloaded"),
        Truth(NAME, CRAWL, "/private/secret.html", "flag", "robots-disallowed",
              "linked from home; robots.txt disallows /private/"),
        Truth(NAME, CRAWL, "/redirect/1", "flag", "redirect-chain",
              "302 -> 301 -> 302 -> /landing.html"),
        Truth(NAME, CRAWL, "/scope.html", "flag", "out-of-scope-addresses",
              "links to a metadata service, a private and a link-local address, file:// and "
              "ftp://: none is ever requested"),
        Truth(NAME, CRAWL, "/go/metadata", "flag", "redirect-out-of-scope",
              f"302 to {METADATA}: refused, recorded as out of scope, never requested"),
        Truth(NAME, CRAWL, "/bomb.html", "flag", "gzip-bomb",
              f"~64 KB of gzip inflating to {BOMB_BYTES} bytes: cut at max_response_bytes"),
        Truth(NAME, CRAWL, "/binary.html", "flag", "binary-as-html",
              "16 KB of binary served as text/html: stored, read as nothing, no crash"),
        Truth(NAME, CRAWL, "/redirect/loop", "flag", "redirect-loop",
              "redirects to itself: given up after REDIRECT_MAX_TIMES, recorded"),
        Truth(NAME, CRAWL, "/gbk-wrong.html", "flag", "gbk-wrong-header",
              f"GBK bytes served as charset=utf-8; title is {GBK_TEXT}"),
    ]
    spec = SiteSpec(
        name=NAME, template="trap", site_code="5399990001", organizer="测试单位",
        region="测试", kind="department", resources=resources,
        get_handlers={"/calendar": calendar, "/loop/": loop, "/bomb.html": bomb},
        title="爬虫陷阱测试站", domain="trap.example.gov.cn",
    )
    return spec, truth
