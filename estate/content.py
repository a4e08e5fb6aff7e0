"""Template-neutral content plans: what a site says, and what is planted where.

A plan says *what* (columns, messages, guides, channels, with their truth
marks); a template module says *how* it looks and at which URL, and turns each
mark into a `Truth` row with the path it rendered the item at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

ColumnState = Literal["ok", "blank", "placeholder", "missing", "js-empty", "single-page"]
GuideLayout = Literal["table", "dl", "p"]
ChannelTarget = Literal["board", "maintenance", "platform-12345", "platform-board"]


@dataclass(frozen=True)
class Mark:
    """A truth row waiting for the path its item is rendered at."""

    check: str
    expect: Literal["flag", "decoy"]
    problem: str
    note: str = ""


LinkBlockKind = Literal["hidden", "friends", "friends-tabs", "skip", "dropdown", "plain"]
LinkAnswer = Literal["missing", "soft-404", "server-error", "head-refused", "challenge", "page"]
HidingStyle = Literal["", "inline-none", "style-class", "off-screen", "font-size", "same-colour"]


@dataclass
class LinkBlock:
    """Links a page carries for hidden-links, and how a visitor sees them: hidden
    (`how`: the technique), a visible 友情链接 list, a 友情链接 box whose other tabs
    open on hover, a skip link (on-site, off-screen until focused), a dropdown of
    the site's own sub-menus. `links`: (text, URL); URLs may use {{host:NAME}}."""

    kind: LinkBlockKind
    links: list[tuple[str, str]]
    how: HidingStyle = ""
    marks: list[Mark] = field(default_factory=list)


@dataclass(frozen=True)
class LinkTarget:
    """Where a planted link leads and how that host answers it (broken-link): not
    served (404), a 200 page saying 页面不存在, a 503, a file whose server refuses
    HEAD (405) but serves GET, a bot-protection challenge (412), a plain page."""

    path: str
    answer: LinkAnswer
    marks: tuple[Mark, ...] = ()
    host: str = ""  # served by another estate site (the platform), else by the site
    title: str = ""  # the page's title, for "page" and "soft-404"


@dataclass
class Article:
    title: str
    day: date
    paragraphs: list[str]
    source: str = ""
    art_id: int = 0
    marks: list[Mark] = field(default_factory=list)
    blocks: list[LinkBlock] = field(default_factory=list)  # links after its text


@dataclass
class Column:
    """A list column; `children` makes it a column that only lists sub-columns."""

    key: str
    name: str
    articles: list[Article] = field(default_factory=list)
    children: list[Column] = field(default_factory=list)
    state: ColumnState = "ok"
    placeholder: str = ""  # text shown in place of items when state == "placeholder"
    render: Literal["static", "js", "xml"] = "static"  # Hanweb: how items reach the page
    date_style: str = "iso"
    col_id: int = 0
    per_page: int = 10
    in_nav: bool = True
    marks: list[Mark] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # text of a "single-page" column (机构职能)

    def all_columns(self) -> list[Column]:
        """This column and its sub-columns, depth first."""
        found = [self]
        for child in self.children:
            found.extend(child.all_columns())
        return found


@dataclass
class Message:
    """One letter on a message board; replied None means still unanswered."""

    title: str
    asker: str
    asked: datetime
    question: str
    replied: datetime | None = None
    reply: str = ""
    replier: str = ""
    status: str = "已回复"  # 已回复 | 未回复 | 办理中
    msg_id: int = 0
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Board:
    """A message board (领导信箱 / 县长信箱 / 咨询) and where it lives."""

    name: str
    messages: list[Message]
    has_form: bool = True
    on_platform: bool = False
    per_page: int = 10


@dataclass
class Guide:
    """A service guide: ordered (label, value) rows in one of three layouts."""

    name: str
    layout: GuideLayout
    fields: list[tuple[str, str]]
    list_limit: str  # what the service list page shows as the committed limit
    notes: list[str] = field(default_factory=list)  # paragraphs after the main layout
    guide_id: int = 0
    marks: list[Mark] = field(default_factory=list)
    day: date | None = None  # publish date a service list may show beside the guide


@dataclass(frozen=True)
class ChannelLink:
    """A consultation link on the home page and where it leads."""

    text: str
    target: ChannelTarget
    notice: str = ""  # for "maintenance": what the page says


@dataclass
class Footer:
    """How the footer shows the site's identifiers (site-identifiers plantings)."""

    code_label: str = "网站标识码"  # some templates write 网站识别码
    shown_code: str = ""  # a code other than the registered one ("": the registered)
    icp_linked: bool = True
    conac: Literal["link", "script", "none"] = "link"  # script: the official dcs.conac.cn loader
    contact: Literal["phone", "email"] = "phone"


@dataclass
class SitePlan:
    """Everything one county or department site holds."""

    name: str
    title: str
    organizer: str
    region: str
    region_code: str
    site_code: str
    kind: str
    domain: str
    short: str  # how the organisation calls itself: 我县 / 我委
    sitemap_text: str
    columns: list[Column]
    guides: list[Guide]
    channels: list[ChannelLink]
    board: Board | None = None
    petition: bool = True
    discipline: bool = True
    phone: str = ""
    address: str = ""
    icp: str = ""
    police: str = ""
    consult_marks: list[Mark] = field(default_factory=list)
    home_marks: list[Mark] = field(default_factory=list)  # truth about the home page itself
    home_blocks: list[LinkBlock] = field(default_factory=list)  # links the home page carries
    link_targets: list[LinkTarget] = field(default_factory=list)  # where planted links lead
    seed: int = 0
    charset: str = "utf-8"  # templates that serve other encodings read this (modern)
    footer: Footer = field(default_factory=Footer)
    variant: str = ""  # a template's skin: modern "portal" (header+nav, gkmlpt) or "dept"
    search: str = "ok"  # how its site search behaves: estate/search.py's SearchMode
    search_marks: list[Mark] = field(default_factory=list)  # truth about its search

    def all_columns(self) -> list[Column]:
        found: list[Column] = []
        for column in self.columns:
            found.extend(column.all_columns())
        return found

    def leaf_columns(self) -> list[Column]:
        return [c for c in self.all_columns() if not c.children]
