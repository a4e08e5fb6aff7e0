"""Large, realistic government sites written as static files for nginx.

Content comes from the demo estate's own templates (estate/templates: TRS,
Hanweb and old GBK table sites) and text pools, so the link structure is the
one govsite is built for: navigation, site map, columns with pagination,
articles, service guides and a letters board. Each HTML page is then given the
bulk every real portal carries and the demo pages leave out: stylesheet and
script blocks, a top bar, a mega-menu of every column, a sidebar of hot
articles and picture news, a friendly-links block (links and <select>s to
other government sites), attachments on some articles. Pages come out at
about 20-60 KB, with 100-200 links each, as on real county and city portals.

Every absolute link to another host (the estate's `{{host:NAME}}` tokens,
beian.miit.gov.cn, www.gov.cn, ...) is rewritten to a loopback "outside"
address (127.0.9.x) that nginx answers, so no tool ever leaves the machine.

A URL with a query string (`/news/show.asp?id=12`) is written to the file
`news/show.asp@id=12`; the nginx config maps `$uri@$args` to it.
"""

from __future__ import annotations

import math
import random
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from govsite.estate import DEMO_AS_OF
from govsite.estate import texts as T
from govsite.estate.common import MARK_PNG, esc
from govsite.estate.content import Article, Board, ChannelLink, Column, SitePlan
from govsite.estate.factory import guide, normal_messages
from govsite.estate.model import SiteSpec
from govsite.estate.templates.hanweb import HanwebSite
from govsite.estate.templates.oldgbk import OldGbkSite
from govsite.estate.templates.trs import TrsSite

AS_OF = DEMO_AS_OF
OUTSIDE_PREFIX = "127.0.9."
HOST_TOKEN = re.compile(r"\{\{host:([A-Za-z0-9_.-]+)\}\}")
EXTERNAL_URL = re.compile(r"\bhttps?://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?::\d+)?", re.I)


# --------------------------------------------------------------------------- results
@dataclass
class SiteFiles:
    """One generated site on disk and what the registry needs to know of it."""

    name: str  # ascii id: directory name, nginx server name
    title: str  # the Chinese name a registry shows
    template: str  # trs | hanweb | oldgbk
    ip: str
    port: int
    root: Path
    site_code: str
    organizer: str
    region: str
    kind: str
    charset: str = "utf-8"
    html_pages: int = 0
    other_files: int = 0
    html_bytes: int = 0
    sizes: list[int] = field(default_factory=list, repr=False)
    spec: SiteSpec | None = field(default=None, repr=False)  # kept for dynamic endpoints

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}/"


