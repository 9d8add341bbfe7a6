"""How many were killed and injured, when a sentence says so (English, Arabic, Sorani).

"Two soldiers were killed and three others wounded", "killing a shepherd", "مقتل جنديين
وإصابة ثلاثة آخرين" (Arabic counts duals in the noun: جنديين is two soldiers),
"دوو پێشمەرگە کوژران". Nothing stated is None, never 0; "no casualties" is 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from tansiq.ingest.reading.text import normal as _n

_EN_NUM: Final = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_EN_NUM.update({"a": 1, "an": 1, "thirty": 30, "forty": 40, "fifty": 50})
_AR_NUM: Final = {_n(w): v for w, v in {
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "إثنين": 2, "ثلاثة": 3, "ثلاث": 3,
    "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7,
    "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10, "یەک": 1,
    "دوو": 2, "سێ": 3, "چوار": 4, "پێنج": 5, "شەش": 6, "حەوت": 7, "هەشت": 8, "نۆ": 9,
    "دە": 10}.items()}
_PERSON_EN: Final = (
    r"(?:soldiers?|officers?|civilians?|policem[ae]n|police officers?|fighters?|members?|"
    r"shepherds?|farmers?|m[ae]n|wom[ae]n|child(?:ren)?|militants?|guards?|peshmerga|"
    r"persons?|people|troops|personnel|others?|terrorists?|insurgents?|gunmen|recruits?|"
    r"conscripts?|workers?|villagers?|residents?|brothers?)"
)
_NUM_EN = r"(?P<n>\d+|" + "|".join(sorted(_EN_NUM, key=len, reverse=True)) + r")"
_KILLED = r"(?:killed|dead|died|martyred|slain|shot dead|lost (?:their|his|her) lives?)"
_HURT = r"(?:wounded|injured|hurt|wounds|injuries)"
# "A drone strike killed three women": "killed" with an object is not what "a" suffered.
_NO_OBJECT = (r"(?!\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|the|his|her|"
              r"their|at least|several|dozens|\w+ (?:people|soldiers|civilians|fighters))\b)")
# Words between a number and "killed" that mean the number is not the one killed.
_GAP = (r"(?:(?!(?:killed|killing|kill|dead|died|injur\w*|wound\w*|hurt|\d+)\b)[\w-]+\s+)"
        r"{0,5}?")
_NOT_PEOPLE = r"(?!\s+(?:days?|weeks?|months?|years?|hours?|km|kilomet|miles?|times)\b)"
# Arabic nouns that count by themselves: duals are two, singulars one.
_AR_DUAL: Final = frozenset(_n(w) for w in (
    "جنديين", "جنديان", "شخصين", "شخصان", "عنصرين", "عنصران", "شرطيين", "شرطيان",
    "ضابطين", "ضابطان", "طفلين", "طفلان", "راعيين", "شقيقين", "شقيقان", "مدنيين",
    "مدنيان", "منتسبين", "منتسبان", "مقاتلين", "مقاتلان", "اثنين", "اثنان", "آخرين"))
_AR_ONE: Final = frozenset(_n(w) for w in (
    "جندي", "شخص", "عنصر", "شرطي", "ضابط", "طفل", "راعي", "مدني", "منتسب", "مقاتل",
    "مواطن", "امرأة", "مزارع", "آخر", "شاب", "رجل", "مختار", "آمر", "فلاح"))
_AR_MANY: Final = frozenset(_n(w) for w in ("آخرين", "آخرون"))


def _en(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_EN_FATAL: Final = (
    _en(r"\b" + _NUM_EN + _NOT_PEOPLE + r"\s+" + _GAP + r"(?:were|was|have been|has been|"
        r"had been|are|is)?\s*(?:reportedly\s+)?(?<!and )" + _KILLED + r"\b" + _NO_OBJECT),
    _en(r"\b(?:killed|killing|kills|kill|claimed the lives of|left)\s+(?:at least\s+|up to\s+)?"
        + _NUM_EN + r"\b" + _NOT_PEOPLE),
    _en(r"\b(?:deaths?|killing|martyrdom)\s+of\s+(?:at least\s+)?" + _NUM_EN + r"\b"
        + _NOT_PEOPLE),
)
_EN_HURT: Final = (
    _en(r"\b" + _NUM_EN + _NOT_PEOPLE + r"\s+" + _GAP + r"(?:were|was|have been|has been|"
        r"had been|are|is)?\s*(?:also\s+|seriously\s+|critically\s+|slightly\s+)?(?<!and )"
        + _HURT
        + r"\b"),
    _en(r"\b(?:wounding|injuring|wounded|injured)\s+(?:at least\s+)?" + _NUM_EN + r"\b"
        + _NOT_PEOPLE),
)
_NONE: Final = re.compile(
    r"\bno (?:casualties|one was (?:hurt|injured|killed)|injuries|deaths)\b|\bwithout "
    r"casualties\b|" + "|".join(_n(w) for w in (
        "دون وقوع إصابات", "دون وقوع خسائر", "دون خسائر", "دون أن تسفر", "لم تسفر",
        "بدون خسائر", "لا توجد خسائر",
        "لم تسفر عن خسائر", "لم يسفر عن خسائر", "دون تسجيل إصابات", "دون أن يسفر",
        "بێ زیانی گیانی", "هیچ زیانێکی گیانی")))
_AR_WORD = r"(?P<n>\d+|" + "|".join(sorted(_AR_NUM, key=len, reverse=True)) + r")"
_AR_FATAL: Final = re.compile(
    r"(?<!\w)[وف]?(?:ب)?(?:مقتل|استشهاد|مصرع|قتل|اغتيال|وفاه)\s+(?:" + _AR_WORD + r"\s+)?"
    r"(?P<noun>\w+)"
)
_AR_HURT: Final = re.compile(
    r"(?<!\w)[وف]?(?:ب)?(?:اصابه|جرح|اصيب|واصيب)\s+(?:" + _AR_WORD + r"\s+)?(?P<noun>\w+)"
)
_AR_TALLY: Final = re.compile(_AR_WORD + r"\s+(?P<what>قتلي|جرحي|شهدا|مصابين)")
_CKB_WORD = _AR_WORD
_CKB: Final = re.compile(
    _CKB_WORD + r"\s+(?:\w+\s+){0,3}?(?P<what>" + "|".join(_n(w) for w in (
        "کوژران", "کوژرا", "شەهید", "گیانیان لەدەستدا", "بریندار")) + ")"
)


@dataclass(frozen=True, slots=True)
class Casualties:
    """Killed and injured a sentence states; None where it states nothing."""

    fatalities: int | None = None
    injured: int | None = None


def _count(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    return _EN_NUM.get(raw, _AR_NUM.get(raw))


def _arabic(m: re.Match[str]) -> int | None:
    noun = m["noun"]
    if m["n"]:
        return _count(m["n"])
    if noun in _AR_DUAL:
        return 2
    if noun in _AR_ONE:
        return 1
    return _AR_NUM.get(noun)


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> int | None:
    hits = [(m.start(), _count(m["n"])) for p in patterns for m in p.finditer(text)]
    values = [value for _, value in sorted(hits) if value is not None]
    return values[0] if values else None


def casualties(sentence: str) -> Casualties:
    """The killed and injured ``sentence`` states (see the module docstring)."""
    text = _n(sentence)
    if _NONE.search(text):
        return Casualties(0, 0)
    fatal, hurt = _first(_EN_FATAL, text), _first(_EN_HURT, text)
    for m in _AR_FATAL.finditer(text):
        fatal = fatal if fatal is not None else _arabic(m)
    for m in _AR_HURT.finditer(text):
        hurt = hurt if hurt is not None else _arabic(m)
    for m in _AR_TALLY.finditer(text):
        value = _count(m["n"])
        if m["what"] in (_n("قتلى"), _n("شهداء")):
            fatal = fatal if fatal is not None else value
        else:
            hurt = hurt if hurt is not None else value
    for m in _CKB.finditer(text):
        value = _count(m["n"])
        if m["what"] == _n("بریندار"):
            hurt = hurt if hurt is not None else value
        else:
            fatal = fatal if fatal is not None else value
    return Casualties(fatal, hurt)
