"""Dates as government pages write them, found without mistaking other numbers for them.

Pages print dates as 2022-08-01, 2022/8/1, 2022年8月1日, 2022.08.01, 20220801,
二〇二二年八月一日, with full-width digits, or without a year ([08-01], 8月1日)
in column lists. The same pages are full of digit runs that are not dates:
phone numbers (0871-63662667), site codes (5300000123), ICP numbers
(滇ICP备05000372号), times (10:23) and version numbers (v2.3.1). Every pattern
here therefore refuses to start or end inside a longer digit run, and every
candidate is checked against the real calendar and a plausible year range.

A year-less date takes the latest year that does not put it after the
reference date (a list item dated [12-30] seen on 2023-01-05 is 2022-12-30);
without a reference it cannot be placed and is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from govsite.extract.numerals import chinese_to_int

MIN_YEAR = 1990
# How far past the reference year a date may lie (pages announce next year's events).
MAX_YEARS_AHEAD = 1
# How many characters after a label its date may start.
LABEL_WINDOW = 40

# One-to-one character folding, so offsets in the folded text are offsets in the original.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "－": "-", "／": "/", "．": ".", "：": ":", "\u3000": " ", "\xa0": " ",
        "○": "〇", "Ｏ": "〇", "零": "〇",
    }
)
_HANZI_DIGITS = "〇一二三四五六七八九"
_HANZI_SMALL = "[一二三四五六七八九十]{1,3}"
_MD = rf"(?:\d{{1,2}}|{_HANZI_SMALL})"

# 2022-08-01, 2022/8/1, 2022.08.01; not after "1." (a version) nor before ".5".
_YMD_SEP = re.compile(
    r"(?<![\dvV])(?<!\d\.)(?P<y>\d{4}) ?(?P<sep>[-/.]) ?(?P<m>\d{1,2}) ?(?P=sep) ?(?P<d>\d{1,2})"
    r"(?!\d)(?!\.\d)"
)
# 2022年8月1日, 2022年08月01号, 二〇二二年八月一日 (Chinese digits read one by one).
_YMD_CN = re.compile(
    rf"(?<!\d)(?P<y>\d{{4}}|[{_HANZI_DIGITS}]{{4}}) ?年 ?(?P<m>{_MD}) ?月 ?(?P<d>{_MD})(?!\d) ?[日号]?"
)
# 20220801, and TRS's t20220801_123; only 19xx/20xx years.
_YMD_COMPACT = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)
# Record numbers and counts are 8-digit runs too: 京ICP备20180101号, 编号20220801, 访问量20220801次.
_COMPACT_NOT_AFTER = re.compile(r"(备|ICP|证|号|码|电话|量|数|tel|Tel|TEL|No\.?)[\s:#]*$")
_COMPACT_NOT_FOLLOWED_BY = frozenset("号次个人元件条项位名")
# [08-01], 08-01, 08/01; strict mode wants two-digit parts so 1-2 or 3/4 stay numbers.
_MD_SEP_STRICT = re.compile(
    r"(?<![\d\-/.:])(?P<m>\d{2})(?P<sep>[-/])(?P<d>\d{2})(?![\d:])(?!(?P=sep)\d)"
    r"(?! ?[个天日年月号%分元人次条件项岁页届期])"
)
_MD_SEP_LOOSE = re.compile(
    r"(?<![\d\-/.:])(?P<m>\d{1,2})(?P<sep>[-/])(?P<d>\d{1,2})(?![\d:])(?!(?P=sep)\d)"
    r"(?! ?[个天日年月号%分元人次条件项岁页届期])"
)
_MD_BRACKETED = re.compile(r"(?<=[\[(【（])(?P<m>\d{1,2})(?P<sep>[-/.])(?P<d>\d{1,2})(?=[\])】）])")
# 8月1日, 八月一日; the day mark is required so 8月1 (a count) is not taken.
_MD_CN = re.compile(rf"(?<![\d年{_HANZI_DIGITS}十])(?P<m>{_MD}) ?月 ?(?P<d>{_MD}) ?[日号]")
# A date label ends at the next "…时间：" or "…日期：" so one label never takes another's date.
_NEXT_LABEL = re.compile(r"(时间|日期)\s*[:：]")


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    year: int | None
    month: int
    day: int


def fold(text: str) -> str:
    """Full-width digits and punctuation to ASCII, one character for one."""
    return text.translate(_FOLD)


def _number(token: str) -> int | None:
    """A date part: Arabic digits, or Chinese digits (二〇二二 read digit by digit)."""
    if token.isdigit() and token.isascii():
        return int(token)
    if len(token) == 4 and all(ch in _HANZI_DIGITS for ch in token):
        return int("".join(str(_HANZI_DIGITS.index(ch)) for ch in token))
    return chinese_to_int(token)


def _from_match(match: re.Match[str], *, has_year: bool) -> _Candidate | None:
    year = _number(match.group("y")) if has_year else None
    month, day = _number(match.group("m")), _number(match.group("d"))
    if month is None or day is None or (has_year and year is None):
        return None
    return _Candidate(match.start(), match.end(), year, month, day)


def _compact_allowed(folded: str, match: re.Match[str]) -> bool:
    before = folded[max(0, match.start() - 6):match.start()]
    after = folded[match.end():match.end() + 1]
    return not _COMPACT_NOT_AFTER.search(before) and after not in _COMPACT_NOT_FOLLOWED_BY


def _candidates(folded: str, *, loose: bool) -> Iterator[_Candidate]:
    with_year = (_YMD_SEP, _YMD_CN, _YMD_COMPACT)
    yearless = (_MD_SEP_LOOSE if loose else _MD_SEP_STRICT, _MD_BRACKETED, _MD_CN)
    for patterns, has_year in ((with_year, True), (yearless, False)):
        for pattern in patterns:
            for match in pattern.finditer(folded):
                if pattern is _YMD_COMPACT and not _compact_allowed(folded, match):
                    continue
                if (found := _from_match(match, has_year=has_year)) is not None:
                    yield found


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _place_yearless(month: int, day: int, reference: date) -> date | None:
    """The latest occurrence of month-day on or before the reference (Feb 29 looks back)."""
    for year in range(reference.year, reference.year - 9, -1):
        found = _real_date(year, month, day)
        if found is not None and found <= reference:
            return found
    return None


def _resolve(candidate: _Candidate, reference: date | None) -> date | None:
    if candidate.year is None:
        if reference is None or _real_date(2000, candidate.month, candidate.day) is None:
            return None
        found = _place_yearless(candidate.month, candidate.day, reference)
    else:
        found = _real_date(candidate.year, candidate.month, candidate.day)
    if found is None:
        return None
    latest_year = (reference or date.today()).year + MAX_YEARS_AHEAD
    return found if MIN_YEAR <= found.year <= latest_year else None


def _find(text: str, reference: date | None, *, loose: bool) -> list[tuple[date, int, int]]:
    if reference is None or len(text) > MAX_CACHED_TEXT:
        # No reference: the ceiling moves with today. A long text (a page's whole
        # text) is read once anyway, and 32k of them would hold a worker's memory.
        return list(_find_uncached(text, reference, loose))
    return list(_find_cached(text, reference, loose))


# The same rows come back on page after page of a site (a sidebar's hot articles,
# a column's list on each of its pages, the menus), and several readers of one page
# (item dates, listing, board rows) date the same row: each distinct text is read
# once per worker. Callers get a fresh list; the cache holds tuples.
MAX_CACHED_TEXT = 512  # a row's text; rows are what recur from page to page


@lru_cache(maxsize=32768)
def _find_cached(text: str, reference: date, loose: bool) -> tuple[tuple[date, int, int], ...]:
    return _find_uncached(text, reference, loose)


def _find_uncached(text: str, reference: date | None,
                   loose: bool) -> tuple[tuple[date, int, int], ...]:
    resolved = []
    for candidate in _candidates(fold(text), loose=loose):
        if (found := _resolve(candidate, reference)) is not None:
            resolved.append((candidate, found))
    # Earliest start wins, then the longest: "2022年8月1日" beats its own "8月1日".
    resolved.sort(key=lambda item: (item[0].start, -item[0].end))
    chosen: list[tuple[date, int, int]] = []
    for candidate, found in resolved:
        if chosen and candidate.start < chosen[-1][2]:
            continue
        chosen.append((found, candidate.start, candidate.end))
    return tuple(chosen)


def find_dates(text: str, *, reference: date | None = None) -> list[tuple[date, int, int]]:
    """Every date in `text` as (date, start, end), in order.

    Year-less dates need `reference` (they are skipped without one) and must be
    written with two-digit parts (08-01), in brackets ([8-1]) or as 8月1日, so that
    ranges and fractions (1-3, 3/4) are not read as dates. Without a reference,
    the plausible-year ceiling is next year from today.
    """
    return _find(text, reference, loose=False)


def parse_date(text: str, *, reference: date | None = None) -> date | None:
    """The first date in a short string such as "发布时间：2022-08-01", or None.

    Looser than find_dates about year-less forms (8-1 is accepted) because the
    caller already knows the string is a date field.
    """
    found = _find(text, reference, loose=True)
    return found[0][0] if found else None


def _label_pattern(label: str) -> re.Pattern[str]:
    """A label that tolerates spaces between its characters (留 言 时 间)."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in label if not ch.isspace()))


def dates_near_labels(text: str, labels: Sequence[str],
                      reference: date | None = None, *, window: int = LABEL_WINDOW) -> date | None:
    """The date right after the first of `labels` that has one (e.g. 回复时间：2022-08-03).

    Labels are tried in the order they appear in `text`; a label's date must start
    within `window` characters and before the next "…时间：/…日期：" label, so an empty
    留言时间 does not borrow the 回复时间 that follows it.
    """
    patterns = [_label_pattern(label) for label in labels if label.strip()]
    hits = sorted((m.start(), m.end()) for p in patterns for m in p.finditer(text))
    for _start, end in hits:
        segment = text[end:end + window]
        stop = _NEXT_LABEL.search(segment, 1)
        if stop is not None:
            segment = segment[:stop.start()]
        found = _find(segment, reference, loose=True)
        if found:
            return found[0][0]
    return None