class Outside:
    """Other hosts ("the internet") mapped to loopback addresses nginx answers."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.hosts: dict[str, str] = {}

    def address(self, host: str) -> str:
        host = host.lower()
        if host not in self.hosts:
            n = len(self.hosts) + 1
            if n > 250:  # keep the range small: fold the rest onto the last address
                return f"{OUTSIDE_PREFIX}250:{self.port}"
            self.hosts[host] = f"{OUTSIDE_PREFIX}{n}"
        return f"{self.hosts[host]}:{self.port}"

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{self.address(host)}{path}"

    @property
    def ips(self) -> list[str]:
        return sorted(set(self.hosts.values())) or [f"{OUTSIDE_PREFIX}1"]


# --------------------------------------------------------------------------- text
EXTRA_PARAGRAPHS = [
    "{town}把{topic}作为当前一项重要政治任务来抓，成立了由主要领导任组长的工作领导小组，"
    "制定印发了工作方案，明确了目标任务、责任分工和完成时限，形成了一级抓一级、层层抓落实的工作格局。",
    "据统计，今年以来全县共投入资金1.2亿元，实施项目46个，完成年度目标任务的87.6%，"
    "{topic}各项指标均高于全市平均水平，群众满意度进一步提升。",
    "会议要求，各级各部门要进一步统一思想、提高认识，坚持以人民为中心的发展思想，"
    "把{topic}工作摆上重要议事日程，主要领导亲自抓、分管领导具体抓，确保各项工作取得实效。",
    "一是加强组织领导。成立工作专班，定期召开调度会议，研究解决工作中遇到的困难和问题。"
    "二是强化宣传引导。通过政府网站、政务新媒体、村村通广播等渠道广泛宣传政策措施。"
    "三是严格督查考核。将{topic}工作纳入年度综合考核，对工作推进不力的单位进行通报。",
    "{org}相关负责人表示，下一步将以此次活动为契机，持续深化{topic}工作，健全长效机制，"
    "推动各项政策措施落地落实，不断增强人民群众的获得感、幸福感、安全感。",
    "本通知自印发之日起施行，有效期5年。此前有关规定与本通知不一致的，以本通知为准。"
    "执行过程中如遇问题，请及时向{office}反映。",
    "检查组一行先后深入{town}、县城重点区域和部分企业，采取听取汇报、查阅资料、实地查看、"
    "随机抽查等方式，对{topic}工作开展情况进行了全面检查，并就发现的问题提出了整改意见。",
    "（一）适用范围。本办法适用于本行政区域内的{topic}相关活动。法律、法规另有规定的，从其规定。"
    "（二）职责分工。县级有关部门按照各自职责，做好{topic}相关工作。",
    "参加培训的学员纷纷表示，此次培训内容丰富、针对性强，既有政策解读又有案例分析，"
    "进一步提升了做好{topic}工作的能力和水平，将把所学知识运用到实际工作中。",
    "附件：1.{topic}工作任务分解表  2.{topic}工作联络员名单  3.{topic}工作进展情况统计表",
]
FRIEND_SITES = [
    ("中国政府网", "www.gov.cn"), ("国家发展和改革委员会", "www.ndrc.gov.cn"),
    ("教育部", "www.moe.gov.cn"), ("民政部", "www.mca.gov.cn"), ("财政部", "www.mof.gov.cn"),
    ("人力资源和社会保障部", "www.mohrss.gov.cn"), ("自然资源部", "www.mnr.gov.cn"),
    ("生态环境部", "www.mee.gov.cn"), ("农业农村部", "www.moa.gov.cn"),
    ("国家卫生健康委员会", "www.nhc.gov.cn"), ("应急管理部", "www.mem.gov.cn"),
    ("云南省人民政府", "www.yn.gov.cn"), ("云南省发展和改革委员会", "yndrc.yn.gov.cn"),
    ("云南省教育厅", "jyt.yn.gov.cn"), ("云南省民政厅", "ynmz.yn.gov.cn"),
    ("云南省财政厅", "czt.yn.gov.cn"), ("云南省人力资源和社会保障厅", "hrss.yn.gov.cn"),
    ("云南省农业农村厅", "nync.yn.gov.cn"), ("云南省卫生健康委员会", "ynswsjkw.yn.gov.cn"),
    ("云南省政务服务网", "zwfw.yn.gov.cn"), ("昆明市人民政府", "www.km.gov.cn"),
    ("曲靖市人民政府", "www.qj.gov.cn"), ("玉溪市人民政府", "www.yuxi.gov.cn"),
    ("保山市人民政府", "www.baoshan.gov.cn"), ("昭通市人民政府", "www.zt.gov.cn"),
    ("丽江市人民政府", "www.lijiang.gov.cn"), ("普洱市人民政府", "www.puershi.gov.cn"),
    ("临沧市人民政府", "www.lincang.gov.cn"), ("大理州人民政府", "www.dali.gov.cn"),
    ("红河州人民政府", "www.hh.gov.cn"), ("文山州人民政府", "www.ynws.gov.cn"),
    ("楚雄州人民政府", "www.cxz.gov.cn"),
]
CSS_SELECTORS = [
    "body", ".w1200", ".topbar", ".topbar .welcome", ".toplinks li", ".toplinks a", ".header",
    ".header .logo img", ".search", ".search input[type=text]", ".search .btn", ".hot a",
    ".mainnav", ".mainnav li", ".mainnav li a", ".mainnav li:hover .subnav", ".subnav",
    ".subnav dl", ".subnav dd a", ".banner img", ".main", ".crumb", ".crumb a", ".list li",
    ".list li a", ".list li .date", ".page", ".page a", ".page .cur", ".TRS_Editor p",
    ".TRS_Editor img", ".info", ".sidebar", ".side-box", ".side-title", ".side-title span",
    ".hot-list li", ".hot-list li a", ".pic-list li", ".pic-list img", ".pic-list p", ".zt li",
    ".zt img", ".links", ".links-title", ".link-select select", ".link-list li",
    ".link-list a", ".footer", ".footer p", ".footer a", ".footer-nav", ".footer-nav a",
    ".fj", ".fj a", ".share", ".share a", ".print", ".close", ".aged .main", ".aged .list li a",
    ".xxgk-table", ".xxgk-table td", ".xxgk-table th", ".sxlb td", ".bszn th", ".bszn td",
]
CSS_PROPS = [
    "margin:0 auto", "padding:0", "width:1200px", "height:36px", "line-height:36px",
    "font-size:14px", "font-size:16px", "color:#333", "color:#666", "color:#b30000",
    "color:#fff", "background:#f5f5f5", "background:#b30000",
    "background:#fff url(/images/bg.png) repeat-x", "border-bottom:1px solid #e5e5e5",
    "border:1px solid #ddd",
    "display:block", "display:inline-block", "float:left", "float:right", "overflow:hidden",
    "text-overflow:ellipsis", "white-space:nowrap", "position:relative", "position:absolute",
    "z-index:99", "text-align:center", "text-indent:2em", "cursor:pointer",
    "font-family:\"Microsoft YaHei\",\"微软雅黑\",SimSun,sans-serif", "list-style:none",
    "transition:all .3s", "box-sizing:border-box", "margin-top:20px", "padding:10px 20px",
]
NAV_JS = """<script type="text/javascript">
$(function () {
  var now = new Date(), week = ['日', '一', '二', '三', '四', '五', '六'];
  $('#today').text(now.getFullYear() + '年' + (now.getMonth() + 1) + '月' + now.getDate() +
    '日 星期' + week[now.getDay()]);
  $('.mainnav li').hover(function () { $(this).addClass('on').find('.subnav').stop(true, true)
    .slideDown(200); }, function () { $(this).removeClass('on').find('.subnav').stop(true, true)
    .slideUp(100); });
  $('.side-title span').click(function () { var i = $(this).index();
    $(this).addClass('cur').siblings().removeClass('cur');
    $(this).parents('.side-box').find('ul').eq(i).show().siblings('ul').hide(); });
  var size = 16; $('.font-big').click(function () { size = Math.min(size + 2, 24);
    $('.TRS_Editor, .main-txt, .content').css('font-size', size + 'px'); });
  $('.font-small').click(function () { size = Math.max(size - 2, 12);
    $('.TRS_Editor, .main-txt, .content').css('font-size', size + 'px'); });
  $('.print').click(function () { window.print(); });
  $('.close').click(function () { window.opener = null; window.close(); });
});
function aged() { document.body.className += ' aged'; try { localStorage.setItem('aged', '1');
  } catch (e) {} }
