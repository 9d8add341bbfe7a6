"""The phrase rules behind :func:`tansiq.ingest.reading.dates.find_dates`.

Each rule is a regular expression over the folded sentence (``text.normal``: lower case,
no hamza or harakat, ة as ه, ی as ي…) and a resolver against the publication time in
Baghdad. Where two rules match overlapping words the longer, earlier match wins, so
"since the middle of last month" is one range and not also "last month".
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Final

from tansiq.ingest.reading.calendar import MONTHS, WEEKDAYS, alternation
from tansiq.ingest.reading.dates import When
from tansiq.ingest.reading.resolvers import (
    NUM_AR,
    NUM_EN,
    YESTERDAY,
    B,
    Resolver,
    absolute_when,
    ago_when,
    deadline_when,
    offset_when,
    range_when,
    since_when,
    weekday_when,
)
from tansiq.ingest.reading.text import normal as _n

_WD: Final = alternation(WEEKDAYS)
_MON: Final = alternation(MONTHS)
_FUTURE: Final = re.compile(
    r"\b(?:will|shall|would|is to|are to|going to|scheduled|expected to|plans? to|intends? to|"
    r"next|upcoming|coming)\b|" + "|".join(_n(w) for w in (
        "سوف", "سيعقد", "ستعقد", "سيتم", "ستتم", "سيجري", "ستجري", "سيزور", "سيصل", "ستصل",
        "ستنتشر", "سينتشر", "ستباشر", "سيباشر", "ستبدأ", "سيبدأ", "سيكون", "ستكون", "المقبل",
        "المقبلة", "القادم", "القادمة", "داهاتوو", "دەکرێت", "دەبێت")))

_PART_EN = r"(?:(?P<part>dawn|daybreak|noon|midnight|early|late)\s+(?:on\s+)?)?"
_PART_AR = "(?:(?P<partar>" + "|".join(_n(w) for w in (
    "مساء", "صباح", "ليلة", "فجر", "ظهر", "ظهيرة", "عصر", "بەرەبەیانی", "بەیانی", "ئێوارەی",
    "شەوی")) + r")\s+)?(?:(?:يوم|" + _n("ڕۆژی") + r")\s+)?"
_REL_AR = "|".join(_n(w) for w in ("الماضي", "المقبل", "القادم", "ڕابردوو", "داهاتوو"))
_ANCHOR = "|".join(sorted(YESTERDAY | {"today", _n("اليوم"), _n("ئەمڕۆ")}, key=len, reverse=True))
_THIS_AR = "|".join(_n(w) for w in ("الجاري", "الحالي", "الحالية", "الجارية", "الماضي",
                                    "الماضية", "المنصرم", "الفائت", "المقبل", "القادم"))
_POS_AR = "|".join(_n(w) for w in ("مطلع", "بداية", "أوائل", "منتصف", "أواسط", "أواخر", "نهاية"))
_UNIT_AR = "|".join(_n(w) for w in ("الشهر", "العام", "السنة", "الأسبوع"))
_DAYS_AR = "|".join(_n(w) for w in ("ساعة", "ساعات", "ساعتين", "يوم", "يومين", "أيام",
                                    "أسبوع", "أسبوعين", "أسابيع", "شهر", "شهرين", "أشهر"))
_NUMS = "|".join(["\\d+", *NUM_EN, *NUM_AR])

RULES: Final[tuple[tuple[re.Pattern[str], Resolver], ...]] = tuple(
    (re.compile(pattern), resolver) for pattern, resolver in (
        # yesterday, Wednesday | أمس الأربعاء | دوێنێ چوارشەممە
        (B + _PART_AR + r"(?P<anchor>" + _ANCHOR + r")\W+(?:on\s+)?(?P<wd>" + _WD + ")",
         weekday_when),
        (r"\b(?:(?P<rel>last|next|this|coming|past)\s+)?" + _PART_EN + r"(?P<wd>" + _WD
         + r")(?:\s+(?P<part2>morning|afternoon|evening|night))?\b", weekday_when),
        (B + _PART_AR + r"(?P<wd>" + _WD + r")(?:ي)?(?:\s+(?P<rel>" + _REL_AR + "))?",
         weekday_when),
        (r"\b(?:the\s+)?day\s+before\s+yesterday\b|" + B + "(?:" + _n("أول أمس") + "|"
         + _n("أول من أمس") + "|" + _n("پێری") + ")", offset_when(-2)),
        (r"\b(?:last\s+night|overnight)\b|" + B + "(?:" + _n("الليلة الماضية") + "|"
         + _n("ليلة أمس") + "|" + _n("دوێنێ شەو") + "|" + _n("شەوی ڕابردوو") + ")",
         offset_when(0, "overnight")),
        (r"\byesterday(?:\s+(?P<part>morning|afternoon|evening))?\b|" + B + _PART_AR
         + "(?:" + _n("أمس") + "|" + _n("البارحة") + "|" + _n("دوێنێ") + ")(?!\\w)",
         offset_when(-1)),
        (r"\b(?:earlier\s+)?today\b|\bthis\s+(?P<part>morning|afternoon|evening)\b|\btonight\b|"
         + B + _PART_AR + "(?:" + _n("اليوم") + "|" + _n("ئەمڕۆ") + ")(?!\\w)", offset_when(0)),
        (r"\b(?P<n>" + _NUMS + r")\s+(?P<unit>days?|weeks?|months?)\s+ago\b", ago_when),
        (B + _n("قبل") + r"\s+(?:(?P<n>" + _NUMS + r")\s+)?(?P<unit>" + _DAYS_AR + r")(?!\w)",
         ago_when),
        (r"(?:" + _n("پێش") + r"\s+)?(?P<n>" + _NUMS + r")\s+(?P<unit>" + _n("ڕۆژ") + "|"
         + _n("هەفتە") + "|" + _n("مانگ") + r")\s+(?:" + _n("لەمەوبەر") + "|" + _n("پێش") + ")",
         ago_when),
        (r"\bsince\s+(?:the\s+)?(?:(?P<pos>start|beginning|middle|mid|end|early|late)(?:\s+of)?"
         r"\s+)?(?:(?:(?P<rel>last|this|the current|the past|the previous|next)\s+)?"
         r"(?P<unit>month|year|week)\b|(?P<mon>" + _MON + r")\b|(?:last\s+)?(?P<wd>" + _WD + "))",
         since_when),
        (B + _n("منذ") + r"\s+(?:(?P<pos>" + _POS_AR + r")\s+)?(?:(?:يوم\s+)?(?P<wd>" + _WD
         + r")|(?:شهر\s+)?(?P<mon>" + _MON + r")|(?P<unit>" + _UNIT_AR + r")(?:\s+(?P<rel>"
         + _THIS_AR + "))?)", since_when),
        (r"(?:" + _n("لە") + r"\s+)?(?:(?P<pos>" + _n("سەرەتای") + "|" + _n("ناوەڕاستی") + "|"
         + _n("کۆتایی") + r")\s+)?(?:(?P<unit>" + _n("مانگی") + "|" + _n("ساڵی") + "|"
         + _n("هەفتەی") + r")\s+(?P<rel>" + _n("ڕابردوو") + r")|(?P<rel2>" + _n("ئەم")
         + r")\s+(?P<unit2>" + _n("مانگە") + "|" + _n("ساڵە") + "|" + _n("هەفتەیە") + r"))(?:"
         + _n("ەوە") + "|" + _n("وە") + ")", since_when),
        (r"\b(?:before|by|until|till|no later than|ahead of)\s+the\s+(?P<end>end)\s+of\s+"
         r"(?:(?P<rel>this|the current|next|the)\s+)?(?P<unit>month|week|year)\b", deadline_when),
        (B + r"(?:" + _n("قبل") + "|" + _n("حتى") + "|" + _n("مع") + "|" + _n("بحلول")
         + r")\s+(?P<end>" + _n("نهاية") + r")\s+(?P<unit>" + _UNIT_AR + r")(?:\s+(?P<rel>"
         + _THIS_AR + "))?", deadline_when),
        (r"(?:" + _n("پێش") + "|" + _n("تا") + r")\s+(?P<end>" + _n("کۆتایی") + r")\s+(?:"
         + _n("ئەم") + r"\s+)?(?P<unit>" + _n("مانگ") + r"\w*|" + _n("ساڵ") + r"\w*|"
         + _n("هەفتە") + r"\w*)(?:\s+(?P<rel>" + _n("داهاتوو") + "))?", deadline_when),
        (r"\bwithin\s+(?:the\s+next\s+)?(?P<n>" + _NUMS + r")\s+(?P<unit>hours?|days?|weeks?|"
         r"months?)\b|\bin\s+the\s+(?P<vague>coming|next\s+few)\s+(?P<unit2>days|weeks)\b",
         lambda m, p, f: deadline_when(_fix_unit(m), p, f)),
        (B + r"(?:" + _n("خلال") + "|" + _n("في غضون") + "|" + _n("غضون") + r")\s+(?:(?P<n>"
         + _NUMS + r")\s+)?(?P<unit>" + _DAYS_AR + r")(?!\s+" + _n("الماضية") + r")(?!\s+"
         + _n("الماضي") + r")(?!\w)", deadline_when),
        (r"\bby\s+(?P<wd>" + _WD + r")\b", deadline_when),
        (r"\b(?:(?P<pos>early|mid|late)\s+)?(?:(?P<rel>last|this|next|past)|earlier\s+this)\s+"
         r"(?P<unit>week|month|year)\b", range_when),
        (B + r"(?:(?P<pos>" + _POS_AR + r")\s+)?(?P<unit>" + _UNIT_AR + r")\s+(?P<rel>"
         + _THIS_AR + r")(?!\w)", range_when),
        (r"(?P<unit>" + _n("هەفتەی") + "|" + _n("مانگی") + "|" + _n("ساڵی") + r")\s+(?P<rel>"
         + _n("ڕابردوو") + "|" + _n("داهاتوو") + r")(?!\w)", range_when),
        (r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|ي)?\s+(?:of\s+|من\s+)?(?:شهر\s+|" + _n("مانگی")
         + r"\s+)?(?P<mon>" + _MON + r")(?!\w)(?:ي)?(?:,?\s+(?:(?:من\s+)?(?:عام|سنه|العام)\s+)?"
         r"(?P<y>\d{4}))?", absolute_when),
        (r"\b(?P<mon>" + _MON + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?",
         absolute_when),
        (r"(?<!\d)(?P<d>\d{1,2})\s+من\s+(?:الشهر|شهر)\s+(?P<rel>" + _THIS_AR + ")", absolute_when),
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
        if pub is None and resolver is not absolute_when:
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
