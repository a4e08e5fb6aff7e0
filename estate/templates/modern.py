"""A "modern" CMS site (2020s, Guangdong style): div/span layouts, no tables, data-* attributes.

Held out from the other templates on purpose: no markup, class name or URL
shape is shared with trs / hanweb / oldgbk, so a check that only learnt those
three will meet something new here.

URLs: column `/xwzx/lsyw/` (pages index.html, index_2.html, index_3.html: no
index_1), article `/xwzx/lsyw/content/post_508891.html`; on the "portal"
variant the government-information columns (`/zwgk/...`) keep their
documents in the gkmlpt directory: `/gkmlpt/index` (no extension) and
`/gkmlpt/content/0/508/post_508890.html`. Guides `/bsfw/bszn/`, letters
`/hdjl/zxts/` with detail pages `/hdjl/zxts/detail.html?id=202610120031`,
the consultation form (or its maintenance notice) `/hdjl/wyzx/`, linked from
the home page's 政民互动 block (the nav's 互动交流 goes to the letters list, and
only when there is one), site map `/wzdt/` (linked only from the footer text
网站地图). The home page is served at "/" only (no /index.html).

Variants (`SitePlan.variant`): "portal" = <header> + <nav>, logo image (the
site name only in alt and <title>), gkmlpt, dates like 2026年10月15日;
"dept" = <div class="menu-wrap">, `xxgk-item` lists, dates like 2026/10/15.
Charset (`SitePlan.charset`): "gbk" pages carry `<meta charset="gbk">` and a
`charset=gbk` header, except the site map whose header names no charset.
Every page loads /static/js/common.js (date line, tabs, font size: no data
requests); lists are in the static HTML.
"""

from __future__ import annotations

from datetime import date

from .. import search
from ..common import (
    DISCIPLINE_URL,
    MARK_PNG,
    PETITION_URL,
    SiteBuilder,
    board_messages,
    channel_href,
    chunks,
    code_text,
    conac_link,
    contact_text,
    esc,
    fmt_date,
    icp_link,
    jiucuo_link,
    police_link,
    thanks_handler,
)
from ..content import Article, Column, Guide, Message, SitePlan
from ..model import Resource, SiteSpec, Truth

SITEMAP = "/wzdt/"
GUIDES = "/bsfw/bszn/"
BOARD = "/hdjl/zxts/"
FORM = "/hdjl/wyzx/"
SUBMIT = "/hdjl/wyzx/submit"
GKMLPT = "/gkmlpt/index"
GK_PREFIX = "zwgk/"  # portal columns whose documents live in gkmlpt
STATUS = {"已回复": "已办结", "未回复": "待处理"}  # how this CMS names the board's states
STATE_CLASS = {"已办结": "done", "办理中": "doing", "待处理": "todo"}

# Guide labels as this CMS prints them (shorter or other words than the key categories).
GRID_LABELS = {"法定办结时限": "法定时限", "承诺办结时限": "承诺时限", "办理材料": "申请材料",
               "咨询方式": "咨询电话", "监督投诉方式": "投诉电话"}
TIME_LABELS = ("法定办结时限", "承诺办结时限")
NUMERALS = "一二三四五六七八九十"

CSS = """body{margin:0;font:15px/1.75 "PingFang SC","Microsoft YaHei",sans-serif;color:#333}
.w1200{width:1200px;margin:0 auto}.top-bar{background:#f5f5f5;font-size:13px}
.header{background:#0b4ea2}.nav-list{display:flex;list-style:none;margin:0;padding:0}
.nav-list a,.menu a{color:#fff;padding:0 24px;line-height:48px}.menu-wrap{background:#1f7a4d}
.zw-item,.xxgk-item,.xx-row,.sx-item{display:flex;justify-content:space-between;
border-bottom:1px dashed #ddd;padding:8px 0}.time{color:#999}.empty{padding:80px;text-align:center}
.guide-grid{display:grid;grid-template-columns:1fr 1fr}.guide-grid .item{display:flex}
.guide-grid .name{width:140px;background:#f3f6fa}.row{display:flex}.row .label{width:110px}
.footer,.foot{background:#f0f0f0;padding:20px 0;text-align:center;font-size:13px}
"""

