"""Family "catalogue": a Guangdong gkmlpt-style disclosure catalogue.

龙溪区人民政府 (`longxi`), a fictional district of a fictional Guangdong city.
Its 政府信息公开目录 is ONE page, `/gkmlpt/index`, that serves every category:
by query string (`/gkmlpt/index?cat=2643`, how the site map links them) or by
fragment (`/gkmlpt/index#2643`, how the in-page menu links them). The menu
is built by script from the category list in `window._CONFIG`, and each
category's list is fetched as JSON from `/gkmlpt/api/all/{cat}?page=N`, then
written into an empty `<tbody>`. With no `cat`, the page shows the first
category. Some categories' JSON lists are empty: the page then shows 暂无数据
or a bare table head. The rest of the site (news, the consultation form) is
plain static HTML.
"""

from __future__ import annotations

import json
import random
from datetime import date

from ..model import Resource
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

TEMPLATE = "catalogue"
PER_PAGE = 15
IDENT = Identity(
    name="longxi", title="鹤岭市龙溪区人民政府", organizer="鹤岭市龙溪区人民政府办公室",
    region="广东省鹤岭市龙溪区", site_code="4415020001", kind="portal",
    domain="www.longxi.gov.cn", icp="粤ICP备15020001号", police="粤公网安备 44150202000101号",
    phone="0660-3321001", address="鹤岭市龙溪区府前大道1号",
)
SID = "744150"
GKMLPT = "/gkmlpt/index"
API = "/gkmlpt/api/all/"

API_ERROR = -1  # a category whose list API fails
# (id, name, kind of documents, how many, what an empty one shows)
CATEGORIES: list[tuple[int, str, str, int, str]] = [
    (2642, "政策文件", "policy", 23, ""),
    (2643, "规划计划", "policy", 0, "暂无数据"),
    (2644, "财政信息", "notice", 9, ""),
    (2645, "人事信息", "notice", 6, ""),
    (2646, "重大项目", "notice", 0, "暂无数据"),
    (2647, "应急管理", "notice", 0, ""),
    (2648, "统计信息", "notice", 4, ""),
    (2649, "建议提案办理", "notice", 0, "暂无数据"),
    # Its API answers HTTP 500: a visitor sees a bare table, but nobody can say
    # the category is empty. Never flagged; reported "not judged".
    (2650, "审计信息", "notice", API_ERROR, ""),
]

GKMLPT_JS = """(function () {
  var cfg = window._CONFIG || {}, cates = cfg.CATES || [];
  var menu = document.getElementById('gkml-menu');
  var list = document.getElementById('gkml-list');
  var pager = document.getElementById('gkml-page');
  var crumb = document.getElementById('gkml-crumb');
  var html = '';
  for (var i = 0; i < cates.length; i++) {
    html += '<li class="menu-item"><a href="#' + cates[i].id + '" data-id="' + cates[i].id + '">' +
      cates[i].name + '</a></li>';
  }
  menu.innerHTML = html;
  function current() {
    var m = location.search.match(/[?&]cat=(\\d+)/);
    if (m) { return m[1]; }
    var h = location.hash.replace('#', '');
    if (/^\\d+$/.test(h)) { return h; }
    return String(cates[0].id);
  }
  function nameOf(id) {
    for (var i = 0; i < cates.length; i++) { if (String(cates[i].id) === id) { return cates[i].name; } }
    return '';
  }
  function load(cat, page) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', cfg.API + cat + '?page=' + page + '&sid=' + cfg.SID);
    xhr.onload = function () {
      var data = JSON.parse(xhr.responseText);
      crumb.textContent = '当前位置：政府信息公开目录 > ' + nameOf(cat);
      var rows = '';
      for (var i = 0; i < data.articles.length; i++) {
        var a = data.articles[i];
        rows += '<tr><td class="idx">' + a.identifier + '</td><td class="tit"><a href="' + a.url +
          '" target="_blank">' + a.title + '</a></td><td class="date">' + a.date + '</td></tr>';
      }
      if (!data.articles.length && data.empty_text) {
        rows = '<tr><td colspan="3" class="no-data">' + data.empty_text + '</td></tr>';
      }
      list.innerHTML = rows;
      var pages = Math.ceil(data.total / data.size), nav = '';
      for (var p = 1; p <= pages && pages > 1; p++) {
        nav += p === page ? '<span class="cur">' + p + '</span>' :
          '<a href="javascript:;" data-page="' + p + '">' + p + '</a>';
      }
      pager.innerHTML = nav;
    };
    xhr.send();
  }
  pager.onclick = function (e) {
    var p = e.target.getAttribute('data-page');
    if (p) { load(current(), parseInt(p, 10)); }
  };
  window.addEventListener('hashchange', function () { load(current(), 1); });
  load(current(), 1);
})();
"""


def _doc_path(cat: int, art: Article) -> str:
    return f"/gkmlpt/content/{cat // 1000}/{cat}/post_{art.art_id}.html"


