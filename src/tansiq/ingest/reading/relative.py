"""The phrase rules behind :func:`tansiq.ingest.reading.dates.find_dates`.

Each rule is a regular expression over the folded sentence (``text.normal``: lower case,
no hamza or harakat, ة as ه, ی as ي…) and a resolver against the publication time in
Baghdad. Where two rules match overlapping words the longer, earlier match wins, so
"since the middle of last month" is one range and not also "last month".
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Final

from tansiq.ingest.reading.calendar import MONTHS, WEEKDAYS, alternation
from tansiq.ingest.reading.dates import When, day_range
from tansiq.ingest.reading.text import normal as _n

_WD: Final = alternation(WEEKDAYS)
_MON: Final = alternation(MONTHS)
_B: Final = r"(?<!\w)(?:[وف](?=ال|ل|ب))?"  # a word start, allowing و/ف glued on
_NUM_EN: Final = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                  "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a few": 3}
_NUM_AR: Final = {_n(k): v for k, v in {"ثلاثة": 3, "أربعة": 4, "خمسة": 5, "ستة": 6,
                  "سبعة": 7, "عشرة": 10, "دوو": 2, "سێ": 3, "چوار": 4, "پێنج": 5}.items()}
_YESTERDAY: Final = {"yesterday", _n("أمس"), _n("البارحة"), _n("دوێنێ")}
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
_FUTURE: Final = re.compile(
    r"\b(?:will|shall|would|is to|are to|going to|scheduled|expected to|plans? to|intends? to|"
    r"next|upcoming|coming)\b|" + "|".join(_n(w) for w in (
        "سوف", "سيعقد", "ستعقد", "سيتم", "ستتم", "سيجري", "ستجري", "سيزور", "سيصل", "ستصل",
        "ستنتشر", "سينتشر", "ستباشر", "سيباشر", "ستبدأ", "سيبدأ", "سيكون", "ستكون", "المقبل",
        "المقبلة", "القادم", "القادمة", "داهاتوو", "دەکرێت", "دەبێت")))

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
    return _NUM_EN.get(raw, _NUM_AR.get(raw, 1))


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


def _weekday(m: re.Match[str], pub: datetime, future: bool) -> When | None:
    weekday = WEEKDAYS[m["wd"]]
    anchor, rel = m.groupdict().get("anchor"), m.groupdict().get("rel")
    part = _part_of(m)
    note = ""
    if anchor:
        expected = pub.date() - timedelta(days=1 if anchor in _YESTERDAY else 0)
        if expected.weekday() == weekday:
            day = expected
        else:
            day = _weekday_near(pub.date(), weekday, future=False, strict=anchor in _YESTERDAY)
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


def _offset(days: int, part: str | None = None) -> Resolver:
    def resolve(m: re.Match[str], pub: datetime, future: bool) -> When:
        day = pub.date() + timedelta(days=days)
        if part == "overnight":
            start, _ = day_range(day - timedelta(days=1), 18)
            _, end = day_range(day, 0, 7)
            return When(start, end, "day", "occurred", m[0])
        return _day_when(day, part or _part_of(m), "occurred", m[0])

    return resolve


def _ago(m: re.Match[str], pub: datetime, future: bool) -> When:
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


def _since(m: re.Match[str], pub: datetime, future: bool) -> When:
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


def _deadline(m: re.Match[str], pub: datetime, future: bool) -> When:
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


def _range(m: re.Match[str], pub: datetime, future: bool) -> When:
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


def _absolute(m: re.Match[str], pub: datetime | None, future: bool) -> When | None:
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


_PART_EN = r"(?:(?P<part>dawn|daybreak|noon|midnight|early|late)\s+(?:on\s+)?)?"
_PART_AR = "(?:(?P<partar>" + "|".join(_n(w) for w in (
    "مساء", "صباح", "ليلة", "فجر", "ظهر", "ظهيرة", "عصر", "بەرەبەیانی", "بەیانی", "ئێوارەی",
    "شەوی")) + r")\s+)?(?:(?:يوم|" + _n("ڕۆژی") + r")\s+)?"
_REL_AR = "|".join(_n(w) for w in ("الماضي", "المقبل", "القادم", "ڕابردوو", "داهاتوو"))
_ANCHOR = "|".join(sorted(_YESTERDAY | {"today", _n("اليوم"), _n("ئەمڕۆ")}, key=len, reverse=True))
_THIS_AR = "|".join(_n(w) for w in ("الجاري", "الحالي", "الحالية", "الجارية", "الماضي",
                                    "الماضية", "المنصرم", "الفائت", "المقبل", "القادم"))
_POS_AR = "|".join(_n(w) for w in ("مطلع", "بداية", "أوائل", "منتصف", "أواسط", "أواخر", "نهاية"))
_UNIT_AR = "|".join(_n(w) for w in ("الشهر", "العام", "السنة", "الأسبوع"))
_DAYS_AR = "|".join(_n(w) for w in ("ساعة", "ساعات", "ساعتين", "يوم", "يومين", "أيام",
                                    "أسبوع", "أسبوعين", "أسابيع", "شهر", "شهرين", "أشهر"))
_NUMS = "|".join(["\\d+", *_NUM_EN, *_NUM_AR])

RULES: Final[tuple[tuple[re.Pattern[str], Resolver], ...]] = tuple(
    (re.compile(pattern), resolver) for pattern, resolver in (
        # yesterday, Wednesday | أمس الأربعاء | دوێنێ چوارشەممە
        (_B + _PART_AR + r"(?P<anchor>" + _ANCHOR + r")\W+(?:on\s+)?(?P<wd>" + _WD + ")", _weekday),
        (r"\b(?:(?P<rel>last|next|this|coming|past)\s+)?" + _PART_EN + r"(?P<wd>" + _WD
         + r")(?:\s+(?P<part2>morning|afternoon|evening|night))?\b", _weekday),
        (_B + _PART_AR + r"(?P<wd>" + _WD + r")(?:ي)?(?:\s+(?P<rel>" + _REL_AR + "))?", _weekday),
        (r"\b(?:the\s+)?day\s+before\s+yesterday\b|" + _B + "(?:" + _n("أول أمس") + "|"
         + _n("أول من أمس") + "|" + _n("پێری") + ")", _offset(-2)),
        (r"\b(?:last\s+night|overnight)\b|" + _B + "(?:" + _n("الليلة الماضية") + "|"
         + _n("ليلة أمس") + "|" + _n("دوێنێ شەو") + "|" + _n("شەوی ڕابردوو") + ")",
         _offset(0, "overnight")),
        (r"\byesterday(?:\s+(?P<part>morning|afternoon|evening))?\b|" + _B + _PART_AR
         + "(?:" + _n("أمس") + "|" + _n("البارحة") + "|" + _n("دوێنێ") + ")(?!\\w)", _offset(-1)),
        (r"\b(?:earlier\s+)?today\b|\bthis\s+(?P<part>morning|afternoon|evening)\b|\btonight\b|"
         + _B + _PART_AR + "(?:" + _n("اليوم") + "|" + _n("ئەمڕۆ") + ")(?!\\w)", _offset(0)),
        (r"\b(?P<n>" + _NUMS + r")\s+(?P<unit>days?|weeks?|months?)\s+ago\b", _ago),
        (_B + _n("قبل") + r"\s+(?:(?P<n>" + _NUMS + r")\s+)?(?P<unit>" + _DAYS_AR + r")(?!\w)",
         _ago),
        (r"(?:" + _n("پێش") + r"\s+)?(?P<n>" + _NUMS + r")\s+(?P<unit>" + _n("ڕۆژ") + "|"
         + _n("هەفتە") + "|" + _n("مانگ") + r")\s+(?:" + _n("لەمەوبەر") + "|" + _n("پێش") + ")",
         _ago),
        (r"\bsince\s+(?:the\s+)?(?:(?P<pos>start|beginning|middle|mid|end|early|late)(?:\s+of)?"
         r"\s+)?(?:(?:(?P<rel>last|this|the current|the past|the previous|next)\s+)?"
         r"(?P<unit>month|year|week)\b|(?P<mon>" + _MON + r")\b|(?:last\s+)?(?P<wd>" + _WD + "))",
         _since),
        (_B + _n("منذ") + r"\s+(?:(?P<pos>" + _POS_AR + r")\s+)?(?:(?:يوم\s+)?(?P<wd>" + _WD
         + r")|(?:شهر\s+)?(?P<mon>" + _MON + r")|(?P<unit>" + _UNIT_AR + r")(?:\s+(?P<rel>"
         + _THIS_AR + "))?)", _since),
        (r"(?:" + _n("لە") + r"\s+)?(?:(?P<pos>" + _n("سەرەتای") + "|" + _n("ناوەڕاستی") + "|"
         + _n("کۆتایی") + r")\s+)?(?:(?P<unit>" + _n("مانگی") + "|" + _n("ساڵی") + "|"
         + _n("هەفتەی") + r")\s+(?P<rel>" + _n("ڕابردوو") + r")|(?P<rel2>" + _n("ئەم")
         + r")\s+(?P<unit2>" + _n("مانگە") + "|" + _n("ساڵە") + "|" + _n("هەفتەیە") + r"))(?:"
         + _n("ەوە") + "|" + _n("وە") + ")", _since),
        (r"\b(?:before|by|until|till|no later than|ahead of)\s+the\s+(?P<end>end)\s+of\s+"
         r"(?:(?P<rel>this|the current|next|the)\s+)?(?P<unit>month|week|year)\b", _deadline),
        (_B + r"(?:" + _n("قبل") + "|" + _n("حتى") + "|" + _n("مع") + "|" + _n("بحلول")
         + r")\s+(?P<end>" + _n("نهاية") + r")\s+(?P<unit>" + _UNIT_AR + r")(?:\s+(?P<rel>"
         + _THIS_AR + "))?", _deadline),
        (r"(?:" + _n("پێش") + "|" + _n("تا") + r")\s+(?P<end>" + _n("کۆتایی") + r")\s+(?:"
         + _n("ئەم") + r"\s+)?(?P<unit>" + _n("مانگ") + r"\w*|" + _n("ساڵ") + r"\w*|"
         + _n("هەفتە") + r"\w*)(?:\s+(?P<rel>" + _n("داهاتوو") + "))?", _deadline),
        (r"\bwithin\s+(?:the\s+next\s+)?(?P<n>" + _NUMS + r")\s+(?P<unit>hours?|days?|weeks?|"
         r"months?)\b|\bin\s+the\s+(?P<vague>coming|next\s+few)\s+(?P<unit2>days|weeks)\b",
         lambda m, p, f: _deadline(_fix_unit(m), p, f)),
        (_B + r"(?:" + _n("خلال") + "|" + _n("في غضون") + "|" + _n("غضون") + r")\s+(?:(?P<n>"
         + _NUMS + r")\s+)?(?P<unit>" + _DAYS_AR + r")(?!\s+" + _n("الماضية") + r")(?!\s+"
         + _n("الماضي") + r")(?!\w)", _deadline),
        (r"\bby\s+(?P<wd>" + _WD + r")\b", _deadline),
        (r"\b(?:(?P<pos>early|mid|late)\s+)?(?:(?P<rel>last|this|next|past)|earlier\s+this)\s+"
         r"(?P<unit>week|month|year)\b", _range),
        (_B + r"(?:(?P<pos>" + _POS_AR + r")\s+)?(?P<unit>" + _UNIT_AR + r")\s+(?P<rel>"
         + _THIS_AR + r")(?!\w)", _range),
        (r"(?P<unit>" + _n("هەفتەی") + "|" + _n("مانگی") + "|" + _n("ساڵی") + r")\s+(?P<rel>"
         + _n("ڕابردوو") + "|" + _n("داهاتوو") + r")(?!\w)", _range),
        (r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|ي)?\s+(?:of\s+|من\s+)?(?:شهر\s+|" + _n("مانگی")
         + r"\s+)?(?P<mon>" + _MON + r")(?!\w)(?:ي)?(?:,?\s+(?:(?:من\s+)?(?:عام|سنه|العام)\s+)?"
         r"(?P<y>\d{4}))?", _absolute),
        (r"\b(?P<mon>" + _MON + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?",
         _absolute),
        (r"(?<!\d)(?P<d>\d{1,2})\s+من\s+(?:الشهر|شهر)\s+(?P<rel>" + _THIS_AR + ")", _absolute),
    )
)
_TIMES: Final = (
    re.compile(r"\bat\s+(?:around\s+|about\s+|approximately\s+)?(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?"
               r"\s*(?P<ampm>a\.?m\.?|p\.?m\.?)"),
    re.compile(r"\b(?P<h>\d{1,2}):(?P<mi>\d{2})\s*(?P<ampm>a\.?m\.?|p\.?m\.?|hrs|hours|local)"),
    re.compile(_n("الساعة") + r"\s+(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?(?:\s+(?:من\s+)?(?P<ampm>"
               + "|".join(_n(w) for w in ("صباحا", "صباح", "مساء", "مساءً", "ليلا", "ليل",
                                          "ظهرا", "فجرا", "فجر", "عصرا")) + "))?"),
    re.compile(_n("کاتژمێر") + r"\s+(?P<h>\d{1,2})(?::(?P<mi>\d{2}))?"),
)
_PM: Final = ("p", _n("مساء"), _n("ليلا"), _n("ليل"), _n("عصرا"))


def _fix_unit(m: re.Match[str]) -> re.Match[str]:
    return m if m.groupdict().get("unit") else _Unit2(m)  # type: ignore[return-value]


class _Unit2:
    """A match whose ``unit`` is read from its ``unit2`` group (one alternation, two names)."""

    def __init__(self, m: re.Match[str]) -> None:
        self._m = m

    def __getitem__(self, key: str | int) -> str:
        return self._m["unit2"] if key == "unit" else self._m[key]

    def groupdict(self) -> dict[str, str | None]:
        groups = self._m.groupdict()
        groups["unit"] = groups["unit2"]
        return groups


def _hour(m: re.Match[str]) -> tuple[int, int] | None:
    hour, minute = int(m["h"]), int(m.groupdict().get("mi") or 0)
    ampm = (m.groupdict().get("ampm") or "").replace(".", "")
    if ampm.startswith(_PM) and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    return (hour, minute) if hour < 24 and minute < 60 else None


_SAID: Final = re.compile(
    r"(?:said|says|announced|stated|reported|added|confirmed|revealed|declared|told [\w ]{1,30}?)"
    r"\s+(?:in a statement\s+)?(?:that\s+)?(?:on\s+|late\s+|early\s+)?$|(?<!\w)(?:" + "|".join(
        _n(w) for w in ("قال", "قالت", "أعلن", "أعلنت", "ذكر", "ذكرت", "أفاد", "أفادت", "صرح",
                        "أكد", "أكدت", "أوضح", "ڕایگەیاند", "وتی")) + r")\W+(?:\w+\W+){0,6}$"
)


def resolve(text: str, pub: datetime | None) -> list[When]:
    """Every time ``text`` (folded) names, resolved against ``pub``; see ``dates.find_dates``."""
    future = bool(_FUTURE.search(text))
    hits: list[tuple[int, int, When]] = []
    for pattern, resolver in RULES:
        if pub is None and resolver is not _absolute:
            continue
        for m in pattern.finditer(text):
            when = resolver(m, pub, future)  # type: ignore[arg-type]
            if when is not None and _SAID.search(text[max(0, m.start() - 60) : m.start()]):
                when = replace(when, reported=True)
            if when is not None:
                hits.append((m.start(), m.end(), when))
    hits.sort(key=lambda hit: (hit[0], -hit[1]))
    chosen: list[tuple[int, int, When]] = []
    for hit in hits:
        if not chosen or hit[0] >= chosen[-1][1]:
            chosen.append(hit)
        elif hit[1] - hit[0] > chosen[-1][1] - chosen[-1][0] and hit[0] < chosen[-1][1]:
            chosen[-1] = hit
    found = [when for _, _, when in chosen]
    return _with_time(text, found, pub)


def _with_time(text: str, found: list[When], pub: datetime | None) -> list[When]:
    """Narrow the first day-long time to the hour the sentence gives, if it gives one."""
    for pattern in _TIMES:
        m = pattern.search(text)
        if m is None or (clock := _hour(m)) is None:
            continue
        days = [i for i, w in enumerate(found) if w.role in ("occurred", "planned")
                and w.precision == "day"]
        if days:
            when = found[days[0]]
            base = when.start.replace(hour=0, minute=0, second=0)
            at = base + timedelta(hours=clock[0], minutes=clock[1])
            if at < when.start:  # "last night at 1 am" is the next calendar day
                at += timedelta(days=1)
            found[days[0]] = replace(when, start=at, end=at, precision="exact")
        elif pub is not None:
            at = pub.replace(hour=clock[0], minute=clock[1], second=0, microsecond=0)
            at = at if at <= pub else at - timedelta(days=1)
            found.append(When(at, at, "exact", "occurred", m[0]))
        break
    return found
