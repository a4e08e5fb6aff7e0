"""Family "framed": column lists that live in another document than the column page.

Two sites of a fictional county in Jiangxi, built the way many county sites
of the 2010s still are:

- 桐溪县人民政府 (`tongxi`): a column page carries the breadcrumb, the column
  title and one `<iframe>` whose document (`list.html`, `list_2.html` …) is
  the list; the outer page has no items of its own. A county overview of
  three sentences (< 200 characters) is a single-page column; placeholder
  columns say 正在建设中 / 敬请期待; the only consultation entry is a
  `<button onclick="location.href='…'">我要咨询</button>` in the home page's
  互动 block (no link text names it).
- 桐溪县教育体育局 (`tongxi-jyj`): columns built as a `<frameset>` (top frame
  with the site header, a left frame with a menu of columns, the list frame,
  a bottom frame with the footer); the consultation entry is an
  `<a class="btn">我要咨询</a>` leading to a form page that has a "close
  window" control (`javascript:window.close()` with an icon before 关闭).
"""

from __future__ import annotations

import random
from datetime import date

from .base import (
    CONSULT,
    EMPTY,
    NEEDS_RENDER,
    Article,
    Family,
    FamilySite,
    Identity,
    articles,
    esc,
    footer,
    thanks,
)

TEMPLATE = "framed"
PER_PAGE = 15

COUNTY = Identity(
    name="tongxi", title="桐溪县人民政府", organizer="桐溪县人民政府办公室",
    region="江西省赣川市桐溪县", site_code="3607310001", kind="portal",
    domain="www.tongxi.gov.cn", icp="赣ICP备07310001号-1", police="赣公网安备 36073102000101号",
    phone="0797-7321001", address="桐溪县桐江镇府前路1号",
)
BUREAU = Identity(
    name="tongxi-jyj", title="桐溪县教育体育局", organizer="桐溪县教育体育局",
    region="江西省赣川市桐溪县", site_code="3607310012", kind="department",
    domain="jyj.tongxi.gov.cn", icp="赣ICP备07310012号-1", police="赣公网安备 36073102000112号",
    phone="0797-7325612", address="桐溪县桐江镇文教路18号",
)

# 县情概况 / 单位概况: real prose, short (checked below: < 200 characters, 2-4 sentences).
COUNTY_OVERVIEW = ("桐溪县位于江西省南部、赣川市东南部，东与福建省接壤，国土面积1526平方公里，"
                   "辖8镇5乡、148个行政村。县境山地丘陵占八成以上，森林覆盖率78.6%，"
                   "是国家重点生态功能区。2025年末全县户籍人口31.2万人，地区生产总值142.6亿元。")
BUREAU_OVERVIEW = ("桐溪县教育体育局是县人民政府工作部门，负责全县学前教育、义务教育、高中阶段教育"
                   "和体育工作的统筹管理。局机关内设办公室、基础教育股、计划财务股、"
                   "体育股等7个股室，全县现有各级各类学校126所。")

CLOSE_CONTROL = ('<a class="close-btn" href="javascript:window.close()">'
                 '<i class="iconfont icon-guanbi"></i>关闭</a>')


def _sentences(text: str) -> int:
    return text.count("。")


for _text in (COUNTY_OVERVIEW, BUREAU_OVERVIEW):
    assert len(_text) < 200 and 2 <= _sentences(_text) <= 4, (len(_text), _text)


def _art_path(col: str, art: Article) -> str:
    return f"/{col}/{art.day:%Y%m}/t{art.day:%Y%m%d}_{art.art_id}.html"


