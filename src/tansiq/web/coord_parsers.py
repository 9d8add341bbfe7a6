"""Posted coordination forms → the services' dicts (notices, answers, assessments, meetings…).

Every parser never raises: unreadable values are named in ``errors`` and left out
of ``data``, so the route can show the form again with 422 before calling a service.
Times are datetime-local inputs read in the display time zone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

import orjson

from tansiq.web.coord_forms import ParsedForm, text, whole_number
from tansiq.web.filters import BAD_CHOICE, BAD_DATE
from tansiq.web.forms import MISSING, NOT_A_DATETIME, NOT_A_NUMBER, parse_local_datetime
from tansiq.web.i18n import N_

NOT_GEOJSON = N_("Give a point (latitude and longitude) or a valid area.")
MAX_ATTENDEE_ROWS = 200


def _required(result: ParsedForm, *names: str) -> None:
    for name in names:
        if not result.values[name]:
            result.add(name, MISSING)


def _when(result: ParsedForm, name: str, tz: str) -> None:
    """Read a datetime-local value into ``data`` as UTC ISO 8601."""
    if not result.values[name]:
        return
    try:
        moment = parse_local_datetime(result.values[name], tz)
    except ValueError:
        result.add(name, NOT_A_DATETIME)
        return
    result.data[name] = moment.isoformat().replace("+00:00", "Z")


def _sharing(result: ParsedForm, *, allowed: tuple[str, ...]) -> None:
    """``releasability`` (one of ``allowed``) and ``center_id`` (none when blank)."""
    choice = result.values["releasability"]
    if choice not in allowed:
        result.add("releasability", BAD_CHOICE)
    else:
        result.data["releasability"] = choice
    result.data["center_id"] = result.values["center_id"] or None


def _location(result: ParsedForm) -> None:
    """A notice's ``location``: the area when given, else the point of lat/lon."""
    area = result.values["area"]
    if area:
        try:
            geometry = orjson.loads(area)
        except orjson.JSONDecodeError:
            result.add("area", NOT_GEOJSON)
            return
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
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


NOTICE_FIELDS = (
    "kind",
    "to_party",
    "subject",
    "message",
    "place_name",
    "lat",
    "lon",
    "area",
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
    _required(result, "kind", "to_party", "subject", "starts_at", "ends_at")
    for name in ("kind", "to_party", "subject", "message", "place_name"):
        if values[name]:
            result.data[name] = values[name]
    for name in ("starts_at", "ends_at", "ack_deadline"):
        _when(result, name, tz)
    _location(result)
    _sharing(result, allowed=("all", "center"))
    return result


def parse_ack_form(form: Mapping[str, Any]) -> ParsedForm:
    """An answer to a notice: ``response``, ``comment`` and the ``notice_version`` read."""
    values = {name: text(form, name) for name in ("response", "comment", "notice_version")}
    result = ParsedForm(values=values)
    _required(result, "response")
    result.data = {"response": values["response"], "comment": values["comment"]}
    version = whole_number(values["notice_version"])
    if version is not None:
        result.data["notice_version"] = version
    return result


ASSESSMENT_FIELDS = (
    "kind",
    "comment",
    "sources",
    "source_reliability",
    "credibility",
    "releasability",
    "center_id",
    "incident_version",
)


def parse_assessment_form(form: Mapping[str, Any]) -> ParsedForm:
    """A corroboration, contest or comment on another party's incident."""
    values = {name: text(form, name) for name in ASSESSMENT_FIELDS}
    result = ParsedForm(values=values)
    _required(result, "kind")
    data = result.data
    if values["kind"]:
        data["kind"] = values["kind"]
    data["comment"] = values["comment"]
    data["sources"] = [line.strip() for line in values["sources"].splitlines() if line.strip()]
    data["source_reliability"] = values["source_reliability"] or "F"
    credibility = whole_number(values["credibility"] or "6")
    if credibility is None:
        result.add("credibility", BAD_CHOICE)
    else:
        data["credibility"] = credibility
    version = whole_number(values["incident_version"])
    if version is not None:
        data["incident_version"] = version
    _sharing(result, allowed=("all", "center"))
    return result


MEETING_FIELDS = ("held_at", "status", "place", "agenda", "minutes", "releasability")


def _attendee_rows(form: Mapping[str, Any]) -> list[int]:
    indexes = set()
    for key in form.keys():
        head, _, index = str(key).rpartition("_")
        if head in ("attendee_party", "attendee_name", "attendee_position") and index.isdigit():
            indexes.add(int(index))
    return sorted(i for i in indexes if i < MAX_ATTENDEE_ROWS)


def parse_meeting_form(form: Mapping[str, Any], *, tz: str) -> ParsedForm:
    """A meeting: when, status, place, attendee rows (party, name, position), agenda, minutes."""
    values = {name: text(form, name) for name in MEETING_FIELDS}
    for name in ("agenda", "minutes"):
        values[name] = text(form, name, strip=False)
    result = ParsedForm(values=values)
    _required(result, "held_at")
    _when(result, "held_at", tz)
    for name in ("status", "releasability"):
        if values[name]:
            result.data[name] = values[name]
    for name in ("place", "agenda", "minutes"):
        result.data[name] = values[name]
    attendees = []
    for index in _attendee_rows(form):
        row = {
            part: text(form, f"attendee_{part}_{index}") for part in ("party", "name", "position")
        }
        for part, value in row.items():
            values[f"attendee_{part}_{index}"] = value
        # A row with only its party chosen is an unused row (rows come with a party preset).
        if not (row["name"] or row["position"]):
            continue
        for part in ("party", "name"):
            if not row[part]:
                result.add(f"attendee_{part}_{index}", MISSING)
        result.rows.append(index)
        attendees.append(row)
    result.data["attendees"] = attendees
    return result


def parse_decision_form(form: Mapping[str, Any]) -> ParsedForm:
    """A decision's texts (English and Arabic and/or Kurdish) and the status its owner sets."""
    values = {name: text(form, name, strip=False) for name in ("text_en", "text_ar", "text_ckb")}
    values.update(status=text(form, "status"), version=text(form, "version"))
    result = ParsedForm(values=values)
    if not values["text_en"].strip():
        result.add("text_en", MISSING)
    result.data = {name: values[name].strip() for name in ("text_en", "text_ar", "text_ckb")}
    if values["status"]:
        result.data["status"] = values["status"]
    return result


def parse_action_form(form: Mapping[str, Any]) -> ParsedForm:
    """An action item the user's party owes: title, person, due date, linked decision."""
    names = ("title", "owner_person", "due_at", "decision_id", "releasability")
    values = {name: text(form, name) for name in names}
    result = ParsedForm(values=values)
    _required(result, "title", "due_at")
    data = result.data
    if values["title"]:
        data["title"] = values["title"]
    if values["due_at"]:
        try:
            date.fromisoformat(values["due_at"])
        except ValueError:
            result.add("due_at", BAD_DATE)
        else:
            data["due_at"] = values["due_at"]
    data["owner_person"] = values["owner_person"]
    if values["decision_id"]:
        data["decision_id"] = values["decision_id"]
    if values["releasability"]:
        data["releasability"] = values["releasability"]
    return result


def parse_status_form(form: Mapping[str, Any]) -> ParsedForm:
    """An action item's new status, an optional progress note and the version read."""
    values = {name: text(form, name) for name in ("status", "note", "version")}
    result = ParsedForm(values=values)
    _required(result, "status")
    result.data = {"status": values["status"], "note": values["note"]}
    return result
