"""Field checks shared by the records that carry a geometry (sectors, protected sites).

Pure: each check adds to an ErrorCollector instead of raising, so a record's
every bad field is named at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from shapely.geometry.base import BaseGeometry

from tansiq.domain.choices import ReleasabilityChoices
from tansiq.domain.errors import ErrorCollector
from tansiq.domain.incidents import parse_occurred_at
from tansiq.geo.geometry import MAX_AREA_KM2, GeometryError, area_km2, footprint, parse_geometry

EARLIEST: Final = datetime(1990, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2100, 1, 1, tzinfo=UTC)
MAX_NAME: Final = 200
MAX_DESCRIPTION: Final = 2_000


@dataclass(frozen=True)
class Placed:
    """A validated geometry, the ground it covers (lon/lat) and that ground's box."""

    geometry: BaseGeometry
    footprint: BaseGeometry

    @property
    def bbox(self) -> dict[str, float]:
        """The footprint's bounds as the ``min_lon``… columns."""
        west, south, east, north = self.footprint.bounds
        return {"min_lon": west, "min_lat": south, "max_lon": east, "max_lat": north}


def check_choice(errors: ErrorCollector, name: str, value: Any, choices: type[StrEnum]) -> None:
    """Name ``name`` unless ``value`` is one of ``choices``."""
    allowed = [c.value for c in choices]
    if value not in allowed:
        errors.add(name, f"must be one of: {', '.join(allowed)}")


def check_text(
    errors: ErrorCollector, name: str, value: Any, limit: int, *, required: bool = False
) -> None:
    """Name ``name`` unless ``value`` is text of at most ``limit`` characters without NUL."""
    if not isinstance(value, str):
        errors.add(name, "must be a string")
    elif "\x00" in value:
        errors.add(name, "must not contain NUL characters")
    elif len(value) > limit:
        errors.add(name, f"must be at most {limit} characters")
    elif required and not value.strip():
        errors.add(name, "must not be empty")


def check_instant(errors: ErrorCollector, name: str, value: Any) -> datetime | None:
    """Parse an ISO 8601 date-time with an offset between 1990 and 2100, or name the field."""
    try:
        when = parse_occurred_at(value)
    except ValueError as exc:
        errors.add(name, str(exc))
        return None
    if not EARLIEST <= when < LATEST:
        errors.add(name, "must be between 1990-01-01 and 2100-01-01")
        return None
    return when


def check_releasability(errors: ErrorCollector, values: Mapping[str, Any]) -> None:
    """Check ``releasability`` and ``center_id`` as given (either may be absent)."""
    if "releasability" in values:
        check_choice(errors, "releasability", values["releasability"], ReleasabilityChoices)
    center_id = values.get("center_id")
    if center_id is not None and (not isinstance(center_id, str) or len(center_id) > 64):
        errors.add("center_id", "must be a center id or null")


def check_center_rule(errors: ErrorCollector, record: Mapping[str, Any]) -> None:
    """A ``center`` record names its center."""
    if record["releasability"] == ReleasabilityChoices.CENTER and not record.get("center_id"):
        errors.add("center_id", "is required when releasability is center")


def check_window(errors: ErrorCollector, record: Mapping[str, Any], start: str, end: str) -> None:
    """``record[start]`` must come before ``record[end]`` (both datetimes or None)."""
    begins, ends = record.get(start), record.get(end)
    if begins is not None and ends is not None and begins >= ends:
        errors.add(end, f"must be after {start}")


def place(
    errors: ErrorCollector,
    value: Any,
    *,
    allowed: tuple[str, ...],
    cross_border: bool,
    width_m: float = 0.0,
    width_field: str = "geometry",
) -> Placed | None:
    """Parse ``value`` as a geometry of an ``allowed`` type and build its footprint.

    Names ``geometry`` (or ``width_field`` when the footprint is absurdly large).
    """
    try:
        geom = parse_geometry(value, allowed=allowed, cross_border=cross_border)
    except GeometryError as exc:
        errors.add("geometry", str(exc))
        return None
    ground = footprint(geom, width_m=width_m) if width_m > 0 else geom
    if width_m > 0 and area_km2(ground) > MAX_AREA_KM2:
        errors.add(width_field, f"makes the ground covered larger than {MAX_AREA_KM2:,.0f} km²")
        return None
    return Placed(geometry=geom, footprint=ground)
