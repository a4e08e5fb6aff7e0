"""Time limits: parsing every way guides write them, labels, and the conservative comparison."""

from __future__ import annotations

import bisect
from datetime import date, timedelta

import pytest

from govsite.extract.timelimits import (
    TimeLimit,
    equivalent,
    exceeds,
    find_labelled_limits,
    label_kind,
    labelled_pairs,
    parse_time_limit,
    parse_time_limits,
    working_day_span,
)
from govsite.extract.workdays import calendar_coverage, is_working_day


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("20个工作日", 20, "working_day"), ("二十个工作日", 20, "working_day"),
    ("20工作日", 20, "working_day"), ("20 个工作日", 20, "working_day"),
    ("２０个工作日", 20, "working_day"), ("十五个工作日", 15, "working_day"),
    ("一个工作日", 1, "working_day"), ("两个工作日", 2, "working_day"),
    ("5个工作日内", 5, "working_day"), ("1-3个工作日", 3, "working_day"),
    ("3至5个工作日", 5, "working_day"), ("0.5个工作日", 1, "working_day"),
    ("30日", 30, "calendar_day"), ("30天", 30, "calendar_day"), ("三十日", 30, "calendar_day"),
    ("60日内", 60, "calendar_day"), ("30个自然日", 30, "calendar_day"),
    ("30日历日", 30, "calendar_day"), ("廿日", 20, "calendar_day"), ("2周", 14, "calendar_day"),
    ("2个月", 2, "month"), ("两个月", 2, "month"), ("三个月", 3, "month"),
    ("3个自然月", 3, "month"),
    ("24小时", 24, "hour"), ("2个小时", 2, "hour"), ("48h", 48, "hour"),
    ("即办", 0, "immediate"), ("即办件", 0, "immediate"), ("当场办结", 0, "immediate"),
    ("即时办结", 0, "immediate"), ("立即办理", 0, "immediate"), ("当场办理", 0, "immediate"),
    ("当场办", 0, "immediate"), ("即来即办", 0, "immediate"), ("立等可取", 0, "immediate"),
    ("当日办结", 0, "immediate"), ("0个工作日", 0, "immediate"),
    ("自受理之日起20个工作日内作出决定", 20, "working_day"),
    ("受理后十个工作日内办结（不含现场核查时间）", 10, "working_day"),
    ("自2022年8月30日起15日内", 15, "calendar_day"),
    ("法定：20个工作日", 20, "working_day"),
])
def test_parse_specific(text: str, value: int, unit: str) -> None:
    limit = parse_time_limit(text)
    assert limit is not None
    assert (limit.value, limit.unit, limit.specific) == (value, unit, True)


@pytest.mark.parametrize("text", [
    "按规定时限办理", "按法定时限", "按法定时限办理", "依法办理", "另行通知", "详见办事指南",
    "详见附件", "无", "/", "—", "-", "——", "暂无", "以实际为准", "八月十五日前",
    "2022年8月30日", "视情况而定", "若干工作日", "数个工作日",
])
def test_parse_non_specific(text: str) -> None:
    assert parse_time_limit(text) == TimeLimit(None, None, text.strip(), False)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_parse_empty_is_missing(text: str) -> None:
    assert parse_time_limit(text) is None


@pytest.mark.parametrize(("text", "value"), [("20", 20), ("二十", 20), (" 15 ", 15)])
def test_bare_number_has_no_unit(text: str, value: int) -> None:
    assert parse_time_limit(text) == TimeLimit(value, None, text.strip(), False)


def test_several_limits_first_and_all() -> None:
    text = "承诺5个工作日，法定二十个工作日；特殊情况即办"
    limits = parse_time_limits(text)
    assert [(x.value, x.unit) for x in limits] == [
        (5, "working_day"), (20, "working_day"), (0, "immediate")]
    assert parse_time_limit(text) == limits[0]


def test_raw_keeps_original_text() -> None:
    limit = parse_time_limit("自受理之日起２０个工作日内")
    assert limit is not None and limit.raw == "２０个工作日"


@pytest.mark.parametrize("text", [
    "20个工作日", "自受理之日起二十个工作日内作出决定", "即办件", "2周", "按规定", "20", "／",
    "0.5个工作日", "3个自然月",
])
def test_raw_round_trips(text: str) -> None:
    """The service-guide check stores raw text and re-parses it later."""
    limit = parse_time_limit(text)
    assert limit is not None
    assert parse_time_limit(limit.raw) == limit


