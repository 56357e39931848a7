"""Turning a dateline into ISO 8601 (best effort; ``None`` when unsure).

Month names come from the vocabulary (``month_numbers``) so that dates in any supported
language parse; numeric forms are read as day-first unless the first number cannot be
a day, because most of the world writes 29.10.24 for the 29th of October, or unless the
page's other dates show it writes the month first (:func:`month_first`). Digits of any
script count (``\\d`` and ``int`` read Arabic-Indic ٢٩ as 29).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone

from cleaners.normalize import fold
from cleaners.vocab import Vocab

# Year first; Hungarian writes a dot and a space after each part: "2024. 11. 12. 14:35".
_ISO = re.compile(r"\b(\d{4})(?:[-/.]|\.\s)(\d{1,2})(?:[-/.]|\.\s)(\d{1,2})\.?"
                  r"(?:[T ,]+(\d{1,2}):(\d{2}))?")
# Czech, Slovak and formal German write a space after each dot: "12. 11. 2024, 14:35".
_DMY = re.compile(r"\b(\d{1,2})(?:[./-]|\.\s)(\d{1,2})(?:[./-]|\.\s)(\d{2,4})\b"
                  r"(?:,?\s*(\d{1,2}):(\d{2}))?")
# 09:12, 16h45, and after a date 08.45 (Indonesian sites: "29 Okt 2024 08.45 WIB"); a
# pair inside a longer run of numbers ("29.10.2024", "10.04.26") is a date, not a time.
_TIME = re.compile(r"(?<!\d[.:])\b(\d{1,2})(?:[:h](\d{2})|\.(\d{2})(?![.:]?\d))"
                   r"\s*([ap]\.?m\.?)?", re.I)
# Chinese, Japanese and Korean: 2024年10月29日, 2024년 10월 29일, 8時15分, 8시 45분 (no
# word boundary between a Han or Hangul character and a digit, so these are anchored on
# not-a-digit instead of \b).
_HAN_DATE = re.compile(r"(?<!\d)(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日号일]")
_HAN_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*[時时点시]\s*(\d{1,2})\s*[分분]")
# An explicit offset right after a time: Z, UTC, GMT, UTC+2, GMT+05:30 (seconds may come
# between), a bare +02:00/-0500 after seconds, or " +02:00". A "-HH:MM" right after hours
# and minutes is a range ("9:00-10:30", "10:00 -12:00 Uhr"), unless the time is ISO's.
_ZONE = re.compile(r"(?::\d{2}(?:[.,]\d+)?)?\s*\(?(?:UTC|GMT|Z\b)(?:\s*([+\-\u2212])"
                   r"(\d{1,2})(?::?(\d{2}))?)?\)?"
                   r"|(?::\d{2}(?:[.,]\d+)?\s*([+\-\u2212])|\s*(\+))(\d{2}):?(\d{2})\b")
_ISO_ZONE = re.compile(r"(?::\d{2}(?:[.,]\d+)?)?([+\-\u2212])(\d{2}):?(\d{2})\b")
_WORDS = re.compile(r"[^\W\d_]+\.?|\d+")
_MAX_MONTH_WORDS = 3  # "tháng mười một", "كانون الثاني"


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _marker(vocab: Vocab | None, before: str, after: str) -> str:
    """"pm" or "am" when the word right before or after a time says so (``words.time_pm``,
    ``words.time_am``: Korean "오후 3:12", Arabic "08:45 م"), else ""."""
    if vocab is None:
        return ""
    pm, am = vocab.word_set("time_pm"), vocab.word_set("time_am")
    if not pm and not am:
        return ""
    for side in (before.split()[-1:], after.split()[:1]):
        word = fold(side[0]) if side else ""
        if word in pm:
            return "pm"
        if word in am:
            return "am"
    return ""


def _zone(text: str, iso: bool = False) -> timezone | None:
    """The offset written right after a time: ``Z``, ``UTC``, ``GMT+2``, or ``+02:00``
    after seconds or an ISO time. Named zones (EST, CET, WIB, IST) are left out:
    several of them name more than one offset, and a wrong offset is worse than none."""
    z = _ZONE.match(text)
    if z:
        sign, hours, minutes = z.group(1) or z.group(4) or z.group(5), \
            z.group(2) or z.group(6), z.group(3) or z.group(7)
    elif iso and (z := _ISO_ZONE.match(text)):
        sign, hours, minutes = z.groups()
    else:
        return None
    if not sign:
        return UTC
    offset = int(hours) * 60 + int(minutes or 0)
    if int(hours) > 14 or int(minutes or 0) > 59:
        return None
    return timezone((-1 if sign in "-\u2212" else 1) * timedelta(minutes=offset))


def _time(text: str, vocab: Vocab | None, iso: bool = False
          ) -> tuple[int, int, timezone | None] | None:
    t = _TIME.search(text)
    if t:
        hour, minute = int(t.group(1)), int(t.group(2) or t.group(3))
        ampm = (t.group(4) or "").lower().replace(".", "") or _marker(
            vocab, text[:t.start()], text[t.end():])
    else:
        t = _HAN_TIME.search(text)
        if not t:
            return None
        hour, minute = int(t.group(1)), int(t.group(2))
        ampm = _marker(vocab, text[:t.start()], text[t.end():])
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return hour, minute, _zone(text[t.end():], iso)


def _with_time(day: date, after: str, before: str = "", vocab: Vocab | None = None,
               iso: bool = False) -> str:
    """The day with the time written after it, or else before it ("Cập nhật 08:45
    29/10/2024"); ``iso``: ``after`` is the time of an ISO date-time (after its T)."""
    hm = _time(after, vocab, iso)
    if hm is None and before:
        hm = _time(before, vocab)
    if hm is None:
        return day.isoformat()
    hour, minute, zone = hm
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=zone).isoformat(timespec="minutes")


