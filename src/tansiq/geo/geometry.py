"""GeoJSON geometry in WGS84: parsing, validation, and metric footprints.

Areas and distances are computed in UTM zone 38N (EPSG:32638), which covers Iraq
with small distortion. Pure: no I/O, no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import orjson
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from tansiq.geo.boundaries import SNAP_TOLERANCE_KM, admin_units

#: Lon/lat box generously around Iraq: a quick first test before the real outline.
IRAQ_BOUNDS: Final = (38.0, 28.5, 49.5, 38.5)
#: Anything larger than this is a typo (Iraq is ~438,000 km²).
MAX_AREA_KM2: Final = 100_000.0
#: Most vertices and most rings (polygon shells and holes, or lines) one geometry may
#: hold: far more than any drawn or surveyed sector needs, few enough to validate fast.
MAX_VERTICES: Final = 5_000
MAX_RINGS: Final = 100
GEOMETRY_TYPES: Final = ("Point", "LineString", "Polygon", "MultiPolygon", "MultiLineString")
METRIC_CRS: Final = "EPSG:32638"
# How deep positions sit in each type's coordinates array (0: the array is a position).
_NESTING: Final = {
    "Point": 0,
    "LineString": 1,
    "MultiPoint": 1,
    "Polygon": 2,
    "MultiLineString": 2,
    "MultiPolygon": 3,
}

GeometryArray = npt.NDArray[np.object_]


class GeometryError(ValueError):
    """The geometry is invalid; the message says why, for the user."""


@cache
def _to_metric() -> Transformer:
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def _projector(transformer: Transformer) -> Any:
    def project(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return project


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project lon/lat geometry to UTM 38N metres."""
    projected: BaseGeometry = shapely.transform(geom, _projector(_to_metric()))
    return projected


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Project UTM 38N metres back to lon/lat."""
    projected: BaseGeometry = shapely.transform(geom, _projector(_to_wgs84()))
    return projected


def to_metric_many(geoms: Sequence[BaseGeometry] | GeometryArray) -> GeometryArray:
    """Project many lon/lat geometries to UTM 38N at once (one pyproj call)."""
    array = np.asarray(geoms, dtype=object)
    result: GeometryArray = shapely.transform(array, _projector(_to_metric()))
    return result


def to_wgs84_many(geoms: Sequence[BaseGeometry] | GeometryArray) -> GeometryArray:
    """Project many UTM 38N geometries back to lon/lat at once."""
    array = np.asarray(geoms, dtype=object)
    result: GeometryArray = shapely.transform(array, _projector(_to_wgs84()))
    return result


def area_km2(geom: BaseGeometry) -> float:
    """Area of lon/lat geometry in km², computed in UTM 38N."""
    return float(to_metric(geom).area) / 1e6


def distance_m(a: BaseGeometry, b: BaseGeometry) -> float:
    """Shortest distance between two lon/lat geometries in metres (UTM 38N)."""
    return float(to_metric(a).distance(to_metric(b)))


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """A shapely geometry as a GeoJSON dict, coordinates rounded to ~1 cm."""
    return dict(mapping(shapely.set_precision(geom, 1e-7)))


def geojson_text(geom: BaseGeometry) -> str:
    """A lon/lat geometry as compact GeoJSON text, coordinates exactly as held (for storage)."""
    return orjson.dumps(mapping(geom)).decode()


def from_geojson_texts(texts: Sequence[str]) -> GeometryArray:
    """Parse many stored GeoJSON geometry texts at once (trusted, already validated)."""
    parsed: GeometryArray = shapely.from_geojson(np.asarray(texts, dtype=object))
    return parsed


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_structure(coords: Any, depth: int, closed_rings: bool) -> None:
    """Walk the raw coordinates array; raises GeometryError at the first malformed part."""
    if depth == 0:
        if not isinstance(coords, list | tuple) or not 2 <= len(coords) <= 3:
            raise GeometryError("each position must be [longitude, latitude]")
        if not all(_is_number(c) for c in coords):
            raise GeometryError("coordinates must be numbers")
        return
    if not isinstance(coords, list | tuple):
        raise GeometryError("coordinates are not nested as the type requires")
    for part in coords:
        _check_structure(part, depth - 1, closed_rings)
    if depth == 1:
        if len(coords) < 2:
            raise GeometryError("a line needs at least 2 positions")
        if closed_rings:
            if len(coords) < 4:
                raise GeometryError("a polygon ring needs at least 4 positions")
            if list(coords[0][:2]) != list(coords[-1][:2]):
                raise GeometryError("polygon rings must close (last position = first)")


def _ring_count(geom: BaseGeometry) -> int:
    """Polygon shells and holes, or lines, or points: the parts a geometry is built of."""
    parts = shapely.get_parts(geom)
    polygonal = shapely.get_type_id(parts) == 3  # Polygon
    holes = shapely.get_num_interior_rings(parts[polygonal])
    return int(len(parts) + holes.sum())


def _check_coordinates(geom: BaseGeometry) -> None:
    coords = shapely.get_coordinates(geom)
    if len(coords) == 0:
        raise GeometryError("has no coordinates")
    if len(coords) > MAX_VERTICES:
        raise GeometryError(
            f"has {len(coords):,} vertices, more than the limit of {MAX_VERTICES:,}"
        )
    rings = _ring_count(geom)
    if rings > MAX_RINGS:
        raise GeometryError(f"has {rings} rings or parts, more than the limit of {MAX_RINGS}")
    lons, lats = coords[:, 0], coords[:, 1]
    if not all(math.isfinite(v) for v in coords.ravel()):
        raise GeometryError("coordinates must be finite numbers")
    if lons.min() < -180 or lons.max() > 180 or lats.min() < -90 or lats.max() > 90:
        raise GeometryError("coordinates must be WGS84 longitude/latitude in degrees")
    # A ring spanning more than half the globe crosses the antimeridian: refuse it.
    if lons.max() - lons.min() > 180:
        raise GeometryError("crosses the antimeridian; split it or check the coordinate order")


def parse_geometry(
    value: Any, *, allowed: tuple[str, ...] = GEOMETRY_TYPES, cross_border: bool = False
) -> BaseGeometry:
    """Read and validate a GeoJSON geometry (WGS84 lon/lat), dropping any third coordinate.

    Checks the type, coordinates, ring closure and validity, size, and that it lies
    inside Iraq (see :func:`inside_iraq`) unless ``cross_border``. Raises GeometryError saying why.
    """
    if not isinstance(value, Mapping) or "type" not in value:
        raise GeometryError("must be a GeoJSON geometry object with a type")
    if value["type"] not in allowed:
        raise GeometryError(f"must be one of: {', '.join(allowed)}")
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list | tuple):
        raise GeometryError("must have a coordinates array")
    kind = str(value["type"])
    if kind not in _NESTING:
        raise GeometryError(f"type {kind} is not supported")
    _check_structure(coordinates, _NESTING[kind], kind in ("Polygon", "MultiPolygon"))
    if kind in ("Polygon", "MultiPolygon", "MultiLineString", "MultiPoint") and not coordinates:
        raise GeometryError("is empty")
    try:
        geom = shapely.force_2d(shape({"type": kind, "coordinates": coordinates}))
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        raise GeometryError(f"is malformed: {exc}") from None
    if geom.is_empty:
        raise GeometryError("is empty")
    _check_coordinates(geom)
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise GeometryError(f"is not valid ({reason}); rings must close and not self-intersect")
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        size = area_km2(geom)
        if size <= 0:
            raise GeometryError("has no area")
        if size > MAX_AREA_KM2:
            raise GeometryError(f"is absurdly large ({size:,.0f} km²; limit {MAX_AREA_KM2:,.0f})")
    if not cross_border and not inside_iraq(geom):
        raise GeometryError("lies outside the Iraq area; set cross_border to true if intended")
    return geom


@cache
def iraq_reach() -> BaseGeometry:
    """Iraq's shipped outline (the union of its governorates) grown by SNAP_TOLERANCE_KM,
    prepared: the simplified outline cuts border towns by a few hundred metres, and points
    that close are placed in Iraq too (see ``boundaries.locate``). Built once."""
    outline = shapely.union_all([unit.geometry for unit in admin_units(1)])
    grown = to_wgs84(to_metric(outline).buffer(SNAP_TOLERANCE_KM * 1000.0, quad_segs=4))
    shapely.prepare(grown)
    return grown


def inside_iraq(geom: BaseGeometry) -> bool:
    """Whether a lon/lat point, line or polygon lies wholly inside Iraq's border, with
    the tolerance of :func:`iraq_reach`. A shape partly across the border is outside."""
    west, south, east, north = geom.bounds
    box_west, box_south, box_east, box_north = IRAQ_BOUNDS
    if west < box_west or south < box_south or east > box_east or north > box_north:
        return False
    return bool(iraq_reach().contains(geom))


def footprint(geom: BaseGeometry, *, width_m: float = 0.0) -> BaseGeometry:
    """The ground a geometry covers, in lon/lat.

    Polygons cover themselves; a line covers ``width_m`` metres on each side (its
    stated depth); a point covers a circle of radius ``width_m``. Raises
    GeometryError for a line or point with no width.
    """
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom if width_m <= 0 else to_wgs84(to_metric(geom).buffer(width_m))
    if width_m <= 0:
        raise GeometryError("a line needs a depth and a point a radius greater than 0")
    return to_wgs84(to_metric(geom).buffer(width_m, quad_segs=16))


def footprints_metric(
    geoms: Sequence[BaseGeometry] | GeometryArray, widths_m: Sequence[float]
) -> GeometryArray:
    """The footprints of many lon/lat geometries at once, in UTM 38N metres.

    As :func:`footprint`, vectorised: polygons with width 0 are kept as they are.
    Raises GeometryError if a line or point has no width.
    """
    metric = to_metric_many(geoms)
    widths = np.asarray(widths_m, dtype=np.float64)
    if len(widths) != len(metric):
        raise ValueError("one width per geometry is needed")
    areal = np.isin(shapely.get_type_id(metric), (3, 6))  # Polygon, MultiPolygon
    if np.any(~areal & (widths <= 0)):
        raise GeometryError("a line needs a depth and a point a radius greater than 0")
    grow = widths > 0
    out = metric.copy()
    if grow.any():
        out[grow] = shapely.buffer(metric[grow], widths[grow], quad_segs=16)
    return out


def footprints(
    geoms: Sequence[BaseGeometry] | GeometryArray, widths_m: Sequence[float]
) -> GeometryArray:
    """The footprints of many lon/lat geometries at once, in lon/lat (see footprint)."""
    return to_wgs84_many(footprints_metric(geoms, widths_m))
