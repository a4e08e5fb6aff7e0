"""The structural readers the checks share, on markup from many CMS styles.

Each case is a small page written the way some real template writes it, so
the readers are held to meaning (labels, dates, structure) and not to the
class names of the estate's templates.
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import html

from govsite.checks.columns import sitemap_columns
from govsite.checks.consultation_channel import _maintenance_notice
from govsite.checks.empty_column import looks_like_column, sub_columns
from govsite.checks.guides import service_list_rows
from govsite.checks.service_guide_time_limit import ServiceGuideTimeLimit
from govsite.extract.forms import message_form as _message_form
from govsite.extract.labels import label_pairs
from govsite.extract.listing import read_listing
from govsite.extract.messages import board_rows, read_message
from govsite.extract.structure import content_root, navigation_links, sitemap_links

AS_OF = date(2026, 11, 16)
URL = "http://www.example.gov.cn/col/col12/index.html"
FOOTER = ('<div class="ft"><p>主办单位：某某县人民政府办公室</p><p>网站标识码：5301230001 '
          '<a href="https://beian.miit.gov.cn">滇ICP备12345678号</a></p>'
          '<a href="https://bszs.conac.cn/x" title="党政机关网站标识"><img src="a.png"></a></div>')


def page(body: str) -> html.HtmlElement:
    return html.document_fromstring(f"<html><head><title>t</title></head><body>{body}"
                                    f"{FOOTER}</body></html>")


# ------------------------------------------------------------------ listing
@pytest.mark.parametrize("body", [
    '<ul><li><a href="/a/1.html">关于开展秋季森林防火工作的通知</a><span>2026-10-15</span></li></ul>',
    '<table><tr><td>·<a href="show.asp?id=1">县政府召开常务会议</a></td><td>2026.10.15</td></tr></table>',
    '<div class="news"><div class="it"><a href="/p/1">县长调研</a><em>[10-15]</em></div></div>',
    '<dl><dd><a href="/x/2.html">关于公布2026年第三批行政许可事项的公告</a></dd></dl>',
    '<div><p><a href="/y/3.shtml" title="我县本年度暂无新增地质灾害隐患点">我县本年度暂无新增…</a>'
    ' 2026年10月15日</p></div>',
])
def test_a_list_with_an_item_is_not_empty(body: str) -> None:
    listing = read_listing(page(body), URL, AS_OF)
    assert listing.items == 1
    assert listing.placeholder is None


@pytest.mark.parametrize(("body", "placeholder"), [
    ('<ul class="list"><li>暂无信息</li></ul>', "暂无信息"),
    ('<div class="zw">暂无数据！</div>', "暂无数据！"),
    ('<table><tr><td align="center">栏目建设中……</td></tr></table>', "栏目建设中……"),
    ('<p>信息正在更新中</p>', "信息正在更新中"),
    ('<div>没有找到相关记录</div>', "没有找到相关记录"),
])
def test_placeholder_standing_alone_is_read(body: str, placeholder: str) -> None:
    listing = read_listing(page(body), URL, AS_OF)
    assert listing.items == 0
    assert listing.placeholder == placeholder


def test_footer_links_and_pagination_are_not_items() -> None:
    body = '<ul id="list"></ul><div class="page"><a href="?p=1">首页</a><a href="?p=2">下一页</a></div>'
    listing = read_listing(page(body), URL, AS_OF)
    assert listing.items == 0


def test_script_loaded_list_is_recognised() -> None:
    body = ('<ul id="list_12"></ul><script>$.post("/module/web/jpage/dataproxy.jsp",'
            '{columnid:12}, function(d){})</script>')
    listing = read_listing(page(body), URL, AS_OF)
    assert listing.items == 0 and listing.script_loading and listing.empty_containers >= 1


def test_records_in_a_script_data_island_are_items() -> None:
    body = ('<div id="12"><script type="text/xml"><datastore><recordset>'
            '<record><![CDATA[<li><a href="/art/2026/10/1/art_12_1.html">关于秋季防火的通知</a>'
            '<span>2026-10-01</span></li>]]></record></recordset></datastore></script></div>')
    assert read_listing(page(body), URL, AS_OF).items == 1


# ------------------------------------------------------------------ structure
@pytest.mark.parametrize("body", [
    '<nav><a href="/">首页</a><a href="/xwzx/">新闻中心</a><a href="/zwgk/">政务公开</a>'
    '<a href="/hdjl/">互动交流</a></nav>',
    '<ul class="menu"><li><a href="/xwzx/">新闻中心</a></li><li><a href="/zwgk/">政务公开</a></li>'
    '<li><a href="/hdjl/">互动交流</a></li></ul>',
    '<table><tr><td><a href="/">网站首页</a> | <a href="/xwzx/">新闻中心</a> | '
    '<a href="/zwgk/">政务公开</a> | <a href="/hdjl/">互动交流</a> | <a href="/bsfw/">办事服务</a>'
    '</td></tr></table>',
])
def test_navigation_is_found_by_structure(body: str) -> None:
    links = navigation_links(page(body), "http://www.example.gov.cn/")
    assert [text for _url, text in links][:3] == ["新闻中心", "政务公开", "互动交流"]


@pytest.mark.parametrize("text", ["网站地图", "站点地图", "网站导航", "Site Map"])
def test_sitemap_link_variants(text: str) -> None:
    tree = page(f'<div class="top"><a href="/sitemap/">{text}</a></div>')
    assert sitemap_links(tree, "http://www.example.gov.cn/") == [
        ("http://www.example.gov.cn/sitemap/", text)]


def test_content_root_drops_header_and_footer_keeps_sub_navigation() -> None:
    tree = page('<div class="header"><a href="/x">我为政府网站找错</a></div>'
                '<div class="sub-nav"><a href="/col/col13/index.html">财政信息</a></div>')
    texts = [a.text_content() for a in content_root(tree).iter("a")]
    assert texts == ["财政信息"]


def test_sitemap_nesting_gives_parents() -> None:
    tree = page('<ul><li><a href="/xwdt/">新闻动态</a><ul><li><a href="/xwdt/gzdt/">工作动态</a>'
                '</li></ul></li></ul><table><tr><td><a href="/a.asp?classid=1">新闻中心</a></td>'
                '<td><a href="/l.asp?classid=11">政务要闻</a></td></tr></table>')
    columns = {c["url"]: c["parent"] for c in sitemap_columns(tree, "http://h/sitemap/")}
    assert columns["http://h/xwdt/gzdt/"] == "http://h/xwdt/"
    assert columns["http://h/l.asp?classid=11"] == "http://h/a.asp?classid=1"
    assert columns["http://h/xwdt/"] is None


def test_a_sidebar_that_links_to_the_page_itself_lists_siblings_not_children() -> None:
    url = "http://h/xwdt/gzdt/"
    siblings = [["http://h/xwdt/gzdt/", "http://h/xwdt/xzdt/"]]
    children = [["http://h/xwdt/gzdt/a/", "http://h/xwdt/gzdt/b/"]]
    assert sub_columns(url, siblings, {}, set()) == []
    assert sub_columns(url, children, {}, set()) == children[0]
    assert sub_columns(url, children, {}, {"http://h/xwdt/gzdt/a/"}) == ["http://h/xwdt/gzdt/b/"]
    assert looks_like_column("http://h/news/list.asp?classid=4")
    assert not looks_like_column("http://h/news/show.asp?id=1201")


# ------------------------------------------------------------------ labels
def test_label_pairs_from_every_layout() -> None:
    tree = page('<table><tr><th>事项名称</th><td>个体工商户设立登记</td></tr>'
                '<tr><td>法定办结时限：</td><td>20个工作日</td><td>承诺办结时限</td><td>即办</td></tr>'
                '</table><dl><dt>收费标准</dt><dd>不收费</dd></dl><p>办理地点：县政务服务中心</p>'
                '<div class="row"><span class="label">咨询电话：</span>'
                '<span class="value">0871-1234567</span></div>')
    pairs = dict(label_pairs(tree))
    assert pairs["事项名称"] == "个体工商户设立登记"
    assert pairs["法定办结时限"] == "20个工作日"
    assert pairs["承诺办结时限"] == "即办"
    assert pairs["收费标准"] == "不收费"
    assert pairs["办理地点"] == "县政务服务中心"
    assert pairs["咨询电话"] == "0871-1234567"


def test_a_data_table_gives_no_label_pairs() -> None:
    tree = page('<table><tr><th>序号</th><th>事项名称</th><th>承诺时限</th></tr>'
                '<tr><td>1</td><td><a href="/g/1.html">企业投资项目备案</a></td><td>当场办结</td></tr>'
                '</table>')
    assert not [p for p in label_pairs(tree) if "时限" in p[0] or "办结" in p[0]]
    rows = service_list_rows(tree, "http://h/list/")
    assert rows == [{"url": "http://h/g/1.html", "name": "企业投资项目备案", "committed": "当场办结"}]


# ------------------------------------------------------------------ messages
@pytest.mark.parametrize(("body", "asked", "replied", "status"), [
    ('<table><tr><th>信件标题</th><td>关于路灯的咨询</td></tr><tr><th>留言时间</th>'
     '<td>2026-11-02 10:00</td></tr><tr><th>办理状态</th><td>已回复</td></tr>'
     '<tr><th>回复时间</th><td>2026-11-05</td></tr></table>', "2026-11-02", "2026-11-05", "replied"),
    ('<div class="row"><span>诉求标题：</span><span>噪音扰民</span></div><div class="row">'
     '<span>提交时间：</span><span>2026年10月12日</span></div><div class="row"><span>办理状态：'
     '</span><span>办理中</span></div><div class="row"><span>答复内容：</span><span></span></div>',
     "2026-10-12", None, "unanswered"),
    ('<p><b>标题：</b>咨询社保转移</p><p><b>来信日期：</b>2026/9/30</p>'
     '<p><b>答复日期：</b>2026/10/9</p><p><b>答复内容：</b>您好……</p>',
     "2026-09-30", "2026-10-09", "replied"),
])
def test_a_message_page_is_read_by_its_labels(body, asked, replied, status) -> None:
    message = read_message(page(body), "http://h/m/1.html", AS_OF)
    assert message is not None
    assert (message.asked, message.replied, message.status) == (asked, replied, status)


def test_an_article_is_not_a_message() -> None:
    tree = page('<h1>县政府召开常务会议</h1><p>发布时间：2026-11-02</p><p>会议要求……</p>')
    assert read_message(tree, "http://h/a/1.html", AS_OF) is None


def test_board_rows_use_the_header_to_tell_asked_from_replied() -> None:
    tree = page('<table><tr><th>标题</th><th>回复时间</th><th>留言时间</th><th>状态</th></tr>'
                '<tr><td><a href="/m/1.html">咨询公积金提取</a></td><td>2026-10-20</td>'
                '<td>2026-10-09</td><td>已回复</td></tr>'
                '<tr><td><a href="/m/2.html">反映路面破损</a></td><td></td>'
                '<td>2026-06-01</td><td>未回复</td></tr></table>')
    rows = {m.url: m for m in board_rows(tree, "http://h/m/", AS_OF)}
    assert rows["http://h/m/1.html"].asked == "2026-10-09"
    assert rows["http://h/m/1.html"].replied == "2026-10-20"
    assert rows["http://h/m/2.html"].status == "unanswered"


# ------------------------------------------------------------------ channels
def test_a_search_box_is_not_a_message_form() -> None:
    assert not _message_form(page('<form action="/search"><input name="searchword">'
                                  '<button>搜索</button></form>'))
    assert _message_form(page('<form><input name="title"><textarea name="content"></textarea>'
                              '</form>'))


def test_maintenance_notices_are_read() -> None:
    assert _maintenance_notice(page("<div><p>系统升级维护中，暂停使用</p></div>"))
    assert _maintenance_notice(page('<a href="/x">系统维护公告</a><p>欢迎留言</p>')) is None


# ------------------------------------------------------------------ guides
@pytest.mark.parametrize(("legal", "committed", "listed", "problem"), [
    ([], [], [], "missing"),
    (["20个工作日"], ["按规定时限办理"], [], "non-specific"),
    (["20个工作日", "十五个工作日"], ["10个工作日"], [], "inconsistent"),
    (["20个工作日"], ["10个工作日"], ["15个工作日"], "inconsistent"),
    (["20个工作日"], ["30个工作日"], [], "commitment-exceeds-legal"),
    (["二十个工作日"], ["20个工作日"], [], None),
    (["20个工作日"], ["即办"], ["当场办结"], None),
    (["20日"], ["15个工作日"], [], None),  # not provably longer under every reading
])
def test_guide_problems(legal, committed, listed, problem) -> None:
    guide = {"legal": legal, "committed": committed, "unspecified": [], "name": "x"}
    found = ServiceGuideTimeLimit._problem(guide, listed)
    assert (found[0] if found else None) == problem


def test_label_pairs_from_div_grids_and_numbered_headings() -> None:
    tree = page('<div class="grid"><div class="item"><div class="name">法定时限</div>'
                '<div class="val">20个工作日</div></div></div>'
                '<div class="guide-text"><h3>七、办理时限</h3><p>法定办结时限：依法定时限；'
                '承诺办结时限：按法定时限办理。</p><h3>（八）收费标准</h3><p>不收费</p></div>')
    pairs = dict(label_pairs(tree))
    assert pairs["法定时限"] == "20个工作日"
    assert pairs["收费标准"] == "不收费"
    assert pairs["办理时限"].startswith("法定办结时限：依法定时限")


def test_a_service_list_of_div_items_is_read_as_a_list() -> None:
    tree = page('<div class="sx-list"><div class="sx-item"><a href="/g/1.html">临时救助申请</a>'
                '<span>承诺时限：—</span><span>2026/09/01</span></div><div class="sx-item">'
                '<a href="/g/2.html">建设工程消防验收</a><span>承诺时限：30个工作日</span>'
                '<span>2026/09/02</span></div></div>')
    rows = {row["url"]: row["committed"] for row in service_list_rows(tree, "http://h/l/")}
    assert rows == {"http://h/g/1.html": "—", "http://h/g/2.html": "30个工作日"}


# ------------------------------------------------------------------ word tests before the tree
def _context(body: str):
    from govsite.checks.base import PageContext, SiteInfo
    from govsite.web.html import parse_html

    text = f"<html><head><title>t</title></head><body>{body}{FOOTER}</body></html>"
    site = SiteInfo(id=1, name="s", url="http://www.example.gov.cn/", host="www.example.gov.cn")
    return PageContext(site=site, url=URL, final_url=URL, status=200, depth=2, purpose="crawl",
                       content_type="text/html", encoding="utf-8", title="t", text=text,
                       tree=parse_html(text), links=[], rendered=False, as_of=AS_OF)


@pytest.mark.parametrize("limit_label", [
    "承诺时限", "承 诺 时 限", "承&nbsp;诺&nbsp;时&nbsp;限", "&#25215;&#35834;&#26102;&#38480;",
    "承诺<b>时限</b>"])
def test_a_guide_is_read_however_its_labels_are_spaced_split_or_encoded(limit_label) -> None:
    """The cheap word tests run on the page's compact text, so labels padded
    with spaces, written as entities or split by tags still reach the reader."""
    body = ('<h1>建设工程消防验收办事指南</h1><table>'
            '<tr><th>事 项 名 称</th><td>建设工程消防验收</td></tr>'
            '<tr><th>设 定 依 据</th><td>《中华人民共和国消防法》</td></tr>'
            '<tr><th>申 请 条 件</th><td>工程竣工</td></tr>'
            '<tr><th>法 定 时 限</th><td>二十个工作日</td></tr>'
            f'<tr><th>{limit_label}</th><td>按规定时限办理</td></tr></table>')
    facts = list(ServiceGuideTimeLimit().extract(_context(body)))
    guides = [f["data"] for f in facts if f["kind"] == "guide"]
    assert len(guides) == 1
    assert guides[0]["legal"] == ["二十个工作日"]
    assert guides[0]["committed"] == ["按规定时限办理"]


def test_a_page_without_guide_words_is_not_read_as_a_guide() -> None:
    body = "<h1>县政府召开常务会议</h1><p>会议听取了有关工作汇报，研究部署下一阶段工作。</p>"
    assert list(ServiceGuideTimeLimit().extract(_context(body))) == []


def test_a_listing_with_items_keeps_only_what_judging_needs() -> None:
    """Pages with items are never judged empty: their fact stays small (a
    20,000-page site stores one per page), an itemless page's holds the rest."""
    full = read_listing(page('<ul><li><a href="/a/1.html">关于开展秋季森林防火工作的通知</a>'
                             '<span>2026-10-15</span></li></ul>'), URL, AS_OF).as_fact()
    assert set(full) == {"items", "dated_items", "item_urls"} and full["items"] == 1
    empty = read_listing(page("<div class='list'><p>暂无信息</p></div>"), URL, AS_OF).as_fact()
    assert empty["items"] == 0 and empty["placeholder"] == "暂无信息"
    assert {"content_chars", "script_loading", "inner_groups"} <= set(empty)


