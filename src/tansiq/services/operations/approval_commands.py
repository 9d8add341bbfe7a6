"""Signing a joint plan: a participating party's approval or rejection of one version.

An approval is the signing party's own record (single writer): it names the
plan version and ``plan_hash`` it signs and acknowledges, with a comment each,
every blocking finding of that version the signer can see. It inherits the
plan's releasability and center, so whoever reads the plan reads its approvals.
A party signs a version once; a new version needs new signatures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.choices import (
    OPERATION_APPROVER_ROLES,
    FindingStatusChoices,
    OperationKindChoices,
    OperationStatusChoices,
)
from tansiq.domain.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from tansiq.domain.operation_approvals import (
    check_acknowledgements,
    derive_approval,
    validate_approval_input,
)
from tansiq.services.core.attached import attached_rows
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.creation import insert_owned
from tansiq.services.core.marks import mark_received
from tansiq.services.core.versioning import new_version, visible_row
from tansiq.services.federation.identity import node_party
from tansiq.services.operations.finding_subjects import with_visible_subjects
from tansiq.services.operations.records import OPERATION, OPERATION_APPROVAL, approval_payload
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.operations import (
    deconfliction_findings,
    operation_approvals,
    operations,
)
from tansiq.storage.visibility import visible_to

OPEN = FindingStatusChoices.OPEN.value


def current_approval_state(conn: Connection, plan: Mapping[str, Any]) -> dict[str, Any]:
    """The derived approval state of the plan's current version (see derive_approval)."""
    a = operation_approvals.c
    rows = conn.execute(
        select(a.party_id, a.decision).where(
            a.operation_id == plan["id"], a.plan_hash == plan["plan_hash"]
        )
    ).mappings()
    return derive_approval(plan["kind"], plan["participants"], rows)


def _check_signable(actor: Actor, plan: Mapping[str, Any], signed_hash: str) -> None:
    if actor.party not in plan["participants"]:
        raise PermissionDenied("only an approver of a participating party may sign this plan")
    if plan["kind"] == OperationKindChoices.NOTIFIED:
        raise ValidationFailed.single("decision", "a notified operation needs no approval")
    if plan["status"] != OperationStatusChoices.PROPOSED:
        raise ValidationFailed.single(
            "status", f"only a proposed plan can be signed; this one is {plan['status']}"
        )
    if signed_hash != plan["plan_hash"]:
        message = (
            f"the plan was amended: sign plan_version {plan['plan_version']} "
            f"(plan_hash {plan['plan_hash']}) after reading it and its findings"
        )
        raise Conflict(message, [FieldError("plan_hash", message)])


def decide_operation(
    ctx: ServiceContext, *, actor: Actor, operation_id: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Approve or reject the current version of a proposed joint plan for the actor's party.

    Raises NotFound (absent or not released to the actor), PermissionDenied (not an
    approver, or not of a participating party), Conflict (``plan_hash`` is not the
    current version's, or the party already signed it), ValidationFailed naming
    ``acknowledgements`` when a blocking finding is not acknowledged with a comment.
    """
    values = validate_approval_input(data)
    if not actor.has_any_role(OPERATION_APPROVER_ROLES):
        raise PermissionDenied("only an approver may approve or reject an operation plan")
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        # Lock the plan: signatures and amendments of one plan queue behind each other
        # (PostgreSQL; SQLite's write lock already serialises writers).
        conn.execute(
            select(operations.c.id).where(operations.c.id == operation_id).with_for_update()
        )
        plan = visible_row(conn, operations, actor, operation_id, label="operation")
        _check_signable(actor, plan, values["plan_hash"])
        a = operation_approvals.c
        signed = conn.execute(
            select(a.id).where(
                a.operation_id == plan["id"],
                a.plan_hash == plan["plan_hash"],
                a.party_id == actor.party,
            )
        ).first()
        if signed is not None:
            raise Conflict(f"{actor.party} already signed this version of the plan")
        f = deconfliction_findings.c
        stored = conn.execute(
            select(f.id, f.blocking, f.kind, f.subject_id, f.status).where(
                f.operation_id == plan["id"],
                f.plan_hash == plan["plan_hash"],
                visible_to(deconfliction_findings, actor),
            )
        ).mappings()
        # What the signer is shown is what it must acknowledge: no finding whose subject
        # it may no longer see (it could not read it, and naming it would leak it).
        findings = with_visible_subjects(conn, actor, list(stored))
        check_acknowledgements(
            values["acknowledgements"],
            findings={r["id"] for r in findings},
            # A cleared finding no longer stands: it may be acknowledged, need not be.
            blocking={r["id"] for r in findings if r["blocking"] and r["status"] == OPEN},
            approving=values["decision"] == "approve",
        )
        row = insert_owned(
            conn,
            ctx,
            OPERATION_APPROVAL,
            {
                "operation_id": plan["id"],
                "plan_version": plan["plan_version"],
                "plan_hash": plan["plan_hash"],
                "decision": values["decision"],
                "comment": values["comment"],
                "acknowledgements": values["acknowledgements"],
                "releasability": plan["releasability"],
                "center_id": plan["center_id"],
            },
            actor=actor,
            now=now,
        )
    return approval_payload(row)


def approvals_of(conn: Connection, actor: Actor, plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every approval of the plan the actor may see, oldest first, each marked ``current``
    (signs the current version) or void (an earlier one), and with its ``received`` mark."""
    rows = attached_rows(conn, operation_approvals, "operation_id", [plan["id"]], actor=actor)
    found = [{**approval_payload(r), "current": r["plan_hash"] == plan["plan_hash"]} for r in rows]
    return mark_received(conn, OPERATION_APPROVAL.name, found)


def list_approvals(ctx: ServiceContext, *, actor: Actor, operation_id: str) -> list[dict[str, Any]]:
    """The plan's approvals (see approvals_of); raises NotFound like reading the plan."""
    with read_transaction(ctx.engine) as conn:
        plan = visible_row(conn, operations, actor, operation_id, label="operation")
        return approvals_of(conn, actor, plan)


def complete_if_signed(conn: Connection, ctx: ServiceContext, operation_id: str) -> bool:
    """Approve a proposed plan of this node whose current version every party signed.

    Run in the caller's transaction when a signature arrives from a peer node: the
    move is the same ``approve`` transition an owner makes, journaled as the node's
    system action. Returns True when the plan moved; a plan that is not here, not
    proposed or not fully signed is left as it is.
    """
    found = (
        conn.execute(select(operations).where(operations.c.id == operation_id).with_for_update())
        .mappings()
        .first()
    )
    plan = dict(found) if found is not None else None
    if plan is None or plan["party_id"] != node_party(conn):
        return False
    if plan["status"] != OperationStatusChoices.PROPOSED:
        return False
    if current_approval_state(conn, plan)["status"] != "approved":
        return False
    new_version(
        conn,
        ctx,
        OPERATION,
        plan,
        {"status": OperationStatusChoices.APPROVED.value},
        actor_id=SystemActor("system:federation").user_id,
        now=ctx.clock(),
        action="approve",
    )
    return True
