"""TRS WCM-like site (UTF-8): directory columns, index_N.html pages, TRS_Editor bodies.

URLs: column `/xwdt/gzdt/` (pages index.html, index_1.html, ...), article
`/xwdt/gzdt/202610/t20261015_4512.html`, letters `/hdjl/ldxx/`, guides
`/bsfw/bszn/`, site map `/wzdt/`.
"""

from __future__ import annotations

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
    column_tree,
    conac_link,
    contact_text,
    esc,
    fmt_date,
    fmt_time,
    icp_link,
    jiucuo_link,
    link_blocks,
    police_link,
    thanks_handler,
)
from ..content import Article, Column, Guide, Message, SitePlan
from ..guides import guide_body
from ..model import Resource, SiteSpec, Truth

BOARD = "/hdjl/ldxx/"
BOARD_FORM = "/hdjl/ldxx/xx.html"
MAINTENANCE = "/hdjl/zxzx/index.html"
GUIDES = "/bsfw/bszn/"
SITEMAP = "/wzdt/"
SEARCH = "/was5/web/search"
CHANNEL = "231788"  # the WAS search channel a TRS form names in a hidden field

STYLE = """<style>body{font:14px/1.8 "Microsoft YaHei",sans-serif;margin:0}
.top{background:#b30000;color:#fff;padding:12px 40px}.nav a{margin:0 12px}
.list li{display:flex;justify-content:space-between}.footer{background:#eee;padding:16px}
</style>"""