def _list_doc(site: FamilySite, col: str, name: str, arts: list[Article], target: str) -> None:
    """The framed document(s): `list.html`, `list_2.html` … with the column's items."""
    pages = [arts[i:i + PER_PAGE] for i in range(0, len(arts), PER_PAGE)] or [[]]
    for n, chunk in enumerate(pages):
        rows = "".join(
            f'<li><a href="{_art_path(col, a)}" target="{target}" title="{esc(a.title)}">'
            f'{esc(a.title)}</a><span class="date">{a.day.isoformat()}</span></li>' for a in chunk)
        nav = [f"共{len(arts)}条　{n + 1}/{len(pages)}页"]
        if n > 0:
            prev = "list.html" if n == 1 else f"list_{n}.html"
            nav.append(f'<a href="{prev}">上一页</a>')
        if n + 1 < len(pages):
            nav.append(f'<a href="list_{n + 2}.html">下一页</a>')
            nav.append(f'<a href="list_{len(pages)}.html">尾页</a>')
        site.html(f"/{col}/list.html" if n == 0 else f"/{col}/list_{n + 1}.html", f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(name)}</title>
<link rel="stylesheet" href="/css/list.css"></head>
<body class="list-body"><ul class="list">{rows}</ul>
<div class="page">{" ".join(nav)}</div></body></html>""")


def _empty_list_doc(site: FamilySite, col: str, name: str, placeholder: str = "") -> None:
    """A framed list with nothing in it: a bare table head, or a placeholder line."""
    inner = (f'<div class="nodata">{esc(placeholder)}</div>' if placeholder else
             '<table class="list" width="100%"><tr><th>标题</th><th width="120">发布日期</th></tr>'
             "</table>")
    site.html(f"/{col}/list.html", f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(name)}</title></head>
<body class="list-body">{inner}<div class="page">共0条　1/1页</div></body></html>""")


def _article_pages(site: FamilySite, col: str, name: str, arts: list[Article],
                   frame: object) -> None:
    for a in arts:
        body = "".join(f"<p>{esc(p)}</p>" for p in a.paragraphs)
        main = (f'<div class="article"><h1>{esc(a.title)}</h1>'
                f'<div class="info">发布时间：{a.day.isoformat()}　来源：{esc(site.ident.title)}</div>'
                f'<div class="content" id="zoom">{body}</div>'
                f'<div class="tools"><a href="javascript:window.print()">【打印本页】</a>'
                f'<a href="javascript:window.close()">【关闭窗口】</a></div></div>')
        site.html(_art_path(col, a), frame(a.title, name, main))  # type: ignore[operator]


def _written_list(col: str, arts: list[Article]) -> str:
    """A list an inline script writes in place, from a data array in the page."""
    data = ",".join(f'["{esc(a.title)}","{_art_path(col, a)}","{a.day.isoformat()}"]'
                    for a in arts)
    return (f'<div class="lm_list"><ul><script type="text/javascript">var infos=[{data}];'
            "for(var i=0;i<infos.length;i++){document.write('<li><a href=\"'+infos[i][1]+'\" "
            "target=\"_blank\">'+infos[i][0]+'</a><span class=\"date\">'+infos[i][2]+"
            "'</span></li>');}</script></ul></div>")


# --- 桐溪县人民政府: iframe columns --------------------------------------------------------
def _county(as_of: date, truth: list) -> FamilySite:
    site = FamilySite(COUNTY, TEMPLATE, truth)
    ident = COUNTY
    rng = random.Random("framed:tongxi")
    org, place = ident.title, "桐溪县"
    nav = [("首页", "/"), ("县情概况", "/xqgk/"), ("工作动态", "/xwzx/gzdt/"),
           ("通知公告", "/xwzx/tzgg/"), ("人事信息", "/zwgk/rsxx/"), ("重大项目", "/zwgk/zdxm/"),
           ("政策解读", "/zcjd/"), ("招商引资", "/zsyz/"), ("专题专栏", "/ztzl/")]

    def frame(title: str, column: str, main: str) -> str:
        links = "".join(f'<td><a href="{href}">{esc(text)}</a></td>' for text, href in nav)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="SiteName" content="{ident.title}" /><meta name="SiteDomain" content="{ident.domain}" />
