"""consultation-channel: the site offers an online consultation channel that works.

docs/rules.md, single veto 互动回应差: a site with no effective online consultation
or suggestion channel fails; petition (网上信访) and discipline-report
(纪检举报) channels do not count. A candidate is a link named like a channel
(在线咨询, 领导信箱, 建言献策, 留言 …) on the site's first pages; it works when
its page (or the 我要写信 page it leads to) answers 200 with a message form or
a list of messages, and does not say the system is under maintenance. A
working channel on another origin (a provincial 12345 platform) counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from pydantic import Field

from govsite.checks.base import (
    INDICATORS_2019,
    Check,
    CheckSettings,
    FetchRequest,
    Finding,
    PageContext,
    SiteEvidence,
)
from govsite.extract.forms import message_form
from govsite.extract.structure import element_text, squeeze
from govsite.i18n import msg
from govsite.web.urls import canonical

CHANNEL_TEXT = re.compile(
    r"在线咨询|我要咨询|政务咨询|咨询投诉|网上咨询|咨询留言|建言献策|意见征集|征求意见|民意征集|"
    r"(领导|书记|县长|市长|州长|区长|局长|主任|厅长|省长|旗长|乡长|镇长)信箱|网上留言|我要留言|"
    r"留言板|留言|网民留言|政民互动|互动交流|(?<!\d)12345(?!\d)|问政|有问必答|咨询|"
    r"部门信箱|政务信箱|公众信箱|我要写信|写信|我要提问|我要建议|(政府|政务)(服务)?(便民)?热线|"
    r"^互动(平台|专区|频道)?$"
)
EXCLUDED_TEXT = re.compile(r"信访|纪检|举报|监察|违纪|访谈|调查")
NEXT_STEP_TEXT = re.compile(r"写信|我要留言|我要咨询|我要提问|发表留言|提交|我要建议|我要提交|去留言")
MAINTENANCE = re.compile(r"系统(正在)?维护|维护中|升级中|暂停(使用|服务|受理)|停止(使用|服务|受理)|"
                         r"已(关闭|停用)|暂不开放|功能关闭|关闭(中)?$")
# The label of a "close window" control, standing alone (关闭, 【关闭】, 关闭窗口).
CLOSE_CONTROL = re.compile(r"^[\s\[【（(<《]*关闭(窗口|本页|页面|此页|本窗口)?[\s\]】）)>》]*$")
# Handling statuses of messages, tested as plain words on the compact text first.
STATUS_LITERALS = ("已回复", "未回复", "已办结", "办理中", "已答复", "待回复", "已处理", "处理中",
                   "已受理", "待处理")
STATUS_WORDS = re.compile("|".join(STATUS_LITERALS))
# Words every match of MAINTENANCE contains, for a plain `in` test.
MAINTENANCE_LITERALS = ("维护", "升级中", "暂停", "停止", "关闭", "停用", "暂不开放")


# A control that goes to a page by script: location.href='…', window.open('…').
_CONTROL_TARGET = re.compile(
    r"(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|\bopen\s*\()\s*"
    r"['\"]([^'\"]+)['\"]")
_CONTROLS = etree.XPath("//button | //input[@type='button' or @type='submit' or @type='image']"
                        " | //*[@onclick] | //a[@href][not(normalize-space())]")


def control_links(tree: lxml_html.HtmlElement, base_url: str) -> list[tuple[str, str]]:
    """(url, text) of what a visitor can click that is no plain link: buttons
    and clickable elements that go to a page by script (<button onclick=
    "location.href='…'">我要咨询</button>, <input type=button value=…>), and
    links whose only text is an image's alt or title (<a><img alt="领导信箱"></a>)."""
    found: list[tuple[str, str]] = []
    for element in _CONTROLS(tree):
        target = _CONTROL_TARGET.search(element.get("onclick") or "")
        url = target.group(1) if target else None
        if element.tag == "a":
            href = (element.get("href") or "").strip()
            if not href.lower().startswith("javascript:") and not href.startswith("#"):
                url = href
            else:
                target = _CONTROL_TARGET.search(href)
                url = target.group(1) if target else url
        elif url is None and element.tag in ("button", "input"):
            form = next(element.iterancestors("form"), None)
            url = form.get("action") if form is not None else None
        if not url or url.lower().startswith(("javascript:", "#", "mailto:")):
            continue
        text = squeeze(element.text_content()) or squeeze(element.get("value")) \
            or squeeze(element.get("title")) or squeeze(element.get("alt"))
        if not text:
            image = next(element.iter("img"), None)
            text = squeeze(image.get("alt") or image.get("title")) if image is not None else ""
        absolute = urljoin(base_url, url.strip())
        if text and absolute.startswith(("http://", "https://")) and (absolute, text) not in found:
            found.append((absolute, text))
    return found


