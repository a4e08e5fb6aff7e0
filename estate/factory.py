"""Small constructors for plan items: generated columns, planted messages, guides.

The planted items assert their own premise (a "late reply" really is more
than 5 working days late on the official calendar), so a change of `as_of`
or of the calendar cannot silently turn a flag into a decoy.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from . import texts
from .content import Article, Column, Guide, GuideLayout, Mark, Message
from .workdays import add_workdays, workday_on_or_before, workdays_between

REPLY_LIMIT_WD = 5  # RULES: replies commonly required within 5 working days
UNANSWERED_DAYS = 92  # RULES: "unanswered for more than 3 months"

EMPTY = "empty-column"
CONSULT = "consultation-channel"
REPLY = "reply-overdue"
GUIDE = "service-guide-time-limit"
CRAWL = "crawl"
WORDING = "wording-errors"
HOME_STALE = "home-not-updated"
IDENTIFIERS = "site-identifiers"
ELEMENTS = "service-guide-elements"
STALE = "column-stale"
BROKEN = "broken-link"
SEARCH = "search-function"
HIDDEN = "hidden-links"


def flag(check: str, problem: str, note: str = "") -> Mark:
    return Mark(check, "flag", problem, note)


def decoy(check: str, problem: str, note: str = "") -> Mark:
    return Mark(check, "decoy", problem, note)


class Ids:
    """Per-site counters so article, message and guide ids look like a CMS's."""

    def __init__(self, start: int) -> None:
        self.next_id = start

    def take(self) -> int:
        self.next_id += 1
        return self.next_id


def articles(rng: random.Random, ids: Ids, as_of: date, n: int, kind: str, org: str,
             place: str, gap: tuple[int, int] = (1, 5),
             topics: list[str] | None = None) -> list[Article]:
    """n articles, newest first, the newest within 3 days of as_of."""
    found: list[Article] = []
    day = as_of - timedelta(days=rng.randint(0, 3))
    for _ in range(n):
        title = texts.news_title(rng, kind, org, place, topics)
        found.append(Article(title, day, texts.paragraphs(rng, org, place, topics=topics), org,
                             ids.take()))
        day -= timedelta(days=rng.randint(*gap))
    return found


def column(rng: random.Random, ids: Ids, as_of: date, key: str, name: str, n: int,
           kind: str, org: str, place: str, topics: list[str] | None = None,
           **extra: object) -> Column:
    gap = (1, 5) if kind == "news" else (4, 18)
    col = Column(key, name, articles(rng, ids, as_of, n, kind, org, place, gap, topics))
    for attr, value in extra.items():
        setattr(col, attr, value)
    return col


def at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute, (hour * 7 + minute) % 60))


def normal_messages(rng: random.Random, as_of: date, n: int) -> list[Message]:
    """Letters answered within 1-4 working days, spread over the last ten months."""
    found = []
    for _ in range(n):
        asked = workday_on_or_before(as_of - timedelta(days=rng.randint(12, 300)))
        replied = add_workdays(asked, rng.randint(1, 4))
        title, body = texts.letter(rng)
        dept = rng.choice(texts.DEPTS)
        found.append(Message(
            title, texts.person(rng), at(asked, rng.randint(8, 21), rng.randint(0, 59)), body,
            at(replied, rng.randint(9, 17), rng.randint(0, 59)), texts.reply(rng, dept), dept,
        ))
    return found


def answered(rng: random.Random, asked: date, replied: date, mark: Mark) -> Message:
    """A planted answered letter; checks the mark agrees with the calendar."""
    late = workdays_between(asked, replied)
    if (mark.expect == "flag") != (late > REPLY_LIMIT_WD):
        raise AssertionError(f"{mark}: reply after {late} working days")
    facts = f"asked {asked}, replied {replied}: {late} working days, {(replied - asked).days} days"
    mark = replace(mark, note=f"{mark.note}; {facts}" if mark.note else facts)
    title, body = texts.letter(rng)
    dept = rng.choice(texts.DEPTS)
    return Message(title, texts.person(rng), at(asked, 9, 20), body, at(replied, 16, 5),
                   texts.reply(rng, dept), dept, "已回复", marks=[mark])


def unanswered(rng: random.Random, as_of: date, asked: date, status: str, mark: Mark) -> Message:
    """A planted letter without reply; flag only when over 3 months and within a year."""
    waited = (as_of - asked).days
    overdue = UNANSWERED_DAYS < waited <= 365
    if (mark.expect == "flag") != overdue:
        raise AssertionError(f"{mark}: unanswered for {waited} days")
    facts = f"asked {asked}, {status}, no reply after {waited} days"
    mark = replace(mark, note=f"{mark.note}; {facts}" if mark.note else facts)
    title, body = texts.letter(rng)
    return Message(title, texts.person(rng), at(asked, 10, 42), body, None, "", "", status,
                   marks=[mark])


def guide(name: str, basis: str, layout: GuideLayout, legal: str | None, promise: str | None,
          *, list_limit: str | None = None, notes: tuple[str, ...] = (),
          marks: tuple[Mark, ...] = (), place: str = "县政务服务中心", phone: str = "",
          fee: str = "不收费", drop: tuple[str, ...] = (), blank: dict[str, str] | None = None,
          relabel: dict[str, str] | None = None) -> Guide:
    """A guide with every key element; None drops a time-limit row entirely.

    service-guide-elements plantings: `drop` leaves rows out by label, `blank`
    gives rows another value (一, 无), `relabel` names rows by synonyms."""
    rows: list[tuple[str, str]] = [
        ("事项名称", name),
        ("事项类型", "行政许可" if "许可" in name or "审批" in name else "公共服务"),
        ("设定依据", basis),
        ("申请条件", texts.CONDITIONS),
        ("办理材料", texts.MATERIALS),
        ("办理流程", texts.PROCEDURE),
    ]
    if legal is not None:
        rows.append(("法定办结时限", legal))
    if promise is not None:
        rows.append(("承诺办结时限", promise))
    rows += [
        ("收费标准", fee),
        ("办理地点", place),
        ("办理时间", "工作日上午9:00—12:00，下午14:30—17:30（法定节假日除外）"),
        ("咨询方式", f"{phone}（工作日）"),
        ("监督投诉方式", "12345政务服务便民热线"),
    ]
    unknown = (set(drop) | set(blank or {}) | set(relabel or {})) - {label for label, _ in rows}
    if unknown:
        raise AssertionError(f"{name}: no such rows {sorted(unknown)}")
    rows = [((relabel or {}).get(label, label), (blank or {}).get(label, value))
            for label, value in rows if label not in drop]
    shown = list_limit if list_limit is not None else (promise or "—")
    return Guide(name, layout, rows, shown, list(notes), marks=list(marks))
