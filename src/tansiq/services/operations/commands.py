"""Operation plan use cases: draft, amend, propose, move through the lifecycle, read.

The plan is written only by its owner party (the one that drafted it). Entering
``proposed`` and every amendment of a proposed or approved plan compute and
store that version's deconfliction findings in the same transaction.
Approval state is derived from the approvals of the current ``plan_hash``
(``services/operation_approvals.py``); a ``reject`` does not move the plan by
itself: the owner then amends it (a new version to sign) or moves it to
``rejected``. Operations are coordination plans, never targets or fires.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shapely.geometry import shape
from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    OPERATION_PLANNER_ROLES,
    OperationStatusChoices,
)
from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.domain.operations import (
    AMENDABLE_STATUSES,
    check_plan,
    check_transition,
    plan_hash,
    validate_operation_input,
)
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.history import record_history
from tansiq.services.core.versioning import (
    check_expected_version,
    first_version,
    insert_records,
    new_version,
    refuse_narrowing,
    visible_row,
)
from tansiq.services.operations.approval_commands import current_approval_state
from tansiq.services.operations.deconfliction import center_members, finding_rows
from tansiq.services.operations.records import (
    DECONFLICTION_FINDING,
    OPERATION,
    operation_payload,
)
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.directory import parties
from tansiq.storage.tables.operations import deconfliction_findings, operation_approvals, operations

S = OperationStatusChoices
LABEL = "operation"
# The journal's action for a move to each status.
_ACTIONS = {
    S.DRAFT: "draft",
    S.PROPOSED: "propose",
    S.APPROVED: "approve",
    S.ACTIVE: "activate",
    S.COMPLETED: "complete",
    S.REJECTED: "reject",
    S.CANCELLED: "cancel",
}


def _require_planner(actor: Actor) -> None:
    if not actor.has_any_role(OPERATION_PLANNER_ROLES):
        raise PermissionDenied("your role may not draft or change operation plans")


def _derived(record: Mapping[str, Any]) -> dict[str, Any]:
    # Columns kept for queries only: the area's box and the participant filter key.
    west, south, east, north = shape(record["area"]).bounds
    return {
        "min_lon": west,
        "min_lat": south,
        "max_lon": east,
        "max_lat": north,
        "participant_key": "," + ",".join(sorted(record["participants"])) + ",",
    }


def _check(conn: Connection, record: Mapping[str, Any]) -> None:
    known = frozenset(r.id for r in conn.execute(select(parties.c.id)))
    check_plan(record, known_parties=known, center_members=center_members(conn))


def create_operation(
    ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Draft a plan owned by the actor's party (status ``draft``).

    Raises PermissionDenied for a role that may not plan, ValidationFailed naming
    each bad field; then nothing is written.
    """
    _require_planner(actor)
    now = ctx.clock()
    values = validate_operation_input(data, owner_party=actor.party)
    row = first_version(
        {**values, "status": S.DRAFT.value, "plan_version": 1}, actor=actor, now=now
    )
    row["plan_hash"] = plan_hash(row)
    row.update(_derived(row))
    with write_transaction(ctx.engine) as conn:
        _check(conn, row)
        insert_records(conn, ctx, OPERATION, [row], actor_id=actor.user_id)
    return operation_payload(row)


def _owned(
    conn: Connection, actor: Actor, operation_id: str, expected_version: int | None
) -> Mapping[str, Any]:
    current = visible_row(conn, operations, actor, operation_id, label=LABEL)
    if current["party_id"] != actor.party:
        raise PermissionDenied("only the party that drafted the plan may change it")
    check_expected_version(current, expected_version, label="operation")
    return current


def _store_findings(
    conn: Connection, ctx: ServiceContext, actor: Actor, record: Mapping[str, Any]
) -> None:
    rows = finding_rows(conn, ctx, actor=actor, plan=record)
    insert_records(conn, ctx, DECONFLICTION_FINDING, rows, actor_id=actor.user_id)


