"""An old ASP-era table-layout site encoded in GBK, with unreliable charset labels.

URLs: column `/news/list.asp?classid=12` (`&page=2`), parent column
`/news/class.asp?classid=1`, article `/news/show.asp?id=1234`, letters
`/gbook/`, guides `/bszn/`, site map `/sitemap.asp`.

Charset labelling, as found on such servers (bodies are always GBK bytes):
- most pages: header `text/html` without charset, meta says gb2312;
- articles: header `text/html; charset=gb2312`;
- WRONG header (`charset=utf-8`): page 1 of the letters list, and the first guide;
- NO meta at all (header without charset): the site map, and the detail page
  of the first planted letter.
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
    conac_link,
    contact_text,
    esc,
    fmt_date,
    icp_link,
    jiucuo_link,
    link_blocks,
    police_link,
    thanks_handler,
)
from ..content import Article, Column, Guide, Message, SitePlan
from ..guides import guide_body
from ..model import Resource, SiteSpec, Truth

CODEC = "gbk"
PLAIN = "text/html"
GB2312 = "text/html; charset=gb2312"
WRONG = "text/html; charset=utf-8"
META = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
BOARD = "/gbook/list.asp"
BOARD_FORM = "/gbook/write.asp"
MAINTENANCE = "/zxzx/index.asp"
GUIDES = "/bszn/list.asp"
SITEMAP = "/sitemap.asp"
SEARCH = "/search.asp"


class OldGbkSite:
    """Renders one SitePlan as a 2008-style GBK table site."""

    def __init__(self, plan: SitePlan) -> None:
        self.plan = plan
        self.b = SiteBuilder(plan, "oldgbk", charset=CODEC)

    # --- URLs -----------------------------------------------------------------
    @staticmethod
    def col_url(col: Column) -> str:
        if col.children:
            return f"/news/class.asp?classid={col.col_id}"
        return f"/news/list.asp?classid={col.col_id}"

    @staticmethod
    def art_url(art: Article) -> str:
        return f"/news/show.asp?id={art.art_id}"

    @staticmethod
    def guide_url(guide: Guide) -> str:
        return f"/bszn/show.asp?id={guide.guide_id}"

    @staticmethod
    def msg_url(msg: Message) -> str:
        return f"/gbook/show.asp?id={msg.msg_id}"

    # --- frame ----------------------------------------------------------------
    def frame(self, title: str, main: str, meta: bool = True) -> str:
        p = self.plan
        nav = ['<a href="/">网站首页</a>']
        nav += [f'<a href="{self.col_url(c)}">{esc(c.name)}</a>' for c in p.columns if c.in_nav]
        nav.append(f'<a href="{GUIDES}">办事指南</a>')
        if p.board and not p.board.on_platform:
            nav.append(f'<a href="{BOARD}">{esc(p.board.name)}</a>')
        head_meta = META if meta else ""
        return f"""<html>
