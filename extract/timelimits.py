"""Time limits in service guides (办结时限): parsing, labelling and a conservative comparison.

A guide states a statutory limit (法定办结时限) and a committed one (承诺办结时限)
as 20个工作日, 二十个工作日, 30日, 2个月, 24小时 or 即办 / 当场办结. Inspectors
flag guides with no specific limit, with limits that disagree, and with a
commitment longer than the statutory limit.

Comparison rule (see `exceeds`): a commitment exceeds the statutory limit only
when it does under every reading of the units and for every start date.
  * Same unit: compare the numbers (30工作日 > 20工作日; 30日 > 20日).
  * 日/天 are ambiguous: the Administrative Licensing Law (行政许可法 art. 82)
    counts its "日" as working days, while everyday usage means calendar days.
    Both readings are tried, and both limits use the same reading. 自然日 and
    日历日 (and weeks, 周) are calendar days only.
  * Working days against calendar days: n working days span between
    `working_day_span(n)` calendar days, bounds checked against China's official
    calendar 2004-2026 (weekends, breaks of up to ten days, adjusted
    workdays). So 20日 against 15工作日 is NOT provably longer (15 working days
    can span 21+ calendar days), while 30工作日 against 20日 is.
  * Months span 28-31 days each; hours are hours/24 calendar days; 即办 is 0.
Non-specific limits (按规定时限, 依法办理, 无, /) never exceed and never equal anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from govsite.extract.numerals import chinese_to_int

Unit = Literal["working_day", "calendar_day", "month", "hour", "immediate"]
Kind = Literal["legal", "committed", "unspecified-kind"]
KINDS: tuple[Kind, ...] = ("legal", "committed", "unspecified-kind")

# Longest run of consecutive working days on the official calendar 2004-2026 is 10,
# so every 11 calendar days hold at least one day off.
MAX_WORKING_RUN = 10
# Most calendar days beyond ceil(7n/5) that n working days took, 2004-2026: 9 for a
# single day (2020-01-23 to 02-03, the extended Spring Festival), about 33 for 365.
# tests/test_timelimits.py re-derives the spans from the installed calendar.
SPAN_SLACK_BASE = 10
SPAN_SLACK_PER_DAY = Fraction(7, 100)

_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                             "\u3000": " ", "．": "."})
_NUM = r"(?<![\d.])(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千廿卅]+)"
_UNIT_WORDS: tuple[tuple[str, Unit], ...] = (
    (r"个?工作日", "working_day"),
    (r"个?(?:自然日|日历日)", "calendar_day"),
    (r"个?(?:周|星期)", "calendar_day"),
    (r"(?:个自然月|个月)", "month"),
    (r"个?小时|[hH](?![a-zA-Z])", "hour"),
    (r"个?(?:天|日)(?!历)", "calendar_day"),
)
_NUMBER_LIMIT = re.compile(
    _NUM + r"\s*(?P<unit>" + "|".join(f"(?:{word})" for word, _ in _UNIT_WORDS) + ")"
)
_IMMEDIATE = re.compile(
    r"即办|即时办[结理]?|即来即办|即收即办|立等可取|立即办[结理]?|当场(?:办结|办理|办|出具|发放|作出|决定|答复)"
    r"|当[日天]办结|当[日天]办理"
)
# A 日 right after 月 or 年 is a date (8月30日前), not a duration.
_DATE_CONTEXT = re.compile(r"[月年]\s*$")
_CALENDAR_ONLY = re.compile(r"自然日|日历日|周|星期")
_BARE_NUMBER = re.compile(r"^\s*(\d+|[零〇一二两三四五六七八九十百千廿卅]+)\s*$")

# Labels: spaces, colons and brackets are dropped before matching.
_LABEL_NOISE = re.compile(r"[\s:：]+")
_LIMIT_WORD = re.compile(r"时限|期限|时效|天数|日期|时间")
_UNSPECIFIED_LABEL = re.compile(r"(办结|办理|审批|受理|承办|许可)?(时限|期限)|办结时间|办结日期|办结天数")
_LABEL_UNIT = re.compile(r"[(（\[【]\s*(个?工作日|自然日|日历日|天|日)\s*[)）\]】]")
# An inline kind word must introduce a limit (法定：20个工作日, 承诺5日), so the 法定 of
# 按法定时限办理 is not one.
_INLINE_KIND = re.compile(
    r"(法定|承诺)(?:办结|办理)?(?:时限|期限|时间)?\s*"
    r"(?:[:：]|(?=[\d０-９零〇一二两三四五六七八九十廿卅]|即|当场|立即|立等))"
)
MAX_LABEL_CHARS = 30


@dataclass(frozen=True)
class TimeLimit:
    """One stated limit: 20 working days, 30 (calendar?) days, immediate, or non-specific."""

    value: int | None
    unit: Unit | None
    raw: str
    specific: bool

    @property
    def calendar_only(self) -> bool:
        """True when the wording rules out reading 日 as working days (自然日, 周)."""
        return bool(_CALENDAR_ONLY.search(self.raw))

    def _readings(self) -> list[_Reading]:
        if not self.specific or self.unit is None or self.value is None:
            return []
        if self.unit == "calendar_day" and not self.calendar_only:
            return [_reading(self, "calendar"), _reading(self, "working")]
        return [_reading(self, "calendar")]

    def days_lower_bound(self) -> Fraction | None:
        """The fewest calendar days this limit can mean, or None when not specific."""
        readings = self._readings()
        return min(r.low for r in readings) if readings else None

    def days_upper_bound(self) -> Fraction | None:
        """The most calendar days this limit can mean, or None when not specific."""
        readings = self._readings()
        return max(r.high for r in readings) if readings else None

    def exceeds(self, other: TimeLimit) -> bool:
        """True only when this limit is longer than `other` under every reading."""
        return exceeds(self, other)


@dataclass(frozen=True)
class _Reading:
    """A limit under one reading of 日: exact working days, or a calendar-day range."""

    working_days: int | None
    low: Fraction
    high: Fraction


def working_day_span(n: int) -> tuple[int, int]:
    """Fewest and most calendar days that n working days (counted after day 0) can take."""
    if n <= 0:
        return 0, 0
    low = n + (n - 1) // MAX_WORKING_RUN
    high = math.ceil(Fraction(7 * n, 5)) + SPAN_SLACK_BASE + math.ceil(SPAN_SLACK_PER_DAY * n)
    return low, high


def _reading(limit: TimeLimit, day_means: Literal["calendar", "working"]) -> _Reading:
    value = limit.value or 0
    if limit.unit == "working_day" or (limit.unit == "calendar_day" and day_means == "working"):
        low, high = working_day_span(value)
        return _Reading(value, Fraction(low), Fraction(high))
    if limit.unit == "month":
        return _Reading(None, Fraction(28 + 30 * (value - 1) if value else 0), Fraction(31 * value))
    if limit.unit == "hour":
        return _Reading(None, Fraction(value, 24), Fraction(value, 24))
    if limit.unit == "immediate":
        return _Reading(None, Fraction(0), Fraction(0))
    return _Reading(None, Fraction(value), Fraction(value))


def _longer(a: _Reading, b: _Reading) -> bool:
    if a.working_days is not None and b.working_days is not None:
        return a.working_days > b.working_days
    return a.low > b.high


def exceeds(committed: TimeLimit, legal: TimeLimit) -> bool:
    """True only when `committed` is provably longer than `legal` (see the module doc).

    日 is read the same way in both limits; each reading must agree that
    `committed` is longer, or the answer is False.
    """
    if not committed.specific or not legal.specific:
        return False
    verdicts = []
    for day_means in ("calendar", "working"):
        a = _reading(committed, _means(committed, day_means))
        b = _reading(legal, _means(legal, day_means))
        verdicts.append(_longer(a, b))
    return all(verdicts)


def _means(limit: TimeLimit, day_means: Literal["calendar", "working"]
           ) -> Literal["calendar", "working"]:
    return "calendar" if limit.calendar_only else day_means


def equivalent(a: TimeLimit, b: TimeLimit) -> bool:
    """Same specific limit in different words (二十个工作日 = 20个工作日, 即办 = 当场办结)."""
    return a.specific and b.specific and (a.unit, a.value) == (b.unit, b.value)


def _number(token: str) -> int | None:
    if re.fullmatch(r"\d+\.\d+", token):
        return math.ceil(float(token))  # 0.5个工作日 -> 1: a part day is still a day
    return chinese_to_int(token)


def _unit_of(word: str) -> Unit:
    for pattern, unit in _UNIT_WORDS:
        if re.fullmatch(pattern, word):
            return unit
    raise ValueError(word)  # unreachable: the word came from the same patterns


def _number_limits(text: str, original: str) -> list[tuple[int, TimeLimit]]:
    """Number-and-unit limits in folded `text`; raw is cut from `original` (same offsets)."""
    found = []
    for match in _NUMBER_LIMIT.finditer(text):
        value = _number(match.group("num"))
        unit = _unit_of(match.group("unit"))
        if value is None or (unit == "calendar_day" and _DATE_CONTEXT.search(text[:match.start()])):
            continue
        if match.group("unit") in ("周", "个周", "星期", "个星期"):
            value *= 7
        raw = original[match.start():match.end()].strip()
        if value == 0:
            found.append((match.start(), TimeLimit(0, "immediate", raw, True)))
        else:
            found.append((match.start(), TimeLimit(value, unit, raw, True)))
    return found


def parse_time_limits(text: str) -> list[TimeLimit]:
    """Every specific limit in `text`, in order of appearance."""
    folded = text.translate(_FULL_WIDTH)
    found = _number_limits(folded, text)
    found += [(m.start(), TimeLimit(0, "immediate", text[m.start():m.end()], True))
              for m in _IMMEDIATE.finditer(folded)]
    found.sort(key=lambda item: item[0])
    return [limit for _, limit in found]


def parse_time_limit(text: str) -> TimeLimit | None:
    """The first limit stated in `text`.

    None for empty text (the element is missing); a non-specific TimeLimit for
    text that states no number and unit (按法定时限, 依法办理, 无, /, —), and for a
    bare number without a unit (value kept, unit None). `parse_time_limit(x.raw)`
    gives `x` back for every limit this module returns.
    """
    if not text or not text.strip():
        return None
    limits = parse_time_limits(text)
    if limits:
        return limits[0]
    raw = text.strip()
    bare = _BARE_NUMBER.match(raw.translate(_FULL_WIDTH))
    value = chinese_to_int(bare.group(1)) if bare else None
    return TimeLimit(value, None, raw, False)


def label_kind(label: str) -> Kind | None:
    """Which limit a label names: legal (法定…时限), committed (承诺…时限), or either."""
    squeezed = _LABEL_NOISE.sub("", label)
    if not squeezed or len(squeezed) > MAX_LABEL_CHARS:
        return None
    legal, committed = "法定" in squeezed, "承诺" in squeezed
    if (legal or committed) and _LIMIT_WORD.search(squeezed):
        if legal and committed:
            return "unspecified-kind"  # 法定/承诺时限: the value says which is which
        return "legal" if legal else "committed"
    if _UNSPECIFIED_LABEL.search(squeezed):
        return "unspecified-kind"
    return None


def _value_limits(label: str, value: str) -> list[TimeLimit]:
    """Limits in a labelled value; a bare number borrows the label's unit (时限（工作日）: 20)."""
    unit = _LABEL_UNIT.search(label)
    bare = _BARE_NUMBER.match(value.translate(_FULL_WIDTH))
    if unit and bare:
        return parse_time_limits(bare.group(1).strip() + unit.group(1))
    limits = parse_time_limits(value)
    if limits:
        return limits
    single = parse_time_limit(value)
    return [single] if single is not None else []