JS = """(function () {
  var now = new Date(), box = document.getElementById('dateNow');
  var week = ['日', '一', '二', '三', '四', '五', '六'];
  if (box) {
    box.textContent = now.getFullYear() + '年' + (now.getMonth() + 1) + '月' + now.getDate() +
      '日 星期' + week[now.getDay()];
  }
  var tabs = document.querySelectorAll('.tab-hd [data-tab]');
  for (var i = 0; i < tabs.length; i++) {
    tabs[i].onmouseover = function () {
      var n = this.getAttribute('data-tab');
      var bodies = this.parentNode.parentNode.querySelectorAll('.tab-bd [data-tab]');
      for (var j = 0; j < bodies.length; j++) {
        bodies[j].style.display = bodies[j].getAttribute('data-tab') === n ? '' : 'none';
      }
    };
  }
  var sizes = document.querySelectorAll('[data-size]');
  for (var k = 0; k < sizes.length; k++) {
    sizes[k].onclick = function () {
      var zoom = document.getElementById('zoom');
      if (zoom) { zoom.style.fontSize = this.getAttribute('data-size') + 'px'; }
    };
  }
})();
"""


def page_name(n: int) -> str:
    """Page n (0-based) of a list: index.html, index_2.html, index_3.html ..."""
    return "index.html" if n == 0 else f"index_{n + 1}.html"


