"""Dates in every form government pages print them, and the digit runs that are not dates."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.extract.dates import dates_near_labels, find_dates, parse_date

REF = date(2022, 9, 30)
AUG1 = date(2022, 8, 1)


@pytest.mark.parametrize("text", [
    "2022-08-01", "2022-8-1", "2022/08/01", "2022/8/1", "2022.08.01", "2022.8.1",
    "2022年8月1日", "2022年08月01日", "2022年8月1号", "2022 年 8 月 1 日", "2022年8月1",
    "20220801", "2022-8-1 10:23:45", "2022-08-01 10:23", "2022-08-01T10:23",
    "2022-08-01T10:23:45+08:00", "2022/08/01 10:23:45", "二〇二二年八月一日",
    "二零二二年八月一日", "二○二二年八月一日", "２０２２－０８－０１", "２０２２年８月１日",
    "２０２２／８／１", "发布时间：2022-08-01", "发布时间:2022-08-01 10:23",
    "发布日期：２０２２年８月１日", "【2022-08-01】", "[2022-08-01]", "(2022-08-01)",
    "时间：2022.08.01 来源：本站", "日期 2022/8/1", "2022-08-01 浏览次数：123",
    "[08-01]", "08-01", "8-1", "08/01", "8月1日", "08月01日", "八月一日", "【08-01】",
    "（8-1）", "t20220801_123456", "2022年8月1日星期一",
])
def test_parse_formats(text: str) -> None:
    assert parse_date(text, reference=REF) == AUG1


@pytest.mark.parametrize(("text", "expected"), [
    ("2022-12-31", date(2022, 12, 31)),
    ("二〇二二年十二月三十一日", date(2022, 12, 31)),
    ("2022年十月一日", date(2022, 10, 1)),
    ("2019年10月1日", date(2019, 10, 1)),
    ("1990-01-01", date(1990, 1, 1)),
    ("2023-01-15", date(2023, 1, 15)),  # next year is plausible (announcements)
    ("2020-02-29", date(2020, 2, 29)),
    ("2022年8月1日至2022年8月5日", AUG1),
])
def test_parse_other_dates(text: str, expected: date) -> None:
    assert parse_date(text, reference=REF) == expected


@pytest.mark.parametrize("text", [
    "", "无", "发布时间：", "2022-02-30", "2022-13-01", "2022-00-10", "2021-02-29",
    "2022年2月30日", "1989-12-31", "2024-01-01", "0871-63662667", "5300000123",
    "bm09000001", "滇ICP备05000372号", "京ICP备20220801号", "滇公网安备 53010202000123号",
    "10:23", "10:23:45", "v2.3.1", "1.2022.08.01", "jQuery 1.12.4", "2022", "2022年8月",
    "第3版", "电话：20220801", "13888880801", "3-5个工作日",
])
def test_parse_rejects(text: str) -> None:
    assert parse_date(text, reference=REF) is None


@pytest.mark.parametrize(("text", "reference", "expected"), [
    ("[08-01]", date(2022, 9, 30), date(2022, 8, 1)),
    ("[12-30]", date(2023, 1, 5), date(2022, 12, 30)),
    ("[01-05]", date(2023, 1, 5), date(2023, 1, 5)),
    ("[01-06]", date(2023, 1, 5), date(2022, 1, 6)),
    ("2月29日", date(2022, 9, 30), date(2020, 2, 29)),
    ("02-29", date(2024, 3, 1), date(2024, 2, 29)),
])
def test_yearless_takes_latest_year_not_after_reference(text: str, reference: date,
                                                        expected: date) -> None:
    assert parse_date(text, reference=reference) == expected


@pytest.mark.parametrize("text", ["[08-01]", "08-01", "8月1日", "02-30", "13-01"])
def test_yearless_needs_reference(text: str) -> None:
    assert parse_date(text) is None


def test_year_ceiling_without_reference_is_next_year() -> None:
    assert parse_date(f"{date.today().year + 1}-01-01") is not None
    assert parse_date(f"{date.today().year + 2}-01-01") is None


def test_find_dates_spans() -> None:
    text = "关于做好防汛工作的通知 2022-08-01 浏览：12 更新于2022年8月3日"
    found = find_dates(text)
    assert [d for d, _, _ in found] == [AUG1, date(2022, 8, 3)]
    for found_date, start, end in found:
        assert parse_date(text[start:end]) == found_date
    assert text[found[0][1]:found[0][2]] == "2022-08-01"
    assert text[found[1][1]:found[1][2]] == "2022年8月3日"


def test_find_dates_full_width_offsets_are_original() -> None:
    text = "发布：２０２２－０８－０１"
    [(found, start, end)] = find_dates(text)
    assert found == AUG1
    assert text[start:end] == "２０２２－０８－０１"


@pytest.mark.parametrize("text", [
    "联系电话：0871-63662667", "电话 0871－6366 2667", "网站标识码：5300000123",
    "网站标识码5300000123 滇ICP备05000372号-1", "京ICP备20220801号", "ICP备案号：20180101",
    "滇公网安备 53010202000123号", "更新时间 10:23", "版本 v2.3.1", "Version 1.10.12",
    "身份证号 530102199001011234", "订单号 202208011023", "访问量：20220801次",
    "编号20220801", "第1-3条", "1/2页", "10-20个工作日", "12-15岁", "三分之一",
    "IP 192.168.10.1", "邮编 650000", "共12/30页",
])
def test_find_dates_ignores_non_dates(text: str) -> None:
    assert find_dates(text, reference=REF) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("市政府召开常务会议[08-01]", [AUG1]),
    ("· 全市防汛工作会议召开 08-01", [AUG1]),
    ("通知公告 09-29 关于…的公示 09-28", [date(2022, 9, 29), date(2022, 9, 28)]),
    ("2022-08-01 10:23:45 来源：本站", [AUG1]),
    ("2022年8月1日至8月5日", [AUG1, date(2022, 8, 5)]),
    ("/art/2022/8/1/art_123_456.html", [AUG1]),
    ("/202208/t20220801_1234.html", [AUG1]),
    ("二〇二二年八月一日印发", [AUG1]),
    ("8-1", []),  # too loose for running text: could be a range or a fraction
])
def test_find_dates_in_text(text: str, expected: list[date]) -> None:
    assert [d for d, _, _ in find_dates(text, reference=REF)] == expected


def test_find_dates_yearless_needs_reference() -> None:
    assert find_dates("市政府召开常务会议[08-01]") == []


@pytest.mark.parametrize(("text", "labels", "expected"), [
    ("留言时间：2022-08-01 回复时间：2022-08-03", ["回复时间"], date(2022, 8, 3)),
    ("留言时间：2022-08-01 回复时间：2022-08-03", ["留言时间"], AUG1),
    ("提问日期：2022年8月1日\n答复日期：2022年8月3日", ["答复日期", "回复时间"],
     date(2022, 8, 3)),
    ("留 言 时 间：2022-08-01", ["留言时间"], AUG1),
    ("留言时间：  回复时间：2022-08-03", ["留言时间"], None),
    ("回复时间：暂无", ["回复时间"], None),
    ("来信时间 [08-01] 状态：已办结", ["来信时间"], AUG1),
    ("发布日期：2022/8/1 浏览次数：100", ["发布日期"], AUG1),
    ("回复时间：" + "x" * 60 + "2022-08-03", ["回复时间"], None),
    ("办理状态：已回复 2022-08-03", ["回复时间"], None),
])
def test_dates_near_labels(text: str, labels: list[str], expected: date | None) -> None:
    assert dates_near_labels(text, labels, REF) == expected
