"""Tests for tansiq.geo: point lookup, governorate names and shapes, the gazetteer."""

from __future__ import annotations

import random
import unicodedata

import orjson
import pytest
import shapely
from shapely.geometry import Point, shape

from tansiq.geo import boundaries, gazetteer
from tansiq.geo.boundaries import (
    AdminArea,
    boundaries_geojson,
    governorate_names,
    governorate_pcode,
    governorate_shape,
    governorates,
    locate,
    locate_many,
)
from tansiq.geo.gazetteer import find, fold, search

IRAQ_BBOX = (38.79, 29.06, 48.63, 37.38)


@pytest.mark.parametrize(
    ("lon", "lat", "admin1", "admin2"),
    [
        (44.392, 35.468, "Kirkuk", "Kirkuk"),
        (44.009, 36.191, "Erbil", "Erbil"),
        (44.655, 33.75, "Diyala", "Baquba"),
        (43.13, 36.34, "Ninewa", "Al-Mosul"),
        (42.68, 37.14, "Duhok", "Zakho"),
        (45.43, 35.56, "Al-Sulaymaniyah", "Al-Sulaymaniyah"),
        (44.40, 33.34, "Baghdad", "Al-Risafa"),
    ],
)
def test_locate_known_points(lon: float, lat: float, admin1: str, admin2: str) -> None:
    area = locate(lon, lat)
    assert area is not None
    assert (area.admin1, area.admin2) == (admin1, admin2)
    assert area.admin1_pcode == governorate_pcode(admin1)
    assert area.admin2_pcode is not None and area.admin2_pcode.startswith(area.admin1_pcode)


@pytest.mark.parametrize(("lon", "lat"), [(35.0, 39.0), (51.4, 35.7), (0.0, 0.0), (44.0, 40.0)])
def test_locate_outside_iraq(lon: float, lat: float) -> None:
    assert locate(lon, lat) is None


def _outline() -> shapely.Geometry:
    return shapely.union_all([unit.geometry for unit in boundaries.admin_units(1)])


def test_points_just_outside_snap_and_farther_ones_do_not() -> None:
    outline = _outline()
    # 0.01 deg is at most 1.1 km anywhere in Iraq; 0.04 deg is at least 3.5 km.
    near = shapely.line_interpolate_point(
        outline.buffer(0.01).exterior, [i / 200 for i in range(200)], normalized=True
    )
    far = shapely.line_interpolate_point(
        outline.buffer(0.04).exterior, [i / 200 for i in range(200)], normalized=True
    )
    assert all(locate_many(shapely.get_coordinates(near).tolist()))
    assert not any(locate_many(shapely.get_coordinates(far).tolist()))
    assert boundaries.SNAP_TOLERANCE_KM == 2.0


def test_point_on_a_shared_border_is_located() -> None:
    kirkuk = governorate_shape("Kirkuk")
    lon, lat = shapely.get_coordinates(kirkuk.exterior)[5]
    assert locate(lon, lat) is not None


def test_locate_many_agrees_with_locate_and_brute_force() -> None:
    rng = random.Random(20250611)
    west, south, east, north = IRAQ_BBOX
    points = [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(500)]
    many = locate_many(points)
    assert many == [locate(lon, lat) for lon, lat in points]
    units = boundaries.admin_units(2)
    for (lon, lat), area in zip(points, many, strict=True):
        owner = next((u for u in units if u.geometry.contains(Point(lon, lat))), None)
        if owner is not None:
            assert area is not None and area.admin2_pcode == owner.pcode
        elif area is not None:  # only snapped points may lie outside every polygon
            assert _outline().exterior.distance(Point(lon, lat)) < 0.03
    assert sum(area is not None for area in many) > 200


def test_locate_many_edge_cases() -> None:
    assert locate_many([]) == []
    assert locate_many([(float("nan"), 33.0), (44.392, 35.468)])[0] is None
    assert isinstance(locate_many([(44.392, 35.468)])[0], AdminArea)
    with pytest.raises(ValueError):
        locate_many([(44.0, 33.0, 1.0)])  # type: ignore[list-item]


def test_governorates() -> None:
    names = governorate_names()
    assert len(names) == 18 and names == sorted(names)
    assert {"Kirkuk", "Al-Sulaymaniyah", "Ninewa", "Diyala", "Duhok", "Erbil"} <= set(names)
    rows = {row["name_en"]: row for row in governorates()}
    assert set(rows) == set(names)
    assert rows["Kirkuk"] == {
        "pcode": "IQG13",
        "name_en": "Kirkuk",
        "name_ar": "كركوك",
        "name_ckb": "کەرکووک",
    }
    assert rows["Erbil"]["name_ckb"] == "هەولێر"
    assert rows["Al-Sulaymaniyah"]["name_ckb"] == "سلێمانی"
    assert rows["Diyala"]["name_ckb"] == "دیالە" and rows["Ninewa"]["name_ckb"] == "نەینەوا"
    assert all(row["name_ckb"] != row["name_en"] for row in rows.values())
    governorates()[0]["name_en"] = "changed"
    assert governorates()[0]["name_en"] != "changed"


@pytest.mark.parametrize(
    "alias",
    [
        "Al-Sulaymaniyah",
        "Al Sulaymaniyah",
        "sulaymaniyah",
        "IQG06",
        "IQ-SU",
        "السليمانية",
        "سلێمانی",
        "As Sulaymaniyah",
        "Sulaimani",
    ],
)
def test_governorate_aliases(alias: str) -> None:
    assert governorate_pcode(alias) == "IQG06"


