"""Chinese numerals as service guides and dates write them: 二十, 一百二十, 两个, 二〇二二.

Time limits are often written in words (二十个工作日) and must compare equal
to their Arabic twins (20个工作日). The parser is strict: anything that is not
a well-formed number gives None rather than a guess, because a wrong number
silently turns into a wrong verdict.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# 廿 and 卅 are single characters for twenty and thirty (廿五 = 25).
TENS_WORDS = {"廿": 20, "卅": 30}
BIG_UNITS = (("亿", 100_000_000), ("万", 10_000))

_FULL_WIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})
# A trailing measure word: 两个, 三个.
_TRAILING_MEASURE = re.compile(r"个$")


def chinese_to_int(text: str) -> int | None:
    """The integer `text` spells (Arabic, full-width or Chinese), or None.

    Chinese digits without units read digit by digit (二〇二二 = 2022); with units
    they read as a number (一百零五 = 105, 一百二 = 120 colloquially). A trailing 个
    is allowed (两个 = 2).
    """
    cleaned = _TRAILING_MEASURE.sub("", "".join(text.split()).translate(_FULL_WIDTH))
    if not cleaned:
        return None
    if cleaned.isascii():
        return int(cleaned) if cleaned.isdigit() else None
    if all(ch in DIGITS for ch in cleaned):
        return _digit_by_digit(cleaned)
    return _with_units(cleaned)


def _digit_by_digit(text: str) -> int | None:
    # 两 is a quantity word, never a digit in a sequence (两两 is not 22).
    if len(text) > 1 and "两" in text:
        return None
    return int("".join(str(DIGITS[ch]) for ch in text))


def _with_units(text: str) -> int | None:
    """Split on the largest of 亿/万 and parse each side (一万零五 = 10005, 一万五 = 15000)."""
    for char, size in BIG_UNITS:
        if char in text:
            head, tail = text.split(char, 1)
            high = _with_units(head) if head else None
            if high is None or high == 0:
                return None
            low = _tail(tail, size)
            return None if low is None else high * size + low
    return _section(text)


def _tail(text: str, size: int) -> int | None:
    """What follows 万/亿: empty, 零…, a lone digit (一万五 = 15000) or a full section."""
    if not text:
        return 0
    if len(text) == 1 and text in DIGITS:
        return DIGITS[text] * size // 10
    if text.startswith(("零", "〇")):
        return _with_units(text.lstrip("零〇")) if text.lstrip("零〇") else None
    return _with_units(text)


def _section(text: str) -> int | None:
    """A number below ten thousand built from digits and 十百千 (or 廿/卅)."""
    total, pending, last_unit, after_zero = 0, None, 10_000, False
    for ch in text:
        if ch in DIGITS:
            if pending is not None:
                return None
            if DIGITS[ch] == 0:
                after_zero = True
                continue
            pending = DIGITS[ch]
        elif ch in SMALL_UNITS or ch in TENS_WORDS:
            unit = SMALL_UNITS.get(ch) or 10
            if unit >= last_unit:
                return None
            if ch in TENS_WORDS:
                if pending is not None:
                    return None
                total += TENS_WORDS[ch]
            elif pending is None:
                # Only 十 stands without a digit, first or after a zero (十五, 一千零十).
                if ch != "十" or (total and not after_zero):
                    return None
                total += unit
            else:
                total += pending * unit
            pending, last_unit, after_zero = None, unit, False
        else:
            return None
    if pending is not None:
        # 一百零五 = 105, but 一百二 = 120: a bare last digit counts in the next unit down.
        total += pending if after_zero or last_unit == 10_000 else pending * last_unit // 10
    return total
