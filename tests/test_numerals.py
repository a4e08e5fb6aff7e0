"""chinese_to_int: the numbers service guides spell out, and everything that is not one."""

from __future__ import annotations

import pytest

from govsite.extract.numerals import chinese_to_int


@pytest.mark.parametrize(("text", "expected"), [
    ("零", 0), ("〇", 0), ("一", 1), ("二", 2), ("两", 2), ("三", 3), ("九", 9),
    ("十", 10), ("十一", 11), ("十五", 15), ("十九", 19), ("二十", 20), ("二十五", 25),
    ("三十", 30), ("六十", 60), ("九十九", 99), ("一百", 100), ("一百零五", 105),
    ("一百一十五", 115), ("一百二十", 120), ("一百二", 120), ("两百", 200),
    ("三百六十五", 365), ("一千", 1000), ("一千零十", 1010), ("一千零五十", 1050),
    ("三千五", 3500), ("一万", 10000), ("一万五", 15000), ("一万零五", 10005),
    ("十万", 100000), ("十二万三千四百五十六", 123456), ("一亿二千万", 120000000),
    ("两个", 2), ("三个", 3), ("二十个", 20), ("十五个", 15),
    ("廿", 20), ("廿五", 25), ("卅", 30), ("卅一", 31),
    ("二〇二二", 2022), ("二零二二", 2022), ("一九九九", 1999),
    ("20", 20), ("0", 0), ("365", 365), ("２０", 20), ("１５", 15), ("3个", 3),
    (" 二十 ", 20), ("二 十", 20),
])
def test_numbers(text: str, expected: int) -> None:
    assert chinese_to_int(text) == expected


@pytest.mark.parametrize("text", [
    "", " ", "个", "abc", "十十", "百", "千", "百五", "一十十", "二十三十",
    "两两", "一点五", "1.5", "-3", "3万", "二十a", "几", "数个", "若干", "万",
    "十百", "五十百", "廿十", "三廿", "一二十",
])
def test_not_numbers(text: str) -> None:
    assert chinese_to_int(text) is None


def test_digit_by_digit_without_units() -> None:
    # Years are written digit by digit; the same reading applies to any unit-less run.
    assert chinese_to_int("五五") == 55
