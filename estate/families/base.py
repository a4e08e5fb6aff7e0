"""What every family site shares: identity, resources, truth rows, footer, articles.

The family modules write their own markup by hand (each reproduces one
structure found on real government sites); this module only keeps the
bookkeeping they all need, so a family file reads as "what the site looks
like and what is planted where".
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import texts
from ..common import MARK_PNG
from ..model import DynamicHandler, FormHandler, Resource, SiteSpec, Truth

EMPTY = "empty-column"
CONSULT = "consultation-channel"
REPLY = "reply-overdue"
GUIDE = "service-guide-time-limit"
NEEDS_RENDER = "needs render"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class Identity:
    """Registry facts of one site and the bits its footer prints."""

    name: str
    title: str
    organizer: str
    region: str
    site_code: str  # 10 digits: 6 of the region code, 4 serial
    kind: str  # portal | department
    domain: str
    icp: str
    police: str
    phone: str
    address: str

    def __post_init__(self) -> None:
        if len(self.site_code) != 10 or not self.site_code.isdigit():
            raise ValueError(f"{self.name}: site code must be 10 digits: {self.site_code}")


@dataclass
class Article:
    art_id: int
    title: str
    day: date
    paragraphs: list[str]


def articles(rng: random.Random, as_of: date, n: int, kind: str, org: str, place: str,
             first_id: int, gap: tuple[int, int] = (1, 6)) -> list[Article]:
    """n articles, newest first, the newest within 3 days of as_of."""
    found = []
    day = as_of - timedelta(days=rng.randint(0, 3))
    for i in range(n):
        found.append(Article(first_id + i * 7, texts.news_title(rng, kind, org, place), day,
                             texts.paragraphs(rng, org, place)))
        day -= timedelta(days=rng.randint(*gap))
    return found


def footer(ident: Identity, tag: str = "div", cls: str = "footer") -> str:
    """主办单位, 网站标识码, ICP, 公安备案, 党政机关 mark: what every government page carries."""
    digits = "".join(ch for ch in ident.police if ch.isdigit())
    return f"""<{tag} class="{cls}">
<p>主办单位：{esc(ident.organizer)}　地址：{esc(ident.address)}　联系电话：{esc(ident.phone)}</p>
<p>网站标识码：{ident.site_code}　<a href="https://beian.miit.gov.cn" target="_blank">{esc(ident.icp)}</a>
<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={digits}" target="_blank">{esc(ident.police)}</a></p>
<p><a href="https://bszs.conac.cn/sitename?method=show&amp;id={ident.site_code}C0FA1B" target="_blank"><img src="/images/dzjg.png" alt="党政机关" width="45" height="55"></a>
<a href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode={ident.site_code}" target="_blank">我为政府网站找错</a></p>
</{tag}>"""


class FamilySite:
    """Collects one site's resources and handlers; truth goes to `truth` (shared per family)."""

    def __init__(self, ident: Identity, template: str, truth: list[Truth],
                 owner: str | None = None) -> None:
        self.ident = ident
        self.template = template
        self.truth = truth
        self.owner = owner  # the registered site truth rows name (apps on other hosts)
        self.resources: dict[str, Resource] = {}
        self.get_handlers: dict[str, DynamicHandler] = {}
        self.post_handlers: dict[str, FormHandler] = {}
        self.resources["/images/dzjg.png"] = Resource(MARK_PNG, "image/png")
        self.resources["/favicon.ico"] = Resource(MARK_PNG, "image/x-icon")

    # --- resources ----------------------------------------------------------------
    def add(self, path: str, resource: Resource) -> None:
        if path in self.resources:
            raise ValueError(f"{self.ident.name}: path served twice: {path}")
        self.resources[path] = resource

    def html(self, path: str, markup: str) -> None:
        self.add(path, Resource(markup.encode("utf-8"), "text/html; charset=utf-8"))

    def json(self, path: str, data: object) -> None:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.add(path, Resource(body, "application/json; charset=utf-8"))

    def script(self, path: str, code: str) -> None:
        self.add(path, Resource(code.encode("utf-8"), "application/javascript; charset=utf-8"))

    def text(self, path: str, body: str, content_type: str) -> None:
        self.add(path, Resource(body.encode("utf-8"), content_type))

    # --- truth ----------------------------------------------------------------------
    def _row(self, check: str, path: str, expect: str, problem: str, note: str) -> None:
        site = self.owner or self.ident.name
        host = self.ident.name if self.owner else ""
        self.truth.append(Truth(site, check, path, expect, problem, note, host))  # type: ignore[arg-type]

    def flag(self, check: str, path: str, problem: str, note: str = "") -> None:
        self._row(check, path, "flag", problem, note)

    def decoy(self, check: str, path: str, problem: str, note: str = "") -> None:
        self._row(check, path, "decoy", problem, note)

    def spec(self) -> SiteSpec:
        i = self.ident
        return SiteSpec(name=i.name, template=self.template, site_code=i.site_code,
                        organizer=i.organizer, region=i.region, kind=i.kind,
                        resources=self.resources, post_handlers=self.post_handlers,
                        title=i.title, domain=i.domain, get_handlers=self.get_handlers)


def thanks(title: str) -> FormHandler:
    """A message form's endpoint: accepts anything and thanks the writer."""

    def handle(form: dict[str, str]) -> Resource:
        body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title>'
                f"</head><body><h2>提交成功</h2><p>您的留言《{esc(form.get('title', ''))}》"
                "已提交，我们将在5个工作日内答复。</p><p><a href=\"/\">返回首页</a></p></body></html>")
        return Resource(body.encode("utf-8"))

    return handle


@dataclass
class Family:
    """What a family module returns: its sites (registered first) and its truth rows."""

    sites: list[SiteSpec] = field(default_factory=list)
    truth: list[Truth] = field(default_factory=list)