@pytest.mark.parametrize(("a", "b"), [
    ("二十个工作日", "20个工作日"), ("20工作日", "20个工作日"), ("即办", "当场办结"),
    ("即时办结", "立即办理"), ("30日", "30天"), ("三十日", "30日"), ("两个月", "2个月"),
    ("0个工作日", "即办"), ("１５个工作日", "15个工作日"),
])
def test_equivalent(a: str, b: str) -> None:
    limit_a, limit_b = parse_time_limit(a), parse_time_limit(b)
    assert limit_a is not None and limit_b is not None
    assert equivalent(limit_a, limit_b)


@pytest.mark.parametrize(("a", "b"), [
    ("20个工作日", "20日"), ("20个工作日", "15个工作日"), ("1个月", "30日"), ("即办", "1个工作日"),
    ("24小时", "1日"), ("按规定时限", "按规定时限"), ("20", "20个工作日"),
])
def test_not_equivalent(a: str, b: str) -> None:
    limit_a, limit_b = parse_time_limit(a), parse_time_limit(b)
    assert limit_a is not None and limit_b is not None
    assert not equivalent(limit_a, limit_b)


@pytest.mark.parametrize(("committed", "legal", "expected"), [
    ("30个工作日", "20个工作日", True),
    ("21个工作日", "20个工作日", True),
    ("20个工作日", "20个工作日", False),
    ("二十个工作日", "20个工作日", False),
    ("5个工作日", "20个工作日", False),
    ("30日", "20日", True),
    ("20日", "30日", False),
    ("20日", "15个工作日", False),   # 15 working days can span 21+ calendar days
    ("30日", "15个工作日", False),   # 日 might mean calendar days: not provable
    ("30个工作日", "20日", True),    # longer under both readings of 日
    ("20个工作日", "20日", False),
    ("25个自然日", "20个工作日", False),
    ("60个自然日", "20个工作日", True),
    ("30个自然日", "20个工作日", False),
    ("2个月", "20个工作日", True),
    ("1个月", "20个工作日", False),
    ("3个月", "2个月", True),
    ("2个月", "60日", False),
    ("1个工作日", "即办", True),
    ("24小时", "即办", True),
    ("即办", "当场办结", False),
    ("即办", "20个工作日", False),
    ("48小时", "1个工作日", False),
    ("3周", "20日", False),         # weeks are calendar days; 20日 may be working days
    ("按规定时限", "20个工作日", False),
    ("30个工作日", "依法办理", False),
    ("20", "10", False),
])
def test_exceeds(committed: str, legal: str, expected: bool) -> None:
    a, b = parse_time_limit(committed), parse_time_limit(legal)
    assert a is not None and b is not None
    assert exceeds(a, b) is expected
    assert a.exceeds(b) is expected


def test_exceeds_is_never_mutual() -> None:
    texts = ["即办", "24小时", "1个工作日", "5日", "5个工作日", "15个工作日", "20日", "30日",
             "30个自然日", "1个月", "2个月", "60个工作日", "按规定"]
    limits = [parse_time_limit(t) for t in texts]
    for a in limits:
        for b in limits:
            assert a is not None and b is not None
            assert not (exceeds(a, b) and exceeds(b, a)), (a.raw, b.raw)


def test_bounds() -> None:
    limit = parse_time_limit("15个工作日")
    assert limit is not None
    low, high = limit.days_lower_bound(), limit.days_upper_bound()
    assert low is not None and high is not None
    assert 15 <= low <= 21 <= high
    vague = parse_time_limit("按规定")
    assert vague is not None and vague.days_upper_bound() is None
    immediate = parse_time_limit("即办")
    assert immediate is not None and immediate.days_upper_bound() == 0


def _official_spans(max_n: int) -> dict[int, tuple[int, int]]:
    """Fewest and most calendar days n working days took, over every covered start day."""
    first, last = calendar_coverage()
    start = date(first, 1, 1)
    days = [start + timedelta(days=i) for i in range((date(last, 12, 31) - start).days + 1)]
    working = [i for i, day in enumerate(days) if is_working_day(day)]
    spans = {}
    for n in range(1, max_n + 1):
        lengths = []
        for s in range(len(days)):
            k = bisect.bisect_right(working, s) + n - 1
            if k < len(working):
                lengths.append(working[k] - s)
        spans[n] = (min(lengths), max(lengths))
    return spans


def test_working_day_span_holds_on_official_calendar() -> None:
    """The comparison bounds are derived from, and checked against, the installed calendar."""
    for n, (shortest, longest) in _official_spans(70).items():
        low, high = working_day_span(n)
        assert low <= shortest and longest <= high, (n, shortest, longest, low, high)


