"""Words that say what kind of event a sentence reports, in English, Arabic and Sorani.

Each cue names an ACLED sub-event type (``domain.choices.EVENT_TAXONOMY``) and a weight;
the strongest cue of a sentence types it. A meeting, an agreement or an announced
follow-up proposes a meeting record, a stated deployment a notice. The statistical
classifier, where it exists, types English sentences more finely; explicit evidence
here ("suicide bomber", "roadside bomb", "arrested") still wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from tansiq.domain.choices import EVENT_TAXONOMY
from tansiq.ingest.reading.text import normal

_EVENT_OF: Final = {sub: event for event, subs in EVENT_TAXONOMY.items() for sub in subs}


@dataclass(frozen=True, slots=True)
class Cue:
    """What a cue says: the sub-event type, its event type, weight and proposed record."""

    sub_event_type: str
    event_type: str
    weight: float
    proposes: str  # incident | meeting | notice
    phrase: str


def _words(*items: str) -> str:
    return "|".join(re.escape(normal(item)) for item in items)


# (sub-event type, weight, proposes, English regex, Arabic/Sorani words)
_TABLE: Final[tuple[tuple[str, float, str, str, tuple[str, ...]], ...]] = (
    ("Suicide bomb", 0.95, "incident",
     r"suicide (?:bomb\w*|attack\w*|vest|belt|car bomb)|blew himself up|explosive vest",
     ("انتحاري", "انتحارية", "حزام ناسف", "أحزمة ناسفة", "خۆکوژ", "خۆتەقاندنەوە")),
    ("Air/drone strike", 0.9, "incident",
     r"air ?strikes?|air raids?|drone (?:strikes?|attacks?)|(?:war|combat )?planes? "
     r"(?:bombed|struck|targeted)|warplanes|fighter jets?|jets (?:bombed|struck)|"
     r"bombed by (?:aircraft|drones?)|"
     r"(?:an? |armed |turkish )?drones? (?:struck|hit|targeted|bombed)|aerial bombardment|uav",
     ("غارة", "غارات", "قصف جوي", "ضربة جوية", "ضربات جوية", "طائرة مسيرة", "طائرات مسيرة",
      "مسيرة", "الطيران الحربي", "طائرات حربية", "المقاتلات", "طائرات", "طائرة", "الطيران",
      "بۆردومانی ئاسمانی", "فڕۆکە",
      "درۆن", "فڕۆکەی بێفڕۆکەوان", "هێرشی ئاسمانی")),
    ("Shelling/artillery/missile attack", 0.85, "incident",
     r"shell(?:ing|ed|s)\b|artillery|mortars?|rockets?|katyusha|missiles?|projectiles?",
     ("قصف مدفعي", "قصفا مدفعيا", "المدفعية", "قذائف", "قذيفة", "هاون", "صواريخ", "صاروخ",
      "كاتيوشا", "تۆپباران", "تۆپخانە", "هاوەن", "مووشەک", "ڕۆکێت")),
    ("Remote explosive/landmine/IED", 0.85, "incident",
     r"\bieds?\b|roadside bomb|improvised explosive|explosive device|landmines?|\bmine\b|car bomb|"
     r"booby[- ]trap\w*|sticky bomb|bomb (?:exploded|went off|blast)|explosion|blast",
     ("عبوة ناسفة", "عبوات ناسفة", "عبوة", "لغم", "ألغام", "سيارة مفخخة", "عبوة لاصقة",
      "انفجار", "بۆمبی چێنراو", "مین", "تەقینەوە", "ئۆتۆمبێلی بۆمبڕێژکراو")),
    ("Shelling/artillery/missile attack", 0.6, "incident", r"bombard\w*|bombed|bombing",
     ("قصف", "قصفت", "بۆردومان", "بۆمبباران")),
    ("Grenade", 0.85, "incident", r"grenades?", ("قنبلة يدوية", "رمانة يدوية", "نارنجک")),
    ("Abduction/forced disappearance", 0.85, "incident",
     r"kidnap\w*|abduct\w*|went missing|forcibly disappeared",
     ("خطف", "اختطاف", "اختطفت", "اختطف", "ڕفاندن", "ڕفێنرا")),
    ("Arrests", 0.8, "incident",
     r"arrest\w*|detain\w*|apprehend\w*|captured|taken into custody|nabbed|rounded up",
     ("اعتقال", "اعتقلت", "القبض", "إلقاء القبض", "القت القبض", "اعتقل", "احتجاز", "دەستگیر",
      "دەستگیرکرا", "گیران")),
    ("Disrupted weapons use", 0.9, "incident",
     r"defus\w*|dismantl\w*|(?:seized|found|discovered|uncovered) (?:a |an )?(?:weapons? |arms "
     r"|explosives? )?(?:cache|depot|stockpile|tunnel|hideout)|weapons cache|destroyed (?:a |an )?"
     r"(?:hideout|tunnel|den)s?",
     ("تفكيك", "ضبط أسلحة", "ضبط كدس", "كدس", "أوكار", "وكر", "مضافة", "مضافات", "نفق",
      "العثور على", "پووچەڵکردنەوە", "کەشف")),
    ("Armed clash", 0.75, "incident",
     r"clash\w*|exchange of fire|firefight|gunfight|gun battle|fighting|ambush\w*|attack\w* "
     r"(?:on|against|targeting) (?:a |an |the )?(?:\w+ ){0,3}(?:post|checkpoint|position|"
     r"patrol|base|outpost|headquarters|barracks|convoy)|infiltrat\w*|repelled",
     ("اشتباك", "اشتباكات", "هجوم على", "هجوما على", "هجوم", "هجوما", "تعرض", "كمين",
      "تسلل", "صد", "پێکدادان", "هێرش", "بۆسە")),  # not شەڕ: folded, it is شهر (month)
    ("Armed clash", 0.5, "incident", r"attack\w*|assault\w*|stormed|raid(?:ed|s)?\b",
     ("هاجم", "هاجمت", "مهاجمة", "الهجوم", "اعتداء", "هێرشی", "هێرشیان")),
    ("Attack", 0.7, "incident",
     r"shot dead|gunned down|executed|beheaded|murdered|opened fire on|assassinat\w*",
     ("اغتيال", "إعدام", "أعدم", "أطلق النار", "اطلاق نار", "اطلاق النار", "تيرۆرکرا",
      "تەقەکردن")),
    ("Looting/property destruction", 0.6, "incident",
     r"burn(?:ed|t|ing) (?:\w+ ){0,3}(?:crops|fields|farms|wheat|houses|homes)|set fire to|"
     r"torched|looted",
     ("حرق المحاصيل", "إحراق", "أحرق", "حرق", "سوتاندن", "نهب")),
    ("Agreement", 0.85, "meeting",
     r"agree(?:d|ment|s)?\b|signed|memorandum of understanding|\bmou\b|deal\b|accord\b",
     ("اتفاق", "اتفق", "اتفقا", "اتفقت", "الاتفاق", "توقيع", "وقع", "مذكرة تفاهم", "تفاهم",
      "ڕێککەوتن", "ڕێککەوتننامە", "واژۆ")),
    ("Headquarters or base established", 0.75, "notice",
     r"(?:set up|establish\w*|built|building|open\w*) (?:a |an |new |the )*(?:\w+ )?(?:base|"
     r"headquarters|outposts?|posts?|checkpoints?|points|watchtowers?|positions)",
     ("إنشاء قاعدة", "إنشاء نقاط", "نقاط جديدة", "نقاطا جديدة", "مقر جديد", "قاعدة جديدة",
      "مخافر", "ستنشئ", "سينشئ", "إنشاء مقرات", "بناء نقاط",
      "بنکەی نوێ", "بنکەیەکی نوێ")),
    ("Change to group/activity", 0.7, "notice",
     r"deploy\w*|redeploy\w*|reinforcements?|sent (?:troops|forces|units|brigades)|"
     r"dispatched|mov(?:ed|ing) (?:troops|forces|units)|stationed",
     ("نشر", "انتشار", "تعزيزات", "إرسال قوات", "ارسال قوات", "دفعت بقوات", "تمركز",
      "ستنتشر", "ناردنی هێز", "بڵاوکردنەوەی هێز", "هێزی زیاتر")),
    ("Non-violent transfer of territory", 0.75, "incident",
     r"hand(?:ed|s|ing)? over (?:security|control|the (?:security )?(?:file|responsibility))|"
     r"took over (?:security )?(?:control|responsibility)",
     ("تسليم الملف الأمني", "تسلم الملف الأمني", "تسلمت الملف الأمني", "ڕادەستکردنی ئاسایش")),
    ("Non-violent transfer of territory", 0.45, "incident", r"withdr[ae]w\w*",
     ("انسحاب", "انسحبت", "کشانەوە")),
    ("Peaceful protest", 0.7, "incident",
     r"protest\w*|demonstrat\w*|sit-in|rall(?:y|ied)",
     ("تظاهرة", "تظاهرات", "احتجاج", "احتجاجات", "وقفة احتجاجية", "خۆپیشاندان")),
    ("Other", 0.55, "meeting",
     r"\bmet\b|meeting|talks|discuss\w*|visit\w*|delegation|conference|joint committee|"
     r"coordinat\w*",
     ("اجتماع", "اجتمع", "لقاء", "بحث", "ناقش", "زيارة", "وفد", "مباحثات", "التنسيق",
      "كۆبوونەوە", "کۆبوونەوە", "سەردان", "شاند", "هەماهەنگی")),
)

_COMPILED: Final = tuple(
    (sub, weight, proposes, re.compile(r"\b(?:" + english + r")"),
     re.compile(r"(?<!\w)(?:[وف]?(?:ب|ل|ال)?)(?:" + _words(*other) + r")"))
    for sub, weight, proposes, english, other in _TABLE
)
# A sentence about what was said, reported or feared, not about an event.
_FOLLOW_UP: Final = re.compile(
    r"\b(?:will|shall|to be held|next meeting|follow-up|follow up|within|by the end|before the "
    r"end)\b|" + _words("سيعقد", "ستعقد", "الاجتماع المقبل", "المقبل", "القادم", "خلال",
                       "قبل نهاية", "داهاتوو", "پێش کۆتایی")
)


# A suspect's past or a charge ("had taken part in attacks"): background, not an event.
_BACKGROUND: Final = re.compile(
    r"\b(?:had taken part|took part|involved in|accused of|wanted (?:for|under)|responsible for|"
    r"charged with|convicted|suspected of)\b|" + _words("متورط", "المتورط", "متورطين", "مطلوب",
                                                         "مطلوبان", "بتهمة", "المتهم")
)


def cues(sentence: str) -> list[Cue]:
    """The cues in ``sentence``, strongest first; none for background about a suspect."""
    text = normal(sentence)
    if _BACKGROUND.search(text):
        return []
    found = []
    for sub, weight, proposes, english, other in _COMPILED:
        m = english.search(text) or other.search(text)
        if m is not None:
            found.append(Cue(sub, _EVENT_OF[sub], weight, proposes, m[0].strip()))
    return sorted(found, key=lambda cue: -cue.weight)


def is_follow_up(sentence: str) -> bool:
    """True when ``sentence`` announces something to come (a meeting, a deadline)."""
    return bool(_FOLLOW_UP.search(normal(sentence)))
