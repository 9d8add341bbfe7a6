"""Resolvers of the relative-date rules: a match and the publication time to a ``When``.

``relative.py`` holds the patterns; each resolver here turns one pattern's match into
Baghdad-time bounds (weeks run Saturday to Friday, as Iraq's working week does).
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Final

from tansiq.ingest.reading.calendar import MONTHS, WEEKDAYS
from tansiq.ingest.reading.dates import When, day_range
from tansiq.ingest.reading.text import normal as _n

B: Final = r"(?<!\w)(?:[وف](?=ال|ل|ب))?"  # a word start, allowing و/ف glued on
NUM_EN: Final = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                  "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a few": 3}
NUM_AR: Final = {_n(k): v for k, v in {"ثلاثة": 3, "أربعة": 4, "خمسة": 5, "ستة": 6,
                  "سبعة": 7, "عشرة": 10, "دوو": 2, "سێ": 3, "چوار": 4, "پێنج": 5}.items()}
YESTERDAY: Final = {"yesterday", _n("أمس"), _n("البارحة"), _n("دوێنێ")}
_PARTS: Final = {
    "dawn": (3, 7), "daybreak": (3, 7), "morning": (6, 12), "noon": (11, 14),
    "afternoon": (12, 18), "evening": (16, 24), "night": (18, 24), "late": (16, 24),
    "early": (0, 12), "midnight": (23, 24), _n("فجر"): (3, 7), _n("صباح"): (6, 12),
    _n("ظهر"): (11, 15), _n("ظهيرة"): (11, 15), _n("عصر"): (14, 18), _n("مساء"): (16, 24),
    _n("بەرەبەیانی"): (3, 7), _n("بەیانی"): (6, 12), _n("ئێوارەی"): (16, 24),
    _n("شەوی"): (18, 24),
}
_EVE: Final = _n("ليلة")  # ليلة الخميس: the night before Thursday, by Arabic reckoning
_NEXT: Final = {"next", "coming", _n("المقبل"), _n("القادم"), _n("داهاتوو")}
_LAST: Final = {"last", "past", "previous", _n("الماضي"), _n("الماضية"), _n("المنصرم"),
                _n("الفائت"), _n("ڕابردوو")}
Resolver = Callable[[re.Match[str], datetime, bool], When | None]


def _unit(word: str) -> str:
    for unit, names in (
        ("hour", ("hour", "ساعه", "ساعات", "ساعتين", "كاتژمير")),
        ("day", ("day", "يوم", "يومين", "ايام", "روژ")),
        ("week", ("week", "اسبوع", "اسبوعين", "اسابيع", "ههفته")),
        ("month", ("month", "شهر", "شهرين", "اشهر", "مانگ")),
        ("year", ("year", "عام", "العام", "السنه", "سال")),
    ):
        if any(word.startswith(name) or word.startswith("ال" + name) for name in names):
            return unit
    return "day"


def _count(raw: str | None, unit_word: str) -> int:
    if unit_word.endswith(("ين", "تين")) and not unit_word.endswith("اسابيع"):
        return 2  # Arabic dual: يومين, اسبوعين, ساعتين
    if not raw:
        return 1
    if raw.isdigit():
        return int(raw)
    return NUM_EN.get(raw, NUM_AR.get(raw, 1))


def _period(unit: str, rel: str | None, pub: datetime) -> tuple[date, date]:
    """The calendar week (Saturday-Friday), month or year ``rel`` to publication."""
    today = pub.date()
    step = -1 if rel in _LAST else 1 if rel in _NEXT else 0
    if unit == "year":
        return date(today.year + step, 1, 1), date(today.year + step, 12, 31)
    if unit == "week":
        start = today - timedelta(days=(today.weekday() - 5) % 7) + timedelta(weeks=step)
        return start, start + timedelta(days=6)
    month = today.month + step
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1), date(year, month, _calendar.monthrange(year, month)[1])


def _at_position(first: date, last: date, pos: str | None) -> tuple[date, str]:
    """Where in a period ``pos`` (start, middle, end…) points, and how precisely."""
    if pos in (None, ""):
        return first, "month"
    if pos in ("start", "beginning", _n("مطلع"), _n("بداية"), _n("سەرەتای")):
        return first, "day"
    if pos in ("middle", "mid", _n("منتصف"), _n("أواسط"), _n("ناوەڕاستی")):
        return first + (last - first) / 2, "week"
    if pos in ("early", _n("أوائل")):
        return first, "week"
    return last - timedelta(days=9), "week"  # end, late, أواخر, نهاية, کۆتایی


def _weekday_near(today: date, weekday: int, *, future: bool, strict: bool) -> date:
    if future:
        ahead = (weekday - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)
    back = (today.weekday() - weekday) % 7
    return today - timedelta(days=back or (7 if strict else 0))


def _part_of(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    return groups.get("part") or groups.get("part2") or groups.get("partar")


def _day_when(day: date, part: str | None, role: str, phrase: str, note: str = "") -> When:
    if part == _EVE:
        start, _ = day_range(day - timedelta(days=1), 18)
        _, end = day_range(day, 0, 6)
    else:
        start, end = day_range(day, *_PARTS.get(part or "", (0, 24)))
    return When(start, end, "day", role, phrase, note)


def weekday_when(m: re.Match[str], pub: datetime, future: bool) -> When | None:
    weekday = WEEKDAYS[m["wd"]]
    anchor, rel = m.groupdict().get("anchor"), m.groupdict().get("rel")
    part = _part_of(m)
    note = ""
    if anchor:
        expected = pub.date() - timedelta(days=1 if anchor in YESTERDAY else 0)
        if expected.weekday() == weekday:
            day = expected
        else:
            day = _weekday_near(pub.date(), weekday, future=False, strict=anchor in YESTERDAY)
            note = f"'{m[0]}' does not fit {expected:%A}; took {day:%A %d %B %Y}"
    elif rel in _NEXT:
        day = _weekday_near(pub.date(), weekday, future=True, strict=True)
    elif rel in _LAST:
        day = _weekday_near(pub.date(), weekday, future=False, strict=True)
    else:
        day = _weekday_near(pub.date(), weekday, future=future, strict=False)
    when = _day_when(day, part, "planned" if day > pub.date() else "occurred", m[0], note)
    if not future and when.start > pub:
        # "Thursday night" in a paper of Thursday noon: the small hours before it went out
        when = When(day_range(day)[0], pub, "day", "occurred", m[0], note)
    return when


def offset_when(days: int, part: str | None = None) -> Resolver:
    def resolve(m: re.Match[str], pub: datetime, future: bool) -> When:
        day = pub.date() + timedelta(days=days)
        if part == "overnight":
            start, _ = day_range(day - timedelta(days=1), 18)
            _, end = day_range(day, 0, 7)
            return When(start, end, "day", "occurred", m[0])
        return _day_when(day, part or _part_of(m), "occurred", m[0])

    return resolve


def ago_when(m: re.Match[str], pub: datetime, future: bool) -> When:
    unit = _unit(m["unit"])
    n = _count(m.groupdict().get("n"), m["unit"])
    days = {"day": 1, "week": 7, "month": 30, "year": 365}.get(unit, 1) * n
    day = pub.date() - timedelta(days=days)
    if unit == "day":
        return _day_when(day, None, "occurred", m[0])
    slack = timedelta(days=3 if unit == "week" else 10)
    start, _ = day_range(day - slack)
    _, end = day_range(min(day + slack, pub.date()))
    return When(start, end, "week" if unit == "week" else "month", "occurred", m[0])


def since_when(m: re.Match[str], pub: datetime, future: bool) -> When:
    groups = m.groupdict()
    if groups.get("wd"):
        first = _weekday_near(pub.date(), WEEKDAYS[groups["wd"]], future=False, strict=True)
        precision = "day"
    elif groups.get("mon"):
        month = MONTHS[groups["mon"]]
        year = pub.year if month <= pub.month else pub.year - 1
        first, precision = _at_position(
            date(year, month, 1),
            date(year, month, _calendar.monthrange(year, month)[1]),
            groups.get("pos"),
        )
    else:
        unit = _unit(groups.get("unit") or groups.get("unit2") or "month")
        rel = groups.get("rel") or groups.get("rel2")
        period = _period(unit, rel, pub)
        first, precision = _at_position(*period, groups.get("pos"))
        if not groups.get("pos") and unit == "year":
            precision = "month"
    start, _ = day_range(first)
    return When(start, pub, precision, "since", m[0])


def deadline_when(m: re.Match[str], pub: datetime, future: bool) -> When:
    groups = m.groupdict()
    if groups.get("end"):
        _, last = _period(_unit(groups["unit"]), groups.get("rel"), pub)
        _, end = day_range(last)
        precision = "day"
    elif groups.get("wd"):
        _, end = day_range(_weekday_near(pub.date(), WEEKDAYS[groups["wd"]], future=True,
                                         strict=True))
        precision = "day"
    else:
        unit = _unit(groups["unit"])
        n = _count(groups.get("n"), groups["unit"])
        if groups.get("vague"):
            n = 3 if unit == "week" else 7
            unit = "day" if unit == "day" else unit
        span = {"hour": timedelta(hours=n), "day": timedelta(days=n),
                "week": timedelta(weeks=n), "month": timedelta(days=30 * n),
                "year": timedelta(days=365 * n)}[unit]
        end = pub + span
        precision = "exact" if unit == "hour" else "day" if unit == "day" else "week"
    return When(pub, end, precision, "deadline", m[0])


def range_when(m: re.Match[str], pub: datetime, future: bool) -> When:
    groups = m.groupdict()
    unit = _unit(groups["unit"])
    rel = groups.get("rel") or ""
    first, last = _period(unit, rel, pub)
    if rel in ("past", _n("الماضية")) and unit == "week":
        first, last = pub.date() - timedelta(days=7), pub.date() - timedelta(days=1)
    pos = groups.get("pos")
    if pos:
        anchor, _ = _at_position(first, last, pos)
        first, last = anchor - timedelta(days=4), min(anchor + timedelta(days=4), last)
        if pos in ("early", "start", "beginning", _n("مطلع"), _n("بداية"), _n("أوائل")):
            first, last = anchor, anchor + timedelta(days=9)
    role = "planned" if first > pub.date() else "occurred"
    last = last if role == "planned" else min(last, pub.date())
    start, _ = day_range(first)
    _, end = day_range(last)
    return When(start, end, "week" if unit == "week" or pos else "month", role, m[0])


def absolute_when(m: re.Match[str], pub: datetime | None, future: bool) -> When | None:
    groups = m.groupdict()
    if groups.get("mon"):
        month = MONTHS[groups["mon"]]
    elif pub is not None:
        month = _period("month", groups.get("rel"), pub)[0].month
    else:
        return None
    year = int(groups["y"]) if groups.get("y") else None
    if year is None:
        if pub is None:
            return None
        year = pub.year
        if not future and date(year, month, 1) > pub.date():
            year -= 1
    try:
        day = date(year, month, int(groups["d"]))
    except ValueError:
        return None
    role = "planned" if pub is not None and day > pub.date() else "occurred"
    return _day_when(day, None, role, m[0])


