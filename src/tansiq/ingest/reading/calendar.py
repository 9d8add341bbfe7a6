"""Month and weekday names in English, Arabic (Iraqi and Levantine/Egyptian) and Sorani.

Iraq names the months as the Levant does (كانون الثاني, شباط, آذار…); Gulf and Egyptian
outlets use the Latin-derived names (يناير, فبراير…); Sorani writes the Iraqi names in
Kurdish letters (کانوونی دووەم, شوبات, ئازار…). Every name is stored folded, as the
readers match it (``text.normal``).
"""

from __future__ import annotations

import re
from typing import Final

from tansiq.ingest.reading.text import normal

_MONTHS_EN: Final = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
_MONTHS_AR: Final = (
    ("كانون الثاني", "يناير", "كانون ثاني"),
    ("شباط", "فبراير", "فبرایر"),
    ("آذار", "مارس"),
    ("نيسان", "أبريل", "ابريل", "إبريل"),
    ("أيار", "مايو", "ماي"),
    ("حزيران", "يونيو", "يونيه"),
    ("تموز", "يوليو", "يوليه"),
    ("آب", "أغسطس", "اغسطس"),
    ("أيلول", "سبتمبر"),
    ("تشرين الأول", "أكتوبر", "اكتوبر", "تشرين أول"),
    ("تشرين الثاني", "نوفمبر", "تشرين ثاني"),
    ("كانون الأول", "ديسمبر", "كانون أول"),
)
_MONTHS_CKB: Final = (
    ("کانوونی دووەم", "کانونی دووەم"),
    ("شوبات", "شوباط"),
    ("ئازار",),
    ("نیسان",),
    ("ئایار",),
    ("حوزەیران",),
    ("تەممووز", "تەموز"),
    ("ئاب",),
    ("ئەیلوول", "ئەیلول"),
    ("تشرینی یەکەم",),
    ("تشرینی دووەم",),
    ("کانوونی یەکەم", "کانونی یەکەم"),
)
# Monday first, as datetime.weekday() counts.
_WEEKDAYS: Final = (
    ("monday", "الاثنين", "الإثنين", "دووشەممە", "دووشەمە"),
    ("tuesday", "الثلاثاء", "سێشەممە", "سێشەمە"),
    ("wednesday", "الأربعاء", "الاربعاء", "چوارشەممە", "چوارشەمە"),
    ("thursday", "الخميس", "پێنجشەممە", "پێنجشەمە"),
    ("friday", "الجمعة", "هەینی"),
    ("saturday", "السبت", "شەممە", "شەمە"),
    ("sunday", "الأحد", "الاحد", "یەکشەممە", "یەکشەمە"),
)


def _table(*groups: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    table: dict[str, int] = {}
    for group in groups:
        for number, names in enumerate(group, start=1):
            for name in names:
                table[normal(name)] = number
    return table


#: Folded month name -> month number (1-12), every language.
MONTHS: Final = _table(_MONTHS_EN, _MONTHS_AR, _MONTHS_CKB)
#: Folded weekday name -> weekday (0 = Monday), every language.
WEEKDAYS: Final = {normal(name): day for day, names in enumerate(_WEEKDAYS) for name in names}


def alternation(names: dict[str, int]) -> str:
    """A regex alternation of ``names``, longest first so that prefixes do not win."""
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