function search(word) { document.forms['searchform'].searchword.value = word;
  document.forms['searchform'].submit(); }
</script>"""
STATS_JS = """<script type="text/javascript">
var _hmt = _hmt || [];
(function () { var hm = document.createElement('script');
  hm.src = 'https://hm.baidu.com/hm.js?3f1c2a7b9d8e4f6a0b1c2d3e4f5a6b7c';
  var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(hm, s); })();
document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript " +
  "src='https://dcs.conac.cn/js/25/000/0000/60420869/CA250000000604208690001.js' " +
  "type='text/javascript'%3E%3C/script%3E"));
</script>"""
HOT_WORDS = ["乡村振兴", "营商环境", "医保缴费", "社保查询", "公积金", "不动产登记", "招聘", "惠民补贴"]


def long_paragraphs(rng: random.Random, org: str, place: str) -> list[str]:
    """An article body of realistic length: most a few hundred characters, some long."""
    n = max(3, min(90, int(rng.lognormvariate(math.log(12), 0.75))))
    topic = rng.choice(T.TOPICS)
    pool = T.PARAGRAPHS + EXTRA_PARAGRAPHS
    return [T.fill(rng, rng.choice(pool), org=org, place=place, topic=topic) for _ in range(n)]


def css_block(rng: random.Random, rules: int = 110) -> str:
    lines = []
    for _ in range(rules):
        selector = ",".join(rng.sample(CSS_SELECTORS, rng.randint(1, 2)))
        props = ";".join(rng.sample(CSS_PROPS, rng.randint(3, 7)))
        lines.append(f"{selector}{{{props}}}")
    return '<style type="text/css">\n' + "\n".join(lines) + "\n</style>"


# --------------------------------------------------------------------------- chrome
@dataclass
class Chrome:
    """The site-wide bulk added to every page of one site, built once per site."""

    plan: SitePlan
    columns: list[tuple[str, str, list[tuple[str, str]]]]  # (name, url, [(name, url)])
    articles: list[tuple[str, str, date]]  # (url, title, day)
    sitemap: str
    outside: Outside
    dated_sidebar: bool = True  # hot-article dates, as most portals show them
    head: str = ""
    top: str = ""
    tail: str = ""

    def __post_init__(self) -> None:
        p = self.plan
        rng = random.Random(f"chrome-{p.name}")
        self.head = (
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">\n'
            f'<meta name="keywords" content="{esc(p.title)},政务公开,政务服务,互动交流">\n'
            f'<meta name="description" content="{esc(p.title)}门户网站">\n'
            '<link rel="shortcut icon" href="/favicon.ico">\n'
            '<link rel="stylesheet" type="text/css" href="/css/common.css">\n'
            '<link rel="stylesheet" type="text/css" href="/css/index.css">\n'
            '<script type="text/javascript" src="/js/jquery-1.12.4.min.js"></script>\n'
            '<script type="text/javascript" src="/js/common.js"></script>\n'
            f"{css_block(rng)}\n{NAV_JS}\n"
        )
        weibo = self.outside.url("weibo.com", f"/u/{zlib.crc32(p.name.encode()) % 10**10}")
        province = self.outside.url("www.yn.gov.cn")
        hot = "".join(f'<a href="javascript:search(\'{w}\')">{w}</a>' for w in HOT_WORDS)
        menu = []
        for name, url, subs in self.columns:
            dd = "".join(f'<a href="{u}">{esc(n)}</a>' for n, u in subs)
            sub = (f'<div class="subnav"><dl><dt>{esc(name)}</dt><dd>{dd}</dd></dl></div>'
                   if subs else "")
            menu.append(f'<li class="nav-item"><a href="{url}" class="nav-a">{esc(name)}</a>'
                        f"{sub}</li>")
        self.top = f"""
