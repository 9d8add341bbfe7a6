"""GeoJSON geometry in WGS84: parsing, validation, and metric footprints.

Areas and distances are computed in UTM zone 38N (EPSG:32638), which covers Iraq
with small distortion. Pure: no I/O, no database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import Any, Final

import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import transform

#: Lon/lat box generously around Iraq: geometry outside it must be flagged cross-border.
IRAQ_BOUNDS: Final = (38.0, 28.5, 49.5, 38.5)
#: Anything larger than this is a typo (Iraq is ~438,000 km²).
MAX_AREA_KM2: Final = 100_000.0
MAX_VERTICES: Final = 20_000
GEOMETRY_TYPES: Final = ("Point", "LineString", "Polygon", "MultiPolygon", "MultiLineString")
METRIC_CRS: Final = "EPSG:32638"


class GeometryError(ValueError):
    """The geometry is invalid; the message says why, for the user."""


@cache
def _to_metric() -> Transformer:
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project lon/lat geometry to UTM 38N metres."""
    return transform(_to_metric().transform, geom)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Project UTM 38N metres back to lon/lat."""
    return transform(_to_wgs84().transform, geom)


def area_km2(geom: BaseGeometry) -> float:
    """Area of lon/lat geometry in km², computed in UTM 38N."""
    return float(to_metric(geom).area) / 1e6


def distance_m(a: BaseGeometry, b: BaseGeometry) -> float:
    """Shortest distance between two lon/lat geometries in metres (UTM 38N)."""
    return float(to_metric(a).distance(to_metric(b)))


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """A shapely geometry as a GeoJSON dict, coordinates rounded to ~1 cm."""
    return dict(mapping(shapely.set_precision(geom, 1e-7)))


def _check_coordinates(geom: BaseGeometry) -> None:
    coords = shapely.get_coordinates(geom)
    if len(coords) == 0:
        raise GeometryError("has no coordinates")
    if len(coords) > MAX_VERTICES:
        raise GeometryError(f"has more than {MAX_VERTICES} vertices")
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
    """Read and validate a GeoJSON geometry (WGS84 lon/lat).

    Checks the type, coordinates, ring validity, size, and that it lies inside the
    Iraq bounding area unless ``cross_border``. Raises GeometryError saying why.
    """
    if not isinstance(value, Mapping) or "type" not in value:
        raise GeometryError("must be a GeoJSON geometry object with a type")
    if value["type"] not in allowed:
        raise GeometryError(f"must be one of: {', '.join(allowed)}")
    if not isinstance(value.get("coordinates"), list | tuple):
        raise GeometryError("must have a coordinates array")
    try:
        geom = shape(value)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise GeometryError(f"is malformed: {exc}") from None
    _check_coordinates(geom)
    if geom.is_empty:
        raise GeometryError("is empty")
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise GeometryError(f"is not valid ({reason}); rings must close and not self-intersect")
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        size = area_km2(geom)
        if size <= 0:
            raise GeometryError("has no area")
        if size > MAX_AREA_KM2:
            raise GeometryError(f"is absurdly large ({size:,.0f} km²; limit {MAX_AREA_KM2:,.0f})")
    if not cross_border and not shapely.box(*IRAQ_BOUNDS).contains(geom):
        raise GeometryError("lies outside the Iraq area; set cross_border to true if intended")
    return geom


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