class TrsSite:
    """Renders one SitePlan the TRS way."""

    def __init__(self, plan: SitePlan) -> None:
        self.plan = plan
        self.b = SiteBuilder(plan, "trs")
        self.parents: dict[str, Column] = {}
        for top in plan.columns:
            for child in top.children:
                self.parents[child.key] = top

    # --- URLs ---------------------------------------------------------------
    def col_url(self, col: Column) -> str:
        parent = self.parents.get(col.key)
        return f"/{parent.key}/{col.key}/" if parent else f"/{col.key}/"

    def art_url(self, col: Column, art: Article) -> str:
        d = art.day
        return f"{self.col_url(col)}{d:%Y%m}/t{d:%Y%m%d}_{art.art_id}.html"

    def guide_url(self, guide: Guide, index: int) -> str:
        return f"{GUIDES}202609/t2026090{1 + index % 9}_{guide.guide_id}.html"

    def msg_url(self, msg: Message) -> str:
        return f"{BOARD}xjxq_{msg.msg_id}.html"

    # --- page frame ---------------------------------------------------------
    def frame(self, title: str, column: str, main: str, meta: dict[str, str] | None = None) -> str:
        p = self.plan
        metas = {"SiteName": p.title, "SiteDomain": p.domain, "SiteIDCode": p.site_code,
                 "ColumnName": column, **(meta or {})}
        meta_html = "\n".join(f'<meta name="{k}" content="{esc(v)}">' for k, v in metas.items())
        nav = ['<a href="/">首页</a>']
        nav += [f'<a href="{self.col_url(c)}">{esc(c.name)}</a>' for c in p.columns if c.in_nav]
        nav.append(f'<a href="{GUIDES}">办事服务</a>')
        if p.board:
            nav.append(f'<a href="{BOARD}">互动交流</a>')
        return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
{meta_html}
<title>{esc(title)}_{esc(p.title)}</title>{STYLE}</head>
<body>
<div class="top"><div class="logo">{esc(p.title)}</div>
<div class="toplinks"><a href="{SITEMAP}">{esc(p.sitemap_text)}</a> | {jiucuo_link(p)} |
{self.search_box()}</div></div>
<div class="nav">{" ".join(nav)}</div>
<div class="main">{main}</div>
<div class="footer">
<p>主办单位：{esc(p.organizer)}　地址：{esc(p.address)}　{contact_text(p)}</p>
<p>{code_text(p)}　{icp_link(p)}　{police_link(p)}</p>
<p>{conac_link(p)} <a href="{SITEMAP}">{esc(p.sitemap_text)}</a></p>
</div></body></html>"""

    def search_box(self) -> str:
        if self.plan.search == "none":
            return ""
        return (f'<form action="{SEARCH}" method="get" style="display:inline">'
                f'<input type="hidden" name="channelid" value="{CHANNEL}">'
                '<input name="searchword" placeholder="请输入关键词">'
                '<button type="submit">搜索</button></form>')

    def search(self, path: str) -> Resource:
        """/was5/web/search?channelid=…&searchword=…: the TRS WAS search over the articles."""
        if self.plan.search == "error":
            return search.error_answer()
        query = search.query_of(path, "searchword")
        hits = search.find(self.hits, query, fuzzy=self.plan.search == "fuzzy")
        main = f'<h2>站内搜索</h2>{search.results_html(hits, query)}'
        return Resource(self.frame("搜索结果", "搜索", main).encode())

    # --- pages --------------------------------------------------------------
    def render(self) -> tuple[SiteSpec, list[Truth]]:
        self.assign_ids()
        self.hits = search.index(self.plan, self.art_url)
        if self.plan.search != "none":
            self.b.get_handlers[SEARCH] = self.search
        self.b.mark(self.plan.search_marks, "/")
        for col in self.plan.all_columns():
            self.column(col)
        self.guides()
        self.board()
        self.maintenance()
        self.home()
        self.b.mark(self.plan.home_marks, "/")
        for block in self.plan.home_blocks:
            self.b.mark(block.marks, "/")
        self.sitemap()
        self.b.add("/images/dzjg.png", Resource(MARK_PNG, "image/png"))
        self.b.mark(self.plan.consult_marks, "/")
        return self.b.spec(), self.b.truth

    def assign_ids(self) -> None:
        for i, guide in enumerate(self.plan.guides):
            guide.guide_id = 5001 + i
        for i, msg in enumerate(board_messages(self.plan.board)):
            msg.msg_id = 9100 + i

    def column(self, col: Column) -> None:
        url = self.col_url(col)
        self.b.mark(col.marks, url)
        if col.state == "missing":
            return
        crumbs = f'<div class="crumb"><a href="/">首页</a> &gt; {esc(col.name)}</div>'
        if col.children:
            items = "".join(f'<li><a href="{self.col_url(c)}">{esc(c.name)}</a></li>'
                            for c in col.children)
            main = f'{crumbs}<h2>{esc(col.name)}</h2><ul class="sub-columns">{items}</ul>'
            self.b.page(url + "index.html", self.frame(col.name, col.name, main))
            return
        pages = chunks(col.articles, col.per_page)
        for n, arts in enumerate(pages):
            lis = "".join(
                f'<li><a href="./{self.art_url(col, a).removeprefix(url)}" '
                f'title="{esc(a.title)}" target="_blank">{esc(a.title)}</a>'
                f'<span class="date">{fmt_date(a.day, "iso")}</span></li>'
                for a in arts)
            if col.state == "placeholder":
                lis = f'<li class="nodata">{esc(col.placeholder)}</li>'
            main = (f'{crumbs}<h2>{esc(col.name)}</h2><ul class="list">{lis}</ul>'
                    f"{self.pager(n, len(pages))}")
            name = "index.html" if n == 0 else f"index_{n}.html"
            self.b.page(url + name, self.frame(col.name, col.name, main))
        for art in col.articles:
            self.article(col, art)

    @staticmethod
    def pager(n: int, total: int) -> str:
        if total <= 1:
            return ""

        def name(i: int) -> str:
            return "index.html" if i == 0 else f"index_{i}.html"

        links = [f'<a href="{name(0)}">首页</a>']
        if n > 0:
            links.append(f'<a href="{name(n - 1)}">上一页</a>')
        if n < total - 1:
            links.append(f'<a href="{name(n + 1)}">下一页</a>')
        links.append(f'<a href="{name(total - 1)}">尾页</a>')
        return f'<div class="page">共{total}页 当前第{n + 1}页 {" ".join(links)}</div>'

    def article(self, col: Column, art: Article) -> None:
        url = self.art_url(col, art)
        self.b.mark(art.marks, url)
        stamp = f"{art.day.isoformat()} 09:{art.art_id % 60:02d}"
        body = "".join(f"<p>{esc(p)}</p>" for p in art.paragraphs)
        main = f"""<div class="crumb"><a href="/">首页</a> &gt;
