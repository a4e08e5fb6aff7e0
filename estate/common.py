"""Helpers every template shares: collecting resources and truth, dates, footers.

Templates differ in markup and URLs, not in what a government page must
carry (主办单位, 网站标识码, ICP, 公安备案, 党政机关标识), so those bits and the
bookkeeping of planted truth live here once.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TypeVar

from .content import Board, ChannelLink, Column, LinkBlock, LinkTarget, Mark, SitePlan
from .guarded import challenge_page  # the wall the guarded estate puts up
from .model import DynamicHandler, FormHandler, Resource, SiteSpec, Truth

T = TypeVar("T")

PLATFORM = "platform"  # site name of the provincial platform
PETITION_URL = "http://{{host:platform}}/xinfang/index.html"
DISCIPLINE_URL = "http://jb.ccdi.gov.cn/"
TWELVE345_URL = "http://{{host:platform}}/12345/index.html"

# A 1x1 red PNG standing in for the 党政机关 mark image.
MARK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def platform_board_url(region_code: str) -> str:
    return f"http://{{{{host:{PLATFORM}}}}}/hdjl/{region_code}/index.html"


def column_tree(columns: Sequence[Column], url_of: Callable[[Column], str]) -> str:
    """A site map's nested <li> list of columns and their sub-columns."""
    def entry(col: Column) -> str:
        sub = "".join(entry(c) for c in col.children)
        sub = f"<ul>{sub}</ul>" if sub else ""
        return f'<li><a href="{url_of(col)}">{esc(col.name)}</a>{sub}</li>'
    return "".join(entry(c) for c in columns)


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    """Items split into pages; an empty list still makes one (empty) page."""
    pages = [list(items[i : i + size]) for i in range(0, len(items), size)]
    return pages or [[]]


def fmt_date(day: date, style: str) -> str:
    """Dates as list pages show them.

    iso 2026-10-15, slash 2026/10/15, bracket [10-15], cn 2026年10月15日, dot 2026.10.15,
    none: no date at all (an undated list).
    """
    if style == "none":
        return ""
    if style == "slash":
        return f"{day.year}/{day.month:02d}/{day.day:02d}"
    if style == "bracket":
        return f"[{day.month:02d}-{day.day:02d}]"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "dot":
        return f"{day.year}.{day.month:02d}.{day.day:02d}"
    return day.isoformat()


def fmt_time(moment: datetime, style: str) -> str:
    if style == "iso-seconds":
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if style == "iso-minutes":
        return moment.strftime("%Y-%m-%d %H:%M")
    return fmt_date(moment.date(), style)


class SiteBuilder:
    """Collects one site's resources, POST handlers and truth rows."""

    def __init__(self, plan: SitePlan, template: str, charset: str = "utf-8") -> None:
        self.plan = plan
        self.template = template
        self.charset = charset
        self.resources: dict[str, Resource] = {}
        self.post_handlers: dict[str, FormHandler] = {}
        self.get_handlers: dict[str, DynamicHandler] = {}
        self.truth: list[Truth] = []

    def page(self, path: str, markup: str, content_type: str | None = None,
             encoding: str | None = None, status: int = 200) -> None:
        """Add an HTML page encoded in the site's charset unless told otherwise."""
        codec = encoding or self.charset
        ctype = content_type or f"text/html; charset={codec}"
        self.add(path, Resource(markup.encode(codec), ctype, status))

    def add(self, path: str, resource: Resource) -> None:
        if path in self.resources:
            raise ValueError(f"{self.plan.name}: path served twice: {path}")
        self.resources[path] = resource

    def mark(self, marks: Iterable[Mark], path: str, host: str = "") -> None:
        for m in marks:
            self.truth.append(
                Truth(self.plan.name, m.check, path, m.expect, m.problem, m.note, host)
            )

    def spec(self) -> SiteSpec:
        p = self.plan
        self.resources.setdefault("/favicon.ico", Resource(MARK_PNG, "image/x-icon"))
        for target in p.link_targets:
            self.mark(target.marks, target.path, target.host)
            answer = target_resource(target, "gbk" if self.template == "oldgbk" else p.charset)
            if answer is not None and not target.host:
                self.add(target.path, answer)
        return SiteSpec(
            name=p.name, template=self.template, site_code=p.site_code, organizer=p.organizer,
            region=p.region, kind=p.kind, resources=self.resources,
            post_handlers=self.post_handlers, title=p.title, domain=p.domain,
            get_handlers=self.get_handlers,
        )