<meta name="SiteIDCode" content="{ident.site_code}" /><meta name="ColumnName" content="{esc(column)}" />
<title>{esc(title)}_{ident.title}</title><link rel="stylesheet" href="/css/style.css" /></head>
<body><div class="top"><div class="w1000"><span>欢迎访问{ident.title}门户网站</span>
<a href="/wzdt/">网站地图</a> <a href="javascript:void(0)" onclick="SetHome(this)">设为首页</a></div></div>
<div class="banner"><img src="/images/banner.jpg" alt="{ident.title}" /></div>
<table class="nav" width="1000" align="center"><tr>{links}</tr></table>
<div class="w1000 mainbox">{main}</div>
{footer(ident)}</body></html>"""

    def column_page(col: str, name: str, parent: str, body: str) -> None:
        main = (f'<div class="position">当前位置：<a href="/">首页</a> &gt; {esc(parent)} &gt; '
                f'{esc(name)}</div><div class="lm-title"><span>{esc(name)}</span></div>'
                f'<div class="lm-body">{body}</div>')
        site.html(f"/{col}/index.html", frame(name, name, main))

    def iframe(col: str) -> str:
        return (f'<iframe id="listFrame" name="listFrame" src="/{col}/list.html" width="100%" '
                'height="780" frameborder="0" scrolling="no" marginheight="0" marginwidth="0" '
                'onload="this.height=this.contentWindow.document.body.scrollHeight"></iframe>')

    # Full framed lists (decoys): the items are in list.html only.
    gzdt = articles(rng, as_of, 26, "news", org, place, 50101)
    tzgg = articles(rng, as_of, 11, "notice", org, place, 50401, gap=(3, 12))
    for col, name, arts in (("xwzx/gzdt", "工作动态", gzdt), ("xwzx/tzgg", "通知公告", tzgg)):
        column_page(col, name, "新闻中心", iframe(col))
        _list_doc(site, col, name, arts, "_blank")
        _article_pages(site, col, name, arts, frame)
        site.decoy(EMPTY, f"/{col}/", "framed-has-records",
                   f"the column page holds only an <iframe>; /{col}/list.html lists {len(arts)} "
                   "items" + (" over 2 pages" if len(arts) > PER_PAGE else ""))
    # Empty framed lists (flags).
    column_page("zwgk/rsxx", "人事信息", "政务公开", iframe("zwgk/rsxx"))
    _empty_list_doc(site, "zwgk/rsxx", "人事信息")
    site.flag(EMPTY, "/zwgk/rsxx/", "blank",
              "framed list /zwgk/rsxx/list.html: a table head and no rows")
    column_page("zwgk/zdxm", "重大项目", "政务公开", iframe("zwgk/zdxm"))
    _empty_list_doc(site, "zwgk/zdxm", "重大项目", "暂无信息")
    site.flag(EMPTY, "/zwgk/zdxm/", "placeholder", "framed list /zwgk/zdxm/list.html says 暂无信息")
    # A single-page column with short prose of its own (decoy).
    column_page("xqgk", "县情概况", "走进桐溪",
                f'<div class="content" id="zoom"><p>{esc(COUNTY_OVERVIEW)}</p></div>'
                '<div class="update">更新时间：2026-03-02</div>')
    site.decoy(EMPTY, "/xqgk/", "single-page",
               f"{_sentences(COUNTY_OVERVIEW)} sentences, {len(COUNTY_OVERVIEW)} characters of prose (< 200), no list")
    # Lists an inline loop writes where it stands (document.write, old JSP/ASP.NET CMSs):
    # a full one (decoy) and one whose data array is empty (flag); both need render.
    zcjd = articles(rng, as_of, 9, "notice", org, place, 50701, gap=(5, 20))
    column_page("zcjd", "政策解读", "政务公开", _written_list("zcjd", zcjd))
    _article_pages(site, "zcjd", "政策解读", zcjd, frame)
    site.decoy(EMPTY, "/zcjd/", "js-has-records",
               f"{NEEDS_RENDER}: an inline loop document.write()s {len(zcjd)} items; the static "
               "HTML shows only the script")
    column_page("zcjd/jdhy", "解读回应", "政务公开", _written_list("zcjd/jdhy", []))
    site.flag(EMPTY, "/zcjd/jdhy/", "js-empty",
              f"{NEEDS_RENDER}: the inline loop's data array is empty, the page shows no item")
    # Placeholder columns (flags).
    for col, name, words in (("zsyz", "招商引资", "正在建设中"), ("ztzl", "专题专栏", "敬请期待")):
        column_page(col, name, "首页", f'<div class="building"><img src="/images/jianshe.gif" '
                    f'alt="">{words}……</div>')
        site.flag(EMPTY, f"/{col}/", "placeholder", words)

    # The consultation channel: a button, not a link.
    form = """<form action="/hdjl/submit.jsp" method="post" name="zxform">
