"""Where an article says an event happened: gazetteer places, OCHA units, regions.

Names come from the gazetteer (GeoNames places with their English, Arabic and Kurdish
alternate names), the OCHA districts and sub-districts, the governorates in every
spelling ``geo.boundaries`` knows, ``data/irq_place_aliases.csv`` (the spellings news
outlets use, and regions such as the Kurdistan Region or the Qandil mountains) and the
user's own places. A named town is geo precision 1 (2 when the text says "near" it), a
district, sub-district or smaller region 2, a governorate or a larger region 3; a region
or governorate never gets a point, so nothing is placed more exactly than it was said.
``admin1``/``admin2`` are OCHA's English names, as the rest of the API spells them.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Final

from tansiq.geo.boundaries import admin_units, governorates, locate, read_data
from tansiq.geo.gazetteer import Place, fold, named_places
from tansiq.ingest.reading.text import PhraseIndex, cased_words

#: How specific each kind of place is; the most specific mention of an event wins.
SPECIFICITY: Final = {"user": 5, "place": 4, "subdistrict": 3, "district": 2, "region": 1,
                      "governorate": 0}
# Words that are also place names somewhere in Iraq ("the flag", "the north", "hit",
# "silk"…): matched only with a district or sub-district word beside them.
_AMBIGUOUS: Final = frozenset(fold(w) for w in (
    "hit hero diana balak bat ana osm sina sine sadr midan wana rawa dijla alam jisr wihda "
    "shamal forat rashad riyadh zab yathreb synia walid mansour mamoon rasheed thawra kanan "
    "mirka sindi fayde gnareen begeel nt kut"
).split()) | frozenset(fold(w) for w in (
    "بلد", "الحي", "عنه", "حله", "بركه", "حرير", "خالص", "شورش", "سينه", "العلم", "الجسر",
    "الوحدة", "الشمال", "الفرات", "الرشاد", "الرياض", "الزاب", "دجلة", "ميدان", "الملتقى",
    "المعتصم", "الرشيد", "المنصور", "المأمون", "الثورة", "كنعان", "يثرب", "الصينية",
    "العبيدي", "الوليد", "ام القرى", "الكرمة", "ديانا", "هيرو", "بالك", "سورش", "صلاح الدين",
    "الفحامة", "النخيب", "الكرابلة", "دركار", "مركز", "الشيخ", "السلام", "الرمانة", "الحرية",
))
_UNIT_WORDS: Final = {
    "district": ("{} district", "district of {}", "قضاء {}", "قەزای {}"),
    "subdistrict": ("{} sub-district", "{} subdistrict", "sub-district of {}", "{} nahiya",
                    "ناحية {}", "ناحیەی {}"),
    "governorate": ("{} governorate", "{} province", "governorate of {}", "province of {}",
                    "محافظة {}", "پارێزگای {}"),
}
# "near X", "the outskirts of X": about X (precision 2).
_NEAR: Final = frozenset(fold(w) for w in (
    "near", "nearby", "outskirts", "vicinity", "around", "outside", "surrounding", "between",
    "قرب", "بالقرب", "اطراف", "أطراف", "ضواحي", "محيط", "بين", "نزیک", "دەوروبەری",
))
# "north of X", "fled towards X", "the border with X": X is only a reference point.
_AWAY: Final = frozenset(fold(w) for w in (
    "km", "kilometres", "kilometers", "north", "south", "east", "west", "northeast",
    "northwest", "southeast", "southwest", "northern", "southern", "eastern", "western",
    "towards", "toward", "from", "boundary", "border", "borders", "شمال", "جنوب", "شرق",
    "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "باتجاه", "نحو", "من", "الحدود", "حدود",
    "باکووری", "باشووری", "ڕۆژهەڵاتی", "ڕۆژئاوای", "بەرەو",
))


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place a name may stand for: a town, a user's place, an OCHA unit or a region."""

    name: str
    kind: str
    admin1: str
    admin2: str
    lon: float | None = None
    lat: float | None = None
    population: int = 0
    precision: int = 1


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a sentence: what it may be, where, and whether "near" it."""

    refs: tuple[PlaceRef, ...]
    word: int
    near: bool  # near it, or only a reference point ("north of", "towards")
    text: str
    away: bool = False  # only a reference point


@dataclass(frozen=True, slots=True)
class Located:
    """Where an event is put: the candidate's place fields."""

    place_name: str
    admin1: str
    admin2: str
    geo_precision: int
    location: dict[str, Any] | None


