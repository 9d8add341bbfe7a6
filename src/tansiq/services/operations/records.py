"""Journaled forms of operation plans, approvals and deconfliction findings.

Each payload is both the journaled version and what the API answers.
"""

from __future__ import annotations

from typing import Any

from tansiq.journal.canonical import iso_utc
from tansiq.services.core.kinds import Child, RecordKind, Row, owned_fields, owned_kind
from tansiq.storage.tables.operations import (
    deconfliction_findings,
    operation_approvals,
    operations,
)


def operation_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an operation plan, which is also the API's answer."""
    return {
        **owned_fields(row),
        "kind": row["kind"],
        "status": row["status"],
        "title": row["title"],
        "objective": row["objective"],
        "area": row["area"],
        "starts_at": iso_utc(row["starts_at"]),
        "ends_at": iso_utc(row["ends_at"]),
        "participants": list(row["participants"]),
        "lead_party": row["lead_party"],
        "forces": dict(row["forces"]),
        "plan_version": row["plan_version"],
        "plan_hash": row["plan_hash"],
    }


def approval_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a party's approval or rejection of one plan version."""
    return {
        **owned_fields(row),
        "operation_id": row["operation_id"],
        "decision": row["decision"],
        "plan_version": row["plan_version"],
        "plan_hash": row["plan_hash"],
        "comment": row["comment"],
        "acknowledgements": [dict(a) for a in row["acknowledgements"]],
    }


def finding_payload(row: Row) -> dict[str, Any]:
    """The journaled form of one deconfliction finding of one plan version."""
    return {
        **owned_fields(row),
        "operation_id": row["operation_id"],
        "plan_version": row["plan_version"],
        "plan_hash": row["plan_hash"],
        "kind": row["kind"],
        "blocking": row["blocking"],
        "subject_id": row["subject_id"],
        "subject_party": row["subject_party"],
        "overlap_km2": row["overlap_km2"],
        "distance_m": row["distance_m"],
        "summary": row["summary"],
    }


OPERATION = owned_kind(
    "operation",
    operations,
    operation_payload,
    owner_only="only the party that drafted the plan may change it",
    children=(
        Child("operation_approval", "operation_id", "approvals"),
        Child("deconfliction_finding", "operation_id", "findings"),
    ),
)
OPERATION_APPROVAL = owned_kind(
    "operation_approval", operation_approvals, approval_payload, label="approval"
)
DECONFLICTION_FINDING = owned_kind(
    "deconfliction_finding", deconfliction_findings, finding_payload, label="finding"
)

KINDS: tuple[RecordKind, ...] = (OPERATION, OPERATION_APPROVAL, DECONFLICTION_FINDING)