def build(as_of: date) -> Family:
    family = Family()
    site = FamilySite(IDENT, TEMPLATE, family.truth)
    rng = random.Random("catalogue:longxi")
    org, place = IDENT.title, "龙溪区"
    nav = [("首页", "/"), ("区情概况", "/qqgk/"), ("龙溪要闻", "/xwzx/lxyw/"), ("政务公开", GKMLPT),
           ("互动交流", "/hdjl/")]

    def frame(title: str, column: str, main: str, head: str = "", tail: str = "") -> str:
        links = "".join(f'<li class="nav-item"><a href="{h}">{esc(t)}</a></li>' for t, h in nav)
        return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="SiteName" content="{IDENT.title}"><meta name="SiteDomain" content="{IDENT.domain}">
<meta name="SiteIDCode" content="{IDENT.site_code}"><meta name="ColumnName" content="{esc(column)}">
<title>{esc(title)} - {IDENT.title}</title>{head}</head>
<body><header class="header"><div class="w1200"><a class="logo" href="/"><img src="/img/logo.png" alt="{IDENT.title}"></a>
<div class="top-links"><a href="/wzdt/">网站地图</a></div></div>
<nav class="nav"><ul class="nav-list w1200">{links}</ul></nav></header>
<div class="w1200 main">{main}</div>
{footer(IDENT, "footer", "footer")}{tail}</body></html>"""

    # --- the catalogue ---------------------------------------------------------------------
    cates = []
    next_id = 3001
    first_full = None
    for cat, name, kind, n, empty_text in CATEGORIES:
        cates.append({"id": cat, "name": name})
        if n == API_ERROR:
            site.add(f"{API}{cat}?page=1&sid={SID}", Resource(
                b'{"error":"internal server error"}', "application/json; charset=utf-8",
                status=500))
            site.decoy(EMPTY, f"{GKMLPT}?cat={cat}", "api-error",
                       f"{NEEDS_RENDER}: category {name}: {API}{cat}?page=1 answers HTTP 500; "
                       "not judged, never empty")
            continue
        docs = articles(rng, as_of, n, kind, org, place, next_id, gap=(3, 14))
        next_id += 400
        pages = [docs[i:i + PER_PAGE] for i in range(0, len(docs), PER_PAGE)] or [[]]
        for p, chunk in enumerate(pages, start=1):
            site.json(f"{API}{cat}?page={p}&sid={SID}", {
                "total": len(docs), "page": p, "size": PER_PAGE,
                "empty_text": empty_text if not docs else "",
                "articles": [{"id": a.art_id, "title": a.title, "url": _doc_path(cat, a),
                              "date": a.day.isoformat(),
                              "identifier": f"11441502MB2C1234{cat % 100:02d}/{a.day.year}-"
                                            f"{a.art_id % 1000:05d}"} for a in chunk]})
        for a in docs:
            body = "".join(f"<p>{esc(t)}</p>" for t in a.paragraphs)
            meta = (f'<table class="gk-meta"><tr><th>索引号</th><td>11441502MB2C1234{cat % 100:02d}/'
                    f'{a.day.year}-{a.art_id % 1000:05d}</td><th>分类</th><td>{esc(name)}</td></tr>'
                    f"<tr><th>发布机构</th><td>{esc(IDENT.organizer)}</td><th>成文日期</th>"
                    f"<td>{a.day.isoformat()}</td></tr></table>")
            site.html(_doc_path(cat, a), frame(a.title, name, f'<div class="article">{meta}'
                                               f'<h1>{esc(a.title)}</h1><div class="article-content">'
                                               f"{body}</div></div>"))
        url = f"{GKMLPT}?cat={cat}"
        if docs:
            first_full = first_full or (cat, name, len(docs))
            site.decoy(EMPTY, url, "js-has-records",
                       f"{NEEDS_RENDER}: category {name}: {API}{cat}?page=1 lists {len(docs)} documents"
                       + (f" over {len(pages)} pages" if len(pages) > 1 else ""))
        else:
            shown = f"the page then shows {empty_text}" if empty_text else "the table stays bare"
            site.flag(EMPTY, url, "js-empty",
                      f"{NEEDS_RENDER}: category {name}: {API}{cat}?page=1 answers total 0; {shown}")
    assert first_full is not None and first_full[0] == CATEGORIES[0][0]
    site.decoy(EMPTY, GKMLPT, "js-has-records",
               f"{NEEDS_RENDER}: with no category the catalogue shows the first one, "
               f"{first_full[1]} ({first_full[2]} documents)")
    config = json.dumps({"SID": SID, "API": API, "CATES": cates}, ensure_ascii=False)
    shell = frame("政府信息公开目录", "政府信息公开目录", """<div class="gkml-wrap">
