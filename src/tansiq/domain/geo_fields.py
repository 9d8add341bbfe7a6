"""Field checks shared by the records that carry a geometry (sectors, protected sites).

Pure: each check adds to an ErrorCollector instead of raising, so a record's
every bad field is named at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final, TypeAlias

from shapely.geometry.base import BaseGeometry

from tansiq.domain.choices import ReleasabilityChoices, SectorStatusChoices
from tansiq.domain.errors import ErrorCollector
from tansiq.domain.fields import check_center_id, check_choice, check_fields, read_instant
from tansiq.geo.geometry import MAX_AREA_KM2, GeometryError, area_km2, footprint, parse_geometry

EARLIEST: Final = datetime(1990, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2100, 1, 1, tzinfo=UTC)
MAX_NAME: Final = 200
MAX_DESCRIPTION: Final = 2_000

FieldCheck: TypeAlias = Callable[[ErrorCollector, str, Any], Any]
"""Checks one field of a concept, naming it in the collector; answers the value to keep."""


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


def check_instant(errors: ErrorCollector, name: str, value: Any) -> datetime | None:
    """Parse an ISO 8601 date-time with an offset between 1990 and 2100, or name the field."""
    return read_instant(
        errors,
        name,
        value,
        window=(EARLIEST, LATEST),
        outside="must be between 1990-01-01 and 2100-01-01",
    )


def check_releasability(errors: ErrorCollector, values: Mapping[str, Any]) -> None:
    """Check ``releasability`` and ``center_id`` as given (either may be absent)."""
    if "releasability" in values:
        check_choice(errors, "releasability", values["releasability"], ReleasabilityChoices)
    check_center_id(errors, "center_id", values.get("center_id"), max_length=64)


def validate_placed_input(
    data: Mapping[str, Any],
    *,
    known: Collection[str],
    required: Collection[str],
    defaults: Mapping[str, Any],
    kinds: type[StrEnum],
    check: FieldCheck,
    partial: bool,
) -> dict[str, Any]:
    """Check a sector's or site's fields one by one and return them normalised.

    With ``partial`` only the given fields are checked (a PATCH); otherwise missing
    optional fields take their ``defaults``. ``kind``, ``status``, ``cross_border``,
    ``geometry`` and the release fields are checked here, the rest by ``check``,
    whose answer replaces the value. Raises ValidationFailed naming every bad field.
    """
    errors = ErrorCollector()
    check_fields(errors, data, known, required, partial=partial)
    values: dict[str, Any] = {} if partial else dict(defaults)
    values.update({k: v for k, v in data.items() if k in known})
    for name, value in values.items():
        if value is None and name in required:
            if partial:
                errors.add(name, "must not be null")
            continue
        if name == "kind":
            check_choice(errors, name, value, kinds)
        elif name == "status":
            check_choice(errors, name, value, SectorStatusChoices)
        elif name == "cross_border":
            if not isinstance(value, bool):
                errors.add(name, "must be true or false")
        elif name == "geometry":
            if not isinstance(value, Mapping):
                errors.add(name, "must be a GeoJSON geometry object")
        else:
            values[name] = check(errors, name, value)
    check_releasability(errors, values)
    errors.raise_if_any()
    return values


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
