"""Working days on China's official calendar, with its holidays and adjusted workdays.

Reply deadlines (5 working days) count working days as the State Council's
yearly holiday notice defines them: a holiday Monday is off, an adjusted
Saturday (调休上班) is a working day. `chinese_calendar` packages those notices;
a year it does not know is refused with CalendarNotCovered rather than guessed
from weekdays, because a guess around Spring Festival is off by a week.

Counting convention: the day of the message is day 0. `working_days_between(asked,
replied)` counts the working days after `asked` up to and including `replied`:
a same-day reply is 0, a Friday message answered on Monday is 1, and a reply
"within 5 working days" means `working_days_between(asked, replied) <= 5`.
`add_working_days(asked, 5)` is that last allowed day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar

# Years probed for coverage; the package has covered 2004 onwards since its first releases.
_PROBE_FIRST, _PROBE_LAST = 1990, 2100
_ONE_DAY = timedelta(days=1)


class CalendarNotCovered(ValueError):
    """The installed chinesecalendar has no holiday data for this year."""

    def __init__(self, year: int) -> None:
        first, last = calendar_coverage()
        super().__init__(
            f"the official holiday calendar for {year} is not known "
            f"(chinesecalendar covers {first}-{last}; upgrade it to count working days in {year})"
        )
        self.year = year


def _year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def calendar_coverage() -> tuple[int, int]:
    """First and last year the installed chinesecalendar knows, probed from the package."""
    known = [year for year in range(_PROBE_FIRST, _PROBE_LAST + 1) if _year_known(year)]
    if not known:
        raise RuntimeError("chinesecalendar knows no year at all")
    return known[0], known[-1]


def _check_covered(day: date) -> None:
    first, last = calendar_coverage()
    if not first <= day.year <= last:
        raise CalendarNotCovered(day.year)


def is_working_day(day: date) -> bool:
    """True on an official working day (adjusted Saturdays included, holidays excluded)."""
    _check_covered(day)
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:  # a gap inside the probed range
        raise CalendarNotCovered(day.year) from exc


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (start is day 0).

    Same day gives 0; Friday to the next Monday gives 1. When `end` is before
    `start` the count is negative (a reply dated before its message), so callers
    can notice bad data instead of reading it as a prompt reply.
    """
    if end < start:
        return -working_days_between(end, start)
    _check_covered(start)
    _check_covered(end)
    count, day = 0, start + _ONE_DAY
    while day <= end:
        count += is_working_day(day)
        day += _ONE_DAY
    return count


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (before it when n < 0); n = 0 gives `start`.

    It is the last day of a limit of n working days counted from `start`:
    `working_days_between(start, add_working_days(start, n)) == n`.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day, remaining = start, abs(n)
    _check_covered(start)
    while remaining:
        day += step
        remaining -= is_working_day(day)
    return day