def _plain(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("‘", "").replace("’", "").replace("'", "")


def _add(index: PhraseIndex[PlaceRef], name: str, ref: PlaceRef) -> None:
    key = fold(name)
    if len(key) >= 3 and key not in _AMBIGUOUS:
        index.add(name, ref)


def _add_unit(index: PhraseIndex[PlaceRef], name: str, ref: PlaceRef) -> None:
    """A unit by its name, and with its district/sub-district/governorate word."""
    _add(index, name, ref)
    for pattern in _UNIT_WORDS.get(ref.kind, ()):
        index.add(pattern.format(name), ref)
        if name.startswith(("Al-", "al-")):
            index.add(pattern.format(name[3:]), ref)


@cache
def _units() -> dict[tuple[str, str], PlaceRef]:
    units: dict[tuple[str, str], PlaceRef] = {}
    for level, kind in ((3, "subdistrict"), (2, "district")):
        for unit in admin_units(level):
            point = unit.geometry.representative_point()
            ref = PlaceRef(unit.name_en, kind, unit.admin1, unit.admin2 or "",
                           round(float(point.x), 5), round(float(point.y), 5), 0, 2)
            units[(unit.name_en, unit.admin1)] = ref
    for row in governorates():
        units[(row["name_en"], row["name_en"])] = PlaceRef(row["name_en"], "governorate",
                                                           row["name_en"], "", precision=3)
    return units


@cache
def base_index() -> PhraseIndex[PlaceRef]:
    """The shipped names: gazetteer places, OCHA units, governorates, aliases and regions."""
    index: PhraseIndex[PlaceRef] = PhraseIndex(max_words=6)
    units = _units()
    governorate_keys = _governorate_keys()
    for level in (3, 2):
        for unit in admin_units(level):
            if unit.name_en.startswith("Markaz ") or fold(unit.name_en) in governorate_keys:
                continue  # "Markaz X" is X's centre; a unit named like a governorate is not it
            ref = units[(unit.name_en, unit.admin1)]
            _add_unit(index, unit.name_en, ref)
            _add_unit(index, unit.name_ar, ref)
    for row in governorates():
        ref = units[(row["name_en"], row["name_en"])]
        for name in (row["name_en"], row["name_ar"], row["name_ckb"]):
            _add_unit(index, name, ref)
            _add_unit(index, name.removeprefix("Al-"), ref)
    crosswalk = read_data("irq_governorates_crosswalk.csv").decode("utf-8")
    for record in csv.DictReader(io.StringIO(crosswalk)):
        ref = units[(record["ocha_adm1_en"], record["ocha_adm1_en"])]
        for column in ("acled_admin1", "geoboundaries_shapeName", "geonames_admin1_name"):
            _add_unit(index, record[column], ref)
    for place, keys in named_places():
        if place.population <= 0:
            continue  # the gazetteer's copies of OCHA units: indexed above with their kind
        ref = PlaceRef(_plain(place.name), "place", place.admin1, place.admin2 or "",
                       place.lon, place.lat, place.population, 1)
        for key in keys:
            if _script_ok(key):
                _add(index, key, ref)
    aliases = read_data("irq_place_aliases.csv").decode("utf-8")
    for record in csv.DictReader(io.StringIO(aliases)):
        ref = _alias_ref(record, units)
        for name in record["aliases"].split("|"):
            _add_unit(index, name, ref)
    return index


def _script_ok(key: str) -> bool:
    """Latin or Arabic-script names only: the other scripts never occur in Iraqi news."""
    return all(c.isascii() or "\u0600" <= c <= "\u06ff" for c in key.replace(" ", ""))


def _alias_ref(record: dict[str, str], units: dict[tuple[str, str], PlaceRef]) -> PlaceRef:
    kind, target = record["kind"], record["target"]
    if kind == "governorate":
        return units[(target, target)]
    if kind == "unit":
        # Named as the outlets name it ("Sidakan", "Hawija"), placed as the OCHA unit.
        return replace(units[(target, record["admin1"])], name=record["aliases"].split("|")[0])
    return PlaceRef(target, "region", record["admin1"], record["admin2"],
                    precision=int(record["precision"]))


def _with_user_places(extra: Sequence[Place]) -> PhraseIndex[PlaceRef]:
    if not extra:
        return base_index()
    base = base_index()
    index = base.copy()
    for place in extra:
        # A user's place named as a town or a governorate ("Kirkuk") would move every
        # mention of that town to it: such a name is left to the gazetteer.
        names = [n for n in (place.name, place.name_ar, place.name_ckb) if n and n not in base]
        if not names:
            continue
        area = locate(place.lon, place.lat)
        ref = PlaceRef(place.name, "user", place.admin1 or (area.admin1 if area else ""),
                       place.admin2 or (area.admin2 or "" if area else ""), place.lon,
                       place.lat, place.population, 1)
        for name in names:
            index.add(name, ref)
    return index


class PlaceFinder:
    """Finds places in sentences and places an event; ``extra`` are the user's own places."""

    def __init__(self, extra: Sequence[Place] = ()) -> None:
        self._index = _with_user_places(extra)

    def mentions(self, sentence: str, language: str) -> list[Mention]:
        """The places ``sentence`` names, in order."""
        tokens, raw = cased_words(sentence)
        found = []
        for hit in self._index.find(tokens, language=language):
            if language == "en" and hit.key.isascii() and not raw[hit.start][:1].isupper():
                continue  # "hit", "bat": English names are capitalised
            before = set(tokens[max(0, hit.start - 4) : hit.start])
            away = bool(set(tokens[max(0, hit.start - 2) : hit.start]) & _AWAY)
            found.append(Mention(tuple(hit.value), hit.start, away or bool(before & _NEAR),
                                 hit.key, away))
        return found

    def place(self, mentions: Sequence[Mention]) -> Located | None:
        """Where an event named by ``mentions`` (its sentences' places, in order) happened.

        The governorate named first decides between same-named places; then the most
        specific mention in it wins, the earliest on a tie. None when nothing was named.
        """
        if not mentions:
            return None
        anchor = next((r.admin1 for m in mentions for r in m.refs
                       if r.kind == "governorate"), "")
        if not anchor:
            anchor = next((r.admin1 for m in mentions for r in m.refs if r.admin1), "")
        best: tuple[float, int, PlaceRef, Mention] | None = None
        for order, mention in enumerate(mentions):
            for ref in mention.refs:
                if anchor and ref.admin1 and ref.admin1 != anchor:
                    continue
                score = (_specificity(ref, mention), -order)
                if best is None or score > (best[0], best[1]):
                    best = (score[0], score[1], ref, mention)
        if best is None:
            ref, mention = mentions[0].refs[0], mentions[0]
        else:
            ref, mention = best[2], best[3]
        return _located(ref, mention, anchor)


def _specificity(ref: PlaceRef, mention: Mention) -> float:
    """How specific a mention is; "near X" and a bare governorate-like name count less."""
    value = float(SPECIFICITY[ref.kind])
    if ref.kind == "place" and _is_governorate_name(mention.text):
        value = 1.5  # "in Kirkuk": the city or the province; a district named beside wins
    return value - 2.5 if mention.away else value - 0.5 if mention.near else value


def _located(ref: PlaceRef, mention: Mention, anchor: str) -> Located:
    admin1 = ref.admin1 or anchor
    if ref.kind in ("governorate", "region") or ref.lon is None or ref.lat is None:
        return Located(ref.name, admin1, ref.admin2, max(ref.precision, 2), None)
    precision = ref.precision
    if mention.near or ref.kind in ("district", "subdistrict") or (
        ref.kind == "place" and _is_governorate_name(mention.text)
    ):
        precision = 2
    point = {"type": "Point", "coordinates": [round(ref.lon, 5), round(ref.lat, 5)]}
    return Located(ref.name, admin1, ref.admin2, precision, point)


@cache
def _governorate_keys() -> frozenset[str]:
    keys = set()
    for row in governorates():
        for name in (row["name_en"], row["name_ar"], row["name_ckb"]):
            keys.add(fold(name))
            keys.add(fold(name.removeprefix("Al-")))
    return frozenset(keys | {"dohuk", "duhok", "dahuk", "nineveh", "sulaymaniyah", "sulaimani"})


def _is_governorate_name(key: str) -> bool:
    """A bare name that is also a governorate's: "in Kirkuk" may mean the province."""
    return key in _governorate_keys()
