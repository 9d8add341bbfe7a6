"""Place names of Iraq in English, Arabic and Kurdish (Sorani), searchable in any script.

The places are GeoNames' Iraqi populated places (population >= 500) plus every OCHA
district (ADM2) and sub-district (ADM3), the latter at a representative point with
population 0. GeoNames gives alternate names without a language tag, so the Arabic and
Kurdish display names are chosen by script and spelling (see `_pick_arabic`,
`_pick_kurdish`); searching always looks at every name.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Final

from tansiq.geo.boundaries import admin_units, read_data

# Letters of Sorani that Arabic does not use. The first five never occur in Arabic; the
# others also serve Persian and Iraqi Arabic (e.g. "الچبايش"), so they are weaker evidence.
_KURDISH_STRONG: Final = frozenset("ەێۆڕڵ")
_KURDISH_WEAK: Final = frozenset("ڤپچژگ")
# Letters that standard Arabic spelling does not use (Persian, Urdu, Sindhi forms).
_NON_ARABIC: Final = frozenset("یکڪھۀېگچپژڤ") | _KURDISH_STRONG
# Letters a Sorani writer would have written as ک, ی, ە instead.
_NON_SORANI: Final = frozenset("كيىة")
_ADMIN_PREFIXES: Final = ("مركز ", "ناحية ", "قضاء ", "مدينة ", "قرية ")
# Variant letters folded together so that a query typed on any keyboard finds a name.
_FOLD: Final = str.maketrans(
    {
        "ٱ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ھ": "ه",
        "ى": "ي",
        "ی": "ي",
        "ێ": "ي",
        "ې": "ي",
        "ک": "ك",
        "ڪ": "ك",
        "ۆ": "و",
        "ڕ": "ر",
        "ڵ": "ل",
        "ء": None,
        "ـ": None,
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "đ": "d",
        "-": " ",
        "،": " ",
        ",": " ",
        "'": None,
        "‘": None,
        "’": None,
        "ʿ": None,
        "ʾ": None,
        "`": None,
        "´": None,
    }
)


_LEADING_ARTICLE: Final = re.compile(r"^(?:al|an|as|ad|ash|at|az|el)[\s-]+")
# Marks of scholarly romanisation that NFKD does not take apart (ʿayn, hamza, ı…).
_UNMARKED: Final = str.maketrans({"ʿ": None, "ʾ": None, "‘": "'", "’": "'", "ı": "i"})


@dataclass(frozen=True, slots=True)
class Place:
    """A named place with its display names, location and OCHA governorate/district."""

    name: str
    name_ar: str | None
    name_ckb: str | None
    lon: float
    lat: float
    admin1: str
    admin2: str | None
    population: int


@dataclass(frozen=True, slots=True)
class _Entry:
    place: Place
    keys: tuple[str, ...]


def fold(text: str) -> str:
    """Return `text` folded for matching: case, diacritics, harakat and letter variants."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().translate(_FOLD).split())


def _script(name: str) -> str:
    """Return "arabic", "latin" or "other" by the name's letters; mixed-script is "other"."""
    scripts = {unicodedata.name(c, "?").split()[0] for c in name if c.isalpha()}
    if scripts == {"ARABIC"}:
        return "arabic"
    if scripts == {"LATIN"}:
        return "latin"
    return "other"


def _is_kurdish(name: str) -> bool:
    letters = set(name)
    if letters & _KURDISH_STRONG:
        return True
    return bool(letters & _KURDISH_WEAK) and not name.startswith("ال")


def _core(name: str) -> str:
    for prefix in _ADMIN_PREFIXES:
        name = name.removeprefix(prefix)
    return fold(name)


def _pick_arabic(candidates: list[str], official: frozenset[str]) -> str | None:
    """Choose the display Arabic name: OCHA's spelling, standard letters, "ال", brevity."""

    def rank(name: str) -> tuple[int, int, bool, bool, bool, bool, int, str]:
        return (
            0 if name in official else 1 if _core(name) in official else 2,
            sum(c in _NON_ARABIC for c in name),
            "ة" in name.rstrip("ة"),  # mid-word ة is old Kurdish spelling of ە
            name.startswith(_ADMIN_PREFIXES),
            not name.startswith("ال"),
            name.endswith("ه"),
            len(name),
            name,
        )

    return min(candidates, key=rank, default=None)


def _pick_kurdish(candidates: list[str]) -> str | None:
    """Choose the display Sorani name: Kurdish letters, then Sorani ک/ی over Arabic ك/ي."""

    def rank(name: str) -> tuple[bool, int, int, str]:
        strong = bool(set(name) & _KURDISH_STRONG)
        return (not strong, sum(c in _NON_SORANI for c in name), len(name), name)

    return min(candidates, key=rank, default=None)


