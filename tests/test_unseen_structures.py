"""Issue 12's structures, unit by unit: framed lists, forms as columns, XML site maps.

The end-to-end measure is tests/test_families.py (the families estate crawled
and scored); these tests pin each reading on pages written here.
"""

from __future__ import annotations

from datetime import date

import pytest

from govsite.checks.base import Fact, PageContext, PageSummary, SiteEvidence, page_from_html
from govsite.checks.empty_column import EmptyColumn
from govsite.extract.sitemaps import (
    column_candidates,
    looks_like_column_url,
    robots_sitemaps,
    sitemap_locations,
)
from govsite.web.html import frame_sources

AS_OF = date(2026, 11, 16)
HOME = "http://www.example.gov.cn/"
NAV = ('<div class="nav"><a href="/">首页</a><a href="/xwzx/">新闻中心</a>'
       '<a href="/tzgg/">通知公告</a><a href="/hdjl/">互动交流</a><a href="/zwgk/">政务公开</a></div>')
FOOTER = '<div class="ft"><p>主办单位：某某县人民政府办公室 网站标识码：5301230001</p></div>'
ITEMS = "".join(f'<li><a href="/xwzx/202611/t20261{i:03d}_1.html">某某县召开第{i}次工作会议</a>'
                f"<span>2026-11-{i:02d}</span></li>" for i in range(1, 9))


def ctx(body: str, url: str, purpose: str = "column", depth: int = 1, status: int = 200,
        title: str = "栏目") -> PageContext:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return page_from_html(html, url, as_of=AS_OF, purpose=purpose, depth=depth, status=status)


def judge(*pages: PageContext, missing: tuple[str, ...] = ()) -> list:
    """Evaluate empty-column over these pages, read as the crawl reads them."""
    check = EmptyColumn()
    home = ctx(f"{NAV}<p>欢迎访问。</p>{FOOTER}", HOME, purpose="crawl", depth=0, title="首页")
    read = [home, *pages]
    facts = [Fact(check.id, c.url, f["kind"], f["data"]) for c in read for f in check.extract(c)]
    rows = [PageSummary(c.url, c.final_url, c.status, c.depth, c.purpose, c.title, None, False)
            for c in read if c.url not in missing]
    return list(check.evaluate(SiteEvidence(home.site, AS_OF, rows, facts)))


def column_with_frame(src: str) -> PageContext:
    return ctx(f'{NAV}<h2>新闻中心</h2><iframe src="{src}" width="100%" height="800"></iframe>'
               f"{FOOTER}", HOME + "xwzx/")


def test_a_list_in_an_iframe_counts_for_its_column() -> None:
    frame = ctx(f"<ul>{ITEMS}</ul>", HOME + "xwzx/list.html", purpose="frame")
    assert judge(column_with_frame("list.html"), frame) == []


def test_an_empty_framed_list_makes_the_column_empty() -> None:
    frame = ctx('<table><tr><th>标题</th><th>日期</th></tr></table><p>共0条</p>',
                HOME + "xwzx/list.html", purpose="frame")
    [finding] = judge(column_with_frame("list.html"), frame)
    assert finding.url == HOME + "xwzx/" and "framed page" in finding.evidence["reason"]
    assert finding.evidence.get("judged") is not False


def test_a_framed_placeholder_is_named() -> None:
    frame = ctx("<p>暂无信息</p>", HOME + "xwzx/list.html", purpose="frame")
    [finding] = judge(column_with_frame("list.html"), frame)
    assert "暂无信息" in finding.evidence["reason"]


def test_a_frame_that_was_not_fetched_is_not_judged() -> None:
    frame = ctx(f"<ul>{ITEMS}</ul>", HOME + "xwzx/list.html", purpose="frame")
    [finding] = judge(column_with_frame("list.html"), frame, missing=(HOME + "xwzx/list.html",))
    assert finding.evidence["judged"] is False and finding.severity == "warn"


def test_a_frameset_is_judged_by_its_own_frame_not_the_shared_menu() -> None:
    def frameset(column: str) -> PageContext:
        return ctx('<frameset rows="120,*"><frame src="/inc/top.html">'
                   f'<frameset cols="200,*"><frame src="/inc/left.html">'
                   f'<frame src="/{column}/list.html"></frameset></frameset>'
                   "<noframes><body>您的浏览器不支持框架，请升级浏览器。</body></noframes>",
                   f"{HOME}{column}/")
    menu = ctx('<ul><li><a href="/xwzx/">新闻中心</a></li><li><a href="/tzgg/">通知公告</a></li></ul>',
               HOME + "inc/left.html", purpose="frame")
    top = ctx("<h1>某某县人民政府</h1>", HOME + "inc/top.html", purpose="frame")
    full = ctx(f"<ul>{ITEMS}</ul>", HOME + "xwzx/list.html", purpose="frame")
    empty = ctx("<table><tr><th>标题</th></tr></table>", HOME + "tzgg/list.html", purpose="frame")
    findings = judge(frameset("xwzx"), frameset("tzgg"), menu, top, full, empty)
    assert [f.url for f in findings] == [HOME + "tzgg/"]


