"""reply-overdue: citizens' messages answered late, or not at all.

Finds the message boards, follows their pagination and each message's detail
page (on the site's host or on the shared platform it links to), and counts
working days on China's official calendar (extract.workdays). A message is
overdue when answered more than N working days after it was asked, or still
unanswered at the as-of date after more than N working days. Unanswered for
more than 3 months and asked within the year before as-of is the single veto
互动回应差 (docs/rules.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

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
from govsite.extract.labels import label_pairs
from govsite.extract.messages import Message, board_rows, is_excluded_board, read_message
from govsite.extract.workdays import CalendarNotCovered, working_days_between
from govsite.i18n import msg
from govsite.web.urls import canonical

# A board or a message page names a handling status or a reply: plain words,
# tested with `in` on the page's compact text before any tree walk (an
# alternation regex over a whole page costs ~0.2 ms).
MESSAGE_WORDS = ("回复", "答复", "办结", "办理中", "处理中", "待处理", "受理")
PAGINATION_TEXT = re.compile(r"^(下一?页|尾页|末页|后页|\d{1,3}|>|»|more|next)$", re.I)


class Settings(CheckSettings):
    # docs/rules.md deduction items: "replies to messages: commonly required within
    # 5 working days [R]".
    max_working_days: int = Field(..., ge=1)
    # docs/rules.md single veto 互动回应差: "unanswered for more than 3 months".
    veto_unanswered_months: int = Field(..., ge=1)
    # docs/rules.md: only messages asked within the year before as-of are judged,
    # for the deduction and the veto alike.
    lookback_days: int = Field(..., ge=1)


def add_months(day: date, months: int) -> date:
    """The same day N months later, clamped to the month's end (31 Aug + 1 = 30 Sep)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)


class ReplyOverdue(Check):
    title_zh = "留言办理超期"
    title_en = "Overdue replies to citizens' messages"
    indicator = (f"{INDICATORS_2019} 单项否决指标「互动回应差」（留言超过3个月未回复）；"
                 "扣分指标「互动交流」（留言回复不及时）")
    severity = "deduct"
    category = "interaction"
    remediation = msg(
        "Answer every message within the committed number of working days, publish the "
        "reply with its date, and clear the backlog of unanswered messages first."
    )
    Settings = Settings

    @staticmethod
    def _may_hold_messages(page: PageContext) -> bool:
        """Worth reading for messages: names a reply or status, and is not a
        petition, report, interview or survey column. Decided once per page."""
        return page.memo("may_hold_messages", lambda: (
            page.tree is not None and page.ok
            and any(word in page.compact_text() for word in MESSAGE_WORDS)
            and not is_excluded_board(page.tree)))

    def _board_rows(self, page: PageContext) -> list[Message]:
        if not self._may_hold_messages(page):
            return []
        return page.memo("board_rows", lambda: board_rows(page.tree, page.final_url, page.as_of))

    def wants(self, page: PageContext) -> Iterable[FetchRequest]:
        rows = self._board_rows(page)
        if not rows:
            return
        for message in rows:
            if "#" not in message.url:  # a teaser without a page of its own has nothing to fetch
                yield FetchRequest(message.url, purpose="message", offsite=True)
        for link in page.links:
            if PAGINATION_TEXT.match(link.text.strip()):
                yield FetchRequest(link.url, purpose="board", offsite=True)

    def extract(self, page: PageContext) -> Iterable[dict[str, Any]]:
        if not self._may_hold_messages(page):
            return
        pairs = page.memo("label_pairs", lambda: label_pairs(page.tree))
        message = read_message(page.tree, page.url, page.as_of, pairs)
        if message is not None:
            yield {"kind": "message", "data": message.as_fact()}
            return
        for row in self._board_rows(page):
            yield {"kind": "message-row", "data": row.as_fact()}

    def evaluate(self, site: SiteEvidence) -> Iterator[Finding]:
        for message in self._messages(site):
            finding = self._judge(message, site.as_of)
            if finding is not None:
                yield finding

    @staticmethod
    def _messages(site: SiteEvidence) -> list[dict[str, Any]]:
        """One record per message: its detail page where fetched, else its board row."""
        def key(url: str) -> str:  # a teaser without a page is named by page and title
            return url if "#" in url else canonical(url)

        details = {key(f.data["url"]): f.data for f in site.facts if f.kind == "message"}
        rows = {key(f.data["url"]): f.data for f in site.facts if f.kind == "message-row"}
        merged = dict(rows)
        merged.update(details)
        # A home page's teaser of a message the board or its page also shows
        # (same asked date, the teaser's title whole or cut short) is that message.
        listed: dict[str | None, list[str]] = {}
        for url, data in merged.items():
            if "#" not in url:
                listed.setdefault(data["asked"], []).append(data["title"])

        def shown_elsewhere(data: dict[str, Any]) -> bool:
            stem = data["title"].rstrip(".…").strip()
            return bool(stem) and any(title.startswith(stem)
                                      for title in listed.get(data["asked"], []))

        merged = {url: data for url, data in merged.items()
                  if "#" not in url or not shown_elsewhere(data)}
        return [{**data, "source": "detail" if url in details else "list"}
                for url, data in merged.items()]

    def _judge(self, message: dict[str, Any], as_of: date) -> Finding | None:
        if not message.get("asked"):
            return None
        asked = date.fromisoformat(message["asked"])
        replied = date.fromisoformat(message["replied"]) if message.get("replied") else None
        if asked > as_of or (replied is None and message["status"] == "replied"):
            return None  # asked after the reference date, or replied on an unknown date
        if asked < as_of - timedelta(days=self.settings.lookback_days):
            return None  # history: inspectors judge the messages of the year before as-of
        end = replied if replied is not None else as_of
        try:
            days = working_days_between(asked, end)
        except CalendarNotCovered as exc:
            return self.finding(message["url"], msg("Message 「{title}」 not judged: {reason}.",
                                                    title=message["title"], reason=str(exc)),
                                severity="warn", title=message["title"],
                                asked=message["asked"], replied=message.get("replied"),
                                working_days=None, status=message["status"], judged=False)
        limit = self.settings.max_working_days
        if days <= limit:
            return None
        evidence = {"title": message["title"], "asked": message["asked"],
                    "replied": message.get("replied"), "working_days": days,
                    "status": message["status"], "limit_working_days": limit,
                    "source": message["source"]}
        if replied is not None:
            return self.finding(message["url"], msg("Reply to 「{title}」 took {days} working "
                                                    "days (limit {limit}).",
                                                    title=message["title"], days=days,
                                                    limit=limit), **evidence)
        months = self.settings.veto_unanswered_months
        veto = add_months(asked, months) < as_of
        return self.finding(
            message["url"], msg("Message 「{title}」 asked {asked} is unanswered after {days} "
                                "working days{more}.", title=message["title"],
                                asked=message["asked"], days=days,
                                more=msg(" (more than {months} months)", months=months)
                                if veto else ""),
            severity="veto" if veto else None, **evidence)
