"""Working days on China's official calendar: holidays, adjusted workdays, coverage.

The hard-coded facts below were read from chinesecalendar 1.11 and agree with the
State Council's 2026 holiday notice: National Day 10-01..10-07 with Saturday
10-10 and Sunday 09-20 worked, Mid-Autumn 09-25..09-27, Spring Festival
02-15..02-23 with Saturdays 02-14 and 02-28 worked, New Year 01-01..01-03 with
Sunday 01-04 worked. Everything else is derived from the package itself.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from govsite.extract.workdays import (
    CalendarNotCovered,
    add_working_days,
    calendar_coverage,
    is_working_day,
    working_days_between,
)

D = date


@pytest.mark.parametrize("day", [
    D(2026, 10, 1), D(2026, 10, 5), D(2026, 10, 7), D(2026, 9, 25), D(2026, 10, 11),
    D(2026, 2, 16), D(2026, 2, 23), D(2026, 1, 1), D(2026, 4, 6), D(2026, 5, 5),
])
def test_known_holidays(day: date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [
    D(2026, 10, 10),  # Saturday, adjusted working day after National Day
    D(2026, 9, 20),   # Sunday, adjusted working day before National Day
    D(2026, 2, 14),   # Saturday, adjusted working day before Spring Festival
    D(2026, 2, 28),   # Saturday, adjusted working day after Spring Festival
    D(2026, 1, 4),    # Sunday after New Year
    D(2026, 5, 9),    # Saturday after Labour Day
    D(2026, 9, 28), D(2026, 10, 8),
])
def test_known_adjusted_and_ordinary_workdays(day: date) -> None:
    assert is_working_day(day)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (D(2026, 4, 10), D(2026, 4, 10), 0),   # same day
    (D(2026, 10, 1), D(2026, 10, 1), 0),   # same day, even a holiday
    (D(2026, 4, 10), D(2026, 4, 11), 0),   # Friday -> Saturday
    (D(2026, 4, 10), D(2026, 4, 12), 0),   # Friday -> Sunday
    (D(2026, 4, 10), D(2026, 4, 13), 1),   # Friday -> Monday
    (D(2026, 4, 11), D(2026, 4, 13), 1),   # Saturday -> Monday
    (D(2026, 4, 13), D(2026, 4, 17), 4),   # Monday -> Friday
    (D(2026, 4, 13), D(2026, 4, 20), 5),   # one week
    (D(2026, 4, 3), D(2026, 4, 7), 1),     # Qingming 04-04..04-06
    (D(2026, 9, 24), D(2026, 9, 28), 1),   # Mid-Autumn 09-25..09-27
    (D(2026, 9, 30), D(2026, 10, 8), 1),   # National Day 10-01..10-07
    (D(2026, 9, 28), D(2026, 10, 10), 5),  # 29, 30, 8, 9 and Saturday 10
    (D(2026, 9, 28), D(2026, 10, 11), 5),  # Sunday 11 is off
    (D(2026, 9, 28), D(2026, 10, 12), 6),
    (D(2026, 10, 9), D(2026, 10, 10), 1),  # Friday -> adjusted Saturday
    (D(2026, 9, 19), D(2026, 9, 20), 1),   # Saturday -> adjusted Sunday
    (D(2026, 2, 13), D(2026, 2, 24), 2),   # Spring Festival: Saturday 14 and Tuesday 24
    (D(2026, 2, 14), D(2026, 2, 23), 0),   # nine days off
    (D(2026, 2, 12), D(2026, 3, 2), 8),
    (D(2025, 12, 31), D(2026, 1, 5), 2),   # across the year: Sunday 4 and Monday 5
    (D(2026, 4, 13), D(2026, 4, 10), -1),  # end before start: negative
])
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize(("start", "n", "expected"), [
    (D(2026, 4, 10), 0, D(2026, 4, 10)),
    (D(2026, 4, 10), 1, D(2026, 4, 13)),
    (D(2026, 4, 13), 5, D(2026, 4, 20)),
    (D(2026, 9, 30), 1, D(2026, 10, 8)),
    (D(2026, 9, 28), 5, D(2026, 10, 10)),   # lands on the adjusted Saturday
    (D(2026, 9, 30), 5, D(2026, 10, 13)),
    (D(2026, 2, 13), 1, D(2026, 2, 14)),
    (D(2026, 2, 13), 5, D(2026, 2, 27)),
    (D(2026, 2, 13), 6, D(2026, 2, 28)),
    (D(2026, 10, 8), -1, D(2026, 9, 30)),
    (D(2026, 4, 13), -1, D(2026, 4, 10)),
])
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_national_day_window_matches_package() -> None:
    """Every pair in 2026-09-18..2026-10-14 agrees with the package's own get_workdays."""
    window = _days(D(2026, 9, 18), D(2026, 10, 14))
    for start in window:
        for end in window:
            if end < start:
                continue
            expected = len(chinese_calendar.get_workdays(start + timedelta(days=1), end)) \
                if end > start else 0
            assert working_days_between(start, end) == expected, (start, end)


@pytest.mark.parametrize("start", _days(D(2026, 1, 28), D(2026, 3, 3)) + _days(D(2026, 9, 18),
                                                                              D(2026, 10, 12)))
@pytest.mark.parametrize("n", [1, 3, 5, 10])
def test_add_is_inverse_of_between(start: date, n: int) -> None:
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert working_days_between(start, due) == n
    assert working_days_between(start, due - timedelta(days=1)) == n - 1


def test_coverage_is_probed_from_package() -> None:
    first, last = calendar_coverage()
    assert first <= 2022 and last >= 2026
    for year in (first - 1, last + 1):
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(D(year, 1, 1))
    for year in range(first, last + 1):
        chinese_calendar.is_workday(D(year, 6, 1))


def test_outside_coverage_is_refused_not_guessed() -> None:
    first, last = calendar_coverage()
    after = D(last + 1, 1, 5)
    with pytest.raises(CalendarNotCovered) as caught:
        working_days_between(D(last, 12, 30), after)
    assert caught.value.year == last + 1
    assert str(last + 1) in str(caught.value)
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(first - 1, 6, 1))
    with pytest.raises(CalendarNotCovered):
        add_working_days(D(last, 12, 20), 30)
    assert isinstance(caught.value, ValueError)
