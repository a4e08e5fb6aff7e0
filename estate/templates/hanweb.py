"""Hanweb (大汉)-like site (UTF-8): list items arrive by JavaScript from dataproxy.jsp.

URLs: column `/col/col4512/index.html`, article `/art/2026/10/15/art_4512_5678.html`,
letters under `/jact/front/`, guides in a static column, site map `/wzdt.html`.
A column's `render` says how its items reach the page:
- "js": the HTML holds an empty <ul> and a script POSTing to
  `/module/web/jpage/dataproxy.jsp` (XML <datastore> answer) — needs a browser;
- "xml": the records also sit in `<script type="text/xml"><datastore>` in the HTML;
- "static": items are plain HTML.
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
    column_tree,
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
from ..guides import guide_body
from ..model import Resource, SiteSpec, Truth

DATAPROXY = "/module/web/jpage/dataproxy.jsp"
SITEMAP = "/wzdt.html"
SEARCH = "/jrobot/search.do"  # jrobot full-text search: POST webid, q
MAIL_LIST = "/jact/front/maillist.do?sysid=6"
MAIL_WRITE = "/jact/front/mailwrite.do?sysid=6"
MAIL_SUBMIT = "/jact/front/mailsubmit.do"
MAINTENANCE = "/jact/front/mailwrite.do?sysid=9"
GUIDE_TABLE = 'class="bszn-table" border="1" cellspacing="0"'

# Loads one page of records for a column, like Hanweb's jpage.js does.
JPAGE_JS = """<script type="text/javascript">
(function () {
  var columnid = %(col)d, perpage = %(per)d, unitid = %(unit)d;
  var box = document.getElementById('list_' + columnid);
  var pager = document.getElementById('pager_' + columnid);
  function show(xmlText, page) {
    var doc = new DOMParser().parseFromString(xmlText, 'text/xml');
    var totalNode = doc.getElementsByTagName('totalrecord')[0];
    var total = totalNode ? parseInt(totalNode.textContent, 10) : 0;
    var records = doc.getElementsByTagName('record');
    var html = '';
    for (var i = 0; i < records.length; i++) { html += records[i].textContent; }
    box.innerHTML = html;
    var pages = Math.ceil(total / perpage);
    pager.innerHTML = '';
    if (pages > 1) {
      pager.appendChild(document.createTextNode('共' + total + '条 ' + page + '/' + pages + '页 '));
      for (var p = 1; p <= pages; p++) {
        var a = document.createElement('a');
        a.href = 'javascript:void(0)';
        a.textContent = p;
        a.setAttribute('data-page', p);
        a.onclick = function () { load(parseInt(this.getAttribute('data-page'), 10)); };
        pager.appendChild(a);
      }
    }
  }
  function load(page) {
    var start = (page - 1) * perpage + 1, end = page * perpage;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '%(proxy)s?startrecord=' + start + '&endrecord=' + end +
             '&perpage=' + perpage, true);
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 4 && xhr.status === 200) { show(xhr.responseText, page); }
    };
    xhr.send('col=1&appid=1&webid=%(webid)d&path=%%2F&columnid=' + columnid +
             '&sourceContentType=1&unitid=' + unitid + '&permissiontype=0');
  }
  load(1);
})();
</script>"""

# Reads the records embedded in <script type="text/xml"> and shows them.
XML_JS = """<script type="text/javascript">
(function () {
  var holder = document.getElementById('div%(col)d');
  var data = holder.querySelector('script[type="text/xml"]');
  var doc = new DOMParser().parseFromString(data.textContent, 'text/xml');
  var records = doc.getElementsByTagName('record');
  var html = '';
  for (var i = 0; i < records.length; i++) { html += records[i].textContent; }
  document.getElementById('list_%(col)d').innerHTML = html;
})();
</script>"""


def datastore(records: list[str], total: int, col_id: int, webid: int) -> str:
    """A dataproxy answer: records as CDATA, total count, next-group link."""
    recs = "".join(f"<record><![CDATA[{r}]]></record>" for r in records)
    nextgroup = (f'<a href="{DATAPROXY}?page=1&amp;webid={webid}&amp;path=/&amp;'
                 f'columnid={col_id}&amp;permissiontype=0"></a>')
    return (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord>'
            f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup><recordset>{recs}</recordset>"
            "</datastore>")


def _int(form: dict[str, str], key: str, default: int) -> int:
    try:
        return int(form.get(key, default))
    except ValueError:
        return default


class HanwebSite:
    """Renders one SitePlan the Hanweb way."""

    def __init__(self, plan: SitePlan) -> None:
        self.plan = plan
        self.b = SiteBuilder(plan, "hanweb")
        self.webid = int(plan.site_code[-3:]) + 1
        first = min((c.col_id for c in plan.all_columns() if c.col_id), default=4500)
        self.guides_col = first // 100 * 100 + 90
        self.records: dict[int, list[str]] = {}
        self.parents: dict[int, Column] = {}
        for top in plan.columns:
            for child in top.children:
                self.parents[child.col_id] = top

    # --- URLs ---------------------------------------------------------------
    @staticmethod
    def col_url(col_id: int) -> str:
        return f"/col/col{col_id}/index.html"

    @staticmethod
    def art_url(col_id: int, art_id: int, day: date) -> str:
        return f"/art/{day.year}/{day.month}/{day.day}/art_{col_id}_{art_id}.html"

    @staticmethod
    def msg_url(msg: Message) -> str:
        return f"/jact/front/mailpubdetail.do?transactId={msg.msg_id}&sysid=6"

    def guide_url(self, guide: Guide) -> str:
        return self.art_url(self.guides_col, guide.guide_id, date(2026, 9, 1))

    # --- frame ----------------------------------------------------------------
    def frame(self, title: str, column: str, main: str, meta: dict[str, str] | None = None) -> str:
        p = self.plan
        metas = {"SiteName": p.title, "SiteDomain": p.domain, "SiteIDCode": p.site_code,
                 "ColumnName": column, **(meta or {})}
        meta_html = "\n".join(f'<meta name="{k}" content="{esc(v)}">' for k, v in metas.items())
        nav = ['<li><a href="/index.html">首页</a></li>']
        nav += [f'<li><a href="{self.col_url(c.col_id)}">{esc(c.name)}</a></li>'
                for c in p.columns if c.in_nav]
        nav.append(f'<li><a href="{self.col_url(self.guides_col)}">政务服务</a></li>')
        return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
{meta_html}
<title>{esc(title)} {esc(p.title)}</title></head>
<body>
<div class="header"><h1 class="site-name">{esc(p.title)}</h1>
<div class="header-links"><a href="{SITEMAP}">{esc(p.sitemap_text)}</a>
{jiucuo_link(p)}</div>{self.search_box()}</div>
<ul class="nav">{"".join(nav)}</ul>
<div class="container">{main}</div>
<div class="footer"><div class="footer-conac">{conac_link(p)}</div>
<div class="footer-text">
<p>主办单位：{esc(p.organizer)}　　{contact_text(p)}　　地址：{esc(p.address)}</p>
<p>{code_text(p)}　　{icp_link(p)}　　{police_link(p)}</p>
</div></div></body></html>"""

    def search_box(self) -> str:
        if self.plan.search == "none":
            return ""
        return (f'<form id="searchform" name="searchform" action="{SEARCH}" method="post" '
                'target="_blank"><input type="hidden" name="webid" '
                f'value="{self.webid}"><input type="hidden" name="pg" value="10">'
                '<input type="text" name="q" class="search-input" placeholder="请输入搜索内容">'
                '<input type="submit" class="search-btn" value=""></form>')

    def search(self, form: dict[str, str]) -> Resource:
        """/jrobot/search.do (POST, or GET with the same fields): jrobot full-text search."""
        if self.plan.search == "error":
            return search.error_answer()
        query = form.get("q", "")
        hits = search.find(self.hits, query, fuzzy=self.plan.search == "fuzzy")
        main = f'<div class="list-title">检索结果</div>{search.results_html(hits, query)}'
        return Resource(self.frame("检索结果", "检索结果", main).encode())

    # --- pages --------------------------------------------------------------
    def render(self) -> tuple[SiteSpec, list[Truth]]:
        for i, guide in enumerate(self.plan.guides):
            guide.guide_id = 7001 + i
        for i, msg in enumerate(board_messages(self.plan.board)):
            msg.msg_id = 31020 + i * 7
        for col in self.plan.all_columns():
            self.column(col)
        self.b.post_handlers[DATAPROXY] = self.dataproxy
        self.hits = search.index(self.plan, lambda c, a: self.art_url(c.col_id, a.art_id, a.day))
        if self.plan.search != "none":
            self.b.post_handlers[SEARCH] = self.search
            # Only the form's POST searches: a GET of it is refused, as jrobot's servlet does.
            self.b.get_handlers[SEARCH] = lambda _path: Resource(
                b"<html><body><h1>HTTP Status 405 - Request method 'GET' not supported</h1>"
                b"</body></html>", status=405)
        self.b.mark(self.plan.search_marks, "/")
        self.guides()
        self.board()
        self.maintenance()
        self.home()
        self.b.mark(self.plan.home_marks, "/")
        self.sitemap()
        self.b.add("/images/dzjg.png", Resource(MARK_PNG, "image/png"))
        self.b.mark(self.plan.consult_marks, "/")
        return self.b.spec(), self.b.truth

    def record(self, col: Column, art: Article) -> str:
        url = self.art_url(col.col_id, art.art_id, art.day)
        return (f'<li><a href="{url}" title="{esc(art.title)}" target="_blank">{esc(art.title)}'
                f'</a><span class="bt-data-time">{fmt_date(art.day, col.date_style)}</span></li>')

    def dataproxy(self, form: dict[str, str]) -> Resource:
        """POST (or GET) /module/web/jpage/dataproxy.jsp: one slice of a column's records."""
        col_id = _int(form, "columnid", 0)
        records = self.records.get(col_id, [])
        start = max(1, _int(form, "startrecord", 1))
        end = _int(form, "endrecord", start + _int(form, "perpage", 15) - 1)
        body = datastore(records[start - 1 : end], len(records), col_id, self.webid)
        return Resource(body.encode("utf-8"), "text/xml;charset=UTF-8")

    def column(self, col: Column) -> None:
        url = self.col_url(col.col_id)
        self.b.mark(col.marks, url)
        if col.state == "missing":
            return
        crumbs = (f'<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; '
                  f"{esc(col.name)}</div>")
        if col.children:
            subs = "".join(f'<li><a href="{self.col_url(c.col_id)}">{esc(c.name)}</a></li>'
                           for c in col.children)
            main = f'{crumbs}<div class="sub-nav"><h2>{esc(col.name)}</h2><ul>{subs}</ul></div>'
            self.b.page(url, self.frame(col.name, col.name, main))
            return
        records = [self.record(col, a) for a in col.articles]
        self.records[col.col_id] = records
        head = f'{crumbs}<div class="list-title">{esc(col.name)}</div>'
        if col.state == "placeholder":
            main = f'{head}<ul class="list"></ul><div class="no-data">{esc(col.placeholder)}</div>'
        elif col.render == "js" or col.state == "js-empty":
            script = JPAGE_JS % {"col": col.col_id, "per": col.per_page, "proxy": DATAPROXY,
                                 "unit": 20000 + self.webid, "webid": self.webid}
            main = (f'{head}<div id="{col.col_id}" class="list-box"><ul id="list_{col.col_id}" '
                    f'class="list"></ul><div class="pager" id="pager_{col.col_id}"></div></div>'
                    f"{script}")
        elif col.render == "xml":
            store = datastore(records, len(records), col.col_id, self.webid)
            store = store.removeprefix('<?xml version="1.0" encoding="UTF-8"?>')
            main = (f'{head}<div id="div{col.col_id}"><script type="text/xml">{store}</script>'
                    f'<ul id="list_{col.col_id}" class="list"></ul></div>'
                    f"{XML_JS % {'col': col.col_id}}")
        else:
            self.static_pages(col, head, records)
            main = ""
        if main:
            self.b.page(url, self.frame(col.name, col.name, main))
        for art in col.articles:
            self.article(col, art)

    def static_pages(self, col: Column, head: str, records: list[str]) -> None:
        pages = chunks(records, col.per_page)
        for n, recs in enumerate(pages):
            links = []
            if n > 0:
                prev = "index.html" if n == 1 else f"index_{n}.html"
                links.append(f'<a href="{prev}">上一页</a>')
            if n < len(pages) - 1:
                links.append(f'<a href="index_{n + 2}.html">下一页</a>')
            pager = f'<div class="pager">{" ".join(links)}</div>' if links else ""
            main = f'{head}<ul class="list">{"".join(recs)}</ul>{pager}'
            name = "index.html" if n == 0 else f"index_{n + 1}.html"
            self.b.page(f"/col/col{col.col_id}/{name}", self.frame(col.name, col.name, main))

    def article(self, col: Column, art: Article) -> None:
        url = self.art_url(col.col_id, art.art_id, art.day)
        self.b.mark(art.marks, url)
        stamp = f"{art.day.isoformat()} 10:{art.art_id % 60:02d}"
        body = "".join(f'<p style="text-indent:2em">{esc(p)}</p>' for p in art.paragraphs)
        main = f"""<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt;
<a href="{self.col_url(col.col_id)}">{esc(col.name)}</a></div>
<div class="article"><h1 class="title">{esc(art.title)}</h1>
<div class="sub-info"><span>发布日期：{stamp}</span><span>信息来源：{esc(art.source)}</span></div>
<div class="main-txt" id="zoom">{body}</div></div>"""
        meta = {"ArticleTitle": art.title, "PubDate": stamp, "ContentSource": art.source}
        self.b.page(url, self.frame(art.title, col.name, main, meta))

    def guides(self) -> None:
        rows = []
        for i, guide in enumerate(self.plan.guides):
            url = self.guide_url(guide)
            rows.append(f'<tr><td>{i + 1}</td><td class="name"><a href="{url}" target="_blank">'
                        f'{esc(guide.name)}</a></td><td>{esc(guide.list_limit)}</td>'
                        f'<td><a href="{url}">查看指南</a></td></tr>')
            main = (f'<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; '
                    f'<a href="{self.col_url(self.guides_col)}">政务服务</a></div>'
                    f'<h1 class="title">{esc(guide.name)}</h1>'
                    '<div class="main-txt">'
                    f"{guide_body(guide, pairs_per_row=2, table_attrs=GUIDE_TABLE)}</div>")
            self.b.page(url, self.frame(guide.name, "政务服务", main,
                                        {"ArticleTitle": guide.name}))
            self.b.mark(guide.marks, url)
        table = ('<table class="sx-list"><thead><tr><th>序号</th><th>事项名称</th>'
                 f'<th>承诺时限</th><th>操作</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
        main = f'<div class="list-title">办事指南</div>{table}'
        self.b.page(self.col_url(self.guides_col), self.frame("政务服务", "政务服务", main))

    def board(self) -> None:
        board = self.plan.board
        if board is None or board.on_platform:
            return
        messages = board_messages(board)
        pages = chunks(messages, board.per_page)
        for n, msgs in enumerate(pages):
            rows = "".join(
                f'<tr><td><a href="{self.msg_url(m)}">{esc(m.title)}</a></td>'
                f'<td>{fmt_date(m.asked.date(), "slash")}</td>'
                f'<td>{fmt_date(m.replied.date(), "slash") if m.replied else ""}</td>'
                f'<td>{esc(m.status)}</td></tr>' for m in msgs)
            links = [f'<a href="{MAIL_LIST if i == 0 else f"{MAIL_LIST}&amp;pageNo={i + 1}"}">'
                     f"{i + 1}</a>" for i in range(len(pages)) if i != n]
            main = (f'<div class="list-title">{esc(board.name)}</div>'
                    f'<p><a href="{MAIL_WRITE}">我要写信</a></p><table class="mail-list">'
                    "<tr><th>信件标题</th><th>来信日期</th><th>回复日期</th><th>状态</th></tr>"
                    f'{rows}</table><div class="pager">{" ".join(links)}</div>')
            path = MAIL_LIST if n == 0 else f"{MAIL_LIST}&pageNo={n + 1}"
            self.b.page(path, self.frame(board.name, board.name, main))
        for msg in messages:
            self.message(board.name, msg)
        if board.has_form:
            form = f"""<div class="list-title">{esc(board.name)}</div>
<form id="mailForm" action="{MAIL_SUBMIT}" method="post">
<table><tr><td>姓名</td><td><input name="name"></td></tr>
<tr><td>手机号码</td><td><input name="phone"></td></tr>
<tr><td>信件标题</td><td><input name="title"></td></tr>
<tr><td>信件内容</td><td><textarea name="content"></textarea></td></tr></table>
<input type="submit" value="提交"></form>"""
            self.b.page(MAIL_WRITE, self.frame("写信", board.name, form))
            self.b.post_handlers[MAIL_SUBMIT] = thanks_handler(board.name)

    def message(self, board_name: str, msg: Message) -> None:
        url = self.msg_url(msg)
        self.b.mark(msg.marks, url)
        replied = fmt_date(msg.replied.date(), "slash") if msg.replied else ""
        main = f"""<div class="list-title">{esc(board_name)}</div>
<table class="mail-detail">
<tr><td class="label">来信标题</td><td>{esc(msg.title)}</td></tr>
<tr><td class="label">来信人</td><td>{esc(msg.asker)}</td></tr>
<tr><td class="label">来信日期</td><td>{fmt_date(msg.asked.date(), "slash")}</td></tr>
<tr><td class="label">来信内容</td><td>{esc(msg.question)}</td></tr>
<tr><td class="label">处理状态</td><td>{esc(msg.status)}</td></tr>
<tr><td class="label">回复单位</td><td>{esc(msg.replier)}</td></tr>
<tr><td class="label">回复日期</td><td>{replied}</td></tr>
<tr><td class="label">回复内容</td><td>{esc(msg.reply)}</td></tr></table>"""
        self.b.page(url, self.frame(msg.title, board_name, main))

    def maintenance(self) -> None:
        for link in self.plan.channels:
            if link.target == "maintenance":
                main = (f'<div class="list-title">{esc(link.text)}</div>'
                        f'<div class="no-data" style="padding:60px">{esc(link.notice)}</div>')
                self.b.page(MAINTENANCE, self.frame(link.text, link.text, main))
                return

    def home(self) -> None:
        p = self.plan
        blocks = []
        for col in [c for c in p.leaf_columns() if c.articles][:3]:
            lis = "".join(self.record(col, a) for a in col.articles[:6])
            blocks.append(f'<div class="index-block"><div class="block-title">{esc(col.name)}'
                          f'<a href="{self.col_url(col.col_id)}" class="more">更多&gt;&gt;</a>'
                          "</div>"
                          f'<ul class="list">{lis}</ul></div>')
        guides = "".join(f'<li><a href="{self.guide_url(g)}">{esc(g.name)}</a></li>'
                         for g in p.guides[:5])
        blocks.append(f'<div class="index-block"><div class="block-title">政务服务</div>'
                      f"<ul>{guides}</ul></div>")
        links = [
            f'<li><a href="{channel_href(c, p, MAIL_WRITE, MAINTENANCE)}">{esc(c.text)}</a></li>'
            for c in p.channels
        ]
        if p.board and not p.board.on_platform:
            links.append(f'<li><a href="{MAIL_LIST}">信件公开</a></li>')
        if p.petition:
            links.append(f'<li><a href="{PETITION_URL}" target="_blank">网上信访</a></li>')
        if p.discipline:
            links.append(f'<li><a href="{DISCIPLINE_URL}" target="_blank">纪检举报</a></li>')
        blocks.append(f'<div class="index-block hdjl"><div class="block-title">政民互动</div>'
                      f'<ul>{"".join(links)}</ul></div>')
        self.b.page("/index.html", self.frame("首页", "首页", "\n".join(blocks)))

    def sitemap(self) -> None:
        items = column_tree(self.plan.columns, lambda col: self.col_url(col.col_id))
        items += f'<li><a href="{self.col_url(self.guides_col)}">政务服务</a></li>'
        if self.plan.board and not self.plan.board.on_platform:
            items += f'<li><a href="{MAIL_LIST}">{esc(self.plan.board.name)}</a></li>'
        main = (f'<div class="list-title">{esc(self.plan.sitemap_text)}</div>'
                f'<ul class="map">{items}</ul>')
        self.b.page(SITEMAP, self.frame(self.plan.sitemap_text, self.plan.sitemap_text, main))


def build(plan: SitePlan) -> tuple[SiteSpec, list[Truth]]:
    return HanwebSite(plan).render()
