"""Family "spa": a history-mode single-page application.

锦川县人民政府 (`jinchuan`), a fictional county in Sichuan, rebuilt as an
application: every route (`/`, `/news`, `/notice`, `/about`, `/news/detail/3101`,
`/sitemap` …) answers the same shell, an empty `<div id="app"></div>` and a
script bundle. The bundle reads `/api/site.json` (navigation, footer), routes
on `location.pathname` with `history.pushState`, and fetches each column as
JSON (`/api/columns/news?page=1`). An empty column shows 暂无数据 (as UI kits
do) or nothing at all.

The navigation names only some columns. Every column is listed in
`/sitemap.xml` (named in `robots.txt`) or in the site map the script builds
at `/sitemap` from `/api/sitemap.json`; one column is in the XML sitemap
only, one in the script-built site map only. The consultation form at
`/consult` is built by script too.
"""

from __future__ import annotations

import random
from datetime import date

from ..model import Resource
from .base import (
    CONSULT,
    EMPTY,
    NEEDS_RENDER,
    Family,
    FamilySite,
    Identity,
    articles,
    thanks,
)

TEMPLATE = "spa"
PER_PAGE = 12
IDENT = Identity(
    name="jinchuan", title="锦川县人民政府", organizer="锦川县人民政府办公室",
    region="四川省蜀州市锦川县", site_code="5119230001", kind="portal",
    domain="www.jinchuan.gov.cn", icp="蜀ICP备19230001号-2", police="川公网安备 51192302000101号",
    phone="0827-5621001", address="锦川县锦城镇人民路66号",
)
OVERVIEW = ("锦川县地处四川盆地东北部，幅员面积2081平方公里，辖18个镇、2个街道。"
            "全县户籍人口64.3万人，是全国粮食生产先进县和四川省茶叶主产区。")
assert len(OVERVIEW) < 200

# key, name, kind, how many items ("page" for a single-page column), empty look, where listed.
# Listed: n = navigation, x = /sitemap.xml, m = the script-built site map.
COLUMNS: list[tuple[str, str, str, int, str, str]] = [
    ("news", "锦川要闻", "news", 27, "", "nxm"),
    ("notice", "通知公告", "notice", 10, "", "nxm"),
    ("about", "锦川概况", "page", 0, "", "nxm"),
    ("policy", "政策文件", "policy", 8, "", "xm"),
    ("personnel", "人事信息", "notice", 0, "暂无数据", "xm"),
    ("projects", "重大项目", "notice", 0, "", "x"),
    ("funds", "财政资金", "notice", 0, "暂无数据", "m"),
    ("recruit", "招考录用", "notice", 0, "暂无数据", "xm"),
]

