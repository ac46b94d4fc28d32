"""Calendar and numeral helpers of the ``dates`` stage: small pure functions, each testable alone.

Nothing here looks at article text; ``extractor.dates`` finds the expressions and
calls these to turn their parts into closed date intervals.
"""
from __future__ import annotations

import calendar
import datetime as _dt
from typing import Optional

# one-to-one character folding (same length, so offsets into the folded string hold)
_FOLD_SRC = "０１２３４５６７８９：／．－～　○"
_FOLD_DST = "0123456789:/.-~ 〇"
FOLD = str.maketrans(_FOLD_SRC, _FOLD_DST)

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "仨": 3, "俩": 2}

GRAN_RANK = {"minute": 0, "day": 1, "xun": 2, "month": 3, "quarter": 4, "half": 5, "year": 6}


def fold(text: str) -> str:
    """Full-width digits and date punctuation to ASCII, character for character."""
    # one substring test per folded character is faster than a regex scan for the set of them
    # (and most texts, already normalized, hold none)
    return text.translate(FOLD) if any(map(text.__contains__, _FOLD_SRC)) else text


def cn_int(s: str) -> Optional[int]:
    """Value of a small number written in digits or Chinese numerals (``12``, ``十二``, ``二十三``, ``两``).

    Returns None for anything else. Handles only what dates need (0 … 99 with 十).
    """
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        try:
            return int(s)
        except ValueError:
            return None
    if "十" in s:
        head, _, tail = s.partition("十")
        if len(head) > 1 or len(tail) > 1:
            return None
        h = _CN_DIGIT.get(head, None) if head else 1
        t = _CN_DIGIT.get(tail, None) if tail else 0
        if h is None or t is None:
            return None
        return h * 10 + t
    if len(s) == 1:
        return _CN_DIGIT.get(s)
    return None


def cn_digits(s: str) -> Optional[int]:
    """A year written digit by digit (``二〇一九``, ``2019``, ``一九九八``)."""
    if s.isdigit():
        return int(s)
    out = 0
    for ch in s:
        v = _CN_DIGIT.get(ch)
        if v is None:
            return None
        out = out * 10 + v
    return out


def expand_two_digit_year(yy: int, reference_year: Optional[int]) -> int:
    """``15年`` → 2015, ``98年`` → 1998: the century that puts the year at most 10 years after the reference."""
    ref = reference_year or 2030
    y = 2000 + yy
    return y if y <= ref + 10 else 1900 + yy


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """``calendar.monthrange(year, month)[1]`` without the weekday it also computes."""
    if not 1 <= month <= 12:
        raise calendar.IllegalMonthError(month)
    return 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month]


def month_end(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, days_in_month(year, month))


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= days_in_month(year, month)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def shift_years(d: _dt.date, years: int) -> _dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def shift_months(d: _dt.date, months: int) -> _dt.date:
    y, m = shift_month(d.year, d.month, months)
    return _dt.date(y, m, min(d.day, days_in_month(y, m)))


def year_bounds(year: int) -> tuple[_dt.date, _dt.date]:
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31)


def month_bounds(year: int, month: int) -> tuple[_dt.date, _dt.date]:
    return _dt.date(year, month, 1), month_end(year, month)


def months_bounds(year: int, first: int, last: int) -> tuple[_dt.date, _dt.date]:
    return _dt.date(year, first, 1), month_end(year, last)


def finer(a: Optional[str], b: Optional[str]) -> Optional[str]:
    """The finer of two granularities (``day`` over ``month``)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if GRAN_RANK.get(a, 9) <= GRAN_RANK.get(b, 9) else b