@pytest.mark.parametrize(("label", "kind"), [
    ("法定办结时限", "legal"), ("法定期限", "legal"), ("法定时限", "legal"),
    ("法定办理时限", "legal"), ("办结时限(法定)", "legal"), ("办结时限（法定）", "legal"),
    ("法定办结时限：", "legal"), ("法定 办结 时限 ：", "legal"), ("四、法定办结时限", "legal"),
    ("法定办结时限（工作日）", "legal"),
    ("承诺办结时限", "committed"), ("承诺期限", "committed"), ("承诺时限", "committed"),
    ("承诺办理时限:", "committed"), ("承 诺 时 限", "committed"), ("办结时限（承诺）", "committed"),
    ("办结时限", "unspecified-kind"), ("办理时限", "unspecified-kind"),
    ("办理期限", "unspecified-kind"), ("审批时限：", "unspecified-kind"),
    ("法定/承诺时限", "unspecified-kind"),
    ("办理时间", None), ("受理时间", None), ("法定代表人", None), ("承诺书", None),
    ("办理地点", None), ("", None), ("法定办结时限" + "说明" * 20, None),
])
def test_label_kind(label: str, kind: str | None) -> None:
    assert label_kind(label) == kind


def _values(found: dict[str, list[TimeLimit]]) -> dict[str, list[tuple[int | None, str | None]]]:
    return {kind: [(x.value, x.unit) for x in limits] for kind, limits in found.items()}


def test_find_labelled_limits_table_rows() -> None:
    pairs = [
        ("事项名称", "企业投资项目备案"), ("法定办结时限：", "20个工作日"),
        ("承诺办结时限", "即办"), ("办理时间", "9:00-17:00"), ("办结时限(法定)", "二十个工作日"),
        (" 承 诺 期 限 ：", "5日"), ("四、办理时限", "30日"), ("法定代表人", "张三"),
    ]
    assert _values(find_labelled_limits(pairs)) == {
        "legal": [(20, "working_day"), (20, "working_day")],
        "committed": [(0, "immediate"), (5, "calendar_day")],
        "unspecified-kind": [(30, "calendar_day")],
    }


def test_find_labelled_limits_keys_always_present() -> None:
    assert find_labelled_limits([]) == {"legal": [], "committed": [], "unspecified-kind": []}
    assert find_labelled_limits([("法定办结时限", "")]) == {
        "legal": [], "committed": [], "unspecified-kind": []}


def test_find_labelled_limits_non_specific() -> None:
    found = find_labelled_limits([("承诺办结时限", "按法定时限办理"), ("法定办结时限", "—")])
    assert found["committed"] == [TimeLimit(None, None, "按法定时限办理", False)]
    assert found["legal"] == [TimeLimit(None, None, "—", False)]


def test_find_labelled_limits_inline_kinds() -> None:
    found = find_labelled_limits([("办结时限", "法定：20个工作日；承诺：10个工作日")])
    assert _values(found) == {"legal": [(20, "working_day")], "committed": [(10, "working_day")],
                              "unspecified-kind": []}
    found = find_labelled_limits([("法定/承诺时限", "法定20个工作日，承诺即办")])
    assert _values(found)["committed"] == [(0, "immediate")]


def test_find_labelled_limits_unit_in_label() -> None:
    found = find_labelled_limits([("法定办结时限（工作日）", "20"), ("承诺办结时限（天）", "十")])
    assert _values(found) == {"legal": [(20, "working_day")], "committed": [(10, "calendar_day")],
                              "unspecified-kind": []}
    for limit in found["legal"] + found["committed"]:
        assert parse_time_limit(limit.raw) == limit


def test_find_labelled_limits_bare_number_without_unit() -> None:
    found = find_labelled_limits([("法定办结时限", "20")])
    assert found["legal"] == [TimeLimit(20, None, "20", False)]


@pytest.mark.parametrize(("text", "expected"), [
    ("法定办结时限：20个工作日 承诺办结时限：即办 办理地点：市政务服务中心",
     [("法定办结时限", "20个工作日"), ("承诺办结时限", "即办")]),
    ("法定办结时限：20个工作日；承诺办结时限：5个工作日（不含公示时间）\n收费标准：不收费",
     [("法定办结时限", "20个工作日"), ("承诺办结时限", "5个工作日（不含公示时间）")]),
    ("办结时限：法定：20个工作日 承诺：5个工作日 办理地点：xx",
     [("办结时限", "法定：20个工作日 承诺：5个工作日")]),
    ("办理时限（工作日）：20", [("办理时限（工作日）", "20")]),
    ("办理时间：周一至周五", []),
])
def test_labelled_pairs(text: str, expected: list[tuple[str, str]]) -> None:
    assert labelled_pairs(text) == expected
