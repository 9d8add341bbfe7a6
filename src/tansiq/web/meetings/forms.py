"""Posted coordination forms → the services' dicts (notices, answers, assessments, meetings…).

Every parser never raises: unreadable values are named in ``errors`` and left out
of ``data``, so the route can show the form again with 422 before calling a service.
Times are datetime-local inputs read in the display time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from tansiq.web.common.fields import (
    BAD_DATE,
    MISSING,
    text,
)
from tansiq.web.common.forms import ParsedForm, read_when, require

MAX_ATTENDEE_ROWS = 200


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
    require(result, "held_at")
    read_when(result, "held_at", tz)
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
    require(result, "title", "due_at")
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
    require(result, "status")
    result.data = {"status": values["status"], "note": values["note"]}
    return result
