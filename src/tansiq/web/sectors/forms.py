"""The sector form: posted fields → the sector service's dict, and a sector → form values.

One ``width_m`` input stands for a defensive line's depth and a post's radius; it is
sent as ``depth_m`` or ``radius_m`` as the kind needs (and the service's messages
about either come back to it). Times are datetime-local in the display time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import orjson

from tansiq.domain.sectors import WIDTH_FIELD
from tansiq.web.common.fields import local_input_value, text
from tansiq.web.common.geo_forms import GeoForm, read_datetimes, read_geometry, read_number
from tansiq.web.common.i18n import N_
from tansiq.web.common.present import parse_utc

TEXT_FIELDS = ("kind", "name", "unit_name", "valid_from", "valid_until", "releasability")
FIELD_LABELS: Mapping[str, str] = {
    "kind": N_("Kind"),
    "name": N_("Name"),
    "unit_name": N_("Unit"),
    "geometry": N_("Location and shape"),
    "geometry_file": N_("GeoJSON file"),
    "width_m": N_("Depth or radius (metres)"),
    "valid_from": N_("Valid from"),
    "valid_until": N_("Valid until"),
    "releasability": N_("Releasability"),
    "center_id": N_("Center"),
    "cross_border": N_("Cross-border (outside Iraq)"),
    "status": N_("Status"),
}
# Service field → form field.
RENAMES: Mapping[str, str] = {"depth_m": "width_m", "radius_m": "width_m"}


def parse_sector_form(form: Mapping[str, Any], *, tz: str, kind: str | None = None) -> GeoForm:
    """Turn a posted sector form into the service's dict (``result.data``).

    ``kind`` is the sector's (fixed) kind when editing; a new sector takes it from the
    form. Never raises: unreadable values are named in ``result.errors`` and left out.
    """
    values = {name: text(form, name) for name in TEXT_FIELDS}
    values.update(
        width_m=text(form, "width_m"),
        center_id=text(form, "center_id"),
        cross_border="1" if form.get("cross_border") else "",
        version=text(form, "version"),
    )
    if kind is not None:
        values["kind"] = kind
    result = GeoForm(values=values, renames=RENAMES)
    geometry = read_geometry(result, form, name="geometry", file_field="geometry_file")
    data: dict[str, Any] = {
        "name": values["name"],
        "unit_name": values["unit_name"],
        "releasability": values["releasability"] or "party",
        "center_id": values["center_id"] or None,
        "cross_border": bool(values["cross_border"]),
    }
    if kind is None:
        data["kind"] = values["kind"] or None
    if geometry is not None:
        data["geometry"] = geometry
    read_datetimes(result, data, tz, "valid_from", "valid_until")
    width = read_number(result, "width_m")
    width_field = WIDTH_FIELD.get(values["kind"])
    if width_field is not None:
        data[width_field] = width
    elif width is not None and values["kind"] in WIDTH_FIELD:
        result.add("width_m", N_("Leave this empty for an area of responsibility."))
    result.data = data
    return result


def sector_values(sector: Mapping[str, Any], tz: str) -> dict[str, str]:
    """The form values that show a sector for editing."""
    width = sector.get("depth_m") or sector.get("radius_m")
    return {
        "kind": sector["kind"],
        "name": sector["name"],
        "unit_name": sector["unit_name"],
        "geometry": orjson.dumps(sector["geometry"]).decode(),
        "width_m": f"{width:g}" if width else "",
        "valid_from": local_input_value(parse_utc(sector["valid_from"]), tz),
        "valid_until": local_input_value(parse_utc(sector["valid_until"]), tz),
        "releasability": sector["releasability"],
        "center_id": sector["center_id"] or "",
        "cross_border": "1" if sector["cross_border"] else "",
        "version": str(sector["version"]),
    }


def blank_sector_values(*, now: datetime, tz: str) -> dict[str, str]:
    """A new sector's form: an area, valid from now for 90 days, own party only."""
    return {
        "kind": "aor",
        "name": "",
        "unit_name": "",
        "geometry": "",
        "width_m": "",
        "valid_from": local_input_value(now, tz),
        "valid_until": local_input_value(now + timedelta(days=90), tz),
        "releasability": "party",
        "center_id": "",
        "cross_border": "",
        "version": "",
    }
