"""The review forms: a candidate's correction and accepting it as a record, posted → services.

Both forms post every field they show, but only the fields the analyst changed are
sent on: a value shown rounded (a time to the minute) and posted back unchanged
must not change the record. Accept-form inputs are named ``record.<field>``, as the
service names its errors, so each error lands next to its input; an error on a
field the candidate carries (``record.actor1``) is shown on the correction form.
Parsers never raise: unreadable values are named in ``errors`` and left out of ``data``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tansiq.domain.errors import FieldError
from tansiq.web.common.fields import (
    BAD_CHOICE,
    BAD_RANGE,
    NOT_A_DATETIME,
    NOT_A_NUMBER,
    NOT_A_WHOLE_NUMBER,
    local_input_value,
    parse_local_datetime,
    text,
)
from tansiq.web.common.forms import ParsedForm, label_of, whole_number
from tansiq.web.common.i18n import N_
from tansiq.web.common.present import parse_utc

RECORD = "record."
TEXT_FIELDS = (
    "event_type",
    "sub_event_type",
    "proposes",
    "time_precision",
    "admin1",
    "admin2",
    "place_name",
)
TIME_FIELDS = ("occurred_from", "occurred_until", "deadline")
LIST_FIELDS = ("actors", "notes")
EDIT_FIELDS = (
    *TEXT_FIELDS,
    *TIME_FIELDS,
    "geo_precision",
    "lat",
    "lon",
    *LIST_FIELDS,
    "fatalities",
    "injured",
)
ACCEPT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "incident": ("releasability", "center_id", "source_reliability", "credibility"),
    "meeting": ("center_id", "held_at"),
    "decision": ("meeting_id", "text_en", "text_ar", "text_ckb"),
    "action_item": ("center_id", "due_at", "owner_person"),
    "notice": ("to_party", "kind", "starts_at", "ends_at", "releasability", "center_id"),
}
ACCEPT_TIMES = ("held_at", "due_at", "starts_at", "ends_at")
# What the record's own service would default to, shown so the analyst sees it.
SERVICE_DEFAULTS: Mapping[str, Mapping[str, str]] = {
    "incident": {"releasability": "party", "source_reliability": "F", "credibility": "6"},
    "notice": {"releasability": "all", "kind": "deployment"},
}
# The accepted record's fields that come from the candidate: corrected on its form.
ON_CANDIDATE: Mapping[str, str] = {
    "occurred_at": "occurred_from",
    "time_precision": "time_precision",
    "location": "lat",
    "geo_precision": "geo_precision",
    "place_name": "place_name",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "actor1": "actors",
    "actor2": "actors",
    "fatalities": "fatalities",
    "injured": "injured",
}
# What the queue's service says (as a prefix) → what the form says; others as coord_message.
INTAKE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("the candidate was already", N_("This candidate was already reviewed.")),
    (
        "a candidate proposing a",
        N_("It cannot become that: change what it becomes in the correction first."),
    ),
    ("must be a governorate of Iraq", N_("Choose a governorate of Iraq.")),
    ("must be a district of", N_("Give a district of the chosen governorate.")),
    ("is required with admin2", N_("Choose the governorate of the district.")),
    ("must not be before occurred_from", BAD_RANGE),
    ("must include a time zone offset", NOT_A_DATETIME),
)
CORRECT_FIRST = N_("Correct the candidate below, then accept it again.")
NOT_SO = N_("The record cannot be written so; see the messages below.")
LABELS: Mapping[str, str] = {
    "proposes": N_("Becomes"),
    "occurred_from": N_("From"),
    "occurred_until": N_("Until"),
    "admin1": N_("Governorate"),
    "admin2": N_("District"),
    "actors": N_("Actors (one per line)"),
    "notes": N_("Notes (one per line)"),
    "deadline": N_("Deadline"),
    "reason": N_("Reason"),
    "target": N_("Accept as"),
}


@dataclass
class IntakeForm(ParsedForm):
    """A review form; accept errors on the candidate's own fields go to the correction form."""

    target: str = ""

    def add_service_errors(self, errors: Sequence[FieldError]) -> None:
        """Attach a service's errors next to the input they concern (see the module doc)."""
        shown = ACCEPT_FIELDS.get(self.target, ())
        for error in errors:
            name = error.field
            message = self.service_message(name.removeprefix(RECORD), error.message)
            if name.startswith(RECORD) and name.removeprefix(RECORD) not in shown:
                inner = name.removeprefix(RECORD)
                name = ON_CANDIDATE.get(inner, name)
                self.problem = CORRECT_FIRST if inner in ON_CANDIDATE else NOT_SO
            elif name in ("status", "target"):
                self.problem = message
            self.add(name, message)

    def service_message(self, name: str, message: str) -> str:
        """The form's message id for a service's message on field ``name``."""
        for known, mapped in INTAKE_MESSAGES:
            if message.startswith(known):
                return mapped
        return super().service_message(name, message)

    def label(self, name: str, labels: Mapping[str, str]) -> str:
        """The message id of a field's label, ``record.`` fields by the record's names."""
        bare = name.removeprefix(RECORD)
        return labels.get(bare) or LABELS.get(bare) or label_of(bare)