<table class="form"><tr><td>姓　　名：</td><td><input type="text" name="name" /></td></tr>
<tr><td>联系电话：</td><td><input type="text" name="phone" /></td></tr>
<tr><td>咨询标题：</td><td><input type="text" name="title" /></td></tr>
<tr><td>咨询内容：</td><td><textarea name="content" rows="8" cols="60"></textarea></td></tr>
<tr><td></td><td><input type="submit" value="提 交" /> <input type="reset" value="重 置" /></td></tr>
</table></form>"""
    site.html("/hdjl/zxzx.html", frame("咨询", "咨询", f'<div class="lm-title"><span>咨询</span>'
                                       f'</div><div class="lm-body"><p>请如实填写以下信息，'
                                       f'我们将在5个工作日内答复。</p>{form}</div>'))
    site.post_handlers["/hdjl/submit.jsp"] = thanks("咨询")
    site.decoy(CONSULT, "/", "working-form",
               "the only entry is <button onclick=\"location.href='/hdjl/zxzx.html'\">我要咨询"
               "</button> on the home page; the page has a working form")

    # Home page: news blocks straight from the columns, the 互动 block with the button.
    def items(col: str, arts: list[Article]) -> str:
        return "".join(f'<li><a href="{_art_path(col, a)}" target="_blank">{esc(a.title)}</a>'
                       f'<span>{a.day:%m-%d}</span></li>' for a in arts[:7])

    home = f"""<div class="home-news"><div class="hd"><span>工作动态</span><a href="/xwzx/gzdt/" class="more">更多&gt;&gt;</a></div>
