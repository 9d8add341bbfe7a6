"""Reading operation plans: filtered lists with a cursor, findings, and the full detail.

Visibility goes through ``visible_to`` (the one releasability rule) everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import FindingKindChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.history import record_history
from tansiq.services.core.marks import mark_one, mark_received, marked
from tansiq.services.core.pagination import Page, each, equal_to, visible_page
from tansiq.services.core.versioning import visible_row
from tansiq.services.operations.approval_commands import approvals_of, current_approval_state
from tansiq.services.operations.finding_subjects import mark_subjects, with_visible_subjects
from tansiq.services.operations.records import (
    DECONFLICTION_FINDING,
    OPERATION,
    finding_payload,
    operation_payload,
)
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.operations import deconfliction_findings, operations
from tansiq.storage.visibility import visible_to

_KIND_ORDER = case(
    {kind.value: rank for rank, kind in enumerate(FindingKindChoices)},
    value=deconfliction_findings.c.kind,
    else_=len(FindingKindChoices),
)


@dataclass(frozen=True)
class OperationFilters:
    """What a list may be narrowed by; every field is optional."""

    status: str | None = None
    center_id: str | None = None
    party: str | None = None  # a participating party


def _filters(filters: OperationFilters) -> list[ColumnElement[bool]]:
    c = operations.c
    clauses = equal_to((c.status, filters.status), (c.center_id, filters.center_id))
    if filters.party is not None:
        if not filters.party.isalnum():
            # Party ids are letters and digits; anything else matches no plan.
            raise ValidationFailed.single("party", "must be a party id")
        clauses.append(c.participant_key.contains(f",{filters.party},"))
    return clauses


def list_operations(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: OperationFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Plans the actor may see, latest start first; raises ValidationFailed (cursor, limit)."""
    return visible_page(
        ctx,
        operations,
        actor=actor,
        where=_filters(filters),
        present=marked(OPERATION.name, each(operation_payload)),
        sort=operations.c.starts_at,
        cursor=cursor,
        limit=limit,
    )


def findings_of(
    conn: Connection, actor: Actor, plan: Mapping[str, Any], plan_hash: str | None = None
) -> list[dict[str, Any]]:
    """The findings of one version (default: the current one) the actor may see, open
    ones first, blocking first: the finding released to the actor and its subject still
    visible to the actor now (``finding_subjects``), so a narrowed subject's name never
    shows. Cleared findings are kept (``status``, ``cleared_reason``): they are the record
    of what the plan once met. Each finding has its ``received`` mark and its subject's
    (``subject_received``)."""
    f = deconfliction_findings.c
    rows = conn.execute(
        select(deconfliction_findings)
        .where(
            f.operation_id == plan["id"],
            f.plan_hash == (plan_hash or plan["plan_hash"]),
            visible_to(deconfliction_findings, actor),
        )
        .order_by(f.status.desc(), f.blocking.desc(), _KIND_ORDER, f.subject_id, f.id)
    ).mappings()
    shown = [finding_payload(r) for r in with_visible_subjects(conn, actor, list(rows))]
    mark_subjects(conn, shown)
    return mark_received(conn, DECONFLICTION_FINDING.name, shown)


def list_findings(
    ctx: ServiceContext, *, actor: Actor, operation_id: str, plan_hash: str | None = None
) -> list[dict[str, Any]]:
    """Findings of the plan's current version, or of the version with ``plan_hash``.

    Raises NotFound when the plan is absent or not released to the actor.
    """
    with read_transaction(ctx.engine) as conn:
        plan = visible_row(conn, operations, actor, operation_id, label="operation")
        return findings_of(conn, actor, plan, plan_hash)


def operation_detail(ctx: ServiceContext, *, actor: Actor, operation_id: str) -> dict[str, Any]:
    """The plan with what an approver needs before signing, read in one snapshot.

    Adds ``approval_state`` (derived, per party), ``findings`` (current version),
    ``approvals`` (all, each marked ``current``) and ``history``. Raises NotFound.
    """
    with read_transaction(ctx.engine) as conn:
        plan = visible_row(conn, operations, actor, operation_id, label="operation")
        return {
            **mark_one(conn, OPERATION.name, operation_payload(plan)),
            "approval_state": current_approval_state(conn, plan),
            "findings": findings_of(conn, actor, plan),
            "approvals": approvals_of(conn, actor, plan),
            "history": record_history(
                conn, actor=actor, kind=OPERATION.name, record_id=operation_id
            ),
        }