class Settings(CheckSettings):
    # govsite default: channel links are looked for on pages this close to the home page.
    max_link_depth: int = Field(..., ge=0, le=10)


def _message_list(root: lxml_html.HtmlElement) -> bool:
    """Rows of messages with their handling status (已回复, 办理中 …)."""
    rows = [row for row in root.iter("tr", "li", "dd")
            if STATUS_WORDS.search(element_text(row)) and row.xpath(".//a")]
    return len(rows) >= 1


@lru_cache(maxsize=64)
def _text_nodes_with(words: tuple[str, ...]) -> etree.XPath:
    """Text nodes holding one of `words`, found by libxml2 rather than by
    visiting every text node in Python. One word per test is cheapest, so
    callers pass only the words their page has (a 关闭 "close window" link
    is on most article pages)."""
    return etree.XPath("//body//text()[{}]".format(
        " or ".join(f"contains(., '{word}')" for word in words)))


def _maintenance_notice(root: lxml_html.HtmlElement,
                        words: tuple[str, ...] = MAINTENANCE_LITERALS) -> str | None:
    """The first short text saying the channel is closed or under maintenance;
    `words`: the MAINTENANCE_LITERALS the page holds (no match needs one)."""
    if not words:
        return None
    for text_node in _text_nodes_with(words)(root):
        text = squeeze(text_node)
        if len(text) > 60 or not MAINTENANCE.search(text):
            continue
        if CLOSE_CONTROL.match(text):
            continue  # 关闭 / 【关闭】 / 关闭窗口 standing alone: a window's close control
        # The element the text belongs to (a tail belongs to its parent's
        # parent): a label of a link, button or clickable element is a control.
        holder = text_node.getparent()
        if text_node.is_tail:
            holder = holder.getparent()
        if holder is None or any(
                element.tag in ("script", "style", "a", "button", "option", "select")
                or element.get("onclick")
                for element in (holder, *islice(holder.iterancestors(), 2))):
            continue
        return text
    return None


# A site repeats the same link texts (navigation, footer) on every page: each
# text is classified once.
@lru_cache(maxsize=8192)
def _channel_kind(text: str) -> str | None:
    """"excluded" (petition, discipline…), "consultation", or None for a link text."""
    if len(text) <= 12 and EXCLUDED_TEXT.search(text):
        return "excluded"
    if len(text) <= 20 and CHANNEL_TEXT.search(text):
        return "consultation"
    return None


@lru_cache(maxsize=8192)
def _is_next_step(text: str) -> bool:
    return len(text) <= 12 and bool(NEXT_STEP_TEXT.search(text))