def thanks_handler(title: str, charset: str = "utf-8") -> FormHandler:
    """A form endpoint that accepts anything and thanks the writer."""

    def handle(form: dict[str, str]) -> Resource:
        subject = esc(form.get("title", ""))
        body = (
            f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{esc(title)}</title>'
            f"</head><body><h2>提交成功</h2><p>您的来信《{subject}》已提交，"
            "我们将在5个工作日内答复。</p><p><a href=\"/\">返回首页</a></p></body></html>"
        )
        return Resource(body.encode(charset), f"text/html; charset={charset}")

    return handle


def icp_link(plan: SitePlan) -> str:
    if not plan.footer.icp_linked:
        return f"<span>{esc(plan.icp)}</span>"
    return f'<a href="https://beian.miit.gov.cn" target="_blank">{esc(plan.icp)}</a>'


def code_text(plan: SitePlan) -> str:
    """网站标识码：5399210001 (or the plan's planted label and code)."""
    return f"{plan.footer.code_label}：{plan.footer.shown_code or plan.site_code}"


def contact_text(plan: SitePlan, label: str = "联系电话") -> str:
    if plan.footer.contact == "email":
        return f"电子邮箱：{esc(plan.name.replace('-', ''))}@{esc(plan.domain.removeprefix('www.'))}"
    return f"{label}：{esc(plan.phone)}"


def police_link(plan: SitePlan) -> str:
    digits = "".join(ch for ch in plan.police if ch.isdigit())
    href = f"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={digits}"
    return f'<a href="{href}" target="_blank">{esc(plan.police)}</a>'


def conac_link(plan: SitePlan) -> str:
    if plan.footer.conac == "none":
        return ""
    if plan.footer.conac == "script":
        # The official loader: it writes the linked mark at view time (from
        # dcs.conac.cn, which a loopback estate cannot reach).
        return ('<span id="_ideConac"></span><script type="text/javascript" '
                f'src="https://dcs.conac.cn/js/25/000/0000/{plan.site_code}/CA{plan.site_code}.js">'
                "</script>")
    href = f"https://bszs.conac.cn/sitename?method=show&id={plan.site_code}0C1A2B3"
    return (f'<a href="{href}" target="_blank" title="党政机关网站标识">'
            '<img src="/images/dzjg.png" alt="党政机关" width="45" height="55"></a>')


def jiucuo_link(plan: SitePlan) -> str:
    href = ("https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?"
            f"sitecode={plan.site_code}")
    return f'<a href="{href}" target="_blank">我为政府网站找错</a>'


def channel_href(link: ChannelLink, plan: SitePlan, board_form: str, maintenance: str) -> str:
    """Where a consultation link points, given the template's own paths."""
    if link.target == "platform-12345":
        return TWELVE345_URL
    if link.target == "platform-board":
        return platform_board_url(plan.region_code)
    if link.target == "maintenance":
        return maintenance
    return board_form


def board_messages(board: Board | None) -> list:
    """Messages newest first, the order every board lists them in."""
    if board is None:
        return []
    return sorted(board.messages, key=lambda m: m.asked, reverse=True)


def guide_value(fields: list[tuple[str, str]], label: str) -> str | None:
    for key, value in fields:
        if key == label:
            return value
    return None


# How each hiding technique is written (a class of a <style> block, inline styles).
_HIDING = {
    "inline-none": ('', '<div style="display:none"><div>{links}</div></div>'),
    "style-class": ('<style type="text/css">.{cls}{{position:absolute;top:-1200px;left:0}}</style>',
                    '<div class="{cls}">{links}</div>'),
    "off-screen": ('', '<div style="position:absolute;left:-9999px;top:0">{links}</div>'),
    "font-size": ('', '<span style="font-size:0px;line-height:0">{links}</span>'),
    "same-colour": ('', '<p style="background:#ffffff;margin:0">{links}</p>'),
}