def test_asking_for_the_first_item_only_stops_there_and_changes_no_empty_verdict() -> None:
    """empty-column only asks whether a page has items (most pages have); it
    must get the same answer as a full count, itemless pages included."""
    rows = "".join(f'<li><a href="/a/{i}.html">关于开展第{i}批森林防火检查的通知</a>'
                   f"<span>2026-10-{i + 10}</span></li>" for i in range(6))
    full = read_listing(page(f"<ul>{rows}</ul>"), URL, AS_OF)
    first = read_listing(page(f"<ul>{rows}</ul>"), URL, AS_OF, first_item_only=True)
    assert full.items == 6 and first.items == 1 and first.item_urls == full.item_urls[:1]
    for body in ("<div class='list'><p>暂无信息</p></div>",
                 '<ul><li><a href="/a/1.html">更多</a></li></ul><div id="list"></div>'):
        assert read_listing(page(body), URL, AS_OF, first_item_only=True) == \
            read_listing(page(body), URL, AS_OF)


def test_compact_text_is_what_a_visitor_reads_without_scripts_or_styles() -> None:
    context = _context('<p>办 理 时 限：5个工作日</p><script>var label = "承诺时限";</script>'
                       "<style>.x{content:'收费标准'}</style>")
    text = context.compact_text()
    assert "办理时限：5个工作日" in text and text.startswith("t")  # the title is read too
    assert "承诺时限" not in text and "收费标准" not in text


def test_maintenance_notice_reads_only_nodes_with_the_words_it_is_given() -> None:
    tree = page('<p>系统升级维护中，暂停使用</p><a href="javascript:close()">关闭</a>')
    assert _maintenance_notice(tree) == "系统升级维护中，暂停使用"
    assert _maintenance_notice(tree, ("维护",)) == "系统升级维护中，暂停使用"
    assert _maintenance_notice(tree, ("关闭",)) is None  # only inside a link
    assert _maintenance_notice(tree, ()) is None


def test_guide_word_tests_let_through_every_label_the_rules_name() -> None:
    """The compact-text word test must never stop a page whose labels the
    element rules would match: each label word holds one of the tested words."""
    from govsite.checks.guides import (
        KEY_ELEMENT_LABELS,
        KEY_ELEMENT_WORDS,
        KEY_ELEMENTS,
    )

    for key, labels in KEY_ELEMENT_LABELS.items():
        for label in labels:
            word = label.removesuffix("$")
            assert KEY_ELEMENTS[key].search(word), (key, word)
            assert any(tested in word for tested in KEY_ELEMENT_WORDS[key]), (key, word)
    assert not KEY_ELEMENTS["name"].search("事项指南")  # 事项 only ends a label