<div class="gkml-side"><div class="side-title">信息公开目录</div><ul id="gkml-menu" class="gkml-menu"></ul></div>
<div class="gkml-main"><div class="gkml-crumb" id="gkml-crumb"></div>
<table class="gkml-table"><thead><tr><th width="220">索引号</th><th>标题</th><th width="110">发布日期</th></tr></thead>
<tbody id="gkml-list"></tbody></table><div class="gkml-page" id="gkml-page"></div></div></div>""",
                  head=f"<script>window._CONFIG = {config};</script>",
                  tail='<script src="/gkmlpt/static/js/gkmlpt.js"></script>')
    site.html(GKMLPT, shell)
    shell_resource = site.resources[GKMLPT]
    site.get_handlers[GKMLPT] = lambda _path: shell_resource  # every ?cat= answers the shell
    site.script("/gkmlpt/static/js/gkmlpt.js", GKMLPT_JS)

    # --- the static rest ---------------------------------------------------------------------
    news = articles(rng, as_of, 17, "news", org, place, 9001)
    rows = "".join(f'<li><a href="/xwzx/lxyw/content/post_{a.art_id}.html">{esc(a.title)}</a>'
                   f'<span class="time">{a.day.isoformat()}</span></li>' for a in news)
    site.html("/xwzx/lxyw/index.html", frame("龙溪要闻", "龙溪要闻",
                                            f'<h2 class="col-title">龙溪要闻</h2><ul class="news-list">'
                                            f"{rows}</ul>"))
    for a in news:
        body = "".join(f"<p>{esc(t)}</p>" for t in a.paragraphs)
        site.html(f"/xwzx/lxyw/content/post_{a.art_id}.html",
                  frame(a.title, "龙溪要闻", f'<h1>{esc(a.title)}</h1><div class="info">'
                        f'{a.day.isoformat()}</div><div class="article-content">{body}</div>'))
    overview = ("<p>龙溪区位于鹤岭市中部，是市委、市政府所在地，总面积482平方公里，辖6个街道、4个镇。"
                "</p><p>2025年末全区常住人口46.8万人。区内交通便利，高速公路和国道贯穿全境，"
                "已形成电子信息、装备制造和现代物流三大主导产业。</p><p>近年来，龙溪区坚持生态优先、"
                "绿色发展，先后获评省级生态文明建设示范区、省级全域旅游示范区，城乡居民收入稳步增长，"
                "教育、医疗、养老等公共服务水平持续提升。</p>")
    prose = len("".join(overview.replace("<p>", "").replace("</p>", "").split()))
    site.decoy(EMPTY, "/qqgk/", "single-page", f"3 paragraphs, {prose} characters of prose, no list")
    site.html("/qqgk/index.html", frame("区情概况", "区情概况",
                                       f'<h2 class="col-title">区情概况</h2><div class="article-content">'
                                       f"{overview}</div>"))
    form = """<form action="/hdjl/zxzx/submit" method="post" class="zx-form">
<div class="row"><label>姓名</label><input type="text" name="name"></div>
<div class="row"><label>手机号码</label><input type="tel" name="phone"></div>
<div class="row"><label>标题</label><input type="text" name="title"></div>
<div class="row"><label>内容</label><textarea name="content"></textarea></div>
<button type="submit">提交</button></form>"""
    site.html("/hdjl/zxzx/index.html", frame("在线咨询", "在线咨询",
                                            f'<h2 class="col-title">在线咨询</h2>{form}'))
    site.post_handlers["/hdjl/zxzx/submit"] = thanks("在线咨询")
    site.html("/hdjl/index.html", frame("互动交流", "互动交流",
                                       '<h2 class="col-title">互动交流</h2><ul class="hd-entry">'
                                       '<li><a href="/hdjl/zxzx/">在线咨询</a></li></ul>'))
    site.decoy(CONSULT, "/", "working-form", "在线咨询 (under 互动交流) with a working form")
    site.decoy(EMPTY, "/hdjl/zxzx/", "form-page",
               "在线咨询 is listed in the site map: a message form, not an empty list")

    items = "".join(f'<li><a href="/xwzx/lxyw/content/post_{a.art_id}.html">{esc(a.title)}</a>'
                    f'<span>{a.day:%m-%d}</span></li>' for a in news[:8])
    home = (f'<section class="home-news"><h3>龙溪要闻</h3><ul>{items}</ul></section>'
            f'<section class="home-gk"><h3>政务公开</h3><a href="{GKMLPT}">政府信息公开目录</a></section>'
            '<section class="home-hd"><h3>政民互动</h3><a href="/hdjl/zxzx/">在线咨询</a></section>')
    site.html("/", frame("首页", "首页", home))
    cat_links = "".join(f'<li><a href="{GKMLPT}?cat={c}">{esc(n)}</a></li>'
                        for c, n, *_ in CATEGORIES)
    site.html("/wzdt/index.html", frame("网站地图", "网站地图", f"""<h2 class="col-title">网站地图</h2>
<ul class="sitemap"><li><a href="/qqgk/">区情概况</a></li>
<li><a href="/xwzx/lxyw/">龙溪要闻</a></li>
<li><a href="{GKMLPT}">政府信息公开目录</a><ul>{cat_links}</ul></li>
<li><a href="/hdjl/">互动交流</a><ul><li><a href="/hdjl/zxzx/">在线咨询</a></li></ul></li></ul>"""))
    site.add("/img/logo.png", Resource(b"", "image/png"))
    family.sites.append(site.spec())
    return family