<ul>{items("xwzx/gzdt", gzdt)}</ul></div>
<div class="home-news"><div class="hd"><span>通知公告</span><a href="/xwzx/tzgg/" class="more">更多&gt;&gt;</a></div>
<ul>{items("xwzx/tzgg", tzgg)}</ul></div>
<div class="home-hd"><div class="hd"><span>办事与互动</span></div>
<div class="bd"><button type="button" class="zx-btn" onclick="location.href='/hdjl/zxzx.html'">我要咨询</button>
<button type="button" class="bs-btn" onclick="window.open('http://www.jxzwfww.gov.cn/')">网上办事</button></div></div>"""
    site.html("/index.html", frame("首页", "首页", home))
    site.html("/", frame("首页", "首页", home))
    # The site map: columns under their (unlinked) groups.
    groups = [("走进桐溪", [("县情概况", "/xqgk/")]),
              ("新闻中心", [("工作动态", "/xwzx/gzdt/"), ("通知公告", "/xwzx/tzgg/")]),
              ("政务公开", [("人事信息", "/zwgk/rsxx/"), ("重大项目", "/zwgk/zdxm/"),
                            ("政策解读", "/zcjd/"), ("解读回应", "/zcjd/jdhy/")]),
              ("招商引资", [("招商引资", "/zsyz/")]), ("专题专栏", [("专题专栏", "/ztzl/")])]
    dls = "".join(f"<dl><dt>{esc(g)}</dt>" + "".join(f'<dd><a href="{h}">{esc(t)}</a></dd>'
                                                     for t, h in cols) + "</dl>"
                  for g, cols in groups)
    site.html("/wzdt/index.html", frame("网站地图", "网站地图",
                                        f'<div class="lm-title"><span>网站地图</span></div>'
                                        f'<div class="sitemap">{dls}</div>'))
    site.text("/css/style.css", "body{margin:0;font-size:14px}.w1000{width:1000px;margin:0 auto}",
              "text/css")
    site.text("/css/list.css", ".list li{line-height:32px}.date{float:right}", "text/css")
    return site


# --- 桐溪县教育体育局: frameset columns -----------------------------------------------------
def _bureau(as_of: date, truth: list) -> FamilySite:
    site = FamilySite(BUREAU, TEMPLATE, truth)
    ident = BUREAU
    rng = random.Random("framed:tongxi-jyj")
    org, place = ident.title, "桐溪县"
    nav = [("首页", "/"), ("单位概况", "/dwgk/"), ("教育资讯", "/jyzx/"), ("通知公告", "/tzgg/"),
           ("政策法规", "/zcfg/"), ("信息公开", "/xxgk/")]
    nav_html = "".join(f'<li><a href="{href}" target="_top">{esc(text)}</a></li>'
                       for text, href in nav)
    header = (f'<div class="head"><div class="logo">{ident.title}</div>'
              f'<div class="links"><a href="/wzdt/" target="_top">网站地图</a></div></div>'
              f'<ul class="menu">{nav_html}</ul>')

    def page(title: str, column: str, main: str) -> str:
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="SiteName" content="{ident.title}">
<meta name="SiteIDCode" content="{ident.site_code}"><meta name="ColumnName" content="{esc(column)}">
<title>{esc(title)}-{ident.title}</title></head>
<body>{header}<div class="main">{main}</div>{footer(ident, "div", "bottom")}</body></html>"""

    # The parts a frameset column is made of.
    site.html("/inc/top.html", f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{ident.title}'
                               f'</title></head><body class="top-frame">{header}</body></html>')
    site.html("/inc/bottom.html", '<!DOCTYPE html><html><head><meta charset="utf-8"><title>版权信息'
                                  f'</title></head><body>{footer(ident, "div", "bottom")}</body></html>')
    side = "".join(f'<li><a href="{href}" target="_top">{esc(text)}</a></li>'
                   for text, href in nav[1:])
    site.html("/inc/left.html", '<!DOCTYPE html><html><head><meta charset="utf-8"><title>栏目导航'
                                f'</title></head><body><div class="side"><h3>栏目导航</h3>'
                                f"<ul>{side}</ul></div></body></html>")

    def frameset(col: str, name: str) -> None:
        site.html(f"/{col}/index.html", f"""<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN" "http://www.w3.org/TR/html4/frameset.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="SiteName" content="{ident.title}"><meta name="ColumnName" content="{esc(name)}">
<title>{esc(name)}-{ident.title}</title></head>
<frameset rows="150,*,110" frameborder="no" border="0" framespacing="0">
<frame src="/inc/top.html" name="topFrame" scrolling="no" noresize="noresize">
<frameset cols="200,*" frameborder="no" border="0">
<frame src="/inc/left.html" name="leftFrame" scrolling="no">
<frame src="/{col}/list.html" name="mainFrame">
</frameset>
<frame src="/inc/bottom.html" name="bottomFrame" scrolling="no" noresize="noresize">
</frameset>
<noframes><body>您的浏览器不支持框架。</body></noframes></html>""")

    zcfg = articles(rng, as_of, 18, "policy", org, place, 70101, gap=(6, 20))
    frameset("zcfg", "政策法规")
    _list_doc(site, "zcfg", "政策法规", zcfg, "_top")
    _article_pages(site, "zcfg", "政策法规", zcfg, page)
    site.decoy(EMPTY, "/zcfg/", "framed-has-records",
               f"<frameset>: the list frame /zcfg/list.html lists {len(zcfg)} items over 2 pages")
    frameset("jyzx", "教育资讯")
    _empty_list_doc(site, "jyzx", "教育资讯")
    site.flag(EMPTY, "/jyzx/", "blank",
              "<frameset>: the list frame /jyzx/list.html has a table head and no rows")
    # An iframe column too, full.
    tzgg = articles(rng, as_of, 9, "notice", org, place, 70501, gap=(4, 15))
    site.html("/tzgg/index.html", page("通知公告", "通知公告",
                                       '<div class="crumb">首页 &gt; 通知公告</div><h2>通知公告</h2>'
                                       '<iframe src="/tzgg/list.html" name="lb" width="100%" '
                                       'height="600" frameborder="0"></iframe>'))
    _list_doc(site, "tzgg", "通知公告", tzgg, "_top")
    _article_pages(site, "tzgg", "通知公告", tzgg, page)
    site.decoy(EMPTY, "/tzgg/", "framed-has-records",
               f"the column page holds only an <iframe>; /tzgg/list.html lists {len(tzgg)} items")
    site.html("/dwgk/index.html", page("单位概况", "单位概况",
                                       f'<div class="crumb">首页 &gt; 单位概况</div><h2>单位概况</h2>'
                                       f'<div class="text"><p>{esc(BUREAU_OVERVIEW)}</p></div>'))
    site.decoy(EMPTY, "/dwgk/", "single-page",
               f"{_sentences(BUREAU_OVERVIEW)} sentences, {len(BUREAU_OVERVIEW)} characters of prose (< 200), no list")
    site.html("/xxgk/index.html", page("信息公开", "信息公开",
                                       '<div class="crumb">首页 &gt; 信息公开</div><h2>信息公开</h2>'
                                       '<div class="tip">栏目建设中</div>'))
    site.flag(EMPTY, "/xxgk/", "placeholder", "栏目建设中")

    # The consultation channel: an <a class="btn"> to a form page with a "close window" icon link.
    form = f"""<div class="form-head"><h2>我要咨询</h2>{CLOSE_CONTROL}</div>
<form action="/hdjl/save.do" method="post"><p>姓名：<input type="text" name="name"></p>
<p>电话：<input type="text" name="phone"></p><p>标题：<input type="text" name="title"></p>
<p>内容：<textarea name="content" rows="8"></textarea></p>
<p><button type="submit">提交</button></p></form>"""
    site.html("/hdjl/wyzx.html", page("我要咨询", "我要咨询", form))
    site.post_handlers["/hdjl/save.do"] = thanks("我要咨询")
    site.decoy(CONSULT, "/", "working-form",
               '<a class="btn">我要咨询</a> leads to a working form whose page has a '
               '"close window" control: <a href="javascript:window.close()"><i></i>关闭</a>')

    news = "".join(f'<li><a href="{_art_path("tzgg", a)}">{esc(a.title)}</a><span>{a.day}</span></li>'
                   for a in tzgg[:6])
    home = (f'<div class="box"><h3>通知公告</h3><ul>{news}</ul></div>'
            '<div class="box hd"><h3>互动服务</h3><a class="btn" href="/hdjl/wyzx.html">我要咨询</a></div>')
    site.html("/", page("首页", "首页", home))
    site.html("/index.html", page("首页", "首页", home))
    links = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for text, href in nav[1:])
    site.html("/wzdt/index.html", page("网站地图", "网站地图",
                                       f'<h2>网站地图</h2><ul class="map">{links}</ul>'))
    return site


def build(as_of: date) -> Family:
    family = Family()
    for make in (_county, _bureau):
        family.sites.append(make(as_of, family.truth).spec())
    return family
