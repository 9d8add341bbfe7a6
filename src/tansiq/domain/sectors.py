"""Sector rules: what a party may declare responsibility for, and how it may change.

A sector is an area of responsibility (polygon), a defensive line (line with a
depth) or a checkpoint or base (point with a radius), held by a unit over a
validity window. Nothing is deleted: a sector is withdrawn. Pure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from tansiq.domain.choices import ReleasabilityChoices, SectorKindChoices, SectorStatusChoices
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import check_center_rule, check_text
from tansiq.domain.geo_fields import (
    MAX_NAME,
    Placed,
    check_instant,
    check_window,
    place,
    validate_placed_input,
)

#: Depth of a line and radius of a post, in metres.
MIN_WIDTH_M: Final = 10.0
MAX_WIDTH_M: Final = 50_000.0

SECTOR_INPUT_FIELDS: Final = (
    "kind",
    "name",
    "unit_name",
    "geometry",
    "cross_border",
    "depth_m",
    "radius_m",
    "valid_from",
    "valid_until",
    "releasability",
    "center_id",
    "status",
)
REQUIRED_FIELDS: Final = ("kind", "unit_name", "geometry", "valid_from", "valid_until")
DEFAULTS: Final[dict[str, Any]] = {
    "name": "",
    "cross_border": False,
    "depth_m": None,
    "radius_m": None,
    "releasability": ReleasabilityChoices.PARTY.value,
    "center_id": None,
    "status": SectorStatusChoices.ACTIVE.value,
}
GEOMETRY_TYPES: Final[dict[str, tuple[str, ...]]] = {
    SectorKindChoices.AOR: ("Polygon", "MultiPolygon"),
    SectorKindChoices.DEFENSIVE_LINE: ("LineString", "MultiLineString"),
    SectorKindChoices.CHECKPOINT: ("Point",),
    SectorKindChoices.BASE: ("Point",),
}
# The width field each kind needs (an area needs none).
WIDTH_FIELD: Final[dict[str, str | None]] = {
    SectorKindChoices.AOR: None,
    SectorKindChoices.DEFENSIVE_LINE: "depth_m",
    SectorKindChoices.CHECKPOINT: "radius_m",
    SectorKindChoices.BASE: "radius_m",
}


def _check_width(errors: ErrorCollector, name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors.add(name, "must be a number of metres")
    elif not MIN_WIDTH_M <= value <= MAX_WIDTH_M:
        errors.add(name, f"must be between {MIN_WIDTH_M:.0f} and {MAX_WIDTH_M:.0f} metres")


def _check_field(errors: ErrorCollector, name: str, value: Any) -> Any:
    if name == "unit_name":
        check_text(errors, name, value, MAX_NAME, required=True)
    elif name == "name":
        check_text(errors, name, value, MAX_NAME)
    elif name in ("depth_m", "radius_m"):
        _check_width(errors, name, value)
    elif name in ("valid_from", "valid_until"):
        return check_instant(errors, name, value)
    return value


def validate_sector_input(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check client-supplied sector fields one by one and return them normalised.

    With ``partial`` only the given fields are checked (a PATCH); otherwise missing
    optional fields take their defaults. Timestamps become UTC datetimes; the
    geometry stays GeoJSON (see :func:`check_sector`). Raises ValidationFailed.
    """
    values = validate_placed_input(
        data,
        known=SECTOR_INPUT_FIELDS,
        required=REQUIRED_FIELDS,
        defaults=DEFAULTS,
        kinds=SectorKindChoices,
        check=_check_field,
        partial=partial,
    )
    for name in ("depth_m", "radius_m"):
        if values.get(name) is not None:
            values[name] = float(values[name])
    return values


def width_of(record: Mapping[str, Any]) -> float:
    """The metres a sector's geometry is grown by: its depth, its radius, or 0."""
    field = WIDTH_FIELD[record["kind"]]
    return float(record[field]) if field and record.get(field) is not None else 0.0


def check_sector(record: Mapping[str, Any]) -> Placed:
    """Check the rules spanning fields of a whole (merged) sector; return its ground.

    Raises ValidationFailed naming ``geometry``, ``depth_m``, ``radius_m``,
    ``valid_until`` or ``center_id``.
    """
    errors = ErrorCollector()
    kind = record["kind"]
    needed = WIDTH_FIELD[kind]
    for name in ("depth_m", "radius_m"):
        if name == needed and record.get(name) is None:
            errors.add(name, f"is required for a {kind}")
        elif name != needed and record.get(name) is not None:
            errors.add(name, f"does not apply to a {kind}")
    check_window(errors, record, "valid_from", "valid_until")
    check_center_rule(errors, record)
    placed = place(
        errors,
        record["geometry"],
        allowed=GEOMETRY_TYPES[kind],
        cross_border=record["cross_border"],
        width_m=width_of(record),
        width_field=needed or "geometry",
    )
    errors.raise_if_any("The sector is invalid")
    assert placed is not None  # place() names the geometry whenever it returns None
    return placed


def check_sector_change(current: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
    """Refuse changes a sector's lifecycle does not allow.

    The kind is fixed; a withdrawn sector is final. Raises ValidationFailed.
    """
    if current["status"] == SectorStatusChoices.WITHDRAWN:
        raise ValidationFailed.single("status", "a withdrawn sector cannot be changed")
    if "kind" in changes and changes["kind"] != current["kind"]:
        raise ValidationFailed.single(
            "kind", "cannot change; withdraw the sector and declare a new one"
        )


def in_force(record: Mapping[str, Any], at_from: datetime, at_until: datetime) -> bool:
    """True when an active sector's window [valid_from, valid_until) meets [at_from, at_until).

    With ``at_from == at_until`` this is "in force at that instant".
    """
    if record["status"] != SectorStatusChoices.ACTIVE:
        return False
    if at_from == at_until:
        return bool(record["valid_from"] <= at_from < record["valid_until"])
    return bool(record["valid_from"] < at_until and record["valid_until"] > at_from)
