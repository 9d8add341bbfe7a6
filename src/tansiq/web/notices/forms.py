"""The notice and answer forms: posted fields → the notice services' dicts.

Parsers never raise: unreadable values are named in ``errors`` and left out of ``data``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from tansiq.web.common.fields import (
    NOT_A_NUMBER,
    text,
)
from tansiq.web.common.forms import ParsedForm, read_sharing, read_when, require, whole_number
from tansiq.web.common.geo_forms import has_geometry, read_geometry
from tansiq.web.common.i18n import N_

NOTICE_FIELDS = (
    "kind",
    "to_party",
    "subject",
    "message",
    "place_name",
    "lat",
    "lon",
    "area",
    "area_shape",
    "starts_at",
    "ends_at",
    "ack_deadline",
    "releasability",
    "center_id",
)


def parse_notice_form(form: Mapping[str, Any], *, tz: str) -> ParsedForm:
    """A new notice; a blank ``ack_deadline`` leaves the kind's default to the service."""
    values = {name: text(form, name) for name in NOTICE_FIELDS}
    values["message"] = text(form, "message", strip=False)
    result = ParsedForm(values=values)
    require(result, "kind", "to_party", "subject", "starts_at", "ends_at")
    for name in ("kind", "to_party", "subject", "message", "place_name"):
        if values[name]:
            result.data[name] = values[name]
    for name in ("starts_at", "ends_at", "ack_deadline"):
        read_when(result, name, tz)
    read_location(result, form)
    read_sharing(result, allowed=("all", "center"))
    return result


def parse_ack_form(form: Mapping[str, Any]) -> ParsedForm:
    """An answer to a notice: ``response``, ``comment`` and the ``notice_version`` read."""
    values = {name: text(form, name) for name in ("response", "comment", "notice_version")}
    result = ParsedForm(values=values)
    require(result, "response")
    result.data = {"response": values["response"], "comment": values["comment"]}
    version = whole_number(values["notice_version"])
    if version is not None:
        result.data["notice_version"] = version
    return result


NOT_GEOJSON = N_("Give a point (latitude and longitude) or a valid area.")


def read_location(result: ParsedForm, form: Mapping[str, Any]) -> None:
    """A notice's ``location``: the area drawn, typed or uploaded (it wins) when given,
    else the point of lat/lon; each unreadable part is named."""
    if has_geometry(form, name="area", file_field="area_file"):
        geometry = read_geometry(result, form, name="area", file_field="area_file")
        if geometry is not None:
            result.data["location"] = geometry
        return
    coords: dict[str, float] = {}
    for name in ("lat", "lon"):
        try:
            number = float(result.values[name]) if result.values[name] else math.nan
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            coords[name] = number
        elif result.values[name]:
            result.add(name, NOT_A_NUMBER)
    if len(coords) == 2:
        result.data["location"] = {"type": "Point", "coordinates": [coords["lon"], coords["lat"]]}
    elif not result.errors.get("lat") and not result.errors.get("lon"):
        result.add("location", NOT_GEOJSON)
