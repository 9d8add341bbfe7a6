"""Dates in articles: the publication stamp, and what the body says relative to it.

:func:`parse_datetime` reads a stamp in the forms outlets print (``02/20/2020 11:22:38``,
``20 February 2020``, ISO 8601, ``20 شباط 2020`` with Iraqi month names, Sorani
``٢٠ی شوباتی ٢٠٢٠``). :func:`find_dates` resolves what a sentence says against the
publication time: "yesterday, Wednesday" (checked against the weekday), "on Thursday",
"two days ago", "since the middle of last month" (a range up to publication), "before the
end of this month" (a deadline), in English, Arabic and Sorani (``relative.py`` holds the
phrase rules). Times without a zone are Baghdad time; every answer is zone-aware.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from tansiq.ingest.reading.calendar import MONTHS, alternation
from tansiq.ingest.reading.text import ascii_digits, normal

BAGHDAD: Final = ZoneInfo("Asia/Baghdad")

_MON: Final = alternation(MONTHS)
_TIME: Final = (
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\.\d+)?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?|ص|م|صباحا|مساء)?(?![\d:])"
)
_ZONE: Final = r"\s*(?P<z>z|utc|gmt|[+-]\d{2}:?\d{2}|(?:gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?)?"
_SEP: Final = r"(?:\s*(?:[,|–—-]|\bat\b|\bon\b|الساعة|الساعه|ساعت)?\s*)"
_ISO: Final = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?:[t\s]+" + _TIME + _ZONE + ")?", re.I
)
_NUMERIC: Final = re.compile(
    r"(?<![\d/.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})(?:" + _SEP + _TIME + _ZONE + ")?"
)
_YMD: Final = re.compile(
    r"(?<![\d/])(?P<y>\d{4})/(?P<mo>\d{1,2})/(?P<d>\d{1,2})(?:" + _SEP + _TIME + _ZONE + ")?"
)
# 20 February 2020 | 20 شباط 2020 | ٢٠ی شوباتی ٢٠٢٠ | February 20, 2020 — then a time.
_DAY_MONTH: Final = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|ي)?\s+(?:من\s+)?(?:شهر\s+|مانگي\s+)?(?P<mon>" + _MON
    + r")(?:ي)?\.?,?\s+(?:من\s+)?(?:عام\s+|سنه\s+|لعام\s+|ساليي?\s+)?(?P<y>\d{4})(?:ي)?"
    r"(?:" + _SEP + _TIME + _ZONE + ")?"
)
_MONTH_DAY: Final = re.compile(
    r"\b(?P<mon>" + _MON + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
    r"(?:" + _SEP + _TIME + _ZONE + ")?"
)


@dataclass(frozen=True, slots=True)
class When:
    """A time a sentence names: an inclusive range, how precise, and what it is.

    ``role`` is ``occurred`` (the event's time), ``since`` (a range up to publication),
    ``planned`` (a future time) or ``deadline`` (``end`` is the deadline); ``reported``
    marks the day something was said rather than done.
    """

    start: datetime
    end: datetime
    precision: str
    role: str
    phrase: str
    note: str = ""
    reported: bool = False  # the day it was said ("the ministry said on Sunday")


def day_range(day: date, first_hour: int = 0, last_hour: int = 24) -> tuple[datetime, datetime]:
    """Baghdad-time bounds of ``day`` from ``first_hour`` to just before ``last_hour``."""
    start = datetime.combine(day, time(), BAGHDAD) + timedelta(hours=first_hour)
    end = datetime.combine(day, time(), BAGHDAD) + timedelta(hours=last_hour, seconds=-1)
    return start, end


def _zone(raw: str | None) -> tzinfo:
    """The zone a stamp names (``Z``, ``+03:00``, ``GMT+3``); Baghdad when it names none."""
    if not raw:
        return BAGHDAD
    raw = raw.replace(" ", "").lower()
    if raw in ("z", "utc", "gmt"):
        return UTC
    sign = -1 if "-" in raw else 1
    digits = re.sub(r"\D", "", raw)
    hours, minutes = (int(digits[:2]), int(digits[2:4] or 0)) if len(digits) > 2 else (
        int(digits),
        0,
    )
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(y: int, mo: int, d: int, m: re.Match[str]) -> tuple[datetime, bool] | None:
    groups = m.groupdict()
    hour = minute = second = 0
    has_time = groups.get("h") is not None
    if has_time:
        hour, minute, second = int(groups["h"]), int(groups["mi"]), int(groups["s"] or 0)
        ampm = (groups.get("ampm") or "").replace(".", "").replace(" ", "")
        if ampm in ("pm", "م", "مساء") and hour < 12:
            hour += 12
        elif ampm in ("am", "ص", "صباحا") and hour == 12:
            hour = 0
    try:
        value = datetime(y, mo, d, hour, minute, second, tzinfo=_zone(groups.get("z")))
    except ValueError:
        return None
    return value.astimezone(BAGHDAD), has_time


def parse_datetime(text: str, *, day_first: bool = False) -> tuple[datetime, bool] | None:
    """The first date (and time) printed in ``text``, in Baghdad time, and whether it has a
    time of day; None when there is none. ``day_first`` reads ``05/04/2020`` as 5 April
    (Arabic outlets) rather than May 4; an impossible reading is never taken."""
    plain = ascii_digits(text)
    found: list[tuple[int, tuple[datetime, bool]]] = []
    for m in _ISO.finditer(plain):
        if (built := _build(int(m["y"]), int(m["mo"]), int(m["d"]), m)) is not None:
            found.append((m.start(), built))
            break
    for m in _YMD.finditer(plain):
        if (built := _build(int(m["y"]), int(m["mo"]), int(m["d"]), m)) is not None:
            found.append((m.start(), built))
            break
    for m in _NUMERIC.finditer(plain.lower()):
        a, b = int(m["a"]), int(m["b"])
        day, month = (a, b) if (day_first or a > 12) and b <= 12 else (b, a)
        if (built := _build(int(m["y"]), month, day, m)) is not None:
            found.append((m.start(), built))
            break
    folded = normal(text)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(folded):
            built = _build(int(m["y"]), MONTHS[m["mon"]], int(m["d"]), m)
            if built is not None:
                # Positions in the folded text are close enough to order the hits.
                found.append((m.start(), built))
                break
    if not found:
        return None
    return min(found, key=lambda hit: hit[0])[1]


def find_dates(sentence: str, published: datetime | None) -> list[When]:
    """The times ``sentence`` names, resolved against ``published``, in text order.

    Without a publication time only absolute dates with a year are found.
    """
    from tansiq.ingest.reading.relative import resolve

    return resolve(normal(sentence), published.astimezone(BAGHDAD) if published else None)
