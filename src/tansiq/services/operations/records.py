"""Journaled forms of operation plans, approvals and deconfliction findings.

Each payload is both the journaled version and what the API answers. An operation's
box and participant key are not journaled: they are derived from its journaled area and
participants (``operation_derived``), and ``tansiq verify`` derives them again.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape

from tansiq.domain.choices import FindingStatusChoices
from tansiq.services.core.kinds import (
    Child,
    RecordKind,
    Row,
    copy_fields,
    owned_fields,
    owned_kind,
    restore_status_reason,
    utc_fields,
)
from tansiq.storage.tables.operations import (
    deconfliction_findings,
    operation_approvals,
    operations,
)


def _operation_payload_format_1(row: Row) -> dict[str, Any]:
    """An operation plan as journaled before a final step carried its reason (format 1).

    A row that holds a reason keeps it in the payload, so such a row never matches a
    format-1 entry: ``tansiq verify`` catches a reason written in place.
    """
    payload = {
        **owned_fields(row),
        **copy_fields(row, "kind", "status", "title", "objective", "area"),
        **utc_fields(row, "starts_at", "ends_at"),
        "participants": list(row["participants"]),
        "lead_party": row["lead_party"],
        "forces": dict(row["forces"]),
        **copy_fields(row, "plan_version", "plan_hash"),
    }
    if row.get("status_reason") is not None:
        payload["status_reason"] = row["status_reason"]
    return payload


def operation_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an operation plan (format 2, with ``status_reason``: why it
    was cancelled or rejected), which is also the API's answer."""
    return {**_operation_payload_format_1(row), "status_reason": row.get("status_reason")}



def operation_derived(row: Row) -> dict[str, Any]:
    """The columns kept for queries only: the area's box and the participant filter key."""
    west, south, east, north = shape(row["area"]).bounds
    return {
        "min_lon": west,
        "min_lat": south,
        "max_lon": east,
        "max_lat": north,
        "participant_key": "," + ",".join(sorted(row["participants"])) + ",",
    }


def approval_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a party's approval or rejection of one plan version."""
    return {
        **owned_fields(row),
        **copy_fields(row, "operation_id", "decision", "plan_version", "plan_hash", "comment"),
        "acknowledgements": [dict(a) for a in row["acknowledgements"]],
    }


def _finding_payload_format_1(row: Row) -> dict[str, Any]:
    """A finding as journaled before findings had a status.

    A row that is not ``open`` (or has a reason) keeps those fields in the payload, so
    such a row never matches a format-1 entry: ``tansiq verify`` catches a status
    edited in place on a finding whose latest entry predates statuses.
    """
    payload = {
        **owned_fields(row),
        **copy_fields(
            row,
            "operation_id",
            "plan_version",
            "plan_hash",
            "kind",
            "blocking",
            "subject_id",
            "subject_party",
            "overlap_km2",
            "distance_m",
            "summary",
        ),
    }
    if row["status"] != FindingStatusChoices.OPEN or row["cleared_reason"] is not None:
        payload.update(copy_fields(row, "status", "cleared_reason"))
    return payload


def finding_payload(row: Row) -> dict[str, Any]:
    """The journaled form of one deconfliction finding of one plan version (format 2):
    with its ``status`` (open or cleared) and ``cleared_reason``."""
    return {
        **_finding_payload_format_1({**row, "status": "open", "cleared_reason": None}),
        **copy_fields(row, "status", "cleared_reason"),
    }


OPERATION = owned_kind(
    "operation",
    operations,
    operation_payload,
    derived=operation_derived,
    owner_only="only the party that drafted the plan may change it",
    restore=restore_status_reason,
    payload_format=2,
    earlier_payloads={1: _operation_payload_format_1},
    children=(
        Child("operation_approval", "operation_id", "approvals"),
        Child("deconfliction_finding", "operation_id", "findings"),
    ),
)
OPERATION_APPROVAL = owned_kind(
    "operation_approval", operation_approvals, approval_payload, label="approval"
)
DECONFLICTION_FINDING = owned_kind(
    "deconfliction_finding",
    deconfliction_findings,
    finding_payload,
    label="finding",
    payload_format=2,
    earlier_payloads={1: _finding_payload_format_1},
)

KINDS: tuple[RecordKind, ...] = (OPERATION, OPERATION_APPROVAL, DECONFLICTION_FINDING)
