"""Iraq's governorates (ADM1), districts (ADM2) and sub-districts (ADM3), and point lookup.

The boundaries are OCHA's common operational dataset (CSO/ITOS, 2019-06-03), lightly
simplified, shipped in ``tansiq/data``. English names are OCHA's ``ADM1_EN``/``ADM2_EN``
spellings ("Ninewa", "Al-Sulaymaniyah", ...). Halabja is not a governorate in this data:
it is the district "Halabcha" of Al-Sulaymaniyah.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import orjson
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

#: A point outside every polygon but at most this far (km) from the nearest one is snapped
#: to it: the simplified outline can cut off border towns such as Zakho by a few hundred
#: metres. Points farther out are outside Iraq.
SNAP_TOLERANCE_KM: Final = 2.0

_EARTH_RADIUS_KM: Final = 6371.0088
# Upper bound, in degrees, of SNAP_TOLERANCE_KM anywhere in Iraq (lat <= 37.4 N): a degree
# of longitude is shortest at the northern edge, so use cos(38.5 deg) to stay on the safe side.
_SNAP_DEGREES: Final = math.degrees(SNAP_TOLERANCE_KM / _EARTH_RADIUS_KM) / math.cos(
    math.radians(38.5)
)
_FILES: Final = {1: "irq_adm1.geojson", 2: "irq_adm2.geojson", 3: "irq_adm3.geojson"}
# Common English spellings found in reports but in none of the data files.
_EXTRA_ALIASES: Final = {
    "Nineveh": "IQG15",
    "Mosul governorate": "IQG15",
    "Sulaimani": "IQG06",
    "Slemani": "IQG06",
    "Hawler": "IQG11",
    "Salahuddin": "IQG16",
}
_ARTICLE = re.compile(r"^(?:al|an|as|ad|ash|at|az)[\s-]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AdminArea:
    """The governorate and district a point lies in, with OCHA names and pcodes."""

    admin1: str
    admin1_ar: str
    admin1_pcode: str
    admin2: str | None
    admin2_ar: str | None
    admin2_pcode: str | None


@dataclass(frozen=True, slots=True, eq=False)
class AdminUnit:
    """One OCHA administrative unit of level 1-3 with its (shapely) geometry."""

    level: int
    pcode: str
    name_en: str
    name_ar: str
    admin1: str
    admin2: str | None
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class _Index:
    tree: shapely.STRtree
    geoms: npt.NDArray[np.object_]
    areas: tuple[AdminArea, ...]
    reach: BaseGeometry  # Iraq grown by at least SNAP_TOLERANCE_KM, prepared


def read_data(name: str) -> bytes:
    """Return the bytes of a file shipped in ``tansiq/data``; raises FileNotFoundError."""
    return resources.files("tansiq").joinpath("data", name).read_bytes()


@cache
def _features(level: int) -> tuple[dict[str, Any], ...]:
    if level not in _FILES:
        raise ValueError(f"administrative level must be 1, 2 or 3, not {level!r}")
    collection = orjson.loads(read_data(_FILES[level]))
    return tuple(collection["features"])


@cache
def admin_units(level: int) -> tuple[AdminUnit, ...]:
    """Return the OCHA units of `level` (1-3) in file order; raises ValueError otherwise."""
    units = []
    for feature in _features(level):
        props = feature["properties"]
        units.append(
            AdminUnit(
                level=level,
                pcode=props[f"ADM{level}_PCODE"],
                name_en=props[f"ADM{level}_EN"],
                name_ar=props[f"ADM{level}_AR"],
                admin1=props["ADM1_EN"],
                admin2=props["ADM2_EN"] if level >= 2 else None,
                geometry=shape(feature["geometry"]),
            )
        )
    return tuple(units)


@cache
def _index() -> _Index:
    units = admin_units(2)
    geoms = np.array([unit.geometry for unit in units], dtype=object)
    shapely.prepare(geoms)
    tree = shapely.STRtree(geoms)
    reach = shapely.buffer(shapely.union_all(geoms), _SNAP_DEGREES, quad_segs=4)
    shapely.prepare(reach)
    # Query once so the tree is fully built before it is shared between threads.
    tree.query(shapely.points(44.0, 33.0))
    parents = {unit.pcode: unit for unit in admin_units(1)}
    areas = []
    for feature in _features(2):
        props = feature["properties"]
        parent = parents[props["ADM1_PCODE"]]
        areas.append(
            AdminArea(
                admin1=parent.name_en,
                admin1_ar=parent.name_ar,
                admin1_pcode=parent.pcode,
                admin2=props["ADM2_EN"],
                admin2_ar=props["ADM2_AR"],
                admin2_pcode=props["ADM2_PCODE"],
            )
        )
    return _Index(tree=tree, geoms=geoms, areas=tuple(areas), reach=reach)


def locate(lon: float, lat: float) -> AdminArea | None:
    """Return the governorate and district containing (lon, lat), or None outside Iraq.

    Points within SNAP_TOLERANCE_KM of the outline snap to the nearest district.
    """
    return locate_many([(lon, lat)])[0]


def locate_many(points: Sequence[tuple[float, float]]) -> list[AdminArea | None]:
    """Locate many (lon, lat) points at once, in input order; see `locate`.

    Non-finite coordinates give None. Raises ValueError unless every item is a pair.
    """
    coords = np.asarray(points, dtype=np.float64)
    if coords.size == 0:
        return []
    if coords.ndim != 2 or coords.shape[1] != 2:
        raise ValueError("points must be a sequence of (lon, lat) pairs")
    index = _index()
    hit = np.full(len(coords), -1, dtype=np.intp)
    todo = np.flatnonzero(np.isfinite(coords).all(axis=1))
    if todo.size:
        # Bounding-box candidates from the tree, then exact tests on prepared polygons.
        qi, qj = index.tree.query(shapely.points(coords[todo]))
        inside = shapely.contains_xy(index.geoms[qj], coords[todo[qi], 0], coords[todo[qi], 1])
        hit[todo[qi[inside]]] = qj[inside]
        todo = todo[hit[todo] < 0]
    if todo.size:
        _snap(index, coords, todo, hit)
    areas = index.areas
    return [areas[k] if k >= 0 else None for k in hit.tolist()]


def _snap(
    index: _Index,
    coords: npt.NDArray[np.float64],
    todo: npt.NDArray[np.intp],
    hit: npt.NDArray[np.intp],
) -> None:
    """Set `hit` for the `todo` points within SNAP_TOLERANCE_KM of a district."""
    todo = todo[shapely.contains_xy(index.reach, coords[todo, 0], coords[todo, 1])]
    if not todo.size:
        return
    points = shapely.points(coords[todo])
    qi, qj = index.tree.query_nearest(points, max_distance=_SNAP_DEGREES, all_matches=False)
    if not len(qi):
        return
    lines = shapely.shortest_line(points[qi], index.geoms[qj])
    ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
    lon1, lat1 = np.radians(ends[:, 0, 0]), np.radians(ends[:, 0, 1])
    lon2, lat2 = np.radians(ends[:, 1, 0]), np.radians(ends[:, 1, 1])
    # Equirectangular distance: exact enough over a couple of kilometres.
    dx = (lon2 - lon1) * np.cos((lat1 + lat2) / 2)
    km = _EARTH_RADIUS_KM * np.hypot(dx, lat2 - lat1)
    near = km <= SNAP_TOLERANCE_KM
    hit[todo[qi[near]]] = qj[near]


@cache
def _sub_district_index() -> tuple[shapely.STRtree, npt.NDArray[np.object_], tuple[str, ...]]:
    units = admin_units(3)
    geoms = np.array([unit.geometry for unit in units], dtype=object)
    shapely.prepare(geoms)
    tree = shapely.STRtree(geoms)
    tree.query(shapely.points(44.0, 33.0))  # built before it is shared between threads
    parents = tuple(str(f["properties"]["ADM2_PCODE"]) for f in _features(3))
    return tree, geoms, parents


def sub_districts(
    points: Sequence[tuple[float, float]], areas: Sequence[AdminArea | None]
) -> list[str | None]:
    """The OCHA sub-district (ADM3) name of each (lon, lat), inside the district its
    ``locate_many`` area names (None where that area is None).

    A point the simplified sub-district outlines leave out (a snapped point, the seam
    between two districts) takes its district's nearest sub-district, so the three
    levels always agree. Raises ValueError unless the two sequences have one length.
    """
    if len(points) != len(areas):
        raise ValueError("one area is needed for each point")
    names = [unit.name_en for unit in admin_units(3)]
    found: list[str | None] = [None] * len(points)
    todo = [i for i, area in enumerate(areas) if area is not None]
    if not todo:
        return found
    tree, geoms, parents = _sub_district_index()
    coords = np.asarray([points[i] for i in todo], dtype=np.float64)
    qi, qj = tree.query(shapely.points(coords))
    inside = shapely.contains_xy(geoms[qj], coords[qi, 0], coords[qi, 1])
    for k, j in zip(qi[inside].tolist(), qj[inside].tolist(), strict=True):
        index = todo[k]
        area = areas[index]
        if area is not None and parents[j] == area.admin2_pcode:
            found[index] = names[j]
    for index in todo:
        area = areas[index]
        if found[index] is None and area is not None:
            point = shapely.points(*points[index])
            near = [j for j, parent in enumerate(parents) if parent == area.admin2_pcode]
            if near:
                found[index] = names[min(near, key=lambda j: shapely.distance(geoms[j], point))]
    return found


# Sorani Kurdish names of the governorates (OCHA's data has English and Arabic only).
GOVERNORATE_NAMES_CKB: Final = {
    "IQG01": "ئەنبار",
    "IQG02": "بەسرە",
    "IQG03": "موسەننا",
    "IQG04": "نەجەف",
    "IQG05": "قادسیە",
    "IQG06": "سلێمانی",
    "IQG07": "بابل",
    "IQG08": "بەغدا",
    "IQG09": "دهۆک",
    "IQG10": "دیالە",
    "IQG11": "هەولێر",
    "IQG12": "کەربەلا",
    "IQG13": "کەرکووک",
    "IQG14": "مەیسان",
    "IQG15": "نەینەوا",
    "IQG16": "سەڵاحەدین",
    "IQG17": "زیقار",
    "IQG18": "واست",
}


@cache
def _governorates() -> tuple[dict[str, str], ...]:
    rows = [
        {
            "pcode": unit.pcode,
            "name_en": unit.name_en,
            "name_ar": unit.name_ar,
            "name_ckb": GOVERNORATE_NAMES_CKB.get(unit.pcode, unit.name_en),
        }
        for unit in admin_units(1)
    ]
    return tuple(sorted(rows, key=lambda row: row["name_en"]))


def governorates() -> list[dict[str, str]]:
    """Return every governorate as {pcode, name_en, name_ar, name_ckb}, sorted by name_en.

    name_ckb falls back to the English name where the data has no Kurdish spelling.
    """
    return [dict(row) for row in _governorates()]


def governorate_names() -> list[str]:
    """Return the OCHA English names of the 18 governorates, sorted."""
    return sorted(unit.name_en for unit in admin_units(1))


def _alias_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.strip()).casefold()
    return "".join(c for c in text if c.isalnum())


@cache
def _aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}

    def add(name: str, pcode: str) -> None:
        for variant in (name, _ARTICLE.sub("", name)):
            if key := _alias_key(variant):
                aliases.setdefault(key, pcode)

    for row in _governorates():
        for value in row.values():
            add(value, row["pcode"])
    crosswalk = read_data("irq_governorates_crosswalk.csv").decode("utf-8")
    for record in csv.DictReader(io.StringIO(crosswalk)):
        pcode = record["ocha_adm1_pcode"]
        for column in (
            "acled_admin1",
            "geoboundaries_shapeName",
            "iso_3166_2",
            "geonames_admin1_code",
            "geonames_admin1_name",
        ):
            add(record[column], pcode)
    for name, pcode in _EXTRA_ALIASES.items():
        add(name, pcode)
    return aliases


def governorate_pcode(name: str) -> str:
    """Return the OCHA pcode of a governorate named in any common spelling or script.

    Accepts OCHA, ACLED, GeoNames and geoBoundaries spellings, ISO 3166-2 codes, pcodes,
    Arabic and Kurdish names, with or without the article. Raises KeyError if unknown.
    """
    pcode = _aliases().get(_alias_key(name))
    if pcode is None:
        raise KeyError(f"unknown governorate: {name!r}")
    return pcode


def governorate_shape(name: str) -> BaseGeometry:
    """Return the polygon of a governorate (any spelling `governorate_pcode` accepts).

    Raises KeyError naming the governorate if it is unknown.
    """
    pcode = governorate_pcode(name)
    return next(unit.geometry for unit in admin_units(1) if unit.pcode == pcode)


@cache
def _geojson(level: int) -> bytes:
    ckb = {row["pcode"]: row["name_ckb"] for row in _governorates()}
    features = []
    for feature, unit in zip(_features(level), admin_units(level), strict=True):
        inside = unit.geometry.representative_point()
        props: dict[str, Any] = {
            "pcode": unit.pcode,
            "name_en": unit.name_en,
            "name_ar": unit.name_ar,
            # Where a map writes the name: always inside the unit, unlike a centroid.
            "label": [round(float(inside.x), 4), round(float(inside.y), 4)],
        }
        if level == 1:
            props["name_ckb"] = ckb[unit.pcode]
        else:
            props["admin1_pcode"] = feature["properties"]["ADM1_PCODE"]
            props["admin1"] = unit.admin1
        features.append(
            {
                "type": "Feature",
                "id": unit.pcode,
                "properties": props,
                "geometry": feature["geometry"],
            }
        )
    return orjson.dumps({"type": "FeatureCollection", "features": features})


def boundaries_geojson(level: int) -> bytes:
    """Return the governorates (level 1) or districts (level 2) as compact GeoJSON bytes.

    Properties are pcode, name_en, name_ar, label (a [lon, lat] point inside the unit
    where a map writes its name) and name_ckb (level 1) or admin1 and admin1_pcode
    (level 2). Raises ValueError for any other level.
    """
    if level not in (1, 2):
        raise ValueError(f"boundary level must be 1 or 2, not {level!r}")
    return _geojson(level)