<div class="topbar"><div class="w1200"><span class="welcome">欢迎访问{esc(p.title)}！今天是
<span id="today"></span></span><ul class="toplinks">
<li><a href="javascript:void(0)" id="cniil_wza">无障碍浏览</a></li>
<li><a href="javascript:void(0)" onclick="aged()">长者模式</a></li>
<li><a href="/zdxx/lxwm.html">联系我们</a></li><li><a href="{self.sitemap}">网站地图</a></li>
<li><a href="{weibo}" target="_blank">政务微博</a></li>
<li><a href="javascript:void(0)" class="wx">政务微信<img src="/images/wx.png" alt="微信二维码"></a></li>
<li><a href="{province}" target="_blank">{esc(p.region[:3])}人民政府</a></li></ul></div></div>
<div class="header w1200"><div class="logo"><a href="/"><img src="/images/logo.png"
 alt="{esc(p.title)}"></a></div>
<div class="search"><form name="searchform" action="/search/" method="get" target="_blank">
<input type="text" name="searchword" placeholder="请输入关键字"><input type="submit" class="btn"
 value="搜索"></form><div class="hot">热词：{hot}</div></div></div>
<div class="mainnav"><ul class="w1200"><li class="nav-item"><a href="/" class="nav-a">首页</a></li>
{"".join(menu)}</ul></div>
<div class="banner"><img src="/images/banner.jpg" alt="{esc(p.title)}" width="1200"></div>
"""
        groups = [FRIEND_SITES[:11], FRIEND_SITES[11:20], FRIEND_SITES[20:], FRIEND_SITES[::3]]
        labels = ["中央政府网站", "省级部门网站", "州市政府网站", "其他网站"]
        selects = "".join(
            '<select onchange="if(this.value){window.open(this.value)}">'
            f'<option value="">—{label}—</option>'
            + "".join(f'<option value="{self.outside.url(h)}">{esc(n)}</option>' for n, h in group)
            + "</select>"
            for label, group in zip(labels, groups, strict=True))
        friends = "".join(f'<li><a href="{self.outside.url(h)}" target="_blank">{esc(n)}</a></li>'
                          for n, h in rng.sample(FRIEND_SITES, 18))
        self.tail = f"""
<div class="links w1200"><div class="links-title">友情链接</div>
<div class="link-select">{selects}</div><ul class="link-list">{friends}</ul></div>
<div class="footer-nav w1200"><a href="/zdxx/gywm.html">关于我们</a> | <a href="/zdxx/wzsm.html">
网站声明</a> | <a href="/zdxx/lxwm.html">联系我们</a> | <a href="{self.sitemap}">网站地图</a>
 | <a href="javascript:void(0)" class="print">打印本页</a></div>
{STATS_JS}
"""

    def side(self, path: str, kind: str) -> str:
        """Per-page sidebar: hot articles and picture news picked by the page's path."""
        rng = random.Random(zlib.crc32(path.encode()))
        picks = rng.sample(self.articles, min(len(self.articles), 14))
        hot = "".join(f'<li><a href="{u}" title="{esc(t)}" target="_blank">{esc(t)}</a>'
                      + (f'<span class="date">{d:%m-%d}</span>' if self.dated_sidebar else "")
                      + "</li>" for u, t, d in picks[:10])
        pics = "".join(f'<li><a href="{u}" target="_blank"><img src="/images/pic/{i % 6 + 1}.jpg" '
                       f'alt="{esc(t)}" width="280" height="180"><p>{esc(t)}</p></a></li>'
                       for i, (u, t, _d) in enumerate(picks[10:]))
        topics = [c for c in self.columns if c[2]][:3]
        zt = "".join(f'<li><a href="{u}"><img src="/images/pic/{i + 1}.jpg" alt="{esc(n)}">'
                     f"</a></li>" for i, (n, u, _s) in enumerate(topics))
        extra = ""
        if kind == "article":
            extra = ('<div class="share">分享到：<a href="javascript:void(0)">微信</a>'
                     '<a href="javascript:void(0)">微博</a> 【字体：<a class="font-big" '
                     'href="javascript:void(0)">大</a> <a class="font-small" '
                     'href="javascript:void(0)">小</a>】 <a class="print" '
                     'href="javascript:void(0)">打印</a> <a class="close" '
                     'href="javascript:void(0)">关闭</a></div>')
            if zlib.crc32(path.encode()) % 10 == 0:
                aid = zlib.crc32(path.encode()) % 10**8
                ext = ("pdf", "doc", "xls")[aid % 3]
                extra += (f'<div class="fj">附件：<a href="/uploadfiles/P0{aid:08d}.{ext}">'
                          f"{esc(rng.choice(self.articles)[1])}.{ext}</a></div>")
        return (f'<div class="sidebar w1200">{extra}<div class="side-box"><div class="side-title">'
                f'<span class="cur">热点推荐</span></div><ul class="hot-list">{hot}</ul></div>'
                f'<div class="side-box"><div class="side-title"><span>图片新闻</span></div>'
                f'<ul class="pic-list">{pics}</ul></div><div class="side-box"><div '
                f'class="side-title"><span>专题专栏</span></div><ul class="zt">{zt}</ul></div></div>')

    def attachments(self) -> list[str]:
        found = []
        for url, _t, _d in self.articles:
            crc = zlib.crc32(url.encode())
            if crc % 10 == 0:
                aid = crc % 10**8
                found.append(f"/uploadfiles/P0{aid:08d}.{('pdf', 'doc', 'xls')[aid % 3]}")
        return found

    def inflate(self, html: str, path: str, kind: str) -> str:
        """Add the site's bulk to one page: head, top and menu, sidebar and links."""
        head_at = html.find("</head>")
        if head_at >= 0:
            html = html[:head_at] + self.head + html[head_at:]
        body_at = html.find("<body")
        if body_at >= 0:
            open_end = html.find(">", body_at) + 1
            html = html[:open_end] + self.top + html[open_end:]
        end_at = html.rfind("</body>")
        if end_at < 0:
            end_at = len(html)
        return html[:end_at] + self.side(path, kind) + self.tail + html[end_at:]


