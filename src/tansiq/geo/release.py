"""A journaled payload as a peer receives it at a reduced release precision. Pure.

``reduce_payload`` never changes its argument and never puts the exact location or
event time into what it returns; docs/release-precision.md lists what is reduced, what
is removed and what stays the owner's responsibility (free text).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from tansiq.domain.choices import TimePrecisionChoices
from tansiq.domain.fields import parse_instant
from tansiq.geo.precision import (
    DISTRICT_FALLBACK_GRID,
    GeoRelease,
    ReleasePrecision,
    ReleasePrecisionError,
    coarser_time,
    district_point,
    floor_instant,
    grid_centre,
    grid_geo_precision,
)
from tansiq.journal.canonical import iso_utc

#: The kind whose place and time ``reduce_payload`` coarsens.
REDUCIBLE_KINDS: Final = frozenset({"incident"})
# Fields that hold a place: a payload of any other kind holding one of them cannot be
# released reduced (a sector's or site's name and purpose are its exact ground).
_PLACE_FIELDS: Final = ("location", "geometry", "area", "bbox")
# Fields derived from an incident's point (none today): replaced from the released point.
_DERIVED_BOX: Final = ("min_lon", "min_lat", "max_lon", "max_lat")


def reduce_payload(
    kind: str, payload: Mapping[str, Any], precision: ReleasePrecision
) -> dict[str, Any]:
    """A new payload of ``kind`` released at ``precision``; ``payload`` is left as it was.

    At ``exact`` precision it is a deep copy. An incident's location, geo_precision,
    place_name, admin1/admin2, occurred_at and time_precision are coarsened, its admin3
    and source event id removed; a payload of
    another kind holding no place is copied unchanged. Raises ReleasePrecisionError for a
    kind holding a place that cannot be reduced, or an incident without a usable
    location or occurred_at.
    """
    reduced = copy.deepcopy(dict(payload))
    if precision.is_exact:
        return reduced
    if kind not in REDUCIBLE_KINDS:
        held = [name for name in _PLACE_FIELDS if reduced.get(name) is not None]
        if held:
            raise ReleasePrecisionError(
                f"a {kind} holding {', '.join(held)} cannot be released at reduced precision"
            )
        return reduced
    if precision.geo is not GeoRelease.EXACT:
        _reduce_place(reduced, precision)
    if precision.time is not TimePrecisionChoices.EXACT:
        _reduce_time(reduced, precision.time)
    if reduced.get("event_id_cnty") is not None:
        # The id of a public ACLED event leads to its exact place and date.
        reduced["event_id_cnty"] = None
    return reduced


def _point(payload: Mapping[str, Any]) -> tuple[float, float]:
    location = payload.get("location")
    coords = location.get("coordinates") if isinstance(location, Mapping) else None
    if (
        not isinstance(location, Mapping)
        or location.get("type") != "Point"
        or not isinstance(coords, list | tuple)
        or len(coords) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        raise ReleasePrecisionError("the incident's location must be a GeoJSON Point")
    return float(coords[0]), float(coords[1])


def _reduce_place(payload: dict[str, Any], precision: ReleasePrecision) -> None:
    lon, lat = _point(payload)
    admin1, admin2 = payload.get("admin1"), payload.get("admin2")
    found = district_point(lon, lat) if precision.geo is GeoRelease.DISTRICT else None
    if found is not None:
        (x, y), area = found
        level, admin1, admin2 = 2, area.admin1, area.admin2
    else:
        # A grid, or a district release of a point in no district (cross-border).
        size = precision.grid_degrees or DISTRICT_FALLBACK_GRID
        x, y = grid_centre(lon, size), grid_centre(lat, size)
        level = grid_geo_precision(size) if precision.geo is GeoRelease.GRID else 3
    existing = payload.get("geo_precision")
    if isinstance(existing, int) and not isinstance(existing, bool) and 1 <= existing <= 3:
        level = max(level, existing)
    if level >= 3:
        # Only the governorate is known at ACLED 3: a district name would say more.
        admin2 = None
    payload["location"] = {"type": "Point", "coordinates": [x, y]}
    payload["geo_precision"] = level
    if "admin1" in payload:
        payload["admin1"] = admin1
    if "admin2" in payload:
        payload["admin2"] = admin2
    if "admin3" in payload:
        # A sub-district is finer than a district, and than most grid cells released.
        payload["admin3"] = None
    # A town or village name is finer than the released point: name the area instead.
    payload["place_name"] = admin2 or admin1 or ""
    for name in ("lon", "centroid_lon"):
        if name in payload:
            payload[name] = x
    for name in ("lat", "centroid_lat"):
        if name in payload:
            payload[name] = y
    if "centroid" in payload:
        payload["centroid"] = {"type": "Point", "coordinates": [x, y]}
    if "bbox" in payload:
        payload["bbox"] = [x, y, x, y]
    for name, value in zip(_DERIVED_BOX, (x, y, x, y), strict=True):
        if name in payload:
            payload[name] = value


def _reduce_time(payload: dict[str, Any], chosen: TimePrecisionChoices) -> None:
    try:
        when = parse_instant(payload.get("occurred_at"))
        coarsest = coarser_time(str(payload.get("time_precision", "exact")), chosen)
    except ValueError as exc:
        raise ReleasePrecisionError(
            f"the incident's occurred_at or time_precision: {exc}"
        ) from None
    # Floor to the coarser of the two, so the released instant says no more than its
    # time_precision (an owner's "month" keeps the day it happened to be typed with).
    payload["occurred_at"] = iso_utc(floor_instant(when, coarsest))
    payload["time_precision"] = coarsest.value