def _split_inline(kind: Kind, value: str) -> list[tuple[Kind, str]]:
    """'法定：20个工作日；承诺：5个工作日' in one value: split at the inline kind words."""
    marks = list(_INLINE_KIND.finditer(value))
    if not marks:
        return [(kind, value)]
    parts: list[tuple[Kind, str]] = []
    if value[:marks[0].start()].strip(" ：:；;，,、。"):
        parts.append((kind, value[:marks[0].start()]))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(value)
        sub_kind: Kind = "legal" if mark.group(1) == "法定" else "committed"
        parts.append((sub_kind, value[mark.end():end]))
    return parts


def find_labelled_limits(pairs: Iterable[tuple[str, str]]) -> dict[str, list[TimeLimit]]:
    """Limits from (label, value) pairs, by kind: "legal", "committed", "unspecified-kind".

    Every key is present (lists may be empty). An empty value states nothing and
    is skipped (the element is missing); a value of only dashes or slashes is a
    stated, non-specific limit.
    """
    result: dict[str, list[TimeLimit]] = {kind: [] for kind in KINDS}
    for label, value in pairs:
        kind = label_kind(label)
        if kind is None:
            continue
        if not value.strip():
            continue
        for sub_kind, sub_value in _split_inline(kind, value):
            result[sub_kind].extend(_value_limits(label, sub_value))
    return result


_FLAT_LABEL = re.compile(
    r"((?:法定|承诺)?\s*(?:办结|办理|审批)?\s*(?:时限|期限)(?:[(（][^)）]{0,6}[)）])?)\s*[:：]"
)
# Any other "标签：" ends a value, as does a line break or a semicolon.
_VALUE_END = re.compile(r"[\n；;]|(?!(?:法定|承诺)\s*[:：])[\u4e00-\u9fff]{2,8}\s*[:：]")


def labelled_pairs(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs from flat text: '法定办结时限：20个工作日 承诺办结时限：即办'."""
    pairs = []
    for mark in _FLAT_LABEL.finditer(text):
        rest = text[mark.end():]
        stop = _VALUE_END.search(rest)
        value = rest[:stop.start()] if stop else rest
        pairs.append((mark.group(1).strip(), value.strip(" ，,。\t")))
    return pairs
