"""Release precision: how coarsely a record's place and time go to a peer. Pure.

A ``ReleasePrecision`` says how to coarsen the location (``exact``, the ``district``'s
representative point, or the centre of a ``grid`` cell) and the event time (``exact``,
the start of its UTC ``day``, ISO ``week`` or ``month``). Every reduction is a pure
function of the cell, district or period, never of the exact value within it, so
averaging many releases of the same record learns nothing (no random jitter).
``tansiq.geo.release`` applies it to a journaled payload; docs/release-precision.md
describes the modes and what is and is not reduced.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, Final

import shapely
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape

from tansiq.domain.choices import TimePrecisionChoices
from tansiq.geo.boundaries import AdminArea, admin_units, locate

#: Grid cells finer than this would release near-exact places (0.01° is ~1.1 km).
MIN_GRID_DEGREES: Final = 0.01
MAX_GRID_DEGREES: Final = 5.0
#: Cells this large or larger are coarser than a typical district (the median OCHA
#: district is ~2,150 km²; a 0.5° cell at 35°N ~2,500 km²): ACLED geo_precision 3.
PROVINCE_GRID_DEGREES: Final = 0.5
#: Where a point lies in no district (cross-border), ``district`` falls back to this grid.
DISTRICT_FALLBACK_GRID: Final = 0.5
# Coarser last: a release never makes a record's time_precision finer.
TIME_ORDER: Final = tuple(TimePrecisionChoices)
_DIGITS: Final = 10  # rounding of cell centres: removes float noise, keeps every grid


class ReleasePrecisionError(ValueError):
    """A precision spec or a reduction request is invalid; the message says why."""


class GeoRelease(StrEnum):
    """How a location is released: as it is, as its district's point, or snapped to a grid."""

    EXACT = "exact"
    DISTRICT = "district"
    GRID = "grid"


@dataclass(frozen=True, slots=True)
class ReleasePrecision:
    """How coarsely a record is released: a geo mode (with its grid size) and a time mode.

    Raises ReleasePrecisionError when ``grid_degrees`` does not match ``geo`` or is out of
    [MIN_GRID_DEGREES, MAX_GRID_DEGREES].
    """

    geo: GeoRelease = GeoRelease.EXACT
    grid_degrees: float | None = None
    time: TimePrecisionChoices = TimePrecisionChoices.EXACT

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "geo", GeoRelease(self.geo))
            object.__setattr__(self, "time", TimePrecisionChoices(self.time))
        except ValueError as exc:
            raise ReleasePrecisionError(f"unknown release mode: {exc}") from None
        if self.geo is not GeoRelease.GRID:
            if self.grid_degrees is not None:
                raise ReleasePrecisionError(f"grid_degrees is only for grid, not {self.geo}")
            return
        size = self.grid_degrees
        if size is None or isinstance(size, bool) or not isinstance(size, int | float):
            raise ReleasePrecisionError("grid needs a cell size in degrees, e.g. grid:0.1")
        if not math.isfinite(size) or not MIN_GRID_DEGREES <= size <= MAX_GRID_DEGREES:
            raise ReleasePrecisionError(
                f"grid cell size must be between {MIN_GRID_DEGREES:g} and "
                f"{MAX_GRID_DEGREES:g} degrees, not {size:g}"
            )
        object.__setattr__(self, "grid_degrees", float(size))

    @property
    def is_exact(self) -> bool:
        """True when nothing is reduced."""
        return self.geo is GeoRelease.EXACT and self.time is TimePrecisionChoices.EXACT


EXACT: Final = ReleasePrecision()


