"""The incident form: posted fields → the service's dict, and a record → form values.

The form speaks the wire contract's field names except where HTML needs another
shape: ``occurred_at`` is a datetime-local in the display time zone, ``location``
is two number inputs ``lat``/``lon``, ``sources`` one per line, ``cross_border`` a
checkbox. Messages are message ids, translated when the page renders.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tansiq.domain.errors import FieldError
from tansiq.web.common.fields import (
    MISSING,
    NOT_A_DATETIME,
    NOT_A_NUMBER,
    NOT_A_WHOLE_NUMBER,
    local_input_value,
    parse_local_datetime,
    text,
)
from tansiq.web.common.form_errors import FieldForm
from tansiq.web.common.i18n import N_

TEXT_FIELDS = (
    "time_precision",
    "place_name",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "description",
    "source_reliability",
    "releasability",
    "status",
)
INT_FIELDS = ("geo_precision", "fatalities", "injured", "credibility")
FORM_FIELDS = (
    "occurred_at",
    "lat",
    "lon",
    *TEXT_FIELDS,
    *INT_FIELDS,
    "sources",
    "center_id",
    "cross_border",
)
REQUIRED = ("occurred_at", "lat", "lon", "event_type", "sub_event_type", "actor1")

# What the services say (exactly, or as a prefix) → what the form says, in words a
# form reader knows ("tick Cross-border", not "set cross_border to true"). A message
# not listed is shown as the service wrote it.
SERVICE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("is required", MISSING),
    ("must not be empty", MISSING),
    ("must be an integer", NOT_A_WHOLE_NUMBER),
    ("must not be in the future", N_("Must not be in the future.")),
    ("must not be before 1900-01-01", N_("Must not be before 1900.")),
    ("must be between 0 and ", N_("Must be a number from 0 to 100000.")),
    ("must be a center your party is a member of", N_("Choose a center of your party.")),
    ("is required when releasability is center", N_("Choose the center to share it with.")),
    ("is outside Iraq", N_("The point is outside Iraq; tick “Cross-border” to file it.")),
    ("longitude must be between", N_("Longitude must be between -180 and 180.")),
    ("latitude must be between", N_("Latitude must be between -90 and 90.")),
    ("must be one of the sub-event types of", N_("Choose a sub-event type of the event type.")),
    ("must be one of", N_("Choose one of the listed options.")),
    ("cannot change from", N_("This status change is not allowed.")),
    ("a new incident is draft or submitted", N_("A new incident is a draft or submitted.")),
    ("a retracted incident cannot be changed", N_("A retracted incident cannot be changed.")),
)
# Field name → label, for the error summary at the top of the form.
FIELD_LABELS: Mapping[str, str] = {
    "occurred_at": N_("Occurred at"),
    "time_precision": N_("Time precision"),
    "location": N_("Location"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "geo_precision": N_("Geo precision"),
    "place_name": N_("Place"),
    "cross_border": N_("Cross-border (outside Iraq)"),
    "event_type": N_("Event type"),
    "sub_event_type": N_("Sub-event type"),
    "actor1": N_("Actor 1"),
    "actor2": N_("Actor 2"),
    "fatalities": N_("Fatalities"),
    "injured": N_("Injured"),
    "description": N_("Description"),
    "sources": N_("Sources (one per line)"),
    "source_reliability": N_("Source reliability"),
    "credibility": N_("Information credibility"),
    "releasability": N_("Releasability"),
    "center_id": N_("Center"),
    "status": N_("Status"),
}


@dataclass
class IncidentForm(FieldForm):
    """The incident form; ``location`` messages are shown under lat and lon."""

    @property
    def cross_border(self) -> bool:
        """Whether the cross-border box is ticked."""
        return self.values.get("cross_border") == "1"

    def add_service_errors(self, errors: Sequence[FieldError]) -> None:
        """Attach the errors a service raised (``location`` is shown under lat/lon)."""
        for error in errors:
            self.add(error.field, self.service_message(error.field, error.message))

    def service_message(self, name: str, message: str) -> str:
        """The form's message id for a service's message (on any field)."""
        return form_message(message)


def form_message(service_message: str) -> str:
    """The form's message id for a service's field message (the message itself if unknown)."""
    exact = dict(SERVICE_MESSAGES).get(service_message)
    if exact is not None:
        return exact
    for known, message in SERVICE_MESSAGES:
        if service_message.startswith(known):
            return message
    return service_message


def parse_incident_form(
    form: Mapping[str, Any], *, tz: str, with_status: bool = True
) -> IncidentForm:
    """Turn a posted incident form into the service's dict (``result.data``).

    Never raises: unreadable values are named in ``result.errors`` and left out.
    """
    values = {name: text(form, name) for name in FORM_FIELDS if name != "sources"}
    values["sources"] = form.get("sources", "") if isinstance(form.get("sources"), str) else ""
    values["cross_border"] = "1" if form.get("cross_border") else ""
    values["version"] = text(form, "version")
    result = IncidentForm(values=values)
    for name in REQUIRED:
        if not values[name]:
            result.add(name, MISSING)
    data: dict[str, Any] = {}
    if values["occurred_at"]:
        try:
            data["occurred_at"] = (
                parse_local_datetime(values["occurred_at"], tz).isoformat().replace("+00:00", "Z")
            )
        except ValueError:
            result.add("occurred_at", NOT_A_DATETIME)
    coords: dict[str, float] = {}
    for name in ("lon", "lat"):
        if not values[name]:
            continue
        try:
            number = float(values[name])
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            coords[name] = number
        else:
            result.add(name, NOT_A_NUMBER)
    if len(coords) == 2:
        data["location"] = {"type": "Point", "coordinates": [coords["lon"], coords["lat"]]}
    for name in TEXT_FIELDS:
        if (name == "status" and not with_status) or (name in REQUIRED and not values[name]):
            continue
        # Blank free text is a value; a blank choice means "the default" (or "unchanged").
        if values[name] or name in ("place_name", "actor2", "description"):
            data[name] = values[name]
    for name in INT_FIELDS:
        raw = values[name]
        if not raw and name in ("fatalities", "injured"):
            raw = "0"
        if not raw:
            continue
        try:
            data[name] = int(raw)
        except ValueError:
            result.add(name, NOT_A_WHOLE_NUMBER)
    data["sources"] = [line.strip() for line in values["sources"].splitlines() if line.strip()]
    data["center_id"] = values["center_id"] or None
    data["cross_border"] = result.cross_border
    result.data = data
    return result


def form_values_of(incident: Mapping[str, Any], tz: str) -> dict[str, str]:
    """The form values that show an incident record for editing."""
    lon, lat = incident["location"]["coordinates"]
    occurred = datetime.fromisoformat(str(incident["occurred_at"]).replace("Z", "+00:00"))
    values = {name: str(incident.get(name) or "") for name in TEXT_FIELDS}
    values.update({name: str(incident.get(name, "")) for name in INT_FIELDS})
    values.update(
        occurred_at=local_input_value(occurred, tz),
        lat=repr(float(lat)),
        lon=repr(float(lon)),
        sources="\n".join(incident.get("sources") or []),
        center_id=str(incident.get("center_id") or ""),
        cross_border="1" if incident.get("cross_border") else "",
        version=str(incident.get("version", "")),
    )
    return values


def blank_values(*, now: datetime, tz: str) -> dict[str, str]:
    """The values of a new, empty form (the wire contract's defaults)."""
    values = dict.fromkeys(FORM_FIELDS, "")
    values.update(
        occurred_at=local_input_value(now, tz),
        time_precision="day",
        geo_precision="1",
        fatalities="0",
        injured="0",
        source_reliability="F",
        credibility="6",
        releasability="party",
        status="submitted",
    )
    return values