<head>
{head_meta}
<title>{esc(title)}--{esc(p.title)}</title>
<style type="text/css">td{{font-size:12px;line-height:20px}}</style>
</head>
<body leftmargin="0" topmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="90" bgcolor="#1a5ea8"><font size="6" color="#ffffff"><b>{esc(p.title)}</b>
</font></td></tr>
<tr><td height="30" bgcolor="#e8f0f8">{" | ".join(nav)} |
<a href="{SITEMAP}">{esc(p.sitemap_text)}</a>{self.search_box()}</td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td valign="top">{main}</td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="4" cellspacing="0" bgcolor="#f0f0f0">
<tr><td width="80" align="center">{conac_link(p)}</td><td align="center">
主办单位：{esc(p.organizer)}&nbsp;&nbsp;地址：{esc(p.address)}&nbsp;&nbsp;{contact_text(p, "电话")}<br>
{code_text(p)}&nbsp;&nbsp;{icp_link(p)}&nbsp;&nbsp;{police_link(p)}<br>
{jiucuo_link(p)}&nbsp;&nbsp;建议使用1024×768分辨率浏览本站
</td></tr></table>
</body>
</html>"""

    def search_box(self) -> str:
        if self.plan.search == "none":
            return ""
        return (f'&nbsp;&nbsp;<form name="form_search" action="{SEARCH}" method="get" '
                'style="display:inline">关键字：<input name="keyword" size="12">'
                '<input type="submit" value="搜 索"></form>')

    def search(self, path: str) -> Resource:
        """/search.asp?keyword=…: the ASP search decodes its query as GBK, as IIS did."""
        if self.plan.search == "error":
            return search.error_answer()
        query = search.query_of(path, "keyword", CODEC)
        hits = search.find(self.hits, query, fuzzy=self.plan.search == "fuzzy")
        main = f'<b>搜索结果</b><br>{search.results_html(hits, query, "dot")}'
        return Resource(self.frame("搜索结果", main).encode(CODEC), PLAIN)

    def page(self, path: str, title: str, main: str, ctype: str = PLAIN, meta: bool = True) -> None:
        self.b.page(path, self.frame(title, main, meta), content_type=ctype)

    # --- pages --------------------------------------------------------------
    def render(self) -> tuple[SiteSpec, list[Truth]]:
        for i, guide in enumerate(self.plan.guides):
            guide.guide_id = 3 + i * 2
        for i, msg in enumerate(board_messages(self.plan.board)):
            msg.msg_id = 580 + i
        for col in self.plan.all_columns():
            self.column(col)
        self.hits = search.index(self.plan, lambda _c, a: self.art_url(a))
        if self.plan.search != "none":
            self.b.get_handlers[SEARCH] = self.search
        self.b.mark(self.plan.search_marks, "/")
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

    def column(self, col: Column) -> None:
        url = self.col_url(col)
        self.b.mark(col.marks, url)
        if col.state == "missing":
            return
        heading = (f'<table width="100%"><tr><td height="28" bgcolor="#dde8f4">&nbsp;<b>'
                   f"{esc(col.name)}</b></td></tr></table>")
        if col.children:
            subs = "".join(f'<tr><td>&middot; <a href="{self.col_url(c)}">{esc(c.name)}</a></td>'
                           "</tr>" for c in col.children)
            self.page(url, col.name, f'{heading}<table width="100%">{subs}</table>')
            return
        pages = chunks(col.articles, col.per_page)
        for n, arts in enumerate(pages):
            rows = "".join(
                f'<tr><td width="80%">&middot; <a href="{self.art_url(a)}" target="_blank">'
                f'{esc(a.title)}</a></td><td width="20%" align="right">'
                f"{fmt_date(a.day, col.date_style)}</td></tr>" for a in arts)
            if col.state == "placeholder":
                rows = f'<tr><td align="center" height="200">{esc(col.placeholder)}</td></tr>'
            table = f'<table width="100%" border="0" class="list">{rows}</table>'
            pager = self.pager(f"list.asp?classid={col.col_id}", n, len(pages), len(col.articles))
            path = url if n == 0 else f"{url}&page={n + 1}"
            self.page(path, col.name, heading + table + pager, GB2312)
        for art in col.articles:
            self.article(col, art)

    @staticmethod
    def pager(base: str, n: int, total: int, count: int) -> str:
        if total <= 1:
            return ""
        def link(i: int) -> str:
            return base if i == 1 else f"{base}&page={i}"

        links = [f'<a href="{link(1)}">首页</a>']
        if n > 0:
            links.append(f'<a href="{link(n)}">上一页</a>')
        if n < total - 1:
            links.append(f'<a href="{link(n + 2)}">下一页</a>')
        links.append(f'<a href="{link(total)}">尾页</a>')
        return (f'<table width="100%"><tr><td align="center">共{count}条记录 页次：{n + 1}/{total}'
                f' {" ".join(links)}</td></tr></table>')

    def article(self, col: Column, art: Article) -> None:
        url = self.art_url(art)
        self.b.mark(art.marks, url)
        body = "".join(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{esc(p)}</p>" for p in art.paragraphs)
        main = f"""<table width="100%" cellpadding="6">
