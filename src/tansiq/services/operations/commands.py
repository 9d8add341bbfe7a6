"""Operation plan use cases: draft, amend, propose, move through the lifecycle, read.

The plan is written only by its owner party (the one that drafted it). Entering
``proposed`` and every amendment of a proposed or approved plan compute and
store that version's deconfliction findings in the same transaction.
Approval state is derived from the approvals of the current ``plan_hash``
(``services/operations/approval_commands.py``); a ``reject`` does not move the plan by
itself: the owner then amends it (a new version to sign) or moves it to
``rejected``. Operations are coordination plans, never targets or fires.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    OperationStatusChoices,
)
from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.domain.operations import (
    AMENDABLE_STATUSES,
    NEEDS_REASON,
    check_plan,
    check_transition,
    plan_hash,
    validate_operation_input,
)
from tansiq.domain.reasons import check_reason
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.creation import write_new
from tansiq.services.core.owned import Change, change_owned, get_visible, visible_history
from tansiq.services.core.versioning import (
    first_version,
    insert_records,
)
from tansiq.services.operations.approval_commands import current_approval_state
from tansiq.services.operations.deconfliction import center_members, finding_rows
from tansiq.services.operations.policy import may_plan
from tansiq.services.operations.rechecks import recheck_concerning
from tansiq.services.operations.records import (
    DECONFLICTION_FINDING,
    OPERATION,
    operation_derived,
    operation_payload,
)
from tansiq.storage.tables.directory import parties

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
    if not may_plan(actor):
        raise PermissionDenied("your role may not draft or change operation plans")


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
    row.update(operation_derived(row))
    write_new(ctx, OPERATION, row, actor_id=actor.user_id, check=lambda conn: _check(conn, row))
    return operation_payload(row)


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
    read_version: list[int] = []
    read: list[Mapping[str, Any]] = []

    def rules(conn: Connection, current: Mapping[str, Any]) -> Change:
        read_version.append(current["version"])
        read.append(current)
        if current["status"] not in AMENDABLE_STATUSES:
            raise ValidationFailed.single(
                "status", f"a plan that is {current['status']} can no longer be amended"
            )
        merged: dict[str, Any] = {**current, **values}
        if all(merged[k] == current[k] for k in values):
            return Change(current)
        _check(conn, merged)
        merged["plan_version"] = current["version"] + 1
        merged["plan_hash"] = plan_hash(merged)
        if current["status"] != S.DRAFT:
            merged["status"] = S.PROPOSED.value
        merged.update(operation_derived(merged))
        return Change(merged)

    def findings(conn: Connection, changed: dict[str, Any]) -> None:
        if changed["version"] != read_version[0] and changed["status"] == S.PROPOSED:
            _store_findings(conn, ctx, actor, changed)
        recheck_concerning(conn, ctx, actor=actor, before=read[0], after=changed)

    changed = change_owned(ctx, OPERATION, actor, operation_id, expected_version, rules, findings)
    return operation_payload(changed)


def transition_operation(
    ctx: ServiceContext,
    *,
    actor: Actor,
    operation_id: str,
    status: str,
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Move a plan of the actor's party to ``status``; ``proposed`` computes its findings.

    A joint plan becomes approved (and then active) only when an approver of every
    participating party approved its current version, and rejected only when one
    rejected it. Cancelling or rejecting is final and needs a ``reason``, journaled
    with the version as ``status_reason``. Raises NotFound, PermissionDenied,
    Conflict, ValidationFailed naming ``status`` or ``reason``.
    """
    _require_planner(actor)
    if status not in [s.value for s in S]:
        raise ValidationFailed.single("status", f"must be one of: {', '.join(s.value for s in S)}")

    read: list[Mapping[str, Any]] = []

    def rules(conn: Connection, current: Mapping[str, Any]) -> Change:
        read.append(current)
        state = current_approval_state(conn, current)
        check_transition(current["kind"], current["status"], status, approval=state["status"])
        # Once the owner and the move are known good: a stranger is refused, not asked why.
        status_reason = check_reason(reason) if status in NEEDS_REASON else None
        moved = {**current, "status": status, "status_reason": status_reason}
        return Change(moved, action=_ACTIONS[S(status)])

    def findings(conn: Connection, changed: dict[str, Any]) -> None:
        if status == S.PROPOSED:
            _store_findings(conn, ctx, actor, changed)
        # A plan cancelled, completed or rejected no longer meets the party's other plans.
        recheck_concerning(conn, ctx, actor=actor, before=read[0], after=changed)

    changed = change_owned(ctx, OPERATION, actor, operation_id, expected_version, rules, findings)
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
    return get_visible(ctx, OPERATION, actor=actor, record_id=operation_id)


def operation_history(
    ctx: ServiceContext, *, actor: Actor, operation_id: str
) -> list[dict[str, Any]]:
    """Every version of the plan the actor may see, oldest first; raises NotFound."""
    return visible_history(ctx, OPERATION, actor=actor, record_id=operation_id)