class ModernSite:
    """Renders one SitePlan the modern way, in its variant and charset."""

    def __init__(self, plan: SitePlan) -> None:
        self.plan = plan
        self.portal = plan.variant == "portal"
        self.b = SiteBuilder(plan, "modern", charset=plan.charset)
        self.parents: dict[str, Column] = {}
        for top in plan.columns:
            for child in top.children:
                self.parents[child.key] = top
        self.date_style = "cn" if self.portal else "slash"

    # --- URLs -------------------------------------------------------------------
    def col_url(self, col: Column) -> str:
        parent = self.parents.get(col.key)
        return f"/{parent.key}/{col.key}/" if parent else f"/{col.key}/"

    def in_gkmlpt(self, col: Column) -> bool:
        return self.portal and col.key.startswith(GK_PREFIX)

    def art_url(self, col: Column, art: Article) -> str:
        if self.in_gkmlpt(col):
            return (f"/gkmlpt/content/{art.art_id // 1000000}/{art.art_id // 1000}/"
                    f"post_{art.art_id}.html")
        return f"{self.col_url(col)}content/post_{art.art_id}.html"

    @staticmethod
    def guide_url(guide: Guide) -> str:
        return f"{GUIDES}content/post_{guide.guide_id}.html"

    @staticmethod
    def msg_url(msg: Message) -> str:
        return f"{BOARD}detail.html?id={msg.msg_id}"

    # --- page frame -------------------------------------------------------------
    def nav_items(self) -> list[tuple[str, str]]:
        p = self.plan
        items = [("首页", "/")]
        gk_done = False
        for col in p.columns:
            if not col.in_nav:
                continue
            if self.in_gkmlpt(col):
                if not gk_done:
                    items.append(("政务公开", GKMLPT))
                    gk_done = True
                continue
            items.append((col.name, self.col_url(col)))
        items.append(("办事服务", GUIDES))
        if p.board and not p.board.on_platform:
            items.append(("互动交流", BOARD))
        return items

    def frame(self, title: str, column: str, main: str, meta: dict[str, str] | None = None) -> str:
        p = self.plan
        metas = {"SiteName": p.title, "SiteDomain": p.domain, "SiteIDCode": p.site_code,
                 "ColumnName": column, **(meta or {})}
        meta_html = "\n".join(f'<meta name="{k}" content="{esc(v)}">' for k, v in metas.items())
        full_title = f"{title} - {p.title}" if self.portal else f"{p.title}-{title}"
        nav = self.nav_items()
        top = ('<div class="top-bar"><div class="w1200"><span class="date-now" id="dateNow"></span>'
               '<div class="top-link"><a href="javascript:;" class="wza" data-role="wza">无障碍</a>'
               '<a href="javascript:;" data-role="elder">长者模式</a></div></div></div>')
        search = ('<form class="search-box" action="/search/" method="get" role="search">'
                  '<input type="text" name="q" placeholder="请输入关键词">'
                  '<button type="submit">搜索</button></form>') if p.search != "none" else ""
        if self.portal:
            links = "".join(f'<li class="nav-item"><a href="{href}">{esc(text)}</a></li>'
                            for text, href in nav)
            head = (f'{top}<header class="header"><div class="w1200 header-inner">'
                    f'<a class="logo" href="/"><img src="/static/img/logo.png" alt="{esc(p.title)}">'
                    f'</a>{search}</div><nav class="nav"><ul class="nav-list w1200">{links}</ul>'
                    "</nav></header>")
            foot_tag = "footer"
        else:
            links = "".join(f'<a class="menu-item" data-index="{i}" href="{href}">{esc(text)}</a>'
                            for i, (text, href) in enumerate(nav))
            head = (f'{top}<div class="head"><div class="w1200"><div class="site-name">'
                    f'{esc(p.title)}</div>{search}</div></div>'
                    f'<div class="menu-wrap"><div class="w1200 menu">{links}</div></div>')
            foot_tag = 'div class="foot"'
        foot_end = foot_tag.split()[0]
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{p.charset}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
{meta_html}
<title>{esc(full_title)}</title>
<link rel="stylesheet" href="/static/css/base.css">
</head>
<body>
{head}
<div class="main w1200">
{main}
</div>
<{foot_tag}>
<div class="w1200">
<div class="foot-links"><a href="{SITEMAP}">网站地图</a><span class="sep">|</span>{jiucuo_link(p)}</div>
<div class="foot-info">
<p>主办单位：{esc(p.organizer)}<span class="sep"></span>地址：{esc(p.address)}<span class="sep"></span>
{contact_text(p)}</p>
<p>{code_text(p)}<span class="sep"></span>{icp_link(p)}<span class="sep"></span>
{police_link(p)}</p>
</div>
<div class="foot-conac">{conac_link(p)}</div>
</div>
</{foot_end}>
<script src="/static/js/common.js"></script>
</body>
</html>"""

    def page(self, path: str, title: str, column: str, main: str,
             meta: dict[str, str] | None = None, content_type: str | None = None) -> None:
        self.b.page(path, self.frame(title, column, main, meta), content_type=content_type)

    def crumbs(self, *trail: tuple[str, str]) -> str:
        """当前位置: 首页 > ... ; the last step is text, the others links."""
        steps = ['<a href="/">首页</a>']
        for i, (text, href) in enumerate(trail):
            steps.append(f"<span>{esc(text)}</span>" if i == len(trail) - 1 or not href
                         else f'<a href="{href}">{esc(text)}</a>')
        return f'<div class="location"><span>当前位置：</span>{"<i>&gt;</i>".join(steps)}</div>'

    def col_trail(self, col: Column) -> list[tuple[str, str]]:
        parent = self.parents.get(col.key)
        if parent:
            return [(parent.name, self.col_url(parent)), (col.name, self.col_url(col))]
        if self.in_gkmlpt(col):
            return [("政务公开", GKMLPT), (col.name, self.col_url(col))]
        return [(col.name, self.col_url(col))]

    def search_page(self, path: str) -> Resource:
        """/search/?q=…: a page whose results a script fetches from /api/search."""
        main = f'{self.crumbs(("站内搜索", ""))}{search.SEARCH_SHELL}'
        ctype = f"text/html; charset={self.plan.charset}"
        return Resource(self.frame("站内搜索", "站内搜索", main).encode(self.plan.charset), ctype)

    def search_api(self, path: str) -> Resource:
        """/api/search?q=…: JSON; the query in UTF-8, or GBK as a GBK page's form sent it."""
        if self.plan.search == "error":
            return search.error_answer()
        query = search.any_charset_query(path, "q")
        return search.json_answer(search.find(self.hits, query,
                                              fuzzy=self.plan.search == "fuzzy"))

    # --- render -------------------------------------------------------------------
    def render(self) -> tuple[SiteSpec, list[Truth]]:
        self.assign_ids()
        self.hits = search.index(self.plan, self.art_url)
        if self.plan.search != "none":
            self.b.get_handlers["/search/"] = self.search_page
            self.b.get_handlers["/api/search"] = self.search_api
        self.b.mark(self.plan.search_marks, "/")
        for col in self.plan.all_columns():
            self.column(col)
        if self.portal:
            self.gkmlpt_index()
        self.guides()
        self.board()
        self.channel_pages()
        self.home()
        self.b.mark(self.plan.home_marks, "/")
        self.sitemap()
        self.b.add("/static/css/base.css", Resource(CSS.encode(), "text/css"))
        self.b.add("/static/js/common.js", Resource(JS.encode(), "application/javascript"))
        self.b.add("/static/img/logo.png", Resource(MARK_PNG, "image/png"))
        self.b.add("/images/dzjg.png", Resource(MARK_PNG, "image/png"))
        self.b.mark(self.plan.consult_marks, "/")
        return self.b.spec(), self.b.truth

    def assign_ids(self) -> None:
        base = 612040 + int(self.plan.site_code[-2:]) * 100
        for i, guide in enumerate(self.plan.guides):
            guide.guide_id = base + i * 3
        seen: dict[date, int] = {}
        for msg in sorted(board_messages(self.plan.board), key=lambda m: m.asked):
            day = msg.asked.date()
            seen[day] = seen.get(day, 0) + 1
            msg.msg_id = int(f"{day:%Y%m%d}{seen[day]:04d}")

    def item(self, col: Column | None, art: Article, url: str, style: str) -> str:
        when = fmt_date(art.day, style)
        if self.portal:
            return (f'<div class="zw-item" data-id="{art.art_id}"><a href="{url}" target="_blank" '
                    f'title="{esc(art.title)}">{esc(art.title)}</a>'
                    f'<span class="time">{when}</span></div>')
        return (f'<div class="xxgk-item" data-id="{art.art_id}"><span class="title">'
                f'<a href="{url}" target="_blank" title="{esc(art.title)}">{esc(art.title)}</a>'
                f'</span><span class="time">{when}</span></div>')

    def items(self, col: Column, n: int) -> str:
        """The newest n items of a column, as its list shows them."""
        return "".join(self.item(col, a, self.art_url(col, a), col.date_style)
                       for a in col.articles[:n])

    def list_box(self, col: Column, inner: str) -> str:
        cls = "zw-list" if self.portal else "xxgk-list"
        return f'<div class="{cls}" data-col="{esc(col.key)}">{inner}</div>'

    def side(self, col: Column) -> str:
        parent = self.parents.get(col.key)
        if parent is None:
            return ""
        on = ' class="on"'
        links = "".join(
            f'<li{on if c is col else ""}><a href="{self.col_url(c)}">'
            f"{esc(c.name)}</a></li>" for c in parent.children)
        return (f'<aside class="side-nav"><div class="side-title">{esc(parent.name)}</div>'
                f"<ul>{links}</ul></aside>")

    def column(self, col: Column) -> None:
        url = self.col_url(col)
        self.b.mark(col.marks, url)
        if col.state == "missing":
            return
        crumbs = self.crumbs(*self.col_trail(col))
        title = f'<div class="col-title"><h2>{esc(col.name)}</h2></div>'
        if col.children:
            subs = "".join(f'<div class="sub-col"><a class="sub-col-name" href="{self.col_url(c)}">'
                           f'{esc(c.name)}</a><a class="more" href="{self.col_url(c)}">更多</a>'
                           "</div>" for c in col.children)
            main = f'{crumbs}<div class="col-main">{title}<div class="sub-col-list">{subs}</div></div>'
            self.page(url + "index.html", col.name, col.name, main)
            return
        if col.state == "single-page":
            text = "".join(f"<p>{esc(p)}</p>" for p in col.body)
            main = (f'{crumbs}<div class="col-wrap">{self.side(col)}<div class="col-main">{title}'
                    f'<div class="single-page article-content">{text}</div></div></div>')
            self.page(url + "index.html", col.name, col.name, main)
            return
        pages = chunks(col.articles, col.per_page)
        for n, arts in enumerate(pages):
            inner = "".join(self.item(col, a, self.art_url(col, a), col.date_style) for a in arts)
            if col.state == "placeholder":
                inner = f'<div class="empty">{esc(col.placeholder)}</div>'
            main = (f'{crumbs}<div class="col-wrap">{self.side(col)}<div class="col-main">{title}'
                    f"{self.list_box(col, inner)}{self.pager(n, len(pages), len(col.articles))}"
                    "</div></div>")
            self.page(url + page_name(n), col.name, col.name, main)
        for art in col.articles:
            self.article(col, art)

    @staticmethod
    def pager(n: int, total: int, count: int) -> str:
        if total <= 1:
            return ""
        links = []
        if n > 0:
            links.append(f'<a class="prev" href="{page_name(n - 1)}">上一页</a>')
        for i in range(total):
            links.append(f'<span class="current">{i + 1}</span>' if i == n
                         else f'<a href="{page_name(i)}" data-page="{i + 1}">{i + 1}</a>')
        if n < total - 1:
            links.append(f'<a class="next" href="{page_name(n + 1)}">下一页</a>')
        return (f'<div class="pagination" data-total="{count}" data-pages="{total}">'
                f'{"".join(links)}<span class="total">共{total}页</span></div>')

    def article(self, col: Column, art: Article) -> None:
        url = self.art_url(col, art)
        self.b.mark(art.marks, url)
        stamp = f"{art.day.isoformat()} {9 + art.art_id % 8:02d}:{art.art_id % 60:02d}"
        body = "".join(f"<p>{esc(p)}</p>" for p in art.paragraphs)
        meta = {"ArticleTitle": art.title, "PubDate": stamp, "ContentSource": art.source,
                "ColumnType": col.name}
        crumbs = self.crumbs(*self.col_trail(col)[:-1], (col.name, self.col_url(col)), ("正文", ""))
        if self.in_gkmlpt(col):
            written = art.day.replace(day=max(1, art.day.day - 2))
            rows = [("索引号", f"11{self.plan.region_code}MB2C{art.art_id % 10000:04d}X/"
                               f"{art.day.year}-{art.art_id % 1000:05d}"),
                    ("分类", col.name), ("发布机构", self.plan.organizer),
                    ("成文日期", written.isoformat()), ("名称", art.title),
                    ("发布日期", art.day.isoformat())]
            intro = "".join(f'<div class="row"><span class="label">{k}：</span>'
                            f'<span class="value">{esc(v)}</span></div>' for k, v in rows)
            main = (f'{crumbs}<div class="gkmlpt-content"><div class="introduce">{intro}</div>'
                    f'<h1 class="article-title">{esc(art.title)}</h1>'
                    f'<div class="article-content" id="zoom">{body}</div></div>')
        else:
            shown = stamp if self.portal else fmt_date(art.day, "cn")
            main = (f'{crumbs}<div class="article"><h1 class="article-title">{esc(art.title)}</h1>'
                    f'<div class="article-info"><span class="date">发布时间：{shown}</span>'
                    f'<span class="source">来源：{esc(art.source)}</span>'
                    f'<span class="views">浏览次数：<em class="hits" data-id="{art.art_id}"></em>'
                    '</span><span class="font-size">字号：<a href="javascript:;" data-size="18">大'
                    '</a><a href="javascript:;" data-size="16">中</a><a href="javascript:;" '
                    'data-size="14">小</a></span></div>'
                    f'<div class="article-content" id="zoom">{body}</div></div>')
        self.page(url, art.title, col.name, main, meta)

    def gkmlpt_index(self) -> None:
        cols = [c for c in self.plan.all_columns() if self.in_gkmlpt(c) and c.state != "missing"]
        tree = "".join(f'<li data-key="{esc(c.key)}"><a href="{self.col_url(c)}">{esc(c.name)}</a>'
                       "</li>" for c in cols)
        latest = sorted(((a, c) for c in cols if c.state == "ok" for a in c.articles),
                        key=lambda pair: pair[0].day, reverse=True)[:15]
        items = "".join(self.item(c, a, self.art_url(c, a), "iso") for a, c in latest)
        main = (f'{self.crumbs(("政务公开", GKMLPT))}<div class="gkmlpt-wrap">'
                f'<div class="gk-side"><div class="gk-side-title">信息公开目录</div>'
                f'<ul class="gk-tree">{tree}</ul></div><div class="gk-main">'
                f'<div class="col-title"><h2>最新公开信息</h2></div>'
                f'<div class="zw-list gk-list">{items}</div></div></div>')
        self.page(GKMLPT, "政府信息公开", "政府信息公开", main)

    # --- service guides -------------------------------------------------------------
    def guide_day(self, guide: Guide, index: int) -> date:
        return guide.day or date(2026, 9, 1 + index % 9)

    def guides(self) -> None:
        rows = []
        for i, guide in enumerate(self.plan.guides):
            url = self.guide_url(guide)
            rows.append(f'<div class="sx-item" data-id="{guide.guide_id}"><a class="sx-name" '
                        f'href="{url}" target="_blank">{esc(guide.name)}</a>'
                        f'<span class="sx-limit">承诺时限：{esc(guide.list_limit)}</span>'
                        f'<span class="time">{fmt_date(self.guide_day(guide, i), "slash")}</span>'
                        "</div>")
            body = self.guide_grid(guide) if guide.layout != "p" else self.guide_sections(guide)
            notes = "".join(f"<p>{esc(n)}</p>" for n in guide.notes)
            if notes:
                body += f'<div class="tips"><div class="tips-title">温馨提示</div>{notes}</div>'
            main = (f'{self.crumbs(("办事服务", GUIDES), ("办事指南", ""))}'
                    f'<div class="guide-detail"><h1 class="guide-title">{esc(guide.name)}</h1>'
                    f"{body}</div>")
            self.page(url, guide.name, "办事指南", main, {"ArticleTitle": guide.name + "办事指南"})
            self.b.mark(guide.marks, url)
        main = (f'{self.crumbs(("办事服务", GUIDES))}<div class="col-main">'
                f'<div class="col-title"><h2>办事指南</h2></div>'
                f'<div class="sx-list">{"".join(rows)}</div></div>')
        self.page(GUIDES + "index.html", "办事服务", "办事服务", main)

    @staticmethod
    def guide_grid(guide: Guide) -> str:
        items = "".join(f'<div class="item"><div class="name">{esc(GRID_LABELS.get(k, k))}</div>'
                        f'<div class="val">{esc(v)}</div></div>' for k, v in guide.fields)
        return f'<div class="guide-grid">{items}</div>'

    @staticmethod
    def guide_sections(guide: Guide) -> str:
        """Numbered headings with paragraphs; both time limits share one paragraph."""
        sections: list[tuple[str, str]] = []
        limits = [f"{k}：{v}" for k, v in guide.fields if k in TIME_LABELS]
        for key, value in guide.fields:
            if key in TIME_LABELS:
                if limits:
                    sections.append(("办理时限", "；".join(limits) + "。"))
                    limits = []
                continue
            sections.append((GRID_LABELS.get(key, key), value))
        parts = []
        for i, (head, text) in enumerate(sections, start=1):
            number = NUMERALS[i - 1] if i <= 10 else "十" + NUMERALS[i - 11]
            parts.append(f"<h3>{number}、{esc(head)}</h3><p>{esc(text)}</p>")
        return f'<div class="guide-text">{"".join(parts)}</div>'

    # --- letters and consultation ----------------------------------------------------
    @staticmethod
    def status(msg: Message) -> str:
        return STATUS.get(msg.status, msg.status)

    def board(self) -> None:
        board = self.plan.board
        if board is None or board.on_platform:
            return
        messages = board_messages(board)
        pages = chunks(messages, board.per_page)
        head = ('<div class="xx-head"><span class="c-title">诉求标题</span><span class="c-time">'
                '提交时间</span><span class="c-state">办理状态</span><span class="c-reply">答复时间'
                "</span></div>")
        for n, msgs in enumerate(pages):
            rows = "".join(
                f'<div class="xx-row" data-id="{m.msg_id}" '
                f'data-status="{STATE_CLASS.get(self.status(m), "")}"><span class="c-title">'
                f'<a href="{self.msg_url(m)}" target="_blank">{esc(m.title)}'
                f'</a></span><span class="c-time">{m.asked.date().isoformat()}</span>'
                f'<span class="c-state">{esc(self.status(m))}</span><span class="c-reply">'
                f'{m.replied.date().isoformat() if m.replied else "—"}</span></div>' for m in msgs)
            main = (f'{self.crumbs(("互动交流", ""), (board.name, BOARD))}<div class="col-main">'
                    f'<div class="col-title"><h2>{esc(board.name)}</h2>'
                    f'<a class="btn-write" href="{FORM}">我要咨询</a></div>{head}'
                    f'<div class="xx-list">{rows}</div>'
                    f"{self.pager(n, len(pages), len(messages))}</div>")
            self.page(BOARD + page_name(n), board.name, board.name, main)
        for msg in messages:
            self.message(board.name, msg)

    def message(self, board_name: str, msg: Message) -> None:
        url = self.msg_url(msg)
        self.b.mark(msg.marks, url)
        rows = [("诉求标题", msg.title), ("诉求人", msg.asker),
                ("提交时间", msg.asked.strftime("%Y-%m-%d %H:%M")),
                ("办理状态", self.status(msg)), ("诉求内容", msg.question)]
        ask = "".join(f'<div class="row"><span class="label">{k}：</span>'
                      f'<span class="value">{esc(v)}</span></div>' for k, v in rows)
        if msg.replied:
            reply = (f"<p><b>答复单位：</b>{esc(msg.replier)}</p>"
                     f"<p><b>答复时间：</b>{fmt_date(msg.replied.date(), 'cn')}</p>"
                     f"<p><b>答复内容：</b>{esc(msg.reply)}</p>")
        else:
            reply = '<p class="wait">该诉求正在办理中，办理结果将在此公开。</p>'
        main = (f'{self.crumbs(("互动交流", ""), (board_name, BOARD), ("诉求详情", ""))}'
                f'<div class="detail-box" data-id="{msg.msg_id}"><h1 class="detail-title">'
                f'{esc(msg.title)}</h1>{ask}</div><div class="reply-box">'
                f'<div class="reply-title">答复信息</div>{reply}</div>')
        self.page(url, msg.title, board_name, main)

    def channel_pages(self) -> None:
        """/hdjl/wyzx/: the consultation form, or the notice that replaced it."""
        p = self.plan
        targets = {link.target for link in p.channels}
        if "maintenance" in targets:
            link = next(c for c in p.channels if c.target == "maintenance")
            main = (f'{self.crumbs(("互动交流", ""), (link.text, FORM))}<div class="col-main">'
                    f'<div class="col-title"><h2>{esc(link.text)}</h2></div>'
                    f'<div class="sys-notice"><p>{esc(link.notice)}</p></div></div>')
            self.page(FORM + "index.html", link.text, link.text, main)
        elif "board" in targets and p.board and p.board.has_form:
            form = f"""<form id="consultForm" class="consult-form" action="{SUBMIT}" method="post"
 data-validate="true">
<div class="form-row"><label for="title">诉求标题<i>*</i></label>
<input id="title" name="title" type="text" maxlength="50" required></div>
<div class="form-row"><label for="type">诉求类型</label><select id="type" name="type">
<option value="1">咨询</option><option value="2">投诉</option><option value="3">建议</option>
</select></div>
<div class="form-row"><label for="content">诉求内容<i>*</i></label>
<textarea id="content" name="content" maxlength="1000" required></textarea></div>
<div class="form-row"><label for="name">姓名</label><input id="name" name="name" type="text"></div>
<div class="form-row"><label for="phone">手机号码<i>*</i></label>
<input id="phone" name="phone" type="tel" required></div>
<div class="form-row"><span class="label">是否公开</span>
<label><input type="radio" name="open" value="1" checked>公开</label>
<label><input type="radio" name="open" value="0">不公开</label></div>
<div class="form-btn"><button type="submit" class="btn-submit">提交</button>
<button type="reset">重置</button></div>
</form>"""
            main = (f'{self.crumbs(("互动交流", ""), ("我要咨询", FORM))}<div class="col-main">'
                    '<div class="col-title"><h2>我要咨询</h2></div>'
                    '<p class="form-tip">我们将在5个工作日内答复您的诉求，办理结果在“'
                    f'<a href="{BOARD}">{esc(p.board.name)}</a>”栏目公开。</p>{form}</div>')
            self.page(FORM + "index.html", "我要咨询", "我要咨询", main)
            self.b.post_handlers[SUBMIT] = thanks_handler(p.board.name, p.charset)

    # --- home and site map -----------------------------------------------------------
    def home(self) -> None:
        p = self.plan
        leaves = [c for c in p.leaf_columns() if c.articles and c.state == "ok"]
        tabs_cols = leaves[:2]
        tab_hd = "".join(f'<span class="tab" data-tab="{i}">{esc(c.name)}</span>'
                         for i, c in enumerate(tabs_cols))
        hidden = ' style="display:none"'
        tab_bd = "".join(
            f'<div data-tab="{i}"{"" if i == 0 else hidden}>{self.list_box(c, self.items(c, 7))}'
            f'<a class="more" href="{self.col_url(c)}">更多&gt;&gt;</a></div>'
            for i, c in enumerate(tabs_cols))
        blocks = [f'<div class="index-news"><div class="tab-hd">{tab_hd}</div>'
                  f'<div class="tab-bd">{tab_bd}</div></div>']
        for col in leaves[2:3]:
            items = self.items(col, 6)
            blocks.append(f'<div class="index-block"><div class="block-title"><span>{esc(col.name)}'
                          f'</span><a class="more" href="{self.col_url(col)}">更多</a></div>'
                          f"{self.list_box(col, items)}</div>")
        guides = "".join(f'<a class="service-item" href="{self.guide_url(g)}" target="_blank">'
                         f"{esc(g.name)}</a>" for g in p.guides[:6])
        blocks.append(f'<div class="index-service"><div class="block-title"><span>办事服务</span>'
                      f'<a class="more" href="{GUIDES}">更多</a></div>'
                      f'<div class="service-grid">{guides}</div></div>')
        entries = [f'<a class="hd-entry" href="{channel_href(c, p, FORM, FORM)}">'
                   f'<i class="icon"></i><span>{esc(c.text)}</span></a>' for c in p.channels]
        if p.board and not p.board.on_platform:
            entries.append(f'<a class="hd-entry" href="{BOARD}"><i class="icon"></i>'
                           f"<span>{esc(p.board.name)}</span></a>")
        if p.petition:
            entries.append(f'<a class="hd-entry" href="{PETITION_URL}" target="_blank">'
                           '<i class="icon"></i><span>网上信访</span></a>')
        if p.discipline:
            entries.append(f'<a class="hd-entry" href="{DISCIPLINE_URL}" target="_blank">'
                           '<i class="icon"></i><span>纪检举报</span></a>')
        blocks.append(f'<div class="index-hd"><div class="block-title"><span>政民互动</span></div>'
                      f'<div class="hd-entries">{"".join(entries)}</div></div>')
        self.page("/", "首页", "首页", "\n".join(blocks))

    def sitemap(self) -> None:
        groups: list[tuple[str, str, list[tuple[str, str]]]] = []
        gk: list[tuple[str, str]] = []
        for col in self.plan.columns:
            if self.in_gkmlpt(col):
                gk.append((col.name, self.col_url(col)))
                continue
            groups.append((col.name, self.col_url(col),
                           [(c.name, self.col_url(c)) for c in col.children]))
        if gk:
            groups.append(("政府信息公开", GKMLPT, gk))
        groups.append(("办事服务", GUIDES, [("办事指南", GUIDES)]))
        if self.plan.board and not self.plan.board.on_platform:
            groups.append(("互动交流", "", [(self.plan.board.name, BOARD)]))
        items = []
        for name, href, subs in groups:
            head = f'<a href="{href}">{esc(name)}</a>' if href else esc(name)
            sub = "".join(f'<a href="{u}">{esc(n)}</a>' for n, u in subs)
            items.append(f'<div class="map-item"><div class="map-title">{head}</div>'
                         f'<div class="map-sub">{sub}</div></div>')
        main = (f'{self.crumbs(("网站地图", SITEMAP))}<div class="col-main">'
                f'<div class="col-title"><h2>网站地图</h2></div>'
                f'<div class="map-box">{"".join(items)}</div></div>')
        ctype = "text/html" if self.plan.charset != "utf-8" else None
        self.page(SITEMAP + "index.html", "网站地图", "网站地图", main, content_type=ctype)


def build(plan: SitePlan) -> tuple[SiteSpec, list[Truth]]:
    return ModernSite(plan).render()