# --------------------------------------------------------------------------- writing
def file_for(path: str) -> str:
    """The file a URL path is written to (see the module doc for queries)."""
    bare, _, query = path.partition("?")
    if bare.endswith("/"):
        bare += "index.html"
    rel = bare.lstrip("/")
    return f"{rel}@{query}" if query else rel


ASSETS: dict[str, bytes] = {
    "/css/common.css": ("/* common */\n" + "\n".join(
        f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 2654435 % 0xFFFFFF:06x}}}"
        for i in range(600))).encode(),
    "/css/index.css": "\n".join(f".i{i}{{width:{i}px}}" for i in range(300)).encode(),
    "/js/jquery-1.12.4.min.js": ("/*! jQuery v1.12.4 stand-in */\n" + "".join(
        f"function f{i}(a,b){{return a+b*{i}}}\n" for i in range(1500))).encode(),
    "/js/common.js": "".join(f"var v{i}={i};\n" for i in range(400)).encode(),
    "/images/logo.png": MARK_PNG * 40,
    "/images/banner.jpg": bytes(range(256)) * 120,
    "/images/wx.png": MARK_PNG * 10,
    "/images/bg.png": MARK_PNG,
    **{f"/images/pic/{i}.jpg": bytes(range(256)) * (20 + i) for i in range(1, 7)},
}