def parse_precision(spec: str) -> ReleasePrecision:
    """Read ``GEO[,TIME]``: GEO is ``exact``, ``district`` or ``grid:<degrees>``, TIME is
    ``exact`` (the default), ``day``, ``week`` or ``month``; e.g. ``district,day``.

    Raises ReleasePrecisionError naming the bad part.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ReleasePrecisionError("release precision is empty; use e.g. exact or district,day")
    parts = [part.strip().lower() for part in spec.split(",")]
    if len(parts) > 2:
        raise ReleasePrecisionError(
            f"release precision {spec!r} has {len(parts)} parts; write GEO or GEO,TIME"
        )
    geo_text, time_text = parts if len(parts) == 2 else (parts[0], "exact")
    times = {choice.value: choice for choice in TimePrecisionChoices}
    if time_text not in times:
        raise ReleasePrecisionError(f"time mode {time_text!r} is not one of: {', '.join(times)}")
    if geo_text in times and geo_text != "exact":
        raise ReleasePrecisionError(
            f"{geo_text!r} is a time mode; put the geo mode first, e.g. exact,{geo_text}"
        )
    name, colon, size_text = geo_text.partition(":")
    if name == "grid":
        if not colon or not size_text.strip():
            raise ReleasePrecisionError("grid needs a cell size in degrees, e.g. grid:0.1")
        try:
            size = float(size_text)
        except ValueError:
            raise ReleasePrecisionError(f"grid cell size {size_text!r} is not a number") from None
        return ReleasePrecision(GeoRelease.GRID, size, times[time_text])
    if colon or name not in (GeoRelease.EXACT, GeoRelease.DISTRICT):
        raise ReleasePrecisionError(
            f"geo mode {geo_text!r} is not one of: exact, district, grid:<degrees>"
        )
    return ReleasePrecision(GeoRelease(name), None, times[time_text])


def format_precision(precision: ReleasePrecision) -> str:
    """The canonical spec of ``precision``, which ``parse_precision`` reads back equal."""
    geo = str(precision.geo)
    if precision.grid_degrees is not None:
        geo = f"grid:{precision.grid_degrees!r}".removesuffix(".0")
    if precision.time is TimePrecisionChoices.EXACT:
        return geo
    return f"{geo},{precision.time}"


def coarser_time(a: str, b: str) -> TimePrecisionChoices:
    """The coarser of two time precisions; raises ValueError for an unknown one."""
    return max(TimePrecisionChoices(a), TimePrecisionChoices(b), key=TIME_ORDER.index)


def floor_instant(when: datetime, precision: str) -> datetime:
    """The start of the UTC day, ISO week (Monday 00:00Z) or month holding an aware ``when``;
    ``exact`` gives it back unchanged. Raises ValueError for an unknown precision or a
    naive ``when``.
    """
    mode = TimePrecisionChoices(precision)
    if mode is TimePrecisionChoices.EXACT:
        return when
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("cannot coarsen a naive datetime")
    start = when.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if mode is TimePrecisionChoices.WEEK:
        return start - timedelta(days=start.weekday())
    if mode is TimePrecisionChoices.MONTH:
        return start.replace(day=1)
    return start


def grid_centre(value: float, degrees: float) -> float:
    """The centre of the grid cell of size ``degrees`` (aligned on 0°) holding ``value``."""
    return round((math.floor(value / degrees) + 0.5) * degrees, _DIGITS)


def grid_geo_precision(degrees: float) -> int:
    """ACLED geo_precision of a point released on a grid of this size: 2, or 3 when coarse."""
    return 3 if degrees >= PROVINCE_GRID_DEGREES else 2


@cache
def _district_points() -> dict[str, tuple[float, float]]:
    # The representative point is always inside the polygon (a centroid of a concave
    # district may not be) and is the one the gazetteer lists for the district.
    points = {}
    for unit in admin_units(2):
        point = unit.geometry.representative_point()
        points[unit.pcode] = (round(float(point.x), 6), round(float(point.y), 6))
    return points


def district_point(lon: float, lat: float) -> tuple[tuple[float, float], AdminArea] | None:
    """The representative point of the district holding (lon, lat), with the district;
    None outside every district (see ``boundaries.locate``)."""
    area = locate(lon, lat)
    if area is None or area.admin2_pcode is None:
        return None
    return _district_points()[area.admin2_pcode], area


def snap_geometry(geometry: Mapping[str, Any], degrees: float) -> dict[str, Any]:
    """A GeoJSON geometry with every vertex moved to the centre of its grid cell.

    Repeated vertices are dropped, a part or hole that collapses is dropped, and a
    polygon that snapping made self-crossing becomes its convex hull; a geometry
    that collapses entirely becomes the Point of the cell of its representative point.
    Raises ReleasePrecisionError for a size out of range or a malformed geometry.
    """
    ReleasePrecision(GeoRelease.GRID, degrees)
    try:
        kind, coords = str(geometry["type"]), geometry["coordinates"]
        anchor = shapely.force_2d(shape(geometry)).representative_point()
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, GEOSException):
        raise ReleasePrecisionError("the geometry is not valid GeoJSON") from None
    if anchor.is_empty:
        raise ReleasePrecisionError("the geometry is empty")

    def snap(position: Sequence[float]) -> list[float]:
        return [grid_centre(position[0], degrees), grid_centre(position[1], degrees)]

    snapped: dict[str, Any] | None
    if kind == "Point":
        snapped = {"type": kind, "coordinates": snap(coords)}
    elif kind == "MultiPoint":
        snapped = {
            "type": kind,
            "coordinates": list(map(list, dict.fromkeys(tuple(snap(p)) for p in coords))),
        }
    elif kind == "LineString":
        line = _line(coords, snap)
        snapped = {"type": kind, "coordinates": line} if line else None
    elif kind == "MultiLineString":
        lines = [line for line in (_line(part, snap) for part in coords) if line]
        snapped = {"type": kind, "coordinates": lines} if lines else None
    elif kind in ("Polygon", "MultiPolygon"):
        polygons = [coords] if kind == "Polygon" else coords
        snapped = _polygonal([_rings(polygon, snap) for polygon in polygons])
    else:
        raise ReleasePrecisionError(f"a {kind} geometry cannot be snapped to a grid")
    if snapped is None:
        return {"type": "Point", "coordinates": snap((anchor.x, anchor.y))}
    return snapped


Snap = Callable[[Sequence[float]], list[float]]


def _line(positions: Sequence[Sequence[float]], snap: Snap) -> list[list[float]] | None:
    """Snapped positions without consecutive repeats; None when fewer than two remain."""
    line: list[list[float]] = []
    for position in positions:
        point = snap(position)
        if not line or line[-1] != point:
            line.append(point)
    return line if len(line) >= 2 else None


def _rings(polygon: Sequence[Sequence[Sequence[float]]], snap: Snap) -> list[list[list[float]]]:
    """A polygon's snapped rings; a collapsed shell leaves no rings, a collapsed hole goes."""
    rings = []
    for index, ring in enumerate(polygon):
        kept = _line(ring, snap)
        if kept is not None and len(kept) >= 4:
            rings.append(kept)
        elif index == 0:
            return []
    return rings


def _polygonal(polygons: list[list[list[list[float]]]]) -> dict[str, Any] | None:
    """Snapped polygons as valid GeoJSON, or None when they have no area left.

    A part that snapping made self-crossing becomes its convex hull, and parts that
    then overlap become the hull of them all: hull vertices are snapped vertices, so
    every released coordinate stays a cell centre (a repair would add crossing points).
    """
    shapes = []
    for rings in polygons:
        if rings:
            part = shapely.Polygon(rings[0], rings[1:])
            shapes.append(part if part.is_valid else shapely.convex_hull(part))
    shapes = [part for part in shapes if part.geom_type == "Polygon" and part.area > 0]
    if not shapes:
        return None
    geom = shapes[0] if len(shapes) == 1 else shapely.MultiPolygon(shapes)
    if not geom.is_valid:
        geom = shapely.convex_hull(geom)
    return dict(_as_lists(mapping(geom)))


def _as_lists(value: Any) -> Any:
    """GeoJSON from shapely holds tuples; the journal's payloads hold lists."""
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_lists(item) for item in value]
    return value
