"""Reader defects seen on real government pages (issue 12, "Also seen on real
government pages"): each case is a small page written here, by hand, the way
such templates lay their pages out, never a copy of a third-party page.
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import html

from govsite.checks.base import Fact, PageContext, PageSummary, SiteEvidence, SiteInfo
from govsite.checks.consultation_channel import (
    ConsultationChannel,
    _channel_kind,
    _maintenance_notice,
)
from govsite.checks.empty_column import EmptyColumn
from govsite.extract.labels import label_pairs
from govsite.extract.listing import read_listing
from govsite.extract.messages import board_rows, read_message
from govsite.extract.structure import content_root, element_text, navigation_links
from govsite.web.html import page_links, parse_html

AS_OF = date(2026, 11, 16)
HOME = "http://www.example.gov.cn/"
URL = "http://www.example.gov.cn/gk/xqgk/index.html"
SITE = SiteInfo(id=1, name="某某县人民政府", url=HOME, host="www.example.gov.cn")
FOOTER = ('<div class="ft"><p>主办单位：某某县人民政府办公室</p><p>网站标识码：5301230001 '
          '<a href="https://beian.miit.gov.cn">滇ICP备12345678号</a></p></div>')
PROSE = ("<p>某某县位于某省东南部，总面积一千二百平方公里。"
         "全县辖五个镇、三个乡，常住人口十二万人。</p>")


def page(body: str, title: str = "t", head: str = "") -> html.HtmlElement:
    return parse_html(f"<html><head><title>{title}</title>{head}</head><body>{body}"
                      f"{FOOTER}</body></html>")


def context(body: str, url: str = URL, purpose: str = "crawl", depth: int = 1,
            title: str = "t") -> PageContext:
    text = f"<html><head><title>{title}</title></head><body>{body}{FOOTER}</body></html>"
    tree = parse_html(text)
    return PageContext(site=SITE, url=url, final_url=url, status=200, depth=depth,
                       purpose=purpose, content_type="text/html", encoding="utf-8", title=title,
                       text=text, tree=tree, links=page_links(tree, url), rendered=False,
                       as_of=AS_OF)


def evidence(check, *contexts: PageContext) -> SiteEvidence:
    """What evaluation sees once the crawl has read these pages."""
    facts = [Fact(check.id, c.url, f["kind"], f["data"])
             for c in contexts for f in check.extract(c)]
    pages = [PageSummary(c.url, c.final_url, c.status, c.depth, c.purpose, c.title, None, False)
             for c in contexts]
    return SiteEvidence(SITE, AS_OF, pages, facts)


# ------------------------------------------------------------------ 1. navigation
MAIN_NAV = ('<div class="nav-wrap"><ul><li><a href="/">首页</a></li>'
            '<li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>'
            '<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxq/">走进某县</a></li></ul></div>')


def test_an_in_page_menu_of_anchors_is_not_the_site_navigation() -> None:
    in_page = ('<div class="fullPage-menu"><ul>'
               + "".join(f'<li><a href="#page{n}">{t}</a></li>'
                         for n, t in enumerate(["首页", "要闻动态", "政务公开", "办事服务"], 1))
               + "</ul></div>")
    links = navigation_links(page(in_page + MAIN_NAV), HOME)
    assert [t for _u, t in links] == ["政务公开", "政务服务", "互动交流", "走进某县"]


def test_one_long_item_does_not_reject_a_navigation_bar() -> None:
    bar = ('<table><tr><td><a href="/">网站首页</a> <a href="/xwzx/">新闻中心</a> '
           '<a href="/zwgk/">政务公开</a> <a href="/zwfw/">政务服务</a> '
           '<a href="/hdjl/">互动交流</a> <a href="/ztzl/xxgc/">学习贯彻党的二十大精神专栏</a>'
           '</td></tr></table><div class="list"><a href="/a/1.html">关于开展秋季森林防火工作的通知'
           '</a></div>')
    texts = [t for _u, t in navigation_links(page(bar), HOME)]
    assert texts == ["新闻中心", "政务公开", "政务服务", "互动交流", "学习贯彻党的二十大精神专栏"]


def _mega_menu() -> str:
    leaders = [("张某某", "县委书记"), ("李某某", "县委副书记、县长"), ("王某", "县人大常委会主任"),
               ("赵某某", "县政协主席"), ("钱某", "常务副县长"), ("孙某某", "副县长")]
    items = []
    for n, (top, folder) in enumerate([("新闻中心", "xwzx"), ("政务公开", "zwgk"),
                                       ("政务服务", "zwfw"), ("互动交流", "hdjl"),
                                       ("走进某县", "zjxq"), ("专题专栏", "ztzl")]):
        subs = "".join(f'<li><a href="/{folder}/sub{k}/">{top[:2]}子栏目{k}</a></li>'
                       for k in range(1, 5))
        heads = "".join(
            f'<li><a href="/{folder}/202611/t202611{10 + k}_{n}{k}.html">某县召开第{k}次专题会议'
            f'研究部署冬季安全生产和森林防火工作</a><span>2026-11-{10 + k}</span></li>'
            for k in range(1, 16))
        people = "".join(
            f'<li><a href="/ldzc/{folder}{k}/"><img src="/img/ld{k}.jpg"></a>'
            f'<p><a href="/ldzc/{folder}{k}/">{name}</a></p><span>{post}</span></li>'
            for k, (name, post) in enumerate(leaders))
        items.append(f'<li class="item"><a href="/{folder}/">{top}</a><div class="drop">'
                     f'<ul class="subs">{subs}</ul><ul class="news">{heads}</ul>'
                     f'<ul class="leaders">{people}</ul></div></li>')
    return f'<div class="nav"><ul>{"".join(items)}</ul></div>'


def test_a_mega_menu_gives_its_columns_not_its_headlines_or_people() -> None:
    menu = _mega_menu()
    assert menu.count("<a ") > 150
    links = navigation_links(page(menu), HOME)
    texts = [t for _u, t in links]
    assert texts[:5] == ["新闻中心", "新闻子栏目1", "新闻子栏目2", "新闻子栏目3", "新闻子栏目4"]
    assert len(links) == 6 * 5
    assert not any("会议" in t or t in ("张某某", "李某某", "王某", "孙某某") for t in texts)


# ------------------------------------------------------------------ 2. </html> in an include
def test_content_after_an_included_closing_html_is_still_read() -> None:
    tree = parse_html('<html><head><title>县情概况</title></head><body><div class="header">'
                      '<h1>某某县人民政府</h1></div></body></html>\n'
                      f'<div class="main"><h2>县情概况</h2>{PROSE}</div>{FOOTER}</body></html>')
    root = content_root(tree)
    assert "总面积一千二百平方公里" in element_text(root)
    assert "主办单位" not in element_text(root) and "某某县人民政府" not in element_text(root)
    assert read_listing(tree, URL, AS_OF).prose_chars > 20


# ------------------------------------------------------------------ 3. content named like chrome
def test_an_article_container_named_like_a_menu_is_kept() -> None:
    tree = page('<div class="menu"><a href="/a/">栏目一</a><a href="/b/">栏目二</a>'
                '<a href="/c/">栏目三</a></div>'
                f'<div class="menu_con"><h2>县情概况</h2>{PROSE}</div>')
    text = element_text(content_root(tree))
    assert "总面积一千二百平方公里" in text and "栏目一" not in text


def test_a_menu_of_links_named_menu_con_is_still_chrome() -> None:
    tree = page('<div class="menu_con"><a href="/a/">政务公开</a><a href="/b/">政务服务</a>'
                '<a href="/c/">互动交流</a></div><p>正文。</p>'
                '<div class="bottom"><p>本网站由某某县人民政府办公室主办。建议使用新版浏览器访问本站。</p>'
                '<p>版权所有：某某县人民政府</p></div>')
    text = element_text(content_root(tree))
    assert "政务公开" not in text and "浏览器" not in text


# ------------------------------------------------------------------ 4. undated side menus
SIDE_MENU = ('<div class="left"><h3>政府部门</h3><ul>'
             '<li><a href="/bm/fgj/">县发展和改革局</a></li>'
             '<li><a href="/bm/zrzyj/index.html">县自然资源和规划局</a></li>'
             '<li><a href="/bm/wjw/">县卫生健康委员会</a></li>'
             '<li><a href="/bm/show.jsp?id=7">县人力资源和社会保障局</a></li>'
             '<li><a href="/bm/sthj/">市生态环境局某某分局</a></li></ul></div>')


def test_undated_department_links_are_not_list_items() -> None:
    listing = read_listing(page(SIDE_MENU + '<div class="right"><h2>县自然资源和规划局</h2>'
                                '<p>暂无内容</p></div>'), URL, AS_OF)
    assert listing.items == 0
    assert listing.placeholder == "暂无内容"


def test_undated_article_titles_are_still_items() -> None:
    body = ('<dl><dd><a href="/x/2.html">关于公布2026年第三批行政许可事项的公告</a></dd>'
            '<dd><a href="/x/3.html">某某县2026年第三季度财政预算执行情况</a></dd></dl>')
    assert read_listing(page(body), URL, AS_OF).items == 2


# ------------------------------------------------------------------ 5. a close-window control
@pytest.mark.parametrize("control", [
    '<a href="javascript:window.close()">关闭</a>',
    '<a href="javascript:void(0)" onclick="window.close()"><i class="icon-close"></i>关闭</a>',
    '<a href="javascript:window.close();"><img src="/img/close.png"> 关闭窗口</a>',
    '<a onclick="window.close()"><span class="ico"></span>【关闭】</a>',
    '<span class="close" onclick="window.close()">[关闭]</span>',
    '<button type="button" onclick="window.close()">关闭</button>',
    '<p class="tools">【<a href="javascript:window.print()">打印</a>】'
    '【<a href="javascript:window.close()">关闭</a>】</p>',
    '<div class="btns"><span>关闭</span></div>',
])
def test_a_close_window_control_is_not_a_closed_channel(control: str) -> None:
    body = ('<h2>我要咨询</h2><form action="/hd/save"><textarea name="content"></textarea>'
            f'</form>{control}')
    assert _maintenance_notice(page(body)) is None
    facts = list(ConsultationChannel().extract(context(body, purpose="channel")))
    assert [f["data"]["maintenance"] for f in facts if f["kind"] == "channel-page"] == [None]


@pytest.mark.parametrize(("body", "notice"), [
    ("<p>留言功能已关闭</p>", "留言功能已关闭"),
    ("<div>该栏目暂时关闭</div>", "该栏目暂时关闭"),
    ('<p><a href="/">首页</a>系统维护中，暂停使用</p>', "系统维护中，暂停使用"),
])
def test_a_real_closing_notice_is_still_read(body: str, notice: str) -> None:
    assert _maintenance_notice(page(body)) == notice


# ------------------------------------------------------------------ 6. channels by function
@pytest.mark.parametrize(("text", "kind"), [
    ("部门信箱", "consultation"), ("政府服务热线", "consultation"), ("互动", "consultation"),
    ("我要写信", "consultation"), ("网上信访", "excluded"), ("纪检监察信箱", "excluded"),
    ("互动百科", None),
])
def test_channel_names(text: str, kind: str | None) -> None:
    assert _channel_kind(text) == kind


CONTROLS = (
    '<button onclick="location.href=\'/hd/zx/\'">我要咨询</button>'
    '<input type="button" value="我要写信" '
    'onclick="window.open(\'http://12345.example.gov.cn/write.html\')">'
    '<a href="/hd/ldxx/"><img src="/img/ldxx.png" alt="领导信箱"></a>'
    '<a href="/hd/lyb/"><img src="/img/ly.png" title="我要留言"></a>'
    '<div class="zx" onclick="window.location.href=\'/hd/zxzx/\'"><img src="/i.png">在线咨询</div>'
    '<button onclick="location.href=\'/xf/\'">网上信访</button>'
)


def test_channels_labelled_only_by_controls_are_candidates() -> None:
    check = ConsultationChannel()
    found = {f["data"]["url"]: f["data"]["kind"]
             for f in check.extract(context(CONTROLS, url=HOME, depth=0))
             if f["kind"] == "candidate"}
    assert found == {"http://www.example.gov.cn/hd/zx/": "consultation",
                     "http://12345.example.gov.cn/write.html": "consultation",
                     "http://www.example.gov.cn/hd/ldxx/": "consultation",
                     "http://www.example.gov.cn/hd/lyb/": "consultation",
                     "http://www.example.gov.cn/hd/zxzx/": "consultation",
                     "http://www.example.gov.cn/xf/": "excluded"}


def test_a_button_channel_is_judged_by_what_it_leads_to() -> None:
    check = ConsultationChannel()
    home = context('<button onclick="location.href=\'/hd/zx/\'">我要咨询</button>',
                   url=HOME, depth=0)
    form = context('<h2>在线咨询</h2><form action="save"><textarea name="c"></textarea></form>'
                   '<a href="javascript:window.close()"><i></i>关闭</a>',
                   url="http://www.example.gov.cn/hd/zx/", purpose="channel")
    assert {r.url for r in check.wants(home)} == {form.url}
    assert list(check.evaluate(evidence(check, home, form))) == []
    board = context('<div class="hd"><a href="/hd/">互动</a></div>', url=HOME, depth=0)
    answered = context('<ul><li><a href="/hd/1.html">关于小区停车难的问题</a>'
                       '<span>2026-10-12</span><span>已回复</span></li></ul>',
                       url="http://www.example.gov.cn/hd/", purpose="channel")
    assert list(check.evaluate(evidence(check, board, answered))) == []


# ------------------------------------------------------------------ 7. comments in a list
def test_a_commented_out_element_in_a_definition_list_is_skipped() -> None:
    tree = page('<dl><dt>留言标题</dt><dd>关于小区停车难的问题</dd>'
                '<dt>留言时间</dt><!--<dd>2020-01-01</dd>--><dd>2026-10-12</dd>'
                '<dt>答复单位</dt><!--<dd>县住建局</dd>-->'
                '<dt>答复时间</dt><?php echo 1; ?><dd>2026-10-14</dd></dl>'
                '<h3>答复内容</h3><!-- 正文 --><p>已协调解决。</p>')
    pairs = dict(label_pairs(tree))
    assert pairs["留言时间"] == "2026-10-12" and pairs["答复时间"] == "2026-10-14"
    assert pairs["答复内容"] == "已协调解决。"
    message = read_message(tree, URL, AS_OF)
    assert message is not None and message.replied == "2026-10-14"


def test_comments_are_no_elements_wherever_elements_are_counted() -> None:
    tree = page('<div class="row"><span>承诺时限<!-- 旧 --><!-- 新 --></span><span>5个工作日</span>'
                '</div><ul id="list"><!-- 由脚本填充 --></ul><script>$.ajax({url: "/list"})</script>')
    assert dict(label_pairs(tree))["承诺时限"] == "5个工作日"
    assert read_listing(tree, URL, AS_OF).empty_containers == 1


# ------------------------------------------------------------------ 8. home-page teasers
def test_home_page_message_teasers_are_read_as_rows() -> None:
    tree = page('<div class="hdjl"><div class="tt"><span>政民互动</span><a href="/hdjl/">更多</a>'
                '</div><table>'
                '<tr><td><span class="t">关于城区东门小区停车难问题的建议</span></td>'
                '<td>留言时间：2026-10-12</td><td>已回复</td></tr>'
                '<tr onclick="window.open(\'/hdjl/detail.jsp?id=42\')">'
                '<td><span class="t">咨询城乡居民医保缴费截止时间</span></td>'
                '<td>留言时间：2026-11-02</td><td>办理中</td></tr></table></div>')
    rows = {m.title: m for m in board_rows(tree, HOME, AS_OF)}
    assert set(rows) == {"关于城区东门小区停车难问题的建议", "咨询城乡居民医保缴费截止时间"}
    first, second = rows["关于城区东门小区停车难问题的建议"], rows["咨询城乡居民医保缴费截止时间"]
    assert (first.asked, first.status) == ("2026-10-12", "replied")
    assert (second.asked, second.status) == ("2026-11-02", "unanswered")
    assert second.url == "http://www.example.gov.cn/hdjl/detail.jsp?id=42"
    assert first.url != second.url and first.url.startswith(HOME)


def test_a_board_row_whose_link_opens_its_message_by_script_leads_there() -> None:
    tree = page('<ul><li><a href="javascript:void(0)" onclick="window.open(\'/hd/detail?id=9\')">'
                '关于农村公路破损的问题</a><span>2026-10-20</span><span>已回复</span></li></ul>')
    assert [(m.url, m.title) for m in board_rows(tree, HOME, AS_OF)] == [
        ("http://www.example.gov.cn/hd/detail?id=9", "关于农村公路破损的问题")]


def test_a_teaser_is_judged_once_and_never_fetched() -> None:
    from govsite.checks.reply_overdue import ReplyOverdue

    check = ReplyOverdue()
    teaser = ('<table><tr><td><span>关于城区东门小区停车难…</span></td>'
              '<td>留言时间：2026-08-03</td><td>办理中</td></tr>'
              '<tr><td><span>咨询城乡居民医保缴费截止时间</span></td>'
              '<td>留言时间：2026-08-04</td><td>办理中</td></tr></table>')
    home = context(teaser, url=HOME, depth=0)
    assert [r.purpose for r in check.wants(home)] == []
    board = context('<table><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>'
                    '<tr><td><a href="/hd/7.html">关于城区东门小区停车难问题的建议</a></td>'
                    '<td>2026-08-03</td><td>办理中</td></tr></table>',
                    url="http://www.example.gov.cn/hd/", purpose="board")
    findings = list(check.evaluate(evidence(check, home, board)))
    assert sorted(f.url for f in findings) == [
        f"{HOME}#咨询城乡居民医保缴费截止时间", "http://www.example.gov.cn/hd/7.html"]


def test_a_table_of_service_cases_is_not_read_as_messages() -> None:
    tree = page('<table><tr><td><span>个体工商户设立登记</span></td><td>受理时间：2026-10-12</td>'
                '<td>已办结</td></tr></table>')
    assert board_rows(tree, HOME, AS_OF) == []


# ------------------------------------------------------------------ 9. the platform's banner
LETTER = ('<dl><dt>留言时间</dt><dd>2026-10-12</dd><dt>处理状态</dt><dd>已回复</dd>'
          '<dt>答复时间</dt><dd>2026-10-14</dd></dl>')
PLATFORM = "云南省网上12345政务服务平台"


@pytest.mark.parametrize(("body", "title"), [
    (f'<header><h1>{PLATFORM}</h1></header><main><h2>关于东门小区停车难的问题</h2>{LETTER}</main>',
     f"关于东门小区停车难的问题 - {PLATFORM}"),
    (f'<div class="ptwrap"><h1><a href="/"><img src="/logo.png">{PLATFORM}</a></h1></div>'
     f'<div class="xq"><h3>留言详情</h3><h2>关于东门小区停车难的问题</h2>{LETTER}</div>',
     f"留言详情 - {PLATFORM}"),
    (f'<div class="ptwrap"><h1>{PLATFORM}</h1></div><div class="xq"><h3>留言详情</h3>{LETTER}'
     '</div>', f"关于东门小区停车难的问题_{PLATFORM}"),
])
def test_the_platform_banner_is_not_the_message_subject(body: str, title: str) -> None:
    tree = page(body, title=title, head=f'<meta name="SiteName" content="{PLATFORM}">')
    message = read_message(tree, URL, AS_OF)
    assert message is not None and message.title == "关于东门小区停车难的问题"


def test_a_banner_with_the_logo_or_the_home_link_is_the_site_not_the_subject() -> None:
    tree = page(f'<div class="ptwrap"><h1><a href="/index.html">某某市民热线</a></h1></div>'
                f'<div class="xq"><h2>关于东门小区停车难的问题</h2>{LETTER}</div>', title="留言详情")
    assert read_message(tree, URL, AS_OF).title == "关于东门小区停车难的问题"


def test_a_labelled_subject_wins() -> None:
    tree = page(f'<h1>{PLATFORM}</h1><p>留言标题：咨询医保缴费时间</p>{LETTER}')
    assert read_message(tree, URL, AS_OF).title == "咨询医保缴费时间"


# ------------------------------------------------------------------ 10. single-page columns
def _judge_column(body: str, check: EmptyColumn | None = None) -> list:
    check = check or EmptyColumn()
    home = context(f'<div class="nav"><a href="/">首页</a><a href="{URL}">县情概况</a>'
                   '<a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a></div>',
                   url=HOME, depth=0)
    column = context(body, purpose="column")
    return list(check.evaluate(evidence(check, home, column)))


def test_a_short_single_page_column_with_prose_of_its_own_is_not_empty() -> None:
    body = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; 县情概况</div>{SIDE_MENU}'
            f'<div class="right"><h2>县情概况</h2>{PROSE}</div>')
    assert len(element_text(content_root(page(body)))) < 200
    assert _judge_column(body) == []


@pytest.mark.parametrize("text", [
    "暂无信息", "暂无内容", "正在建设中……", "栏目建设中", "敬请期待！", "升级改版中",
    "内容更新中...", "本栏目正在建设中，敬请期待！", "该栏目升级改版中，暂无内容。",
])
def test_placeholder_text_is_empty(text: str) -> None:
    findings = _judge_column(f'{SIDE_MENU}<div class="right"><h2>县情概况</h2><p>{text}</p></div>')
    assert len(findings) == 1 and findings[0].evidence["reason"].startswith("placeholder")


def test_a_title_breadcrumb_and_menus_without_prose_are_empty() -> None:
    siblings = (f'<ul class="side"><li><a href="{URL}">县情概况</a></li>'
                '<li><a href="/gk/lsyg/">历史沿革</a></li><li><a href="/gk/xzqh/">行政区划</a></li>'
                '<li><a href="/gk/zrdl/">自然地理</a></li></ul>')
    findings = _judge_column(f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; 县情概况</div>'
                             f'{siblings}<div class="right"><h2>县情概况</h2>'
                             '<p>共0条 第1页/共0页</p></div>')
    assert [f.evidence["reason"] for f in findings] == ["no items"]


def test_placeholder_phrases_come_from_the_settings() -> None:
    body = '<div class="right"><h2>县情概况</h2><p>资料整理中，稍后发布。</p></div>'
    assert _judge_column(body) == []
    check = EmptyColumn.configured(placeholders=("资料整理中", "稍后发布"))
    assert [f.evidence["reason"] for f in _judge_column(body, check)] == [
        "placeholder 「资料整理中，稍后发布。」"]


def test_the_bundled_config_lists_the_placeholder_phrases() -> None:
    from govsite.checks.registry import enabled_checks
    from govsite.config import ConfigError, load_config

    config = load_config()
    check = next(c for c in enabled_checks(config) if c.id == "empty-column")
    assert {"暂无信息", "暂无内容", "正在建设中", "栏目建设中", "敬请期待", "升级改版中",
            "内容更新中"} <= set(check.settings.placeholders)
    config.checks["empty-column"] = {**config.checks["empty-column"], "placeholders": [""]}
    with pytest.raises(ConfigError, match=r"checks\.empty-column\.placeholders"):
        enabled_checks(config)

