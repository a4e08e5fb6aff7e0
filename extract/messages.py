"""Citizens' messages: boards (lists of messages) and message detail pages.

A detail page states its facts as labelled fields (留言时间, 回复时间, 办理状态
…, in tables, lists or "标签：值" text); a board lists messages in rows
holding a link, dates and a handling status. Both are read by their labels
and structure, whatever the CMS.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from urllib.parse import urljoin

from lxml import html as lxml_html

from govsite.extract.dates import find_dates, parse_date
from govsite.extract.labels import label_pairs
from govsite.extract.structure import content_root, element_text, heading, row_text, squeeze

TITLE_LABELS = re.compile(r"^(信件|留言|来信|咨询|问题|诉求)?(标题|主题)$|^(咨询|留言)?问题$")
ASKED_LABELS = re.compile(r"(留言|提问|来信|咨询|写信|提交|发信|投诉|诉求|反映)(时间|日期)|^时间$|^日期$")
REPLIED_LABELS = re.compile(r"(回复|答复|办结|处理|反馈|回信|受理回复)(时间|日期)")
STATUS_LABELS = re.compile(r"(办理|处理|回复|答复)?状态$")
REPLY_TEXT_LABELS = re.compile(r"(回复|答复|办理|处理)(内容|意见|结果)")
REPLIED_WORDS = re.compile(r"已(回复|答复|办结|处理|反馈)|办结|已完成")
UNANSWERED_WORDS = re.compile(r"未(回复|答复|办结|处理)|待(回复|答复|处理)|办理中|处理中|已受理|"
                              r"尚未(回复|答复)|正在办理|转办中")
# A date labelled as a citizen's message's (not a service case's 受理时间).
MESSAGE_DATE_LABELS = re.compile(r"(留言|提问|来信|咨询|写信|发信|投诉|诉求|反映)(时间|日期)")
STATUS_WORDS_ALL = re.compile(rf"[【\[（(]?({REPLIED_WORDS.pattern}|{UNANSWERED_WORDS.pattern})"
                              r"[】\]）)]?")
# A row that opens its message by script: onclick="window.open('…')".
_CLICK_TARGET = re.compile(
    r"(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|\bopen\s*\()\s*"
    r"['\"]([^'\"]+)['\"]")
# Columns whose messages the 3-month rule leaves out (docs/rules.md): interviews,
# surveys and solicitations, petitions, discipline reports.
EXCLUDED_BOARDS = re.compile(r"信访|举报|纪检|访谈|调查|征集")


@dataclass
class Message:
    """One citizen's message as a page shows it."""

    url: str
    title: str
    asked: str | None  # ISO dates
    replied: str | None
    status: str  # replied | unanswered | unknown
    status_text: str = ""

    def as_fact(self) -> dict[str, object]:
        return asdict(self)


def _status(status_text: str, replied: date | None, reply_text: str) -> str:
    """replied or unanswered; a reply text without a date still means replied."""
    if replied is not None:
        return "replied"
    if UNANSWERED_WORDS.search(status_text) or UNANSWERED_WORDS.search(reply_text):
        return "unanswered"
    if REPLIED_WORDS.search(status_text) or reply_text:
        return "replied"
    return "unanswered"


def read_message(tree: lxml_html.HtmlElement, url: str, reference: date,
                 pairs: list[tuple[str, str]] | None = None) -> Message | None:
    """The message a detail page shows, or None when the page is not one."""
    title = status_text = reply_text = ""
    asked: date | None = None
    replied: date | None = None
    has_asked_label = has_reply_label = False
    for label, value in pairs if pairs is not None else label_pairs(tree):
        if not title and TITLE_LABELS.search(label):
            title = squeeze(value)[:200]
        elif REPLIED_LABELS.search(label):
            has_reply_label = True
            replied = replied or parse_date(value, reference=reference)
        elif ASKED_LABELS.search(label):
            has_asked_label = True
            asked = asked or parse_date(value, reference=reference)
        elif STATUS_LABELS.search(label) and not status_text:
            has_reply_label = True
            status_text = squeeze(value)[:40]
        elif REPLY_TEXT_LABELS.search(label) and not reply_text:
            has_reply_label = True
            reply_text = squeeze(value)[:200]
    if not (has_asked_label and has_reply_label and asked):
        return None
    return Message(url=url, title=title or message_subject(tree), asked=asked.isoformat(),
                   replied=replied.isoformat() if replied else None,
                   status=_status(status_text, replied, reply_text), status_text=status_text)