<a href="{self.col_url(col)}">{esc(col.name)}</a></div>
<h1>{esc(art.title)}</h1>
<div class="info">发布时间：{stamp}　来源：{esc(art.source)}</div>
<div class="TRS_Editor">{body}</div>{link_blocks(art.blocks)}"""
        meta = {"ArticleTitle": art.title, "PubDate": stamp, "ContentSource": art.source,
                "ColumnType": col.name}
        self.b.page(url, self.frame(art.title, col.name, main, meta))

    def guides(self) -> None:
        rows = []
        dated = any(g.day for g in self.plan.guides)
        for i, guide in enumerate(self.plan.guides):
            url = self.guide_url(guide, i)
            day = f'<td>{guide.day.isoformat() if guide.day else ""}</td>' if dated else ""
            rows.append(f'<tr><td>{i + 1}</td><td><a href="{url}">{esc(guide.name)}</a></td>'
                        f'<td>{esc(guide.list_limit)}</td>{day}'
                        f'<td><a href="{url}">办事指南</a></td></tr>')
            main = (f'<div class="crumb"><a href="/">首页</a> &gt; <a href="{GUIDES}">办事服务</a>'
                    f'</div><h1>{esc(guide.name)}办事指南</h1>'
                    f'<div class="TRS_Editor">{guide_body(guide)}</div>')
            self.b.page(url, self.frame(guide.name, "办事指南", main,
                                        {"ArticleTitle": guide.name + "办事指南"}))
            self.b.mark(guide.marks, url)
        day_head = "<th>更新日期</th>" if dated else ""
        table = ('<table class="sxlb"><tr><th>序号</th><th>事项名称</th><th>承诺办结时限</th>'
                 f'{day_head}<th>操作</th></tr>{"".join(rows)}</table>')
        self.b.page(GUIDES + "index.html", self.frame("办事服务", "办事服务",
                                                      f"<h2>办事指南</h2>{table}"))

    def board(self) -> None:
        board = self.plan.board
        if board is None or board.on_platform:
            return
        messages = board_messages(board)
        pages = chunks(messages, board.per_page)
        for n, msgs in enumerate(pages):
            rows = "".join(
                f'<tr><td><a href="{self.msg_url(m)}">{esc(m.title)}</a></td>'
                f'<td>{fmt_time(m.asked, "iso")}</td><td>{esc(m.status)}</td></tr>' for m in msgs)
            main = (f'<h2>{esc(board.name)}</h2><p><a href="{BOARD_FORM}">我要写信</a></p>'
                    '<table class="xxlb"><tr><th>信件标题</th><th>留言时间</th><th>办理状态</th>'
                    f"</tr>{rows}</table>{self.pager(n, len(pages))}")
            name = "index.html" if n == 0 else f"index_{n}.html"
            self.b.page(BOARD + name, self.frame(board.name, board.name, main))
        for msg in messages:
            self.message(board.name, msg)
        if board.has_form:
            form = f"""<h2>{esc(board.name)}</h2>