@cache
def _official_arabic() -> dict[str, frozenset[str]]:
    """OCHA Arabic unit names by governorate, as written and as folded cores."""
    names: dict[str, set[str]] = {}
    for level in (2, 3):
        for unit in admin_units(level):
            names.setdefault(unit.admin1, set()).update((unit.name_ar, _core(unit.name_ar)))
    return {admin1: frozenset(values) for admin1, values in names.items()}


@cache
def _official_english() -> dict[tuple[str, str], str]:
    """OCHA's English name of each district and sub-district, by (governorate, folded
    Arabic core); a district's name wins over a sub-district's of the same Arabic name."""
    names: dict[tuple[str, str], str] = {}
    for level in (2, 3):
        for unit in admin_units(level):
            english = unit.name_en.removeprefix("Markaz ")
            names.setdefault((unit.admin1, _core(unit.name_ar)), english)
    return names


def _english(name: str, name_ar: str | None, admin1: str) -> str:
    """One English spelling per place: OCHA's, when the place bears the Arabic name of a
    district or sub-district of its governorate (the town Ţūz Khūrmātū and the district
    Tooz Khurmato are one name), else GeoNames' romanisation without its diacritics."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_UNMARKED)
    official = _official_english().get((admin1, _core(name_ar))) if name_ar else None
    if official is None or _unarticled(official) == _unarticled(bare):
        # "Mosul" and OCHA's "Al-Mosul" are one spelling; the article is no second name.
        return bare
    return official


def _unarticled(name: str) -> str:
    return _LEADING_ARTICLE.sub("", fold(name))


def _geonames_entries() -> list[_Entry]:
    text = read_data("irq_places_geonames.csv").decode("utf-8")
    official = _official_arabic()
    entries = []
    for row in csv.DictReader(io.StringIO(text)):
        names = [row["name"], *filter(None, row["alternatenames"].split("|"))]
        arabic = [n for n in names if _script(n) == "arabic"]
        kurdish = [n for n in arabic if _is_kurdish(n)]
        name_ar = _pick_arabic(
            [n for n in arabic if n not in kurdish],
            official.get(row["ocha_adm1_en"], frozenset()),
        )
        place = Place(
            name=_english(row["name"], name_ar, row["ocha_adm1_en"]),
            name_ar=name_ar,
            name_ckb=_pick_kurdish(kurdish),
            lon=float(row["longitude"]),
            lat=float(row["latitude"]),
            admin1=row["ocha_adm1_en"],
            admin2=row["ocha_adm2_en"] or None,
            population=int(row["population"] or 0),
        )
        entries.append(_Entry(place, _keys(names)))
    return entries


def _unit_entries() -> list[_Entry]:
    entries = []
    for level in (2, 3):
        for unit in admin_units(level):
            point = unit.geometry.representative_point()
            place = Place(
                name=unit.name_en,
                name_ar=unit.name_ar,
                name_ckb=None,
                lon=round(float(point.x), 6),
                lat=round(float(point.y), 6),
                admin1=unit.admin1,
                admin2=unit.admin2,
                population=0,
            )
            entries.append(_Entry(place, _keys([unit.name_en, unit.name_ar])))
    return entries


def _keys(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for key in map(fold, names) if key))


@cache
def _entries() -> tuple[_Entry, ...]:
    # Most populous first; the sort is stable, so GeoNames places precede OCHA units.
    entries = _geonames_entries() + _unit_entries()
    return tuple(sorted(entries, key=lambda entry: -entry.place.population))


def places() -> list[Place]:
    """Return every place in the gazetteer, most populous first."""
    return [entry.place for entry in _entries()]


def named_places() -> list[tuple[Place, tuple[str, ...]]]:
    """Every place with all the names it is found by, folded (see `fold`), most populous first.

    For readers that look names up in running text rather than one query at a time.
    """
    return [(entry.place, entry.keys) for entry in _entries()]


def search(query: str, limit: int = 10) -> list[Place]:
    """Return up to `limit` places whose names match `query` in any script.

    Matching ignores case, diacritics and letter variants. Exact matches come first, then
    names starting with the query, then names containing it; most populous first within each.
    """
    needle = fold(query)
    if not needle or limit < 1:
        return []
    tiers: tuple[list[Place], list[Place], list[Place]] = ([], [], [])
    for entry in _entries():
        best = 3
        for key in entry.keys:
            if key == needle:
                best = 0
                break
            if key.startswith(needle):
                best = min(best, 1)
            elif best > 2 and needle in key:
                best = 2
        if best < 3:
            tiers[best].append(entry.place)
    return [*tiers[0], *tiers[1], *tiers[2]][:limit]


def find(name: str) -> Place | None:
    """Return the most populous place with a name equal to `name` in any script, or None.

    Equality ignores case, diacritics and letter variants, as in `search`.
    """
    needle = fold(name)
    if not needle:
        return None
    return next((entry.place for entry in _entries() if needle in entry.keys), None)