SHELL = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="SiteName" content="{IDENT.title}"><meta name="SiteDomain" content="{IDENT.domain}">
<meta name="SiteIDCode" content="{IDENT.site_code}">
<title>{IDENT.title}</title><link href="/static/css/app.8c1d2e7f.css" rel="stylesheet"></head>
<body><noscript><strong>请启用浏览器的JavaScript功能后访问本网站。</strong></noscript>
<div id="app"></div>
<script src="/static/js/chunk-vendors.2b7e91c4.js"></script>
<script src="/static/js/app.3f9a1c05.js"></script></body></html>"""

VENDORS_JS = """/*! tiny helpers bundled with the app */
window.__http = function (url) {
  return fetch(url, {headers: {'Accept': 'application/json'}}).then(function (r) {
    if (!r.ok) { throw new Error('HTTP ' + r.status); }
    return r.json();
  });
};
window.__esc = function (s) {
  return String(s).replace(/[&<>"]/g, function (c) {
    return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
  });
};
"""

APP_JS = """(function () {
  var http = window.__http, esc = window.__esc, site = null;
  var app = document.getElementById('app');
  function link(href, text, cls) {
    return '<a href="' + href + '" data-link' + (cls ? ' class="' + cls + '"' : '') + '>' + esc(text) + '</a>';
  }
  function layout(main) {
    var nav = site.nav.map(function (n) { return '<li>' + link(n.path, n.name) + '</li>'; }).join('');
    var f = site.footer;
    app.innerHTML = '<div class="top-bar"><span>' + esc(site.title) + '</span>' +
      link('/sitemap', '网站地图', 'map') + '</div>' +
      '<header class="header"><h1 class="logo">' + esc(site.title) + '</h1></header>' +
      '<nav class="main-nav"><ul>' + nav + '</ul></nav>' +
      '<main class="container">' + main + '</main>' +
      '<footer class="footer"><p>主办单位：' + esc(f.organizer) + '　联系电话：' + esc(f.phone) + '</p>' +
      '<p>网站标识码：' + esc(f.site_code) + '　<a href="https://beian.miit.gov.cn">' + esc(f.icp) +
      '</a>　' + esc(f.police) + '</p>' +
      '<p><a href="https://bszs.conac.cn/sitename?method=show&id=' + esc(f.site_code) +
      '"><img src="/images/dzjg.png" alt="党政机关"></a></p></footer>';
  }
  function listRows(items) {
    return items.map(function (it) {
      return '<li class="list-item">' + link(it.url, it.title) + '<span class="date">' + it.date +
        '</span></li>';
    }).join('');
  }
  function column(key, page) {
    return http('/api/columns/' + key + '?page=' + page).then(function (d) {
      var body;
      if (d.type === 'page') {
        body = '<div class="page-content">' + d.content + '</div>';
      } else if (!d.items.length) {
        body = d.empty_text ? '<div class="el-empty"><p class="el-empty__description">' +
          esc(d.empty_text) + '</p></div>' : '<ul class="list"></ul>';
      } else {
        var pages = Math.ceil(d.total / d.size), pager = '';
        if (pages > 1) {
          pager = '<div class="pager">' + (page > 1 ? '<button class="prev" data-page="' + (page - 1) +
            '">上一页</button>' : '') + '<span>' + page + '/' + pages + '</span>' +
            (page < pages ? '<button class="next" data-page="' + (page + 1) + '">下一页</button>' : '') +
            '</div>';
        }
        body = '<ul class="list">' + listRows(d.items) + '</ul>' + pager;
      }
      layout('<div class="crumb">' + link('/', '首页') + ' > ' + esc(d.name) + '</div>' +
        '<h2 class="col-title">' + esc(d.name) + '</h2>' + body);
      var buttons = app.querySelectorAll('.pager button');
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].onclick = function () { column(key, parseInt(this.getAttribute('data-page'), 10)); };
      }
    });
  }
  function article(id) {
    return http('/api/articles/' + id + '.json').then(function (a) {
      layout('<article><h1>' + esc(a.title) + '</h1><div class="meta">发布时间：' + a.date +
        '　来源：' + esc(a.source) + '</div><div class="content">' +
        a.paragraphs.map(function (p) { return '<p>' + esc(p) + '</p>'; }).join('') + '</div></article>');
    });
  }
  function sitemap() {
    return http('/api/sitemap.json').then(function (m) {
      var groups = m.groups.map(function (g) {
        return '<div class="map-group"><h3>' + esc(g.name) + '</h3><ul>' + g.children.map(function (c) {
          return '<li>' + link(c.path, c.name) + '</li>';
        }).join('') + '</ul></div>';
      }).join('');
      layout('<h2 class="col-title">网站地图</h2><div class="sitemap">' + groups + '</div>');
    });
  }
  function home() {
    return http('/api/columns/news?page=1').then(function (d) {
      return http('/api/columns/notice?page=1').then(function (n) {
        layout('<section class="home-block"><h2>锦川要闻</h2><ul class="list">' +
          listRows(d.items.slice(0, 6)) + '</ul>' + link('/news', '更多', 'more') + '</section>' +
          '<section class="home-block"><h2>通知公告</h2><ul class="list">' +
          listRows(n.items.slice(0, 6)) + '</ul>' + link('/notice', '更多', 'more') + '</section>');
      });
    });
  }
  function consult() {
    layout('<h2 class="col-title">我要咨询</h2><form class="consult-form" method="post" action="/api/consult">' +
      '<label>姓名<input type="text" name="name"></label><label>手机<input type="tel" name="phone"></label>' +
      '<label>标题<input type="text" name="title"></label><label>咨询内容<textarea name="content"></textarea></label>' +
      '<button type="submit">提交</button></form>');
    return Promise.resolve();
  }
  function route() {
    var path = location.pathname.replace(/\\/+$/, '') || '/';
    var m;
    if (path === '/') { return home(); }
    if (path === '/sitemap') { return sitemap(); }
    if (path === '/consult') { return consult(); }
    if ((m = path.match(/^\\/([a-z]+)\\/detail\\/(\\d+)$/))) { return article(m[2]); }
    if ((m = path.match(/^\\/([a-z]+)$/))) { return column(m[1], 1); }
    layout('<div class="not-found">页面不存在</div>');
    return Promise.resolve();
  }
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-link]');
    if (!a || a.origin !== location.origin) { return; }
    e.preventDefault();
    history.pushState(null, '', a.getAttribute('href'));
    route();
  });
  window.addEventListener('popstate', route);
  http('/api/site.json').then(function (s) { site = s; return route(); });
})();
"""


def build(as_of: date) -> Family:
    family = Family()
    site = FamilySite(IDENT, TEMPLATE, family.truth)
    rng = random.Random("spa:jinchuan")
    org, place = IDENT.title, "锦川县"
    shell = Resource(SHELL.encode("utf-8"))

    def route(path: str) -> Resource | None:
        if path.startswith(("/api/", "/static/", "/images/")):
            return None  # a missing asset or API answers 404, not the shell
        return shell

    site.get_handlers["/"] = route
    site.add("/", shell)
    site.script("/static/js/chunk-vendors.2b7e91c4.js", VENDORS_JS)
    site.script("/static/js/app.3f9a1c05.js", APP_JS)
    site.text("/static/css/app.8c1d2e7f.css",
              "body{margin:0}.main-nav ul{display:flex;list-style:none}.list-item{display:flex;"
              "justify-content:space-between}.el-empty{padding:60px;text-align:center;color:#909399}",
              "text/css")

    nav = [{"name": "首页", "path": "/"}]
    xml_urls, groups = ["/"], {"信息发布": [], "政务公开": [], "走进锦川": []}
    next_id = 3101
    for key, name, kind, n, empty_text, listed in COLUMNS:
        path = f"/{key}"
        if "n" in listed:
            nav.append({"name": name, "path": path})
        if "x" in listed:
            xml_urls.append(path)
        if "m" in listed:
            group = "走进锦川" if kind == "page" else "信息发布" if key in ("news", "notice") \
                else "政务公开"
            groups[group].append({"name": name, "path": path})
        where = {"n": "navigation", "x": "/sitemap.xml", "m": "the script-built site map"}
        reached = ", ".join(where[c] for c in listed)
        if kind == "page":
            site.json(f"/api/columns/{key}?page=1", {"name": name, "type": "page",
                                                     "content": f"<p>{OVERVIEW}</p>"})
            site.decoy(EMPTY, path, "single-page",
                       f"{NEEDS_RENDER}: {OVERVIEW.count('。')} sentences, {len(OVERVIEW)} characters of prose (< 200), "
                       f"no list; listed in {reached}")
            continue
        docs = articles(rng, as_of, n, kind, org, place, next_id, gap=(2, 9))
        next_id += 300
        pages = [docs[i:i + PER_PAGE] for i in range(0, len(docs), PER_PAGE)] or [[]]
        for p, chunk in enumerate(pages, start=1):
            site.json(f"/api/columns/{key}?page={p}", {
                "name": name, "type": "list", "total": len(docs), "size": PER_PAGE,
                "empty_text": empty_text, "items": [
                    {"id": a.art_id, "title": a.title, "date": a.day.isoformat(),
                     "url": f"/{key}/detail/{a.art_id}"} for a in chunk]})
        for a in docs:
            site.json(f"/api/articles/{a.art_id}.json", {"title": a.title, "date": a.day.isoformat(),
                                                         "source": org, "paragraphs": a.paragraphs})
        if docs:
            site.decoy(EMPTY, path, "js-has-records",
                       f"{NEEDS_RENDER}: /api/columns/{key}?page=1 lists {len(docs)} items"
                       + (f" over {len(pages)} pages (下一页 button)" if len(pages) > 1 else "")
                       + f"; listed in {reached}")
        else:
            shown = f"shows {empty_text}" if empty_text else "shows an empty list"
            site.flag(EMPTY, path, "js-empty",
                      f"{NEEDS_RENDER}: /api/columns/{key}?page=1 answers total 0, the page "
                      f"{shown}; listed in {reached}")
    nav.append({"name": "我要咨询", "path": "/consult"})
    site.json("/api/site.json", {"title": IDENT.title, "nav": nav, "footer": {
        "organizer": IDENT.organizer, "phone": IDENT.phone, "site_code": IDENT.site_code,
        "icp": IDENT.icp, "police": IDENT.police}})
    site.json("/api/sitemap.json", {"groups": [{"name": g, "children": c}
                                               for g, c in groups.items() if c]})
    lastmod = as_of.isoformat()
    urls = "".join(f"<url><loc>http://{{{{host:{IDENT.name}}}}}{u}</loc><lastmod>{lastmod}</lastmod>"
                   "<changefreq>daily</changefreq></url>\n" for u in xml_urls)
    site.text("/sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
              '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
              f"{urls}</urlset>\n", "application/xml; charset=utf-8")
    site.text("/robots.txt", "User-agent: *\nDisallow: /admin/\n\n"
              f"Sitemap: http://{{{{host:{IDENT.name}}}}}/sitemap.xml\n", "text/plain; charset=utf-8")
    site.post_handlers["/api/consult"] = thanks("我要咨询")
    site.decoy(EMPTY, "/consult", "form-page",
               f"{NEEDS_RENDER}: 我要咨询 in the navigation: a message form the script builds, "
               "not an empty list")
    site.decoy(CONSULT, "/", "working-form",
               f"{NEEDS_RENDER}: 我要咨询 in the script-built navigation; /consult is a form the "
               "script builds")
    family.sites.append(site.spec())
    return family