<form action="/hdjl/ldxx/submit.do" method="post">
<p>姓名：<input name="name"></p><p>联系电话：<input name="phone"></p>
<p>信件标题：<input name="title"></p><p>信件内容：<textarea name="content"></textarea></p>
<p><button type="submit">提交</button></p></form>"""
            self.b.page(BOARD_FORM, self.frame("我要写信", board.name, form))
            self.b.post_handlers["/hdjl/ldxx/submit.do"] = thanks_handler(board.name)

    def message(self, board_name: str, msg: Message) -> None:
        url = self.msg_url(msg)
        self.b.mark(msg.marks, url)
        replied = fmt_time(msg.replied, "iso-seconds") if msg.replied else ""
        reply = esc(msg.reply) if msg.replied else "（尚未回复）"
        main = f"""<h2>{esc(board_name)}</h2><table class="xjxq">
<tr><th>信件标题</th><td>{esc(msg.title)}</td></tr>
<tr><th>留言人</th><td>{esc(msg.asker)}</td></tr>
<tr><th>留言时间</th><td>{fmt_time(msg.asked, "iso-seconds")}</td></tr>
<tr><th>留言内容</th><td>{esc(msg.question)}</td></tr>
<tr><th>办理状态</th><td>{esc(msg.status)}</td></tr>
<tr><th>回复单位</th><td>{esc(msg.replier)}</td></tr>
<tr><th>回复时间</th><td>{replied}</td></tr>
<tr><th>回复内容</th><td>{reply}</td></tr></table>"""
        self.b.page(url, self.frame(msg.title, board_name, main))

    def maintenance(self) -> None:
        for link in self.plan.channels:
            if link.target == "maintenance":
                main = f'<h2>{esc(link.text)}</h2><div class="notice">{esc(link.notice)}</div>'
                self.b.page(MAINTENANCE, self.frame(link.text, link.text, main))
                return

    def home(self) -> None:
        p = self.plan
        blocks = []
        leaves = [c for c in p.leaf_columns() if c.articles][:3]
        for col in leaves:
            lis = "".join(f'<li><a href="{self.art_url(col, a)}">{esc(a.title)}</a>'
                          f'<span>{a.day:%m-%d}</span></li>' for a in col.articles[:7])
            blocks.append(f'<div class="block"><h3>{esc(col.name)}'
                          f'<a class="more" href="{self.col_url(col)}">更多</a></h3>'
                          f'<ul class="list">{lis}</ul></div>')
        guides = "".join(f'<li><a href="{self.guide_url(g, i)}">{esc(g.name)}</a></li>'
                         for i, g in enumerate(p.guides[:5]))
        blocks.append(f'<div class="block"><h3>办事服务<a class="more" href="{GUIDES}">更多</a>'
                      f"</h3><ul>{guides}</ul></div>")
        links = [f'<a href="{channel_href(c, p, BOARD_FORM, MAINTENANCE)}">{esc(c.text)}</a>'
                 for c in p.channels]
        if p.board and not p.board.on_platform:
            links.append(f'<a href="{BOARD}">信件选登</a>')
        if p.petition:
            links.append(f'<a href="{PETITION_URL}" target="_blank">网上信访</a>')
        if p.discipline:
            links.append(f'<a href="{DISCIPLINE_URL}" target="_blank">纪检举报</a>')
        blocks.append(f'<div class="block hdjl"><h3>互动交流</h3><p>{" ".join(links)}</p></div>')
        blocks.append(link_blocks(p.home_blocks))
        self.b.page("/index.html", self.frame("首页", "首页", "\n".join(blocks)))

    def sitemap(self) -> None:
        items = column_tree(self.plan.columns, self.col_url)
        items += f'<li><a href="{GUIDES}">办事服务</a></li>'
        if self.plan.board and not self.plan.board.on_platform:
            items += f'<li><a href="{BOARD}">{esc(self.plan.board.name)}</a></li>'
        main = f'<h2>{esc(self.plan.sitemap_text)}</h2><ul class="wzdt">{items}</ul>'
        self.b.page(SITEMAP + "index.html", self.frame(self.plan.sitemap_text, "网站地图", main))


def build(plan: SitePlan) -> tuple[SiteSpec, list[Truth]]:
    return TrsSite(plan).render()
