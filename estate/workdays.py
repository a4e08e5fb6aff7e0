"""Working-day arithmetic on China's official calendar, for planting dates.

The estate asserts its own ground truth with this (a "reply within 5 working
days" decoy really is within 5), so it must agree with the checks: both use
`chinese_calendar`, which knows the adjusted workdays (调休).
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


def is_workday(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def workdays_between(start: date, end: date) -> int:
    """Working days d with start < d <= end: how late a reply on `end` is."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_workday(day)
        day += timedelta(days=1)
    return count


def add_workdays(start: date, n: int) -> date:
    """The n-th working day after `start`."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        n -= is_workday(day)
    return day


def sub_workdays(end: date, n: int) -> date:
    """The day d, itself a working day, with exactly n working days in (d, end]."""
    day = end
    while True:
        day -= timedelta(days=1)
        if is_workday(day) and workdays_between(day, end) == n:
            return day


def workday_on_or_before(day: date) -> date:
    while not is_workday(day):
        day -= timedelta(days=1)
    return day
