"""Turning a dateline into ISO 8601 (best effort; ``None`` when unsure).

Month names come from the vocabulary (``month_numbers``) so that dates in any supported
language parse; numeric forms are read as day-first unless the first number cannot be
a day, because most of the world writes 29.10.24 for the 29th of October.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from cleaners.normalize import fold
from cleaners.vocab import Vocab

_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ,]+(\d{1,2}):(\d{2}))?")
_DMY = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b(?:,?\s*(\d{1,2}):(\d{2}))?")
_TIME = re.compile(r"\b(\d{1,2})[:h](\d{2})\s*([ap]\.?m\.?)?", re.I)  # 09:12, 16h45
# Chinese and Japanese: 2024年10月29日, 8時15分 (no word boundary between a Han character
# and a digit, so these are anchored on not-a-digit instead of \b).
_HAN_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_HAN_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*[時时点]\s*(\d{1,2})\s*分")
_WORDS = re.compile(r"[^\W\d_]+\.?|\d+")


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _with_time(day: date, text: str) -> str:
    t = _TIME.search(text) or _HAN_TIME.search(text)
    if not t:
        return day.isoformat()
    hour, minute = int(t.group(1)), int(t.group(2))
    ampm = (t.group(3) or "").lower().replace(".", "") if t.re is _TIME else ""
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return day.isoformat()
    return datetime(day.year, day.month, day.day, hour, minute).isoformat(timespec="minutes")


def _year(y: int) -> int:
    return y + 2000 if y < 70 else (y + 1900 if y < 100 else y)


def parse_date(text: str, vocab: Vocab | None = None) -> str | None:
    m = _HAN_DATE.search(text)
    if m:
        day = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _with_time(day, text[m.end():]) if day else None
    m = _ISO.search(text)
    if m:
        day = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _with_time(day, text[m.end(3):]) if day else None
    m = _DMY.search(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(int(m.group(3)))
        day = _valid(y, b, a) or _valid(y, a, b)
        return _with_time(day, text[m.end(3):]) if day else None
    months = vocab.month_numbers if vocab is not None else {}
    if not months:
        return None
    month = year = dom = None
    for tok in _WORDS.findall(text):
        if tok.isdigit():
            n = int(tok)
            if len(tok) == 4 and 1900 < n < 2200 and year is None:
                year = n
            elif 1 <= n <= 31 and dom is None:
                dom = n
        elif month is None:
            month = months.get(fold(tok))
    if month and year and dom:
        day = _valid(year, month, dom)
        return _with_time(day, text) if day else None
    return None