# Headings that name the page's kind, not the message (留言详情, 信件内容).
_GENERIC_HEADING = re.compile(
    r"^(留言|信件|来信|咨询|投诉|诉求|问题|回复|答复|办理)?(详情|详细信息|内容|查看|正文|信息|结果)$|"
    r"^(我要)?(咨询|留言|写信)$")
# A site's name ends like one: the platform, portal or government it is.
_SITE_NAME = re.compile(r"(平台|网站|门户|政府网|政务网|服务网|人民政府|服务大厅|网上大厅)$")
_TITLE_SEPARATOR = re.compile(r"\s*(?:——|[-_|—–]+)\s*")
_SITE_NAME_META = ("//meta[@name='SiteName' or @name='sitename' or @name='site_name' "
                   "or @property='og:site_name']/@content")


def message_subject(tree: lxml_html.HtmlElement) -> str:
    """A message page's subject when no field is labelled so: the first
    heading of the content that is neither the site's name (the banner of
    the platform: <meta name="SiteName">, the site's part of <title>, a
    heading with the logo or the home link) nor a page kind (留言详情); else
    the part of <title> that is not the site's name."""
    titles = tree.xpath("//title/text()")
    segments = [part for part in (squeeze(p) for p in _TITLE_SEPARATOR.split(
        titles[0] if titles else "")) if part]
    names = {squeeze(name) for name in tree.xpath(_SITE_NAME_META)}
    names.update(part for part in segments if _SITE_NAME.search(part))
    for element in content_root(tree).xpath("//h1 | //h2 | //h3 | //h4"):
        text = element_text(element)
        if not 2 <= len(text) <= 120 or text in names or _GENERIC_HEADING.match(text):
            continue
        if element.xpath(".//img") or element.xpath(
                ".//a[@href='/' or @href='./' or starts-with(@href, 'index.')"
                " or starts-with(@href, '/index.')]"):
            continue  # the logo or the home link: the site's banner
        return text[:200]
    for part in segments:
        if part not in names and not _GENERIC_HEADING.match(part):
            return part[:200]
    return squeeze(titles[0])[:200] if titles else ""


def board_rows(tree: lxml_html.HtmlElement, page_url: str, reference: date) -> list[Message]:
    """Messages listed on a board page: rows with a link, a date and a status;
    also a home page's teasers, whose title has no link of its own but whose
    date is labelled as a message's (留言时间)."""
    found: list[Message] = []
    for table_or_list in tree.iter("table", "ul", "ol", "tbody"):
        header = [element_text(c) for c in table_or_list.xpath("./tr[1]/th | ./thead/tr[1]/th "
                                                                 "| ./tr[1]/td[not(.//a)]")]
        columns = _header_columns(header)
        columns["messages"] = int(any(MESSAGE_DATE_LABELS.search(text) for text in header))
        for row in table_or_list.xpath("./tr | ./tbody/tr | ./li"):
            message = _row_message(row, page_url, reference, columns)
            if message is not None:
                found.append(message)
    unique = {m.url: m for m in found}
    return list(unique.values())


def _header_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        if REPLIED_LABELS.search(text):
            columns.setdefault("replied", index)
        elif ASKED_LABELS.search(text):
            columns.setdefault("asked", index)
        elif STATUS_LABELS.search(text):
            columns.setdefault("status", index)
    return columns


