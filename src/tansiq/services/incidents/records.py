"""Journaled forms of incidents, assessments of them and dispute resolutions.

Each payload is the full version that is journaled and what the API answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from tansiq.domain.choices import USUAL_DISORDER_TYPE
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.kinds import (
    Child,
    RecordKind,
    Row,
    copy_fields,
    owned_fields,
    owned_kind,
    restore_status_reason,
)
from tansiq.storage.tables.incidents import assessments, dispute_resolutions, incidents

# The columns an incident payload holds as they are stored, in payload order.
_AS_STORED = (
    "geo_precision",
    "place_name",
    "cross_border",
    "admin1",
    "admin2",
    "admin3",
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
)
_LATER = ("source_scale", "tags", "source_reliability", "credibility")
# One C call for many columns: a batch or an import builds thousands of payloads.
_stored, _later = itemgetter(*_AS_STORED), itemgetter(*_LATER)


def incident_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an incident (format 2), which is also the API's answer."""
    return {
        **owned_fields(row),
        "status": row["status"],
        "event_id_cnty": row["event_id_cnty"],
        "occurred_at": iso_utc(row["occurred_at"]),
        "time_precision": row["time_precision"],
        "location": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        **dict(zip(_AS_STORED, _stored(row), strict=True)),
        "sources": list(row["sources"]),
        **dict(zip(_LATER, _later(row), strict=True)),
    }


# What format 2 added, with the value every incident journaled before it holds.
_FORMAT_2_FIELDS: dict[str, Any] = {
    "event_id_cnty": None,
    "admin3": None,
    "assoc_actor_1": "",
    "inter1": "",
    "assoc_actor_2": "",
    "inter2": "",
    "civilian_targeting": False,
    "source_scale": "",
    "tags": "",
}


def _incident_payload_format_1(row: Row) -> dict[str, Any]:
    """An incident as journaled before ACLED's coding (format 1).

    A field format 2 added is written only when the row holds something else than what
    the migration gave older incidents (the event type's usual disorder type, empty
    texts…), so a row edited in place never matches its format-1 entry.
    """
    payload = incident_payload(row)
    for name, value in _FORMAT_2_FIELDS.items():
        if payload[name] == value and type(payload[name]) is type(value):
            del payload[name]
    usual = USUAL_DISORDER_TYPE.get(row["event_type"])
    if usual is not None and payload["disorder_type"] == usual.value:
        del payload["disorder_type"]
    return payload


def _restore(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The stored columns a payload names in another shape or (format 1) leaves out."""
    lon, lat = payload["location"]["coordinates"]
    restored: dict[str, Any] = {"lon": lon, "lat": lat}
    for name, value in _FORMAT_2_FIELDS.items():
        if name not in payload:
            restored[name] = value
    if "disorder_type" not in payload:
        usual = USUAL_DISORDER_TYPE.get(payload.get("event_type", ""))
        restored["disorder_type"] = usual.value if usual is not None else None
    return restored


INCIDENT = owned_kind(
    "incident",
    incidents,
    incident_payload,
    owner_only="only the owner party may change its incident reports",
    restore=_restore,
    payload_format=2,
    earlier_payloads={1: _incident_payload_format_1},
    children=(
        Child("assessment", "incident_id", "assessments"),
        Child("dispute_resolution", "incident_id", "dispute resolutions"),
    ),
)


def _assessment_payload_format_1(row: Row) -> dict[str, Any]:
    """An assessment as journaled before a withdrawal carried its reason (format 1).

    A row that holds a reason keeps it in the payload, so such a row never matches a
    format-1 entry: ``tansiq verify`` catches a reason written in place.
    """
    payload = {
        **owned_fields(row),
        **copy_fields(
            row, "incident_id", "incident_party", "incident_version", "kind", "status", "comment"
        ),
        "sources": list(row["sources"]),
        **copy_fields(row, "source_reliability", "credibility"),
    }
    if row.get("status_reason") is not None:
        payload["status_reason"] = row["status_reason"]
    return payload


def assessment_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an assessment, owned by the assessing party (format 2, with
    ``status_reason``: why it was withdrawn)."""
    return {**_assessment_payload_format_1(row), "status_reason": row.get("status_reason")}



def resolution_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a dispute resolution (owned by the resolving party)."""
    return {
        **owned_fields(row),
        **copy_fields(row, "assessment_id", "incident_id", "comment"),
    }


ASSESSMENT = owned_kind(
    "assessment",
    assessments,
    assessment_payload,
    owner_only="only the assessing party may change its assessment",
    restore=restore_status_reason,
    payload_format=2,
    earlier_payloads={1: _assessment_payload_format_1},
    children=(Child("dispute_resolution", "assessment_id", "dispute resolutions"),),
)


DISPUTE_RESOLUTION = owned_kind(
    "dispute_resolution", dispute_resolutions, resolution_payload, label="dispute resolution"
)

KINDS: tuple[RecordKind, ...] = (INCIDENT, ASSESSMENT, DISPUTE_RESOLUTION)