def test_frame_sources_skip_blank_and_script_frames() -> None:
    page = ctx('<iframe src="about:blank"></iframe><iframe src="javascript:void(0)"></iframe>'
               '<iframe src="/a/list.html"></iframe><frame src="b.html">', HOME + "x/")
    assert frame_sources(page.tree, page.final_url) == [HOME + "a/list.html", HOME + "x/b.html"]


def test_a_column_whose_content_is_a_message_form_is_not_empty() -> None:
    form = ('<form action="/hdjl/submit" method="post"><p>姓名：<input name="name"></p>'
            '<p>内容：<textarea name="content"></textarea></p><button>提交</button></form>')
    assert judge(ctx(f"{NAV}<h2>在线咨询</h2>{form}{FOOTER}", HOME + "hdjl/")) == []
    search = '<form action="/search"><input name="searchword"><button>搜索</button></form>'
    [finding] = judge(ctx(f"{NAV}<h2>在线咨询</h2>{search}{FOOTER}", HOME + "hdjl/"))
    assert finding.evidence["reason"] == "no items"


# ------------------------------------------------------------------ XML site maps
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://www.example.gov.cn/</loc></url>
<url><loc>http://www.example.gov.cn/xwzx/</loc><priority>0.8</priority></url>
<url><loc> http://www.example.gov.cn/projects </loc></url>
<url><loc><![CDATA[http://www.example.gov.cn/zwgk/index.html]]></loc></url>
<url><loc>http://www.example.gov.cn/xwzx/202611/t20261105_123456.html</loc></url>
<url><loc>http://www.example.gov.cn/art/2026/11/5/art_1_2.html</loc></url>
<url><loc>http://other.gov.cn/xwzx/</loc></url>
</urlset>"""


def test_sitemap_locations_and_column_candidates() -> None:
    pages, nested = sitemap_locations(SITEMAP)
    assert nested == [] and len(pages) == 7
    assert column_candidates(pages, "www.example.gov.cn", 10) == [
        HOME + "xwzx/", HOME + "projects", HOME + "zwgk/index.html"]
    assert column_candidates(pages, "www.example.gov.cn", 1) == [HOME + "xwzx/"]


def test_a_sitemap_index_names_its_sitemaps() -> None:
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             "<sitemap><loc>http://www.example.gov.cn/sitemap-1.xml</loc></sitemap></sitemapindex>")
    assert sitemap_locations(index) == ([], [HOME + "sitemap-1.xml"])


def test_robots_txt_names_sitemaps() -> None:
    robots = "User-agent: *\nDisallow: /admin/\nSitemap: http://www.example.gov.cn/sm.xml\n"
    assert robots_sitemaps(robots) == [HOME + "sm.xml"]


@pytest.mark.parametrize(("url", "column"), [
    (HOME + "news", True), (HOME + "xxgk/zcwj/", True), (HOME + "col/col123/index.html", True),
    (HOME + "gkmlpt/index?cat=2642", True), (HOME + "xwzx/t20261105_1.html", False),
    (HOME + "news/2026/11/05/detail", False), (HOME + "a.pdf", False), (HOME, False),
])
def test_column_shaped_urls(url: str, column: bool) -> None:
    assert looks_like_column_url(url) is column


def test_columns_only_in_an_xml_sitemap_are_columns() -> None:
    xml = page_from_html("", HOME + "sitemap.xml", as_of=AS_OF, purpose="xml-sitemap")
    xml.text, xml.tree = SITEMAP, None
    check = EmptyColumn()
    wanted = [w.url for w in check.wants(xml)]
    assert HOME + "projects" in wanted and not any("t2026" in url for url in wanted)
    links = [f["data"] for f in check.extract(xml) if f["kind"] == "column-link"]
    assert {"url": HOME + "projects", "text": "projects", "via": "xml-sitemap",
            "parent": None} in links
    home = ctx(f"{NAV}<p>欢迎访问。</p>{FOOTER}", HOME, purpose="crawl", depth=0)
    empty = ctx(f"{NAV}<h2>重点项目</h2>{FOOTER}", HOME + "projects")
    read = (home, xml, empty)
    facts = [Fact(check.id, c.url, f["kind"], f["data"]) for c in read for f in check.extract(c)]
    rows = [PageSummary(c.url, c.final_url, 200, c.depth, c.purpose, c.title, None, False)
            for c in read]
    findings = list(check.evaluate(SiteEvidence(home.site, AS_OF, rows, facts)))
    assert [(f.url, f.evidence["via"]) for f in findings] == [(HOME + "projects", "xml-sitemap")]


def test_a_frame_from_another_host_is_content_not_judged_as_a_list() -> None:
    column = ctx(f'{NAV}<h2>交通指南</h2><iframe src="https://map.example.com/embed?q=1"></iframe>'
                 f"{FOOTER}", HOME + "jtzn/")
    other = ctx("<div id='map'></div>", "https://map.example.com/embed?q=1", purpose="frame")
    assert judge(column, other) == []


@pytest.mark.parametrize("url", [HOME + "search", HOME + "login/", HOME + "en/", HOME + "rss"])
def test_function_pages_in_a_sitemap_are_not_columns(url: str) -> None:
    assert not looks_like_column_url(url)