def _local(value: str | None, tz: str) -> str:
    return local_input_value(parse_utc(value), tz) if value else ""


def edit_values(candidate: Mapping[str, Any], tz: str) -> dict[str, str]:
    """A candidate as its correction form shows it (every field a string)."""
    values = {name: str(candidate[name]) for name in TEXT_FIELDS}
    values.update({name: _local(candidate[name], tz) for name in TIME_FIELDS})
    location = candidate["location"]
    lon, lat = location["coordinates"] if location else ("", "")
    values.update(lat=str(lat), lon=str(lon), geo_precision=str(candidate["geo_precision"]))
    values.update({name: "\n".join(candidate[name]) for name in LIST_FIELDS})
    for name in ("fatalities", "injured"):
        values[name] = "" if candidate[name] is None else str(candidate[name])
    return values


def _read_time(result: IntakeForm, name: str, key: str, tz: str) -> None:
    value = result.values[name]
    if not value:
        result.data[key] = None
        return
    try:
        result.data[key] = parse_local_datetime(value, tz).isoformat().replace("+00:00", "Z")
    except ValueError:
        result.add(name, NOT_A_DATETIME)


def _read_location(result: IntakeForm) -> None:
    lat, lon = result.values["lat"], result.values["lon"]
    if not lat and not lon:
        result.data["location"] = None
        return
    numbers = []
    for name, value in (("lon", lon), ("lat", lat)):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            result.add(name, NOT_A_NUMBER)
        numbers.append(number)
    if "lat" not in result.errors and "lon" not in result.errors:
        result.data["location"] = {"type": "Point", "coordinates": numbers}


def parse_edit_form(form: Mapping[str, Any], shown: Mapping[str, str], tz: str) -> IntakeForm:
    """The changes of a correction: only the fields that differ from ``shown``."""
    values = {
        name: text(form, name) if name in form else shown.get(name, "") for name in EDIT_FIELDS
    }
    result = IntakeForm(values=values)
    changed = [name for name in EDIT_FIELDS if values[name] != shown.get(name, "")]
    for name in changed:
        value = values[name]
        if name in TEXT_FIELDS:
            result.data[name] = value
        elif name in TIME_FIELDS:
            _read_time(result, name, name, tz)
        elif name in LIST_FIELDS:
            result.data[name] = [line.strip() for line in value.splitlines() if line.strip()]
        elif name == "geo_precision":
            number = whole_number(value)
            result.data[name] = number if number is not None else value
        elif name in ("fatalities", "injured"):
            number = whole_number(value)
            if value and number is None:
                result.add(name, NOT_A_WHOLE_NUMBER)
            else:
                result.data[name] = number
    if "lat" in changed or "lon" in changed:
        _read_location(result)
    return result


def accept_values(target: str, draft: Mapping[str, Any], tz: str) -> dict[str, str]:
    """The accept form of ``target``, filled from what accepting would send (``draft``)."""
    defaults = SERVICE_DEFAULTS.get(target, {})
    values = {}
    for name in ACCEPT_FIELDS[target]:
        value = draft.get(name, defaults.get(name))
        if name in ACCEPT_TIMES:
            values[RECORD + name] = _local(value, tz)
        else:
            values[RECORD + name] = "" if value is None else str(value)
    return values


def parse_accept_form(
    form: Mapping[str, Any], target: str, shown: Mapping[str, str], tz: str
) -> IntakeForm:
    """Accepting as ``target``: ``data`` holds ``record``, the fields changed from ``shown``."""
    # A field the form did not post (the queue's one-button accept) keeps the draft's value.
    values = {name: text(form, name) if name in form else shown[name] for name in shown}
    result = IntakeForm(values=values, target=target)
    for key, value in values.items():
        if value == shown[key]:
            continue
        name = key.removeprefix(RECORD)
        if name in ACCEPT_TIMES:
            _read_time(result, key, name, tz)
        elif name == "credibility":
            number = whole_number(value)
            if number is None:
                result.add(key, BAD_CHOICE)
            result.data[name] = number
        elif name in ("center_id", "meeting_id"):
            result.data[name] = value or None
        else:
            result.data[name] = value
    record = {k: v for k, v in result.data.items()}
    result.data = {"target": target, "record": record}
    return result


def parse_discard_form(form: Mapping[str, Any]) -> IntakeForm:
    """A discard: its optional ``reason``."""
    values = {"reason": text(form, "reason")}
    result = IntakeForm(values=values)
    result.data = dict(values)
    return result