def amend_operation(
    ctx: ServiceContext,
    *,
    actor: Actor,
    operation_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Amend a draft, proposed or approved plan: a new version with a new ``plan_hash``.

    A proposed or approved plan returns to ``proposed``; earlier approvals stay
    on record but name the old hash, so they no longer count; findings are
    computed for the new version. Raises NotFound, PermissionDenied (not the
    owner party, or the role), Conflict (stale ``expected_version``),
    ValidationFailed naming each bad field (``kind`` cannot change; ``status``
    when the plan can no longer be amended).
    """
    _require_planner(actor)
    if "kind" in changes:
        raise ValidationFailed.single("kind", "cannot be changed; file a new operation instead")
    values = validate_operation_input(changes, owner_party=actor.party, partial=True)
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        current = _owned(conn, actor, operation_id, expected_version)
        if current["status"] not in AMENDABLE_STATUSES:
            raise ValidationFailed.single(
                "status", f"a plan that is {current['status']} can no longer be amended"
            )
        merged: dict[str, Any] = {**current, **values}
        if all(merged[k] == current[k] for k in values):
            return operation_payload(current)
        _check(conn, merged)
        merged["plan_version"] = current["version"] + 1
        merged["plan_hash"] = plan_hash(merged)
        if current["status"] != S.DRAFT:
            merged["status"] = S.PROPOSED.value
        merged.update(_derived(merged))
        refuse_narrowing(
            conn,
            parent_id=operation_id,
            releasability=merged["releasability"],
            center_id=merged["center_id"],
            attached=[
                (operation_approvals, "operation_id", "approvals"),
                (deconfliction_findings, "operation_id", "findings"),
            ],
        )
        changed = new_version(
            conn, ctx, OPERATION, current, merged, actor_id=actor.user_id, now=now
        )
        if changed["status"] == S.PROPOSED:
            _store_findings(conn, ctx, actor, changed)
    return operation_payload(changed)


def transition_operation(
    ctx: ServiceContext,
    *,
    actor: Actor,
    operation_id: str,
    status: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Move a plan of the actor's party to ``status``; ``proposed`` computes its findings.

    A joint plan becomes approved (and then active) only when an approver of every
    participating party approved its current version, and rejected only when one
    rejected it. Raises NotFound, PermissionDenied, Conflict, ValidationFailed
    naming ``status``.
    """
    _require_planner(actor)
    if status not in [s.value for s in S]:
        raise ValidationFailed.single("status", f"must be one of: {', '.join(s.value for s in S)}")
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        current = _owned(conn, actor, operation_id, expected_version)
        state = current_approval_state(conn, current)
        check_transition(current["kind"], current["status"], status, approval=state["status"])
        action = _ACTIONS[S(status)]
        changed = new_version(
            conn,
            ctx,
            OPERATION,
            current,
            {"status": status},
            actor_id=actor.user_id,
            now=now,
            action=action,
        )
        if status == S.PROPOSED:
            _store_findings(conn, ctx, actor, changed)
    return operation_payload(changed)


def propose_operation(
    ctx: ServiceContext, *, actor: Actor, operation_id: str, expected_version: int | None = None
) -> dict[str, Any]:
    """Propose a draft (or notify a notified plan): findings are computed and stored.

    Raises as :func:`transition_operation`.
    """
    return transition_operation(
        ctx,
        actor=actor,
        operation_id=operation_id,
        status=S.PROPOSED.value,
        expected_version=expected_version,
    )


def get_operation(ctx: ServiceContext, *, actor: Actor, operation_id: str) -> dict[str, Any]:
    """The current version; raises NotFound when absent or not released to the actor."""
    with read_transaction(ctx.engine) as conn:
        return operation_payload(visible_row(conn, operations, actor, operation_id, label=LABEL))


def operation_history(
    ctx: ServiceContext, *, actor: Actor, operation_id: str
) -> list[dict[str, Any]]:
    """Every version of the plan the actor may see, oldest first; raises NotFound."""
    with read_transaction(ctx.engine) as conn:
        visible_row(conn, operations, actor, operation_id, label=LABEL)
        return record_history(conn, actor=actor, kind=OPERATION.name, record_id=operation_id)