def _row_message(row: lxml_html.HtmlElement, page_url: str, reference: date,
                 columns: dict[str, int]) -> Message | None:
    text = row_text(row)
    if len(text) > 400:
        return None
    # A row without a status word is never a message: tested before its links
    # and dates are read (most rows of a page are menus and article lists).
    status_match = UNANSWERED_WORDS.search(text) or REPLIED_WORDS.search(text)
    if not status_match:
        return None
    anchors = _row_links(row)
    if not anchors and not (columns.get("messages") or MESSAGE_DATE_LABELS.search(text)):
        return None  # a row without a link is a message only when its date says so
    found = find_dates(text, reference=reference)
    dates = [d for d, _start, _end in found]
    if not dates or not status_match:
        return None
    cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
    asked, replied = dates[0], (dates[1] if len(dates) > 1 else None)
    # Dates labelled in the row itself (留言时间：… 回复时间：…), in any order.
    labelled = {("replied" if REPLIED_LABELS.search(text[max(0, start - 8):start])
                 else "asked" if ASKED_LABELS.search(text[max(0, start - 8):start]) else ""): day
                for day, start, _end in reversed(found)}
    asked = labelled.get("asked", asked)
    replied = labelled.get("replied", replied if "asked" not in labelled else None)
    if cells and columns:
        asked = _cell_date(cells, columns.get("asked"), reference) or asked
        replied = _cell_date(cells, columns.get("replied"), reference) if "replied" in columns \
            else replied
    status_text = status_match.group(0)
    status = "replied" if replied or REPLIED_WORDS.fullmatch(status_text) else "unanswered"
    if anchors:
        anchor, href = anchors[0]
        url = urljoin(page_url, href)
        title = squeeze(anchor.get("title") or element_text(anchor))[:200]
    else:
        title = _teaser_title(row, reference)
        if not title:
            return None
        clicked = [m.group(1) for m in map(_CLICK_TARGET.search, row.xpath(
            "./@onclick | .//@onclick | .//a/@href")) if m]
        # No page of its own to fetch: the page and the title name the message.
        url = urljoin(page_url, clicked[0]) if clicked else f"{page_url.split('#')[0]}#{title}"
    return Message(url=url, title=title,
                   asked=asked.isoformat(), replied=replied.isoformat() if replied else None,
                   status=status, status_text=status_text)


def _row_links(row: lxml_html.HtmlElement) -> list[tuple[lxml_html.HtmlElement, str]]:
    """(link, target) of a row's titled links; a link that opens its message by
    script (href="javascript:…" onclick="window.open('…')") leads to its target."""
    found = []
    for anchor in row.iter("a"):
        if len(element_text(anchor)) < 4:
            continue
        href = (anchor.get("href") or "").strip()
        if href and not href.lower().startswith(("javascript:", "#")):
            found.append((anchor, href))
            continue
        target = _CLICK_TARGET.search(f"{anchor.get('onclick') or ''} {href}")
        if target:
            found.append((anchor, target.group(1)))
    return found


def _teaser_title(row: lxml_html.HtmlElement, reference: date) -> str:
    """The title of a message teaser: the row's first text of its own that is
    no label, date or status (<span>关于…的问题</span>)."""
    for piece in row.xpath(".//text()[normalize-space()]"):
        text = squeeze(piece)
        if len(text) < 4 or ":" in text or "：" in text or find_dates(text, reference=reference):
            continue
        if STATUS_WORDS_ALL.fullmatch(text) or MESSAGE_DATE_LABELS.search(text):
            continue
        return text[:200]
    return ""


def _cell_date(cells: list[lxml_html.HtmlElement], index: int | None,
               reference: date) -> date | None:
    if index is None or index >= len(cells):
        return None
    return parse_date(element_text(cells[index]), reference=reference)


def is_excluded_board(tree: lxml_html.HtmlElement) -> bool:
    """Petition, report, interview and survey columns are outside the reply rule."""
    crumbs = heading(tree) + " " + " ".join(tree.xpath("//title/text()"))
    return bool(EXCLUDED_BOARDS.search(crumbs))
