"""Journaled forms of incidents, assessments of them and dispute resolutions.

Each payload is the full version that is journaled and what the API answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.journal.canonical import iso_utc
from tansiq.services.core.kinds import (
    Child,
    RecordKind,
    Row,
    copy_fields,
    owned_fields,
    owned_kind,
)
from tansiq.storage.tables.incidents import assessments, dispute_resolutions, incidents


def incident_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an incident, which is also the API's answer."""
    return {
        **owned_fields(row),
        "status": row["status"],
        "occurred_at": iso_utc(row["occurred_at"]),
        "time_precision": row["time_precision"],
        "location": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        **copy_fields(
            row,
            "geo_precision",
            "place_name",
            "cross_border",
            "admin1",
            "admin2",
            "event_type",
            "sub_event_type",
            "actor1",
            "actor2",
            "fatalities",
            "injured",
            "description",
        ),
        "sources": list(row["sources"]),
        **copy_fields(row, "source_reliability", "credibility"),
    }


def _lon_lat(payload: Mapping[str, Any]) -> dict[str, Any]:
    lon, lat = payload["location"]["coordinates"]
    return {"lon": lon, "lat": lat}


INCIDENT = owned_kind(
    "incident",
    incidents,
    incident_payload,
    owner_only="only the owner party may change its incident reports",
    restore=_lon_lat,
    children=(
        Child("assessment", "incident_id", "assessments"),
        Child("dispute_resolution", "incident_id", "dispute resolutions"),
    ),
)


def assessment_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an assessment (owned by the assessing party)."""
    return {
        **owned_fields(row),
        **copy_fields(
            row, "incident_id", "incident_party", "incident_version", "kind", "status", "comment"
        ),
        "sources": list(row["sources"]),
        **copy_fields(row, "source_reliability", "credibility"),
    }


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
    children=(Child("dispute_resolution", "assessment_id", "dispute resolutions"),),
)


DISPUTE_RESOLUTION = owned_kind(
    "dispute_resolution", dispute_resolutions, resolution_payload, label="dispute resolution"
)

KINDS: tuple[RecordKind, ...] = (INCIDENT, ASSESSMENT, DISPUTE_RESOLUTION)