<tr><td>当前位置：<a href="/">首页</a> &gt;&gt;
<a href="{self.col_url(col)}">{esc(col.name)}</a></td></tr>
<tr><td align="center"><font size="4"><b>{esc(art.title)}</b></font></td></tr>
<tr><td align="center">发布时间：{fmt_date(art.day, "cn")}&nbsp;&nbsp;来源：{esc(art.source)}
&nbsp;&nbsp;点击数：{art.art_id % 400 + 37}</td></tr>
<tr><td class="content">{body}</td></tr></table>{link_blocks(art.blocks, "gl")}"""
        self.page(url, art.title, main, GB2312)

    def guides(self) -> None:
        rows = []
        for i, guide in enumerate(self.plan.guides):
            url = self.guide_url(guide)
            rows.append(f'<tr><td align="center">{i + 1}</td><td><a href="{url}">{esc(guide.name)}'
                        f'</a></td><td align="center">{esc(guide.list_limit)}</td></tr>')
            body = guide_body(guide, label_tag="td", label_attrs='class="t1" width="22%" '
                              'bgcolor="#f2f2f2"', table_attrs='width="100%" border="1" '
                              'cellpadding="4" cellspacing="0" bordercolor="#cccccc"')
            main = (f'<table width="100%"><tr><td align="center"><font size="4"><b>'
                    f"{esc(guide.name)}办事指南</b></font></td></tr><tr><td>{body}</td></tr></table>")
            self.page(url, guide.name, main, WRONG if i == 0 else PLAIN)
            self.b.mark(guide.marks, url)
        table = ('<table width="100%" border="1" cellspacing="0" cellpadding="4">'
                 '<tr bgcolor="#dde8f4"><td width="8%">序号</td><td>事项名称</td>'
                 f'<td width="20%">承诺期限</td></tr>{"".join(rows)}</table>')
        self.page(GUIDES, "办事指南", table)

    def board(self) -> None:
        board = self.plan.board
        if board is None or board.on_platform:
            return
        messages = board_messages(board)
        pages = chunks(messages, board.per_page)
        for n, msgs in enumerate(pages):
            rows = "".join(
                f'<tr><td><a href="{self.msg_url(m)}">{esc(m.title)}</a></td>'
                f'<td align="center">{fmt_date(m.asked.date(), "cn")}</td>'
                f'<td align="center">{esc(m.status)}</td></tr>' for m in msgs)
            pager = "".join(
                f' <a href="{"list.asp" if i == 0 else f"list.asp?page={i + 1}"}">[{i + 1}]</a>'
                for i in range(len(pages)) if i != n)
            main = (f'<table width="100%"><tr><td><b>{esc(board.name)}</b> '
                    f'<a href="{BOARD_FORM}">我要提问</a></td></tr></table>'
                    '<table width="100%" border="1" cellspacing="0" cellpadding="3">'
                    '<tr bgcolor="#dde8f4"><td>咨询主题</td><td width="20%">提问日期</td>'
                    f'<td width="12%">状态</td></tr>{rows}</table>'
                    f'<p align="center">分页：{pager}</p>')
            path = BOARD if n == 0 else f"{BOARD}?page={n + 1}"
            self.page(path, board.name, main, WRONG if n == 0 else PLAIN)
        first_planted = next((m for m in messages if m.marks), None)
        for msg in messages:
            self.message(board.name, msg, meta=msg is not first_planted)
        if board.has_form:
            form = f"""<form name="form1" method="post" action="/gbook/save.asp">
<table width="100%" border="1" cellspacing="0" cellpadding="4">
<tr><td colspan="2"><b>{esc(board.name)}</b></td></tr>
<tr><td width="20%">您的姓名：</td><td><input name="name" size="20"></td></tr>
<tr><td>联系电话：</td><td><input name="phone" size="20"></td></tr>
<tr><td>咨询主题：</td><td><input name="title" size="50"></td></tr>
<tr><td>咨询内容：</td><td><textarea name="content" cols="60" rows="8"></textarea></td></tr>
<tr><td colspan="2" align="center"><input type="submit" value="提 交"></td></tr>
</table></form>"""
            self.page(BOARD_FORM, board.name, form)
            self.b.post_handlers["/gbook/save.asp"] = thanks_handler(board.name, CODEC)

    def message(self, board_name: str, msg: Message, meta: bool) -> None:
        url = self.msg_url(msg)
        self.b.mark(msg.marks, url)
        replied = fmt_date(msg.replied.date(), "dot") if msg.replied else ""
        main = f"""<table width="100%" border="1" cellspacing="0" cellpadding="4">