class ConsultationChannel(Check):
    title_zh = "互动回应差: 无有效咨询建言渠道"
    title_en = "Effective online consultation channel"
    indicator = f"{INDICATORS_2019} 单项否决指标「互动回应差」（无有效的网上咨询建言渠道）"
    severity = "veto"
    category = "interaction"
    remediation = msg(
        "Provide a working online consultation or suggestion channel (领导信箱, 在线咨询, "
        "建言献策) linked from the home page, or link the provincial 12345 platform. Petition "
        "and discipline-report channels do not count."
    )
    Settings = Settings

    def _candidates(self, page: PageContext) -> list[tuple[str, str, str]]:
        """(url, text, kind) of channel-like links; kind consultation | excluded.
        Read once per page: wants and extract both use it."""
        return page.memo("channel_candidates", lambda: self._read_candidates(page))

    @staticmethod
    def _controls(page: PageContext) -> list[tuple[str, str]]:
        """Buttons and image links (control_links), read once per page."""
        return page.memo("channel_controls", lambda: control_links(page.tree, page.final_url)
                         if page.tree is not None else [])

    @classmethod
    def _read_candidates(cls, page: PageContext) -> list[tuple[str, str, str]]:
        found = []
        # A channel may be named only by a button or an image: what it leads
        # to (a message form, a board of answers) decides in evaluate.
        for url, raw in [*page.links, *cls._controls(page)]:
            text = raw.strip()
            kind = _channel_kind(text) if text else None
            if kind is not None and (canonical(url), text, kind) not in found:
                found.append((canonical(url), text, kind))
        return found

    def _looks_for_links(self, page: PageContext) -> bool:
        return (page.ok and page.tree is not None
                and page.depth <= self.settings.max_link_depth
                and page.purpose in ("crawl", "column", "channel"))

    @classmethod
    def _next_steps(cls, page: PageContext) -> list[str]:
        """Links and buttons onward to the form itself (我要写信, 我要咨询 …),
        read once per page."""
        return page.memo("channel_next_steps", lambda: sorted(
            {canonical(url) for url, text in [*page.links, *cls._controls(page)]
             if _is_next_step(text)}))

    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        if self._looks_for_links(page):
            for url, _text, kind in self._candidates(page):
                if kind == "consultation":
                    yield FetchRequest(url, purpose="channel", offsite=True)
        if page.ok and page.tree is not None:
            # Wherever the crawl first met a channel page, its way to the form is followed.
            for url in self._next_steps(page):
                yield FetchRequest(url, purpose="channel", offsite=True)

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if page.tree is None:
            return
        if self._looks_for_links(page):
            for url, text, kind in self._candidates(page):
                yield {"kind": "candidate", "data": {"url": url, "text": text, "kind": kind}}
        form = message_form(page.tree)
        text = page.compact_text()  # plain word tests first: most pages have neither
        messages = any(w in text for w in STATUS_LITERALS) and _message_list(page.tree)
        maintenance = _maintenance_notice(
            page.tree, tuple(w for w in MAINTENANCE_LITERALS if w in text))
        next_steps = self._next_steps(page)
        # Facts for every page that could be a channel, whatever purpose the
        # crawl first fetched it for: evaluation joins them to the candidates.
        if page.purpose == "channel" or form or messages or maintenance or next_steps:
            yield {"kind": "channel-page", "data": {
                "form": form, "messages": messages, "maintenance": maintenance,
                "next": next_steps[:5]}}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        candidates: dict[str, dict[str, Any]] = {}
        for fact in site.facts:
            if fact.kind == "candidate":
                candidates.setdefault(fact.data["url"], fact.data)
        pages = {fact.url: fact.data for fact in site.facts if fact.kind == "channel-page"}
        statuses = {p.url: p for p in site.pages}
        judged = []
        for url, candidate in candidates.items():
            if candidate["kind"] == "excluded":
                judged.append({**candidate, "works": False,
                               "why": msg("petition/discipline channels do not count")})
                continue
            works, why = self._works(url, pages, statuses, depth=0)
            judged.append({**candidate, "works": works, "why": why})
            if works:
                return  # one effective channel is enough
        reason = msg("no consultation channel found") if not any(
            c["kind"] == "consultation" for c in judged) else msg("no candidate channel works")
        yield self.finding(site.site.url, msg("No effective online consultation channel: "
                                              "{reason}.", reason=reason),
                           reason=str(reason), candidates=judged[:30])

    def _works(self, url: str, pages: dict[str, dict[str, Any]], statuses: dict[str, Any],
               depth: int) -> tuple[bool, str]:
        status = statuses.get(url)
        if status is None:
            return False, msg("not fetched")
        if status.error:
            return False, msg("could not load: {error}", error=status.error)
        if status.status >= 400:
            return False, msg("HTTP {status}", status=status.status)
        page = pages.get(url)
        if page is None:
            return False, msg("no message form or list of messages")
        if page["maintenance"]:
            return False, msg("says 「{text}」", text=page["maintenance"])
        if page["form"] or page["messages"]:
            return True, msg("form") if page["form"] else msg("list of messages")
        if depth == 0:
            for step in page.get("next", []):
                works, why = self._works(step, pages, statuses, depth=1)
                if works:
                    return True, msg("via {step}: {why}", step=step, why=why)
        return False, msg("no message form or list of messages")
