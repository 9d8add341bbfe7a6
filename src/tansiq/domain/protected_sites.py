"""Protected-site rules: civilian places and notified humanitarian movements. Pure.

A site is a point or polygon (school, clinic, hospital, IDP camp, place of
worship, humanitarian office); a humanitarian movement is a route (line) with a
required time window. Sites are shared with every party unless stated otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from tansiq.domain.choices import (
    ProtectedSiteKindChoices,
    ReleasabilityChoices,
    SectorStatusChoices,
)
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import check_center_rule, check_text
from tansiq.domain.geo_fields import (
    MAX_DESCRIPTION,
    MAX_NAME,
    Placed,
    check_instant,
    check_window,
    place,
    validate_placed_input,
)

SITE_INPUT_FIELDS: Final = (
    "kind",
    "name",
    "name_ar",
    "name_ckb",
    "geometry",
    "cross_border",
    "starts_at",
    "ends_at",
    "description",
    "releasability",
    "center_id",
    "status",
)
REQUIRED_FIELDS: Final = ("kind", "name", "geometry")
DEFAULTS: Final[dict[str, Any]] = {
    "name_ar": "",
    "name_ckb": "",
    "cross_border": False,
    "starts_at": None,
    "ends_at": None,
    "description": "",
    "releasability": ReleasabilityChoices.ALL.value,
    "center_id": None,
    "status": SectorStatusChoices.ACTIVE.value,
}
MOVEMENT = ProtectedSiteKindChoices.HUMANITARIAN_MOVEMENT
ROUTE_TYPES: Final = ("LineString", "MultiLineString")
PLACE_TYPES: Final = ("Point", "Polygon", "MultiPolygon")


def _check_field(errors: ErrorCollector, name: str, value: Any) -> Any:
    if name == "name":
        check_text(errors, name, value, MAX_NAME, required=True)
    elif name in ("name_ar", "name_ckb"):
        check_text(errors, name, value, MAX_NAME)
    elif name == "description":
        check_text(errors, name, value, MAX_DESCRIPTION)
    elif name in ("starts_at", "ends_at") and value is not None:
        return check_instant(errors, name, value)
    return value


def validate_site_input(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check client-supplied site fields one by one and return them normalised.

    As :func:`tansiq.domain.sectors.validate_sector_input`; raises ValidationFailed.
    """
    return validate_placed_input(
        data,
        known=SITE_INPUT_FIELDS,
        required=REQUIRED_FIELDS,
        defaults=DEFAULTS,
        kinds=ProtectedSiteKindChoices,
        check=_check_field,
        partial=partial,
    )


def check_site(record: Mapping[str, Any]) -> Placed:
    """Check the rules spanning fields of a whole (merged) site; return its geometry.

    A movement is a route with both ``starts_at`` and ``ends_at``; other sites are
    points or polygons. Raises ValidationFailed naming each bad field.
    """
    errors = ErrorCollector()
    movement = record["kind"] == MOVEMENT
    if movement:
        for name in ("starts_at", "ends_at"):
            if record.get(name) is None:
                errors.add(name, "is required for a humanitarian movement")
    elif (record.get("starts_at") is None) != (record.get("ends_at") is None):
        errors.add("ends_at", "give both starts_at and ends_at, or neither")
    check_window(errors, record, "starts_at", "ends_at")
    check_center_rule(errors, record)
    placed = place(
        errors,
        record["geometry"],
        allowed=ROUTE_TYPES if movement else PLACE_TYPES,
        cross_border=record["cross_border"],
    )
    errors.raise_if_any("The protected site is invalid")
    assert placed is not None  # place() names the geometry whenever it returns None
    return placed


def check_site_change(current: Mapping[str, Any]) -> None:
    """A withdrawn site is final; raises ValidationFailed naming ``status``."""
    if current["status"] == SectorStatusChoices.WITHDRAWN:
        raise ValidationFailed.single("status", "a withdrawn protected site cannot be changed")


def active_during(
    record: Mapping[str, Any], at_from: datetime | None, at_until: datetime | None
) -> bool:
    """True when an active site's window [starts_at, ends_at) meets [at_from, at_until).

    A site without a window always counts; ``at_from == at_until`` is an instant.
    """
    if record["status"] != SectorStatusChoices.ACTIVE:
        return False
    starts, ends = record.get("starts_at"), record.get("ends_at")
    if starts is None or ends is None or at_from is None or at_until is None:
        return True
    if at_from == at_until:
        return bool(starts <= at_from < ends)
    return bool(starts < at_until and ends > at_from)