<tr><td colspan="2" bgcolor="#dde8f4"><b>{esc(board_name)}</b></td></tr>
<tr><td width="18%">咨询主题</td><td>{esc(msg.title)}</td></tr>
<tr><td>咨询人</td><td>{esc(msg.asker)}</td></tr>
<tr><td>提问日期</td><td>{fmt_date(msg.asked.date(), "cn")}</td></tr>
<tr><td>咨询内容</td><td>{esc(msg.question)}</td></tr>
<tr><td>状态</td><td>{esc(msg.status)}</td></tr>
<tr><td>答复单位</td><td>{esc(msg.replier)}</td></tr>
<tr><td>答复日期</td><td>{replied}</td></tr>
<tr><td>答复内容</td><td>{esc(msg.reply)}</td></tr></table>"""
        self.page(url, msg.title, main, meta=meta)

    def maintenance(self) -> None:
        for link in self.plan.channels:
            if link.target == "maintenance":
                main = (f'<table width="100%"><tr><td align="center" height="300">'
                        f"<font color=\"red\">{esc(link.notice)}</font></td></tr></table>")
                self.page(MAINTENANCE, link.text, main)
                return

    def home(self) -> None:
        p = self.plan
        cells = []
        for col in [c for c in p.leaf_columns() if c.articles][:3]:
            rows = "".join(f'<tr><td>&middot; <a href="{self.art_url(a)}">{esc(a.title)}</a></td>'
                           f'<td align="right">{fmt_date(a.day, "dot")}</td></tr>'
                           for a in col.articles[:6])
            cells.append(f'<table width="100%"><tr><td bgcolor="#dde8f4"><b>{esc(col.name)}</b>'
                         f'</td><td bgcolor="#dde8f4" align="right"><a href="{self.col_url(col)}">'
                         f"更多&gt;&gt;</a></td></tr>{rows}</table>")
        guides = "".join(f'&middot; <a href="{self.guide_url(g)}">{esc(g.name)}</a><br>'
                         for g in p.guides[:5])
        links = [f'<a href="{channel_href(c, p, BOARD_FORM, MAINTENANCE)}">{esc(c.text)}</a>'
                 for c in p.channels]
        if p.petition:
            links.append(f'<a href="{PETITION_URL}" target="_blank">网上信访</a>')
        if p.discipline:
            links.append(f'<a href="{DISCIPLINE_URL}" target="_blank">纪检举报</a>')
        side = (f'<table width="100%"><tr><td bgcolor="#dde8f4"><b>办事指南</b></td></tr>'
                f'<tr><td>{guides}</td></tr><tr><td bgcolor="#dde8f4"><b>互动交流</b></td></tr>'
                f'<tr><td>{"<br>".join(links)}</td></tr></table>')
        main = (f'<table width="100%"><tr><td width="72%" valign="top">{"".join(cells)}</td>'
                f'<td valign="top">{side}</td></tr></table>{link_blocks(p.home_blocks, "yq")}')
        self.page("/", "首页", main)

    def sitemap(self) -> None:
        rows = []
        for col in self.plan.columns:
            subs = " ".join(f'<a href="{self.col_url(c)}">{esc(c.name)}</a>' for c in col.children)
            rows.append(f'<tr><td width="20%"><b><a href="{self.col_url(col)}">{esc(col.name)}</a>'
                        f"</b></td><td>{subs}</td></tr>")
        rows.append(f'<tr><td><b><a href="{GUIDES}">办事指南</a></b></td><td></td></tr>')
        if self.plan.board and not self.plan.board.on_platform:
            rows.append(f'<tr><td><b><a href="{BOARD}">{esc(self.plan.board.name)}</a></b></td>'
                        "<td></td></tr>")
        main = (f'<table width="100%" border="1" cellspacing="0" cellpadding="4">'
                f'<tr><td colspan="2"><b>{esc(self.plan.sitemap_text)}</b></td></tr>'
                f'{"".join(rows)}</table>')
        self.page(SITEMAP, self.plan.sitemap_text, main, meta=False)


def build(plan: SitePlan) -> tuple[SiteSpec, list[Truth]]:
    return OldGbkSite(plan).render()