def write_site(site: SiteFiles, spec: SiteSpec, chrome: Chrome, kinds: dict[str, str],
               hosts: dict[str, str], extra_pages: Iterable[tuple[str, str]] = ()) -> SiteFiles:
    """Write every resource of `spec` (HTML inflated) and the shared assets under site.root."""
    codec = "gbk" if site.charset == "gbk" else "utf-8"
    outside = chrome.outside

    def token(match: re.Match[str]) -> str:
        name = match.group(1)
        return hosts.get(name) or outside.address(f"{name}.yn.gov.cn")

    def external(match: re.Match[str]) -> str:
        host = match.group(1)
        if host[0].isdigit():
            return match.group(0)
        return f"http://{outside.address(host)}"

    def put(path: str, data: bytes) -> None:
        target = site.root / file_for(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    pages = [(p, r.body, r.content_type) for p, r in spec.resources.items()]
    pages += [(p, html.encode(codec), "text/html") for p, html in extra_pages]
    for path, body, content_type in pages:
        if content_type.startswith("text/html"):
            text = body.decode(codec)
            text = HOST_TOKEN.sub(token, text)
            text = EXTERNAL_URL.sub(external, text)
            text = chrome.inflate(text, path, kinds.get(path, "other"))
            data = text.encode(codec, "xmlcharrefreplace")
            site.html_pages += 1
            site.html_bytes += len(data)
            site.sizes.append(len(data))
            put(path, data)
        else:
            put(path, body)
            site.other_files += 1
    for path, data in ASSETS.items():
        put(path, data)
        site.other_files += 1
    for path in chrome.attachments():
        put(path, b"%PDF-1.4 stand-in attachment\n" + bytes(range(256)) * 24)
        site.other_files += 1
    return site


def about_pages(plan: SitePlan, codec: str) -> list[tuple[str, str]]:
    """关于我们 / 网站声明 / 联系我们: short pages every portal links from its footer."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={codec}">'
    found = []
    for path, title, text in (
        ("/zdxx/gywm.html", "关于我们", f"{plan.title}是{plan.organizer}主办的政府门户网站。"),
        ("/zdxx/wzsm.html", "网站声明", "本网站所载内容版权归本网站所有，转载请注明来源。"),
        ("/zdxx/lxwm.html", "联系我们", f"地址：{plan.address} 电话：{plan.phone}"),
    ):
        found.append((path, f"<!DOCTYPE html><html><head>{meta}<title>{title}_{esc(plan.title)}"
                            f'</title></head><body><div class="main"><h2>{title}</h2><p>'
                            f"{esc(text)}</p></div></body></html>"))
    return found


# --------------------------------------------------------------------------- plans
BIG_COLUMNS: list[tuple[str, str, list[tuple[str, str, str, int]]]] = [
    ("xwzx", "新闻中心", [("gzdt", "工作动态", "news", 8), ("xzdt", "乡镇动态", "news", 5),
                      ("bmdt", "部门动态", "news", 5), ("tpxw", "图片新闻", "news", 2),
                      ("mtjj", "媒体聚焦", "news", 2)]),
    ("zwgk", "政务公开", [("tzgg", "通知公告", "notice", 5), ("zcwj", "政策文件", "policy", 3),
                      ("zcjd", "政策解读", "policy", 2), ("rsxx", "人事信息", "notice", 1),
                      ("czzj", "财政资金", "notice", 2), ("ghjh", "规划计划", "policy", 1),
                      ("tjxx", "统计信息", "notice", 1), ("zdxm", "重大项目", "notice", 1),
                      ("zfhy", "政府会议", "news", 1), ("jytabl", "建议提案办理", "notice", 1)]),
    ("zfxxgk", "政府信息公开", [("fdzdgknr", "法定主动公开内容", "notice", 2),
                          ("zfxxgknb", "政府信息公开年报", "notice", 1),
                          ("ysqgk", "依申请公开", "notice", 1)]),
    ("zmhd", "政民互动", [("zjdc", "征集调查", "notice", 1), ("zxft", "在线访谈", "news", 1)]),
    ("ztzl", "专题专栏", [("xczx", "乡村振兴", "news", 2), ("yshj", "优化营商环境", "news", 2),
                      ("aqsc", "安全生产", "news", 1), ("shce", "扫黑除恶", "news", 1)]),
    ("zjxq", "走进本地", [("xqgk", "概况", "notice", 1), ("lsyg", "历史沿革", "notice", 1),
                      ("lyzy", "旅游资源", "news", 1)]),
]
SMALL_COLUMNS = [("gzdt", "工作动态", "news"), ("tzgg", "通知公告", "notice"),
                 ("zcwj", "政策文件", "policy"), ("zcjd", "政策解读", "policy"),
                 ("czzj", "财政资金", "notice"), ("rsxx", "人事信息", "notice"),
                 ("xzdt", "乡镇动态", "news")]
COUNTY_FIRST = "青白云松临清安永新宁平德兴华丰长河金石龙凤玉文武福"
COUNTY_SECOND = "山河溪岭水江川阳城源原林沙"
DEPARTMENTS = [("fgj", "发展和改革局"), ("jyj", "教育体育局"), ("mzj", "民政局"), ("czj", "财政局"),
               ("rsj", "人力资源和社会保障局"), ("zrzyj", "自然资源局"), ("zjj", "住房和城乡建设局"),
               ("nyncj", "农业农村局"), ("wjj", "卫生健康局"), ("scjgj", "市场监督管理局"),
               ("yjj", "应急管理局"), ("ybj", "医疗保障局")]


class Ids:
    def __init__(self, start: int) -> None:
        self.value = start

    def take(self) -> int:
        self.value += 1
        return self.value


def make_articles(rng: random.Random, ids: Ids, n: int, kind: str, org: str, place: str,
                  long: bool) -> list[Article]:
    found = []
    day = AS_OF - timedelta(days=rng.randint(0, 2))
    for _ in range(n):
        body = long_paragraphs(rng, org, place) if long else T.paragraphs(rng, org, place)
        found.append(Article(T.news_title(rng, kind, org, place), day, body, org, ids.take()))
        day -= timedelta(days=rng.choice((0, 0, 1, 1, 1, 2)))
    return found


def make_guides(rng: random.Random, n: int, phone: str) -> list:
    limits = ["5个工作日", "10个工作日", "15个工作日", "20个工作日", "即办", "二十个工作日"]
    found = []
    for i in range(n):
        name, basis = T.GUIDE_NAMES[i % len(T.GUIDE_NAMES)]
        legal = rng.choice(limits)
        found.append(guide(name, basis, ("table", "dl", "p")[i % 3], legal, legal, phone=phone))
    return found


def identity(name: str, title: str, organizer: str, region: str, code: str, serial: str,
             kind: str, domain: str) -> dict[str, object]:
    return {
        "name": name, "title": title, "organizer": organizer, "region": region,
        "region_code": code, "site_code": code + serial, "kind": kind, "domain": domain,
        "short": "我县" if kind == "portal" else "我局", "sitemap_text": "网站地图",
        "phone": f"0870-{code[-2:]}1{serial}", "icp": f"滇ICP备{code[-4:]}{serial}号-1",
        "police": f"滇公网安备 {code}0200{serial}号", "address": f"{region}人民路{int(serial)}号",
    }


def big_plan(name: str, title: str, target_pages: int, code: str, place: str) -> SitePlan:
    """A TRS city or county portal of about `target_pages` HTML pages."""
    rng = random.Random(f"big-{name}-{target_pages}")
    ids = Ids(10000)
    org = title
    messages = max(20, target_pages // 40)
    guides = 40
    leaves = sum(len(subs) for _k, _n, subs in BIG_COLUMNS)
    tops = len(BIG_COLUMNS)
    fixed = tops + guides + 1 + messages + math.ceil(messages / 10) + 1 + 2 + 3 + leaves // 2
    articles_total = max(leaves, round((target_pages - fixed) / 1.05))
    weight_sum = sum(w for _k, _n, subs in BIG_COLUMNS for *_x, w in subs)
    columns = []
    for key, cname, subs in BIG_COLUMNS:
        children = []
        for skey, sname, kind, weight in subs:
            n = max(1, round(articles_total * weight / weight_sum))
            children.append(Column(skey, sname, make_articles(rng, ids, n, kind, org, place, True),
                                   per_page=20))
        cname = cname.replace("本地", place)
        columns.append(Column(key, cname, children=children))
    ident = identity(name, title, f"{title}办公室", f"云南省{place}", code, "0001", "portal",
                     f"www.{name}.gov.cn")
    return SitePlan(
        **ident, columns=columns, guides=make_guides(rng, guides, str(ident["phone"])),  # type: ignore[arg-type]
        channels=[ChannelLink("领导信箱", "board"), ChannelLink("我要咨询", "board")],
        board=Board("领导信箱", normal_messages(rng, AS_OF, messages)),
    )


def small_plan(index: int, template: str, pages: int) -> SitePlan:
    """A county portal or department site of about `pages` HTML pages."""
    county = index // 5
    first = COUNTY_FIRST[county % len(COUNTY_FIRST)]
    second = COUNTY_SECOND[(county // len(COUNTY_FIRST)) % len(COUNTY_SECOND)]
    place = f"{first}{second}县"
    code = f"53{county // 30 + 1:02d}{county % 30 + 21:02d}"
    rng = random.Random(f"small-{index}")
    ids = Ids(1000 + index * 100)
    if index % 5 == 0:
        kind, title, key, serial = "portal", f"{place}人民政府", "www", "0001"
    else:
        dkey, dname = DEPARTMENTS[(index % 5 - 1 + county) % len(DEPARTMENTS)]
        kind, title, key, serial = "department", f"{place}{dname}", dkey, f"{index % 5 + 10:04d}"
    org = title
    n_cols = 5
    messages = 4
    guides = 3
    fixed = 2 + n_cols + 1 + guides + 1 + messages + 2 + 3
    articles = max(n_cols, pages - fixed)
    chosen = SMALL_COLUMNS[:n_cols]
    col_id = 1000 + index % 50 * 100
    leaves = []
    for i, (ckey, cname, ckind) in enumerate(chosen):
        n = articles // n_cols + (1 if i < articles % n_cols else 0)
        leaves.append(Column(ckey, cname, make_articles(rng, ids, n, ckind, org, place, True),
                             col_id=col_id + i + 1, per_page=15,
                             date_style=("iso", "slash", "dot", "cn")[i % 4]))
    parent = Column("xwzx", "新闻中心", children=leaves[:2], col_id=col_id)
    ident = identity(f"{key}-{index}", title, f"{title}办公室" if kind == "portal" else title,
                     f"云南省{place}", code, serial, kind, f"{key}.{first}{index}.gov.cn")
    ident["name"] = f"s{index:03d}"
    return SitePlan(
        **ident, columns=[parent, *leaves[2:]],  # type: ignore[arg-type]
        guides=make_guides(rng, guides, str(ident["phone"])),
        channels=[ChannelLink("领导信箱", "board")],
        board=Board("领导信箱", normal_messages(rng, AS_OF, messages)),
    )


# --------------------------------------------------------------------------- templates
class BenchTrs(TrsSite):
    """TRS with the numbered pager real TRS lists show (首页 上一页 1 2 ... 下一页 尾页)."""

    @staticmethod
    def pager(n: int, total: int) -> str:
        if total <= 1:
            return ""

        def name(i: int) -> str:
            return "index.html" if i == 0 else f"index_{i}.html"

        links = [f'<a href="{name(0)}">首页</a>']
        if n > 0:
            links.append(f'<a href="{name(n - 1)}">上一页</a>')
        for i in range(max(0, n - 4), min(total, n + 5)):
            links.append(f'<span class="cur">{i + 1}</span>' if i == n
                         else f'<a href="{name(i)}">{i + 1}</a>')
        if n < total - 1:
            links.append(f'<a href="{name(n + 1)}">下一页</a>')
        links.append(f'<a href="{name(total - 1)}">尾页</a>')
        return f'<div class="page">共{total}页 当前第{n + 1}页 {" ".join(links)}</div>'


def _trs(plan: SitePlan) -> tuple[SiteSpec, Callable[[Column], str],
                                  Callable[[Column, Article], str], str]:
    site = BenchTrs(plan)
    spec, _truth = site.render()
    return spec, site.col_url, site.art_url, "/wzdt/"


def _hanweb(plan: SitePlan) -> tuple[SiteSpec, Callable[[Column], str],
                                     Callable[[Column, Article], str], str]:
    site = HanwebSite(plan)
    spec, _truth = site.render()
    return (spec, lambda c: site.col_url(c.col_id),
            lambda c, a: site.art_url(c.col_id, a.art_id, a.day), "/wzdt.html")


def _oldgbk(plan: SitePlan) -> tuple[SiteSpec, Callable[[Column], str],
                                     Callable[[Column, Article], str], str]:
    site = OldGbkSite(plan)
    spec, _truth = site.render()
    return spec, site.col_url, lambda _c, a: site.art_url(a), "/sitemap.asp"


RENDERERS = {"trs": _trs, "hanweb": _hanweb, "oldgbk": _oldgbk}


def build_site(plan: SitePlan, template: str, ip: str, port: int, root: Path,
               outside: Outside, hosts: dict[str, str], keep_spec: bool = False,
               dated_sidebar: bool = True) -> SiteFiles:
    """Render `plan` with a template, add the bulk, write it under root/plan.name."""
    spec, col_url, art_url, sitemap = RENDERERS[template](plan)
    columns = [(c.name, col_url(c), [(s.name, col_url(s)) for s in c.children])
               for c in plan.columns if c.in_nav]
    articles = [(art_url(c, a), a.title, a.day) for c in plan.leaf_columns() for a in c.articles]
    kinds = {art_url(c, a): "article" for c in plan.leaf_columns() for a in c.articles}
    chrome = Chrome(plan, columns, articles or [("/", plan.title, AS_OF)], sitemap, outside,
                    dated_sidebar)
    charset = "gbk" if template == "oldgbk" else "utf-8"
    site = SiteFiles(plan.name, plan.title, template, ip, port, root / plan.name,
                     plan.site_code, plan.organizer, plan.region, plan.kind, charset)
    write_site(site, spec, chrome, kinds, hosts, about_pages(plan, "gbk" if charset == "gbk"
                                                             else "utf-8"))
    if keep_spec:
        site.spec = spec
    return site


def big_site(name: str, title: str, target_pages: int, ip: str, port: int, root: Path,
             outside: Outside, code: str = "539900", place: str = "临水市") -> SiteFiles:
    plan = big_plan(name, title, target_pages, code, place)
    return build_site(plan, "trs", ip, port, root, outside, {})


def estate_ips(count: int, first_block: int = 1) -> list[str]:
    """127.0.1.1 ... 127.0.1.250, 127.0.2.1 ...: one loopback address per site."""
    return [f"127.0.{first_block + i // 250}.{i % 250 + 1}" for i in range(count)]


def small_estate(count: int, pages_per_site: int, port: int, root: Path, outside: Outside,
                 first_block: int = 1, mix: tuple[str, ...] = ("trs", "trs", "hanweb", "trs",
                                                               "oldgbk")) -> list[SiteFiles]:
    """`count` small sites, half TRS and the rest Hanweb (static lists) and old GBK."""
    sites = []
    for i, ip in enumerate(estate_ips(count, first_block)):
        template = mix[i % len(mix)]
        plan = small_plan(i, template, pages_per_site)
        sites.append(build_site(plan, template, ip, port, root, outside, {}))
    return sites


def render_estate(count: int, pages_per_site: int, port: int, root: Path, outside: Outside,
                  first_block: int = 4) -> list[SiteFiles]:
    """Hanweb sites whose lists load by JavaScript from dataproxy.jsp (a POST answered by a
    small backend behind nginx): half the columns only show their items when rendered.

    The sidebar's hot articles carry no dates here: govsite's render detection
    (crawler/render.py render_reason) counts dated rows anywhere on a page, and a dated
    sidebar makes it take a script-filled column for one that shows its list."""
    sites = []
    for i, ip in enumerate(estate_ips(count, first_block)):
        plan = small_plan(1000 + i, "hanweb", pages_per_site)
        plan.name = f"r{i:03d}"
        for n, col in enumerate(plan.leaf_columns()):
            col.render = "js" if n % 2 == 0 else "static"
        sites.append(build_site(plan, "hanweb", ip, port, root, outside, {}, keep_spec=True,
                                dated_sidebar=False))
    return sites
