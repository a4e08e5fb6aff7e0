"""The provincial platform: another host that county sites link to.

It holds the 12345 consultation form, a petition (网上信访) form, and message
boards of counties whose `Board.on_platform` is set. Truth rows for those
letters name the county as `site` and "platform" as `host`.
"""

from __future__ import annotations

from .common import (
    MARK_PNG,
    PLATFORM,
    chunks,
    esc,
    fmt_time,
    target_resource,
    thanks_handler,
)
from .content import Message, SitePlan
from .model import Resource, SiteSpec, Truth

TITLE = "云南省网上12345政务服务平台"
ORGANIZER = "云南省政务服务管理局"
SITE_CODE = "5300000123"


def _frame(title: str, main: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="SiteName" content="{TITLE}"><meta name="SiteIDCode" content="{SITE_CODE}">
<title>{esc(title)} - {TITLE}</title></head>
<body><header><h1>{TITLE}</h1><nav><a href="/index.html">首页</a>
<a href="/12345/index.html">我要咨询</a> <a href="/xinfang/index.html">网上信访</a>
<a href="/sitemap.html">网站地图</a></nav></header>
<main>{main}</main>
<footer><p>主办单位：{ORGANIZER}　联系电话：12345</p>
<p>网站标识码：{SITE_CODE}　<a href="https://beian.miit.gov.cn">滇ICP备12001234号-2</a>
<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=53010202000123">
滇公网安备 53010202000123号</a>
<a href="https://bszs.conac.cn/sitename?method=show&amp;id=5300000123ABC">
<img src="/images/dzjg.png" alt="党政机关"></a></p></footer></body></html>"""


class PlatformSite:
    """Renders the platform, including boards that counties keep here."""

    def __init__(self, county_plans: list[SitePlan]) -> None:
        self.counties = [p for p in county_plans if p.board and p.board.on_platform]
        self.plans = county_plans  # every site, for the targets their links lead to here
        self.resources: dict[str, Resource] = {}
        self.truth: list[Truth] = []

    def page(self, path: str, title: str, main: str) -> None:
        self.resources[path] = Resource(_frame(title, main).encode("utf-8"))

    def render(self) -> tuple[SiteSpec, list[Truth]]:
        forms = """<form action="/12345/submit.do" method="post">
<p>姓名：<input name="name"></p><p>手机：<input name="phone"></p>
<p>所属地区：<select name="area"><option>临水市</option><option>白河县</option></select></p>
<p>咨询标题：<input name="title"></p><p>咨询内容：<textarea name="content"></textarea></p>
<p><button type="submit">提交咨询</button></p></form>"""
        self.page("/12345/index.html", "我要咨询", f"<h2>12345在线咨询</h2>{forms}")
        petition = """<form action="/xinfang/submit.do" method="post">
<p>信访人：<input name="name"></p><p>身份证号：<input name="idcard"></p>
<p>信访事项：<input name="title"></p><p>事实与理由：<textarea name="content"></textarea></p>
<p><button type="submit">提交</button></p></form>"""
        self.page("/xinfang/index.html", "网上信访", f"<h2>网上信访</h2>{petition}")
        for plan in self.plans:  # where the sites' planted links lead here (broken-link)
            for target in plan.link_targets:
                answer = target_resource(target)
                if target.host == "platform" and answer is not None:
                    self.resources[target.path] = answer
        boards = []
        for plan in self.counties:
            self.board(plan)
            boards.append(f'<li><a href="/hdjl/{plan.region_code}/index.html">'
                          f"{esc(plan.title)}留言板</a></li>")
        home = (f'<section><h2>热线服务</h2><p><a href="/12345/index.html">我要咨询</a> '
                f'<a href="/xinfang/index.html">网上信访</a></p></section>'
                f'<section><h2>各地留言板</h2><ul>{"".join(boards)}</ul></section>')
        self.page("/index.html", "首页", home)
        self.page("/sitemap.html", "网站地图", home)
        self.resources["/images/dzjg.png"] = Resource(MARK_PNG, "image/png")
        spec = SiteSpec(
            name=PLATFORM, template="platform", site_code=SITE_CODE, organizer=ORGANIZER,
            region="云南省", kind="portal", resources=self.resources,
            post_handlers={"/12345/submit.do": thanks_handler("12345在线咨询"),
                           "/xinfang/submit.do": thanks_handler("网上信访")},
            title=TITLE, domain="12345.yn.gov.cn",
        )
        return spec, self.truth

    def board(self, plan: SitePlan) -> None:
        board = plan.board
        assert board is not None
        base = f"/hdjl/{plan.region_code}/"
        messages = sorted(board.messages, key=lambda m: m.asked, reverse=True)
        for i, msg in enumerate(messages):
            msg.msg_id = 880100 + i * 13
        pages = chunks(messages, board.per_page)
        for n, msgs in enumerate(pages):
            rows = "".join(
                f'<tr><td><a href="{base}detail_{m.msg_id}.html">{esc(m.title)}</a></td>'
                f'<td>{fmt_time(m.asked, "iso")}</td><td>{esc(m.status)}</td></tr>' for m in msgs)
            nav = " ".join(
                f'<a href="{base}{"index.html" if i == 0 else f"index_{i + 1}.html"}">{i + 1}</a>'
                for i in range(len(pages)) if i != n)
            main = (f"<h2>{esc(plan.title)} · {esc(board.name)}</h2>"
                    '<table class="board"><tr><th>留言标题</th><th>留言时间</th>'
                    "<th>处理状态</th></tr>"
                    f'{rows}</table><div class="pages">{nav}</div>')
            name = "index.html" if n == 0 else f"index_{n + 1}.html"
            self.page(base + name, board.name, main)
        for msg in messages:
            self.message(plan, base, msg)

    def message(self, plan: SitePlan, base: str, msg: Message) -> None:
        path = f"{base}detail_{msg.msg_id}.html"
        for m in msg.marks:
            self.truth.append(Truth(plan.name, m.check, path, m.expect, m.problem, m.note,
                                    PLATFORM))
        replied = fmt_time(msg.replied, "iso-minutes") if msg.replied else "—"
        main = f"""<h2>{esc(msg.title)}</h2><dl class="letter">
<dt>留言人</dt><dd>{esc(msg.asker)}</dd>
<dt>所属地区</dt><dd>{esc(plan.region)}</dd>
<dt>留言时间</dt><dd>{fmt_time(msg.asked, "iso-minutes")}</dd>
<dt>留言内容</dt><dd>{esc(msg.question)}</dd>
<dt>处理状态</dt><dd>{esc(msg.status)}</dd>
<dt>答复单位</dt><dd>{esc(msg.replier or "—")}</dd>
<dt>答复时间</dt><dd>{replied}</dd>
<dt>答复内容</dt><dd>{esc(msg.reply or "暂无答复")}</dd></dl>"""
        self.page(path, msg.title, main)


def build(county_plans: list[SitePlan]) -> tuple[SiteSpec, list[Truth]]:
    return PlatformSite(county_plans).render()