def test_governorate_shape() -> None:
    kirkuk = governorate_shape("Kirkuk")
    assert kirkuk.contains(Point(44.392, 35.468))
    assert governorate_shape("Nineveh").equals(governorate_shape("Ninewa"))
    with pytest.raises(KeyError, match="Atlantis"):
        governorate_shape("Atlantis")


def test_boundaries_geojson() -> None:
    level1 = orjson.loads(boundaries_geojson(1))
    assert level1["type"] == "FeatureCollection" and len(level1["features"]) == 18
    first = level1["features"][0]["properties"]
    assert set(first) == {"pcode", "name_en", "name_ar", "name_ckb", "label"}
    level2 = orjson.loads(boundaries_geojson(2))
    assert len(level2["features"]) == 101
    # Every label point lies inside its own unit, so a name is never written next door.
    for feature in level1["features"] + level2["features"]:
        assert shape(feature["geometry"]).contains(Point(feature["properties"]["label"]))
    assert {f["properties"]["admin1"] for f in level2["features"]} == set(governorate_names())
    assert shape(level2["features"][0]["geometry"]).is_valid
    assert boundaries_geojson(1) is boundaries_geojson(1)
    with pytest.raises(ValueError):
        boundaries_geojson(3)


def test_find_in_every_script() -> None:
    kirkuk = find("Kirkuk")
    assert kirkuk is not None and kirkuk.admin1 == "Kirkuk" and kirkuk.population > 100_000
    assert find("كركوك") == kirkuk
    assert find("کەرکووک") == kirkuk
    assert find("kirkuk ") == kirkuk
    erbil = find("أربيل")
    assert erbil is not None and erbil.name == "Erbil" and erbil.name_ckb == "هەولێر"
    assert find("هەولێر") == erbil and find("Hawler") == erbil
    assert find("Sulaymaniyah") == find("سلێمانی") == find("السليمانية")
    assert find("nowhere-at-all") is None and find("") is None


def test_find_district_and_subdistrict_names() -> None:
    district = find("Tooz Khurmato")
    assert district is not None and district.admin1 == "Salah Al-Din"
    assert district.population == 0
    sub = find("Qura Hanjeer")
    assert sub is not None and sub.admin1 == "Kirkuk" and sub.admin2 == "Kirkuk"
    area = locate(sub.lon, sub.lat)
    assert area is not None and area.admin2 == "Kirkuk"


def test_search_latin_and_arabic() -> None:
    assert search("kirk")[0].name == "Kirkuk"
    assert search("Mosul")[0].name == "Mosul"
    assert search("موصل")[0].name in {"Mosul", "Al Mawsil al Jadidah"}
    assert search("الموصل")[0].name == "Mosul"
    assert search("zakho")[0].admin1 == "Duhok"
    # Diacritics ignored; the town bears its district's OCHA spelling.
    assert search("Fallujah")[0].name == "Al-Falluja"
    assert len(search("al", limit=5)) == 5
    assert search("xyzzy") == [] and search("  ") == [] and search("kirk", limit=0) == []


def _tier(place: gazetteer.Place, needle: str) -> int:
    keys = next(e.keys for e in gazetteer._entries() if e.place is place)
    if needle in keys:
        return 0
    return 1 if any(key.startswith(needle) for key in keys) else 2


@pytest.mark.parametrize("query", ["sul", "Hit", "al", "كر", "ba"])
def test_search_orders_exact_then_prefix_then_substring(query: str) -> None:
    results = search(query, limit=100)
    ranks = [(_tier(place, fold(query)), -place.population) for place in results]
    assert ranks == sorted(ranks)
    assert search("Hit")[0].name == "Heet"
    assert [p.name for p in search("sul", limit=2)] == ["Sulaymaniyah", "Sulaiman Baig"]


def test_places_have_names_split_by_script() -> None:
    places = gazetteer.places()
    assert len(places) == 169 + 101 + 294
    for place in places:
        if place.name_ckb is not None:
            assert any(c in place.name_ckb for c in "ەێۆڕڵڤپچژگ")
        if place.name_ar is not None:
            assert not any(c in place.name_ar for c in "ەێۆڕڵ")
        assert place.admin1 in governorate_names()
    dihok = find("Dihok")
    assert dihok is not None and dihok.name_ar == "دهوك" and dihok.name_ckb is not None


def test_fold() -> None:
    assert fold("Al-Fallūjah") == fold("al fallujah")
    assert fold("أربيل") == fold("اربيل") == fold("إربيل")
    assert fold("كربلاء") == fold("كربلا")
    assert fold("مَوْصِل") == fold("موصل")


@pytest.mark.parametrize(
    ("query", "english", "arabic"),
    [
        # A town bearing its district's (or sub-district's) Arabic name takes OCHA's spelling.
        ("طوز خورماتو", "Tooz Khurmato", "طوز خورماتو"),
        ("Ţūz Khūrmātū", "Tooz Khurmato", "طوز خورماتو"),
        ("Khānaqīn", "Khanaqin", "خانقين"),
        ("Sinjār", "Sinjar", "سنجار"),
    ],
)
def test_one_english_spelling_per_place(query: str, english: str, arabic: str) -> None:
    town = max(search(query, limit=8), key=lambda p: p.population)
    assert (town.name, town.name_ar) == (english, arabic)
    assert town.population > 0


def test_other_places_keep_geonames_romanisation_without_its_marks() -> None:
    english = [p.name for p in gazetteer.places()]
    marked = [n for n in english if unicodedata.normalize("NFKD", n) != n or "ʿ" in n]
    assert marked == []
    assert "Al Hawijah" not in english and find("Al Ḩawījah") is not None