def link_block(block: LinkBlock, key: str = "lk") -> str:
    """A block of links as a page shows (or hides) it; `key` keeps ids and classes
    apart when a page has several."""
    def anchors(links: list[tuple[str, str]], attrs: str = "") -> str:
        return " ".join(f'<a href="{esc(url)}" target="_blank"{attrs}>{esc(text)}</a>'
                        for text, url in links)

    if block.kind == "hidden":
        style, markup = _HIDING[block.how]
        attrs = ' style="color:#ffffff"' if block.how == "same-colour" else ""
        return style.format(cls=f"{key}8") + markup.format(cls=f"{key}8",
                                                          links=anchors(block.links, attrs))
    if block.kind == "plain":  # a visible 相关链接 list; pictures shown as pictures
        items = "".join(
            f'<li><img src="{esc(url)}" alt="{esc(text)}" width="300" height="80"></li>'
            if url.lower().endswith(_IMAGE) else f'<li><a href="{esc(url)}">{esc(text)}</a></li>'
            for text, url in block.links)
        return f'<div class="{key}-xglj"><b>相关链接</b><ul>{items}</ul></div>'
    if block.kind == "friends":
        return f'<div class="{key}-links"><b>友情链接：</b>{anchors(block.links)}</div>'
    if block.kind == "friends-tabs":
        half = (len(block.links) + 1) // 2
        groups = (block.links[:half], block.links[half:])
        heads = "".join(
            f'<li onmouseover="{key}Tab({i})" style="display:inline;margin-right:12px">{name}</li>'
            for i, name in enumerate(("国家部委网站", "省内政府网站")))
        hidden = ' style="display:none"'
        panels = "".join(
            f'<div class="{key}-panel" id="{key}-panel-{i}"{hidden if i else ""}>'
            f"{anchors(group)}</div>" for i, group in enumerate(groups))
        script = (f"<script>function {key}Tab(n){{for(var i=0;i<2;i++){{document.getElementById("
                  f"'{key}-panel-'+i).style.display=(i==n?'block':'none');}}}}</script>")
        return (f'<div class="{key}-box"><b>友情链接</b><ul style="margin:0;padding:0">{heads}'
                f"</ul>{panels}</div>{script}")
    if block.kind == "skip":
        (text, url), = block.links
        return (f'<style type="text/css">.{key}-skip{{position:absolute;left:-10000px}}'
                f".{key}-skip:focus{{left:0}}</style>"
                f'<a class="{key}-skip" href="{esc(url)}">{esc(text)}</a>')
    # dropdown: the site's own sub-menu, shown while the pointer is on its entry
    (title, _), *subs = block.links
    items = "".join(f'<li><a href="{esc(url)}">{esc(text)}</a></li>' for text, url in subs)
    return (f'<style type="text/css">.{key}-menu ul{{display:none}}</style>'
            f'<ul class="{key}-menu"><li onmouseover="this.lastChild.style.display=\'block\'" '
            f'onmouseout="this.lastChild.style.display=\'none\'"><a href="javascript:void(0)">'
            f"{esc(title)}</a><ul>{items}</ul></li></ul>")


def target_resource(target: LinkTarget, charset: str = "utf-8") -> Resource | None:
    """How a planted link's target answers; None: it is not served (404)."""
    if target.answer == "missing":
        return None
    if target.answer == "server-error":
        return Resource(b"<html><body><h1>503 Service Unavailable</h1></body></html>",
                        status=503)
    if target.answer == "head-refused":
        return Resource(b"%PDF-1.4\n% govsite estate\n", "application/pdf", head_status=405)
    if target.answer == "challenge":
        return Resource(challenge_page(), status=412)
    title = target.title or ("页面不存在" if target.answer == "soft-404" else "页面")
    text = ("<p>您访问的页面不存在或已被删除。</p><p><a href=\"/\">返回首页</a></p>"
            if target.answer == "soft-404" else f"<h1>{esc(title)}</h1>"
            + "<p>本页介绍工程建设的进展情况，供公众查阅。</p>")
    body = (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{esc(title)}</title>'
            f"</head><body>{text}</body></html>")
    return Resource(body.encode(charset, "replace"), f"text/html; charset={charset}")


_IMAGE = (".jpg", ".jpeg", ".png", ".gif")


def link_blocks(blocks: Iterable[LinkBlock], key: str = "lk") -> str:
    return "\n".join(link_block(block, f"{key}{i}") for i, block in enumerate(blocks))
