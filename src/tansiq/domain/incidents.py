"""Incident rules: field validation, status transitions, who may edit.

Everything here is pure: the services pass in the clock and the geo lookup.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from tansiq.domain.choices import (
    EVENT_TAXONOMY,
    USUAL_DISORDER_TYPE,
    ActorTypeChoices,
    DisorderTypeChoices,
    IncidentStatusChoices,
    ReleasabilityChoices,
    SourceReliabilityChoices,
    TimePrecisionChoices,
)
from tansiq.domain.errors import ErrorCollector, FieldError
from tansiq.domain.fields import (
    check_center_id,
    check_center_rule,
    check_choice,
    check_fields,
    check_int,
    check_sources,
    check_text,
    read_instant,
    refuse_transition,
)

# Names the field in the collector and answers False, or answers True.
FieldCheck = Callable[[ErrorCollector, str, Any], bool]

EARLIEST_OCCURRED_AT = datetime(1900, 1, 1, tzinfo=UTC)
# Clocks on field laptops drift; a report "from the future" by minutes is not an error.
CLOCK_SKEW = timedelta(minutes=5)
MAX_TEXT = 200
MAX_DESCRIPTION = 10_000
MAX_CASUALTIES = 100_000
# ACLED's event ids are a country code and a number ("IRQ12345"); room for other sources.
MAX_EVENT_ID = 32
# Associated actors are lists ("Police Forces of Iraq (2022-); Tribal Militia (Iraq)").
MAX_ACTOR_LIST = 2000
MAX_SOURCE_SCALE = 100
MAX_TAGS = 2000
# An actor type, or none (an incident filed without ACLED's actor coding).
ACTOR_TYPES = ("", *(choice.value for choice in ActorTypeChoices))
ACTOR_TYPE_MESSAGE = "must be empty or one of ACLED's actor types: " + ", ".join(ACTOR_TYPES[1:])

# Fields that describe the event (changing one corrects the report). ``event_id_cnty``
# is the event's id at its source (ACLED's), so a re-import finds the incident again.
EVENT_FIELDS = (
    "event_id_cnty",
    "occurred_at",
    "time_precision",
    "location",
    "geo_precision",
    "place_name",
    "cross_border",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "civilian_targeting",
    "fatalities",
    "injured",
    "description",
    "sources",
    "source_scale",
    "tags",
    "source_reliability",
    "credibility",
)
# Fields a client may set; the rest (id, version, party, admin1…) are derived.
INCIDENT_INPUT_FIELDS = (*EVENT_FIELDS, "releasability", "center_id", "status")
_INPUT_FIELDS = frozenset(INCIDENT_INPUT_FIELDS)
REQUIRED_FIELDS = (
    "occurred_at",
    "location",
    "event_type",
    "sub_event_type",
    "actor1",
)
# ``disorder_type`` defaults to the event type's usual one (USUAL_DISORDER_TYPE).
DEFAULTS: dict[str, Any] = {
    "event_id_cnty": None,
    "time_precision": TimePrecisionChoices.DAY.value,
    "geo_precision": 1,
    "place_name": "",
    "cross_border": False,
    "assoc_actor_1": "",
    "inter1": "",
    "actor2": "",
    "assoc_actor_2": "",
    "inter2": "",
    "civilian_targeting": False,
    "fatalities": 0,
    "injured": 0,
    "description": "",
    "sources": [],
    "source_scale": "",
    "tags": "",
    "source_reliability": SourceReliabilityChoices.F.value,
    "credibility": 6,
    "releasability": ReleasabilityChoices.PARTY.value,
    "center_id": None,
    "status": IncidentStatusChoices.SUBMITTED.value,
}

ALLOWED_TRANSITIONS: dict[IncidentStatusChoices, frozenset[IncidentStatusChoices]] = {
    IncidentStatusChoices.DRAFT: frozenset(
        {IncidentStatusChoices.SUBMITTED, IncidentStatusChoices.RETRACTED}
    ),
    IncidentStatusChoices.SUBMITTED: frozenset(
        {
            IncidentStatusChoices.VERIFIED,
            IncidentStatusChoices.DISPUTED,
            IncidentStatusChoices.RETRACTED,
        }
    ),
    IncidentStatusChoices.VERIFIED: frozenset(
        {IncidentStatusChoices.DISPUTED, IncidentStatusChoices.RETRACTED}
    ),
    IncidentStatusChoices.DISPUTED: frozenset(
        {
            IncidentStatusChoices.SUBMITTED,
            IncidentStatusChoices.VERIFIED,
            IncidentStatusChoices.RETRACTED,
        }
    ),
    IncidentStatusChoices.RETRACTED: frozenset(),
}
INITIAL_STATUSES = frozenset({IncidentStatusChoices.DRAFT, IncidentStatusChoices.SUBMITTED})


def check_transition(current: str, new: str) -> None:
    """Refuse a status change the lifecycle does not allow.

    Raises ValidationFailed naming ``status``.
    """
    refuse_transition(
        ALLOWED_TRANSITIONS, IncidentStatusChoices(current), IncidentStatusChoices(new)
    )


def parse_point(value: Any) -> tuple[float, float]:
    """Read a GeoJSON Point into (lon, lat) in WGS84.

    Raises ValueError with a message fit for the user.
    """
    if not isinstance(value, Mapping) or value.get("type") != "Point":
        raise ValueError('must be a GeoJSON Point: {"type": "Point", "coordinates": [lon, lat]}')
    coords = value.get("coordinates")
    if (
        not isinstance(coords, list | tuple)
        or len(coords) != 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
    ):
        raise ValueError("coordinates must be [longitude, latitude]")
    lon, lat = float(coords[0]), float(coords[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("coordinates must be finite numbers")
    if not -180.0 <= lon <= 180.0:
        raise ValueError("longitude must be between -180 and 180")
    if not -90.0 <= lat <= 90.0:
        raise ValueError("latitude must be between -90 and 90")
    return lon, lat


def validate_incident_input(
    data: Mapping[str, Any], *, now: datetime, partial: bool = False
) -> dict[str, Any]:
    """Check client-supplied incident fields and return them normalised.

    With ``partial`` only the given fields are checked (a PATCH); otherwise
    missing optional fields take their defaults. ``location`` becomes ``lon``
    and ``lat``. Raises ValidationFailed naming every bad field.
    """
    values, errors = inspect_incident_input(data, now=now, partial=partial)
    ErrorCollector(errors).raise_if_any()
    return values


def inspect_incident_input(
    data: Mapping[str, Any], *, now: datetime, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    """Like :func:`validate_incident_input`, but return (valid values, errors).

    Lets a caller report every problem of a report at once (field, cross-field
    and place checks); the values hold only the fields that passed.
    """
    errors = ErrorCollector()
    check_fields(errors, data, _INPUT_FIELDS, REQUIRED_FIELDS, partial=partial)
    values: dict[str, Any] = {}
    if not partial:
        values.update(DEFAULTS)
    values.update(
        {k: v for k, v in data.items() if k in _INPUT_FIELDS and v is not None}
        if not partial
        else {k: v for k, v in data.items() if k in _INPUT_FIELDS}
    )

    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "occurred_at":
            when = read_instant(errors, name, value)
            if when is None:
                continue
            if when < EARLIEST_OCCURRED_AT:
                errors.add(name, "must not be before 1900-01-01")
            elif when > now + CLOCK_SKEW:
                errors.add(name, "must not be in the future")
            else:
                out[name] = when
        elif name == "location":
            try:
                out["lon"], out["lat"] = parse_point(value)
            except ValueError as exc:
                errors.add(name, str(exc))
        elif _FIELD_CHECKS[name](errors, name, value):
            out[name] = value
    if not partial:
        if "disorder_type" not in values and out.get("event_type") in USUAL_DISORDER_TYPE:
            out["disorder_type"] = USUAL_DISORDER_TYPE[out["event_type"]].value
        bad = {e.field for e in errors.errors}
        if not bad & {"event_type", "sub_event_type", "releasability", "center_id"}:
            errors.errors.extend(cross_field_errors(out))
    return out, errors.errors


def _check_event_id(errors: ErrorCollector, name: str, value: Any) -> bool:
    if value is None or (
        isinstance(value, str)
        and 1 <= len(value) <= MAX_EVENT_ID
        and value.isprintable()
        and not any(c.isspace() for c in value)
    ):
        return True
    errors.add(
        name,
        f"must be null or an event id of 1-{MAX_EVENT_ID} characters without spaces, "
        "such as IRQ12345",
    )
    return False


def _check_event_type(errors: ErrorCollector, name: str, value: Any) -> bool:
    if value in EVENT_TAXONOMY:
        return True
    errors.add(name, f"must be one of the ACLED event types: {', '.join(EVENT_TAXONOMY)}")
    return False


def _check_bool(errors: ErrorCollector, name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return True
    errors.add(name, "must be true or false")
    return False


# Every field of every item of a batch or an import runs one of these: the common case
# is decided here, and the shared check (with its message) runs only for a refusal.


def _text(limit: int, *, required: bool = False) -> FieldCheck:
    def check(errors: ErrorCollector, name: str, value: Any) -> bool:
        if (
            type(value) is str
            and len(value) <= limit
            and "\x00" not in value
            and (not required or value.strip())
        ):
            return True
        return _passes(check_text, errors, name, value, limit, required=required)

    return check


def _integer(low: int, high: int) -> FieldCheck:
    def check(errors: ErrorCollector, name: str, value: Any) -> bool:
        if type(value) is int and low <= value <= high:
            return True
        return _passes(check_int, errors, name, value, low, high)

    return check


def _choice(choices: Any, message: str | None = None) -> FieldCheck:
    allowed = frozenset(str(choice) for choice in choices)

    def check(errors: ErrorCollector, name: str, value: Any) -> bool:
        if isinstance(value, str) and value in allowed:
            return True
        return _passes(check_choice, errors, name, value, choices, message=message)

    return check


def _passes(check: Callable[..., None], errors: ErrorCollector, *args: Any, **kw: Any) -> bool:
    """Run a shared check; True when it named nothing."""
    before = len(errors.errors)
    check(errors, *args, **kw)
    return len(errors.errors) == before


def _shared(check: Callable[[ErrorCollector, str, Any], None]) -> FieldCheck:
    return lambda errors, name, value: _passes(check, errors, name, value)


# The check of each input field but occurred_at and location (which change shape).
_FIELD_CHECKS: dict[str, FieldCheck] = {
    "event_id_cnty": _check_event_id,
    "time_precision": _choice(TimePrecisionChoices),
    "geo_precision": _integer(1, 3),
    "place_name": _text(MAX_TEXT),
    "cross_border": _check_bool,
    "disorder_type": _choice(DisorderTypeChoices),
    "event_type": _check_event_type,
    "sub_event_type": _text(MAX_TEXT, required=True),
    "actor1": _text(MAX_TEXT, required=True),
    "assoc_actor_1": _text(MAX_ACTOR_LIST),
    "inter1": _choice(ACTOR_TYPES, ACTOR_TYPE_MESSAGE),
    "actor2": _text(MAX_TEXT),
    "assoc_actor_2": _text(MAX_ACTOR_LIST),
    "inter2": _choice(ACTOR_TYPES, ACTOR_TYPE_MESSAGE),
    "civilian_targeting": _check_bool,
    "fatalities": _integer(0, MAX_CASUALTIES),
    "injured": _integer(0, MAX_CASUALTIES),
    "description": _text(MAX_DESCRIPTION),
    "sources": _shared(check_sources),
    "source_scale": _text(MAX_SOURCE_SCALE),
    "tags": _text(MAX_TAGS),
    "source_reliability": _choice(SourceReliabilityChoices),
    "credibility": _integer(1, 6),
    "releasability": _choice(ReleasabilityChoices),
    "center_id": _shared(check_center_id),
    "status": _choice(IncidentStatusChoices),
}


def disorder_fits(event_type: str, disorder_type: str) -> bool:
    """True when ``disorder_type`` may go with ``event_type``: strategic developments are
    their own disorder type, and no other event type is one."""
    strategic = DisorderTypeChoices.STRATEGIC_DEVELOPMENTS
    return (event_type == "Strategic developments") == (disorder_type == strategic)


def settle_disorder_type(record: dict[str, Any], changed: Collection[str]) -> None:
    """After a correction of ``event_type`` alone, give ``record`` the new event type's usual
    disorder type if its current one no longer fits (a correction need not send both)."""
    event_type = record.get("event_type")
    if (
        "event_type" in changed
        and "disorder_type" not in changed
        and event_type in USUAL_DISORDER_TYPE
        and not disorder_fits(event_type, record.get("disorder_type", ""))
    ):
        record["disorder_type"] = USUAL_DISORDER_TYPE[event_type].value


def cross_field_errors(record: Mapping[str, Any]) -> list[FieldError]:
    """Problems with rules that span fields of a complete record (no raise)."""
    errors = ErrorCollector()
    subs = EVENT_TAXONOMY.get(record["event_type"], ())
    if record["sub_event_type"] not in subs:
        errors.add(
            "sub_event_type",
            f"must be one of the sub-event types of {record['event_type']}: {', '.join(subs)}",
        )
    disorder = record.get("disorder_type")
    if disorder is not None and not disorder_fits(record["event_type"], disorder):
        errors.add(
            "disorder_type",
            "must be Strategic developments for a strategic development, and only for one",
        )
    if record.get("inter2") and not str(record.get("actor2") or "").strip():
        errors.add("inter2", "must be empty when there is no actor2")
    check_center_rule(errors, record)
    return errors.errors


def check_taxonomy_and_center(record: Mapping[str, Any]) -> None:
    """Check the rules that span fields of the merged record.

    Raises ValidationFailed naming ``sub_event_type`` or ``center_id``.
    """
    ErrorCollector(cross_field_errors(record)).raise_if_any()