def _year(y: int) -> int:
    return y + 2000 if y < 70 else (y + 1900 if y < 100 else y)


def month_first(texts: Iterable[str]) -> bool:
    """Whether a page writes its numeric dates month first ("8/27/2025"), as told by the
    dates on it that only one order can read: a first number over 12 is a day, a second
    one a month's day. Ties and pages without such a date are day-first, as
    :func:`parse_date` reads them, so "8/1/2025" beside "8/27/2025" is the 1st of August.
    """
    votes = 0
    for text in texts:
        if "/" not in text and "." not in text and "-" not in text:
            continue
        for m in _DMY.finditer(text):
            a, b = int(m.group(1)), int(m.group(2))
            if b > 12 >= a:
                votes += 1
            elif a > 12 >= b:
                votes -= 1
    return votes > 0


def parse_date(text: str, vocab: Vocab | None = None, *, month_first: bool = False
               ) -> str | None:
    m = _HAN_DATE.search(text)
    if m:
        day = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _with_time(day, text[m.end():], text[:m.start()], vocab) if day else None
    m = _ISO.search(text)
    if m:
        day = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        # "2024-03-14T09:12": no word boundary between the T and the hour for _TIME
        after = text[m.end(3):]
        iso = after[:1] == "T"
        after = after[1:] if iso else after
        return _with_time(day, after, text[:m.start()], vocab, iso) if day else None
    m = _DMY.search(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(int(m.group(3)))
        day = (_valid(y, a, b) or _valid(y, b, a)) if month_first else (
            _valid(y, b, a) or _valid(y, a, b))
        return _with_time(day, text[m.end(3):], text[:m.start()], vocab) if day else None
    months = vocab.month_numbers if vocab is not None else {}
    if not months:
        return None
    day = _named_month_date(_WORDS.findall(_TIME.sub(" ", text)), months)
    return _with_time(day, text, vocab=vocab) if day else None


def _named_month_date(tokens: list[str], months: dict[str, int]) -> date | None:
    """A date with its month named: the first month name (of up to three words:
    "tháng 10", "كانون الثاني"), the first plausible year, and the day number next to
    the month (before it, else after it), else the first one that can be a day.

    Times are taken out of the text first, so "10:02 Oct 24" has no "02" to misread.
    """
    month = None
    at = end = -1
    for i in range(len(tokens)):
        for n in range(min(_MAX_MONTH_WORDS, len(tokens) - i), 0, -1):
            if n == 1 and tokens[i].isdigit():
                break
            found = months.get(fold(" ".join(tokens[i:i + n])))
            if found:
                month, at, end = found, i, i + n
                break
        if month:
            break
    if not month:
        return None
    year = next((int(t) for k, t in enumerate(tokens) if not at <= k < end and t.isdigit()
                 and len(t) == 4 and 1900 < int(t) < 2200), None)

    def day_at(k: int) -> int | None:
        if 0 <= k < len(tokens) and not at <= k < end and tokens[k].isdigit():
            n = int(tokens[k])
            return n if 1 <= n <= 31 and len(tokens[k]) <= 2 else None
        return None

    dom = day_at(at - 1) or day_at(end)
    if dom is None:
        dom = next((d for k in range(len(tokens)) if (d := day_at(k))), None)
    if not (year and dom):
        return None
    return _valid(year, month, dom)
