"""Journaled forms of notices, acknowledgements, assessments and dispute resolutions.

Each payload is the full version that is journaled and the core of the API's
answer (services add derived fields such as a notice's ``state`` on top).
"""

from __future__ import annotations

from typing import Any

from tansiq.journal.canonical import iso_utc
from tansiq.services.records import RecordKind, Row, owned_fields, owned_kind
from tansiq.storage.tables_notices import (
    assessments,
    dispute_resolutions,
    notice_acks,
    notices,
)


def notice_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a notice (owned by the sending party)."""
    return {
        **owned_fields(row),
        "to_party": row["to_party"],
        "kind": row["kind"],
        "status": row["status"],
        "subject": row["subject"],
        "message": row["message"],
        "location": row["location"],
        "place_name": row["place_name"],
        "starts_at": iso_utc(row["starts_at"]),
        "ends_at": iso_utc(row["ends_at"]),
        "ack_deadline": iso_utc(row["ack_deadline"]),
    }


def ack_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an acknowledgement (owned by the receiving party)."""
    return {
        **owned_fields(row),
        "notice_id": row["notice_id"],
        "notice_version": row["notice_version"],
        "response": row["response"],
        "comment": row["comment"],
    }


def assessment_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an assessment (owned by the assessing party)."""
    return {
        **owned_fields(row),
        "incident_id": row["incident_id"],
        "incident_party": row["incident_party"],
        "incident_version": row["incident_version"],
        "kind": row["kind"],
        "status": row["status"],
        "comment": row["comment"],
        "sources": list(row["sources"]),
        "source_reliability": row["source_reliability"],
        "credibility": row["credibility"],
    }


def resolution_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a dispute resolution (owned by the resolving party)."""
    return {
        **owned_fields(row),
        "assessment_id": row["assessment_id"],
        "incident_id": row["incident_id"],
        "comment": row["comment"],
    }


NOTICE = owned_kind("notice", notices, notice_payload)
NOTICE_ACK = owned_kind("notice_ack", notice_acks, ack_payload)
ASSESSMENT = owned_kind("assessment", assessments, assessment_payload)
DISPUTE_RESOLUTION = owned_kind("dispute_resolution", dispute_resolutions, resolution_payload)

NOTICE_KINDS: tuple[RecordKind, ...] = (NOTICE, NOTICE_ACK, ASSESSMENT, DISPUTE_RESOLUTION)
