"""Keyword cues of the event classifier, in English and Arabic: one feature per family.

Each family is a language-independent cue ("suicide", "ied", "kidnap"…) with an English
and an Arabic pattern, so an Arabic snippet lights the same feature the English training
snippets taught the model. :func:`cue_vector` is what the classifier adds to the sentence
embedding; :func:`arabic_normal` is the spelling normalisation the Arabic patterns assume.
Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

# Harakat, superscript alef and tatweel carry no meaning for matching; hamza-carrying alefs,
# alef maqsura and ta marbuta are spelt both ways in news copy.
_ARABIC_DROP = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")

# (family, English pattern, Arabic pattern). English patterns start at a word boundary
# and match case-insensitively; Arabic ones match anywhere, since Arabic glues the
# article and prepositions (و، ف، ب، ال، ل) to the word.
_FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("suicide", r"suicide|blew (?:him|her|them)sel(?:f|ves) up|explosive (?:belt|vest)s?",
     "انتحاري|انتحارية|حزام ناسف|حزاما ناسفا|احزمه ناسفه|فجر نفسه"),
    ("ied", r"improvised explosive|ieds?\b|vbied|roadside bomb|land ?mines?|mines?\b|car bomb"
     r"|sticky bomb|magnetic bomb|explosive (?:device|charge)s?|booby|unexploded|ordnance",
     "عبوه|عبوات|لغم|الغام|مفخخه|مفخخات|لاصقه"),
    ("blast", r"bomb(?:s|ing|ings)?\b|explo(?:sion|ded|sive)|blast|detonat",
     "انفجار|تفجير|انفجرت|فجر|ناسفه"),
    ("grenade", r"grenade", "قنبله يدويه|قنبله صوتيه|رمانه يدويه|قنابل يدويه"),
    ("air", r"air ?strikes?|air raids?|warplanes?|jets?\b|aircraft|drones?\b|uavs?\b"
     r"|unmanned|helicopters?|gunships?|aerial|barrel bombs?|f-16|sorties|air force",
     "غاره|غارات|طائره|طائرات|مسيره|مسيرات|الطيران|مروحيه|مروحيات|جويه"),
    ("artillery", r"shell(?:s|ed|ing)?\b|artillery|mortars?|rockets?\b|missiles?|katyusha"
     r"|grad\b|howitzers?|bombard|projectiles?|tanks? (?:fire|shell)",
     "قصف|مدفعي|مدفعيه|هاون|صاروخ|صواريخ|كاتيوشا|قذيفه|قذائف"),
    ("chemical", r"chemical|chlorine|sarin|mustard gas|toxic (?:gas|substance)|poison(?:ous)? gas"
     r"|nerve agents?|suffocat|breathing difficult",
     "كيمياوي|كيميائي|الكلور|الخردل|غاز سام|غازات سامه|اختناق"),
    ("clash", r"clash|fighting\b|fought|gun ?battles?|gunfights?|firefights?|exchange of fire"
     r"|exchanged fire|traded fire|ambush|repel|repuls|battles?\b|offensive|returned fire"
     r"|engaged in",
     "اشتباك|اشتبك|معارك|معركه|تصدت|تصدي|كمين|المواجهات|مواجهات"),
    ("attack", r"attack|assault|stormed|raid(?:s|ed)?\b|hit\b|targeted",
     "هجوم|هاجم|استهدف|استهداف|اقتحم|اقتحام"),
    ("gunfire", r"gunmen|gunman|armed men|opened fire|shot dead|shooting|shot\b|assassinat"
     r"|executed|execution|massacre|stabbed|behead|killed (?:civilians|residents|villagers)",
     "مسلحون|مسلحين|اطلق.{0,12}النار|اطلاق نار|اغتيال|اغتال|اعدم|اعدام|مجزره|طعن"),
    ("civilians", r"civilians?|villagers?|residents?|farmers?|shepherds?|worshippers?"
     r"|students?|women|children|families|family|passengers?|mourners|journalists?",
     "مدني|مدنيين|مواطن|اهالي|مزارع|رعاه|راعي|اطفال|نساء|عائله|مصلين|صحفي"),
    ("kidnap", r"kidnap|abduct|hostages?|ransom|disappear|whereabouts|snatched",
     "اختطف|خطف|اختطاف|رهائن|فديه|مجهول المصير|مصيره مجهولا|مصير|تغييب"),
    ("sexual", r"rap(?:e|ed|es|ing|ist)\b|sexual|molest|harass",
     "اغتصاب|اغتصب|تحرش|جنسي|الاعتداء الجنسي"),
    ("protest", r"protest|demonstrat|rall(?:y|ies|ied)|march(?:ed|es|ers)?\b|sit-in|vigil"
     r"|picket|chant|banners?|took to the streets|on strike|went on strike",
     "تظاهر|متظاهر|احتجاج|احتجاجيه|محتج|وقفه|اعتصام|مسيره احتجاجيه|مسيره سلميه"),
    ("disperse", r"tear ?gas|water cannon|dispers|pepper spray|rubber bullets|batons?\b"
     r"|riot police|broke up|break up|cleared the|stun grenades|smoke grenades",
     r"المسيل للدموع|فرقت|تفريق|فض\b|خراطيم المياه|مكافحه الشغب|الهراوات"),
    ("live_fire", r"live (?:ammunition|bullets|fire|rounds)|snipers?|fired (?:at|on|into) "
     r"(?:the )?(?:crowd|protesters|demonstrators|marchers)|killing (?:a |one |two )?protesters?",
     "الرصاص الحي|قناص|قناصه|قتل متظاهر|مقتل متظاهر"),
    ("riot", r"riot(?:s|ers|ed|ing)?\b|torch|set fire|set ablaze|petrol bombs?|molotov"
     r"|stones|rocks\b|hurled|burn(?:ed|ing|t)\b|barricades",
     "احرق|اضرم|حرق|رشق|حجاره|اعمال شغب|شغب"),
    ("mob", r"mob\b|lynch|vigilante|angry crowd|communal|tribal|tribes|clan\b|feud"
     r"|witchcraft|blasphemy|beat (?:him|her|them) to death|beaten to death",
     "حشد غاضب|عشائري|عشيره|عشيرتين|عشائر|نزاع|الثار"),
    ("arrest", r"arrest|detain|custody|apprehend|captured (?:two|three|a|an|the) "
     r"(?:suspect|member|fighter|leader|terrorist)|rounded up|warrant|nabbed|held for questioning",
     "اعتقل|اعتقال|القبض|احتجاز|مذكره قبض|موقوف"),
    ("agreement", r"agree|deal\b|ceasefire|cease-fire|truce|peace (?:talks|deal|accord|process)"
     r"|signed|memorandum|accord\b|surrender|laid down (?:their )?arms|prisoner exchange"
     r"|exchanged prisoners|reconciliation|pact\b",
     "اتفق|اتفاق|اتفاقيه|هدنه|وقف اطلاق النار|وقع|مذكره تفاهم|سلموا انفسهم|سلم نفسه|انفسهم"
     "|مصالحه"),
    ("regain", r"regain|recaptur|retake|retook|retaken|took back|liberat|reclaim|re-?took"
     r"|recovered control|back under (?:government|army) control|drove (?:out|the)|pushed",
     "استعاد|استعاده|تحرير|حرر|طرد"),
    ("seize", r"(?:seiz|captur|recaptur|took|taken|wrest)\w*(?: full| back| the| two| several"
     r"| a| an| most of the| parts of the)? (?:control|towns?|cit(?:y|ies)|villages?|district"
     r"|areas?|bases?|camps?|hills?|port|airport|positions?|neighbou?rhoods?|territory|region"
     r"|province|crossing|outposts?|strongholds?|heights|settlements?)|overr[au]n|took over"
     r"|fell to|occupied|control of|under (?:their|its) control",
     "سيطر|سيطره|استولى|الاستيلاء|احتل"),
    # Who takes ground decides between the two territorial classes: the state's forces
    # or a non-state group as the subject of a capture verb, a few words before it.
    ("state_takes", r"(?:army|troops|soldiers|government(?: forces)?|security forces|loyalists"
     r"|peshmerga|pmf|popular mobili[sz]ation|federal police|military)\W+(?:\w+\W+){0,6}?"
     r"(?:re-?captur|captur|seiz|retook|retake|took (?:back|control)|regain|liberat|wrest|recover"
     r"|clear|push)",
     r"(?:الجيش|القوات العراقيه|القوات الامنيه|القوات الحكوميه|البيشمركه|الحشد)\W+(?:\S+\s+){0,6}?"
     r"(?:استعاد|حرر|سيطر|طرد)|(?:استعاد|حرر|طرد)\S*\s+(?:\S+\s+){0,2}?(?:الجيش|القوات)"),
    ("rebels_take", r"(?:isis|isil|daesh|islamic state|al-qaeda|shabaa?b|boko haram|taliban"
     r"|jihadists?|militants?|insurgents?|rebels?|fighters|separatists?|militias?|houthis?"
     r"|armed groups?)\W+(?:\w+\W+){0,6}?(?:re-?captur|captur|seiz|took (?:back |full )?control"
     r"|took over|overr[au]n|stormed and|occupied|regain|entered)",
     r"(?:داعش|التنظيم|المسلحون|مسلحو|مقاتلو|الفصائل|طالبان|الحوثيون)\W+(?:\S+\s+){0,6}?"
     r"(?:سيطر|استولى|احتل|استعاد)|(?:سيطر|استولى|احتل)\S*\s+(?:\S+\s+){0,2}?"
     r"(?:عناصر|مسلحو|مقاتلو|داعش|التنظيم|طالبان)"),
    # An armed group attacking the state's forces is a battle, not an attack on civilians.
    ("attack_on_forces", r"(?:attack\w*|ambush\w*|stormed|raided|targeted)"
     r" (?:on |an? |the |two |several )?(?:\w+ ){0,3}(?:checkpoints?"
     r"|military (?:posts?|bases?|camps?|positions?|convoy)|army"
     r"|troops|soldiers|police (?:posts?|stations?|checkpoints?)|positions|bases?|patrols?"
     r"|outposts?|barracks|security forces)",
     r"(?:هجوم|هاجم|استهدف)\S*\s+(?:\S+\s+){0,3}(?:نقطه|نقاط|مقر|ثكنه|دوريه|رتل|قوه|القوات|الجيش)"),
    ("weapons_seized", r"(?:firearms?|weapons|arms|ammunition|rounds|explosives|guns|rifles"
     r"|pistols?|mines|ieds|rockets)\W+(?:\w+\W+){0,6}?(?:were |was |have been |has been )?"
     r"(?:seized|found|recovered|confiscated|discovered|destroyed|cleared|removed|defused"
     r"|handed over)|(?:seized|cleared|removed|destroyed|defused)"
     r" (?:more than |over |some |dozens of |hundreds of )?"
     r"(?:\d[\d,]* )?(?:\w+ ){0,2}(?:firearms|weapons|mines|landmines|ieds|explosive devices"
     r"|rounds|ammunition|rockets)",
     r"(?:ضبط|مصادره|العثور على|تفكيك|ازاله|اتلاف)\s+(?:\S+\s+){0,3}\S*"
     r"(?:اسلحه|اعتده|عبوات|الغام|صواريخ|ذخيره)"),
    ("withdraw", r"withdr[ae]w|withdrawal|pulled out|handed (?:over|control)|handover|hand over"
     r"|without (?:a )?(?:fight|fighting|resistance)|no resistance|evacuated|vacated"
     r"|abandoned|crossed (?:into|the border)|advanced",
     "انسحب|انسحاب|سلمت|تسلم|تسليم|دون قتال|دون مقاومه|توغل"),
    ("base", r"set up|established?|new (?:military )?(?:base|post|outpost|headquarters|position)"
     r"|observation post|outposts?|bases?\b|headquarters|training camp|command cent",
     "قاعده|نقطه مراقبه|مقر|اقام|انشا|افتتح|ربايا"),
    ("group_change", r"formation|formed|merg|defect|dissol|redeploy|reinforce|deployed"
     r"|deployment|fortif|new (?:leader|commander)|appointed|suspen(?:d|sion)|split|joined the"
     r"|restructur|brigades?",
     "تشكيل|تعزيزات|انتشر|انتشار|نشر|دمج|انشق|تعليق|الوي|لواء"),
    ("weapons_found", r"weapons? cache|arms cache|caches?\b|defus|dismantl|thwart|foil"
     r"|intercept|shot down|controlled explosion|bomb disposal|hideout|depot|confiscat"
     r"|seized (?:a |large |huge )?(?:weapons|arms|ammunition|quantit|rockets|explosives)"
     r"|(?:found|discovered|uncovered) .{0,40}(?:explosive|weapon|rocket|arms|ammunition|launcher)",
     "مخبا|مضافه|اكداس|فكك|تفكيك|احبط|احباط|اعترض|اسقاط|ضبط|العثور|عثرت|معالجه"),
    ("property", r"loot|arson|burn(?:ed|t) down|vandali|destroy|demolish|bulldoz"
     r"|blew up|pylons?|crops|fields\b|properties|property",
     "نهب|حرق|هدم|تخريب|حقول|تفجير منزل|تدمير|المحاصيل"),
    ("displacement", r"fled|displac|refugees?|migrants?|expel|expulsion|curfew|iom\b"
     r"|returned to their homes|exodus|evacuation",
     "نزوح|نزح|نازح|النازحين|لاجئ|حظر.{0,4}التجوال|عوده|تهجير"),
    ("diplomacy", r"ambassador|diplomat|embass|sanction|foreign minist|summon|condemn|talks\b"
     r"|visit|bilateral|relations|envoy|security council|recalled|severed|ties with|summit"
     r"|united nations|un\b",
     "سفير|السفاره|دبلوماسي|عقوبات|وزير الخارجيه|الخارجيه|استدعت|ادان|ادانه|بحث|زياره"
     "|العلاقات|مجلس الامن"),
    ("responsibility", r"claim(?:ed|s|ing)? (?:responsibility|the|credit)|takes? credit"
     r"|blam|accus|denied|den(?:y|ies)|behind the|amaq|responsib|carried out by|statement by"
     r"|suspected (?:to be|of being) behind|involvement",
     "مسؤوليته|تبنى|تبنت|اتهم|اتهام|يقف وراء|الوقوف وراء|اعماق|مسؤوليه"),
    ("natural", r"floods?\b|flooding|flash flood|earthquake|quake|magnitude|storms?\b|cyclone"
     r"|hurricane|typhoon|tsunami|volcan|erupt|landslides?|mudslides?|drought|heat ?wave"
     r"|rainfall|torrential|heavy rain|snow|wildfires?|forest fires?|avalanche",
     "سيول|فيضان|فيضانات|زلزال|هزه ارضيه|عاصفه|امطار|جفاف|ثلوج|حرائق الغابات|موجه حر"),
    ("disaster", r"fire broke out|blaze|short circuit|collaps|capsiz|sank|crash|collision"
     r"|collided|derail|leak|spill|gas cylinder|factory|plant\b|contaminated|poisoning"
     r"|accident|mine shaft|rubble|stampede|ran aground|plane crash|crash-landed|on board",
     "حريق|انهيار|غرق|غرقت|حادث|تصادم|اسطوانه غاز|تماس كهربائي|تسمم|الانقاض"),
    ("crime", r"rob(?:s|bed|bery|beries|bers?)?\b|burglar|theft|thie(?:f|ves)|stolen|drugs?\b"
     r"|narcotic|cocaine|heroin|meth\b|captagon|smuggl|traffick|gangs?\b|cartels?"
     r"|counterfeit|embezzl|fraud|corruption|bribe|mafia",
     "سرقه|سطو|مخدرات|كبتاغون|كريستال|تهريب|عصابه|اتجار|اختلاس|فساد|رشوه"),
    ("militants", r"isis|isil|daesh|islamic state|al-qaeda|shabaab|boko haram|taliban|jihadist"
     r"|militants?|insurgents?|rebels?|terrorists?|pkk|houthi|militias?",
     "داعش|ارهاب|ارهابي|التنظيم|المسلحين|العمال الكردستاني|الحوثي|فصائل|الفصائل"),
    ("state_forces", r"army|troops|soldiers|government forces|security forces|police"
     r"|peshmerga|pmf|hashd|popular mobili[sz]ation|counter-terrorism|military|border guards",
     "الجيش|القوات الامنيه|القوات|البيشمركه|الحشد|الشرطه|حرس الحدود|جهاز مكافحه الارهاب"),
    ("casualties", r"killed|killing|dead\b|death toll|died|wounded|injured|injuring|casualt",
     "مقتل|قتل|قتلى|اصابه|اصيب|جرحى|وفاه|ضحايا|استشهاد|استشهد"),
)

CUE_NAMES: tuple[str, ...] = tuple(name for name, _, _ in _FAMILIES)
# Any change to a pattern changes the features: the model file records this digest.
CUE_DIGEST: str = hashlib.sha256(repr(_FAMILIES).encode()).hexdigest()[:16]


def arabic_normal(text: str) -> str:
    """Arabic spelling folded the way the Arabic patterns are written (other scripts kept)."""
    return _ARABIC_DROP.sub("", text).translate(_ARABIC_FOLD)


def is_arabic(text: str) -> bool:
    """Whether most letters of ``text`` are Arabic script (Arabic or Kurdish Sorani)."""
    letters = sum(ch.isalpha() for ch in text)
    return letters > 0 and len(_ARABIC_LETTER.findall(text)) * 2 > letters


def _compile(english: str, arabic: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{english})|{arabic_normal(arabic)}", re.IGNORECASE)


_PATTERNS: tuple[re.Pattern[str], ...] = tuple(_compile(en, ar) for _, en, ar in _FAMILIES)


def cues(text: str) -> frozenset[str]:
    """The names of the cue families ``text`` mentions (English or Arabic)."""
    folded = arabic_normal(text)
    return frozenset(
        name for name, pattern in zip(CUE_NAMES, _PATTERNS, strict=True) if pattern.search(folded)
    )


def cue_vector(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """A (len(texts), len(CUE_NAMES)) matrix of 0/1: which families each text mentions."""
    out = np.zeros((len(texts), len(CUE_NAMES)), dtype=np.float32)
    for row, text in enumerate(texts):
        folded = arabic_normal(text)
        for col, pattern in enumerate(_PATTERNS):
            if pattern.search(folded):
                out[row, col] = 1.0
    return out
