"""Rechecking the reach of stored findings when what they concern changes its reach.

A finding is owned by its plan's owner party, and only that party's node writes it
(single writer). So a change to a sector, site, operation or incident rechecks, in the
same transaction, the findings of the plans *the changing party owns*; the plans of
another party are rechecked by that party (``recheck_findings``), and until then the
read path (``finding_subjects``) already hides what a viewer may no longer see.
See docs/deconfliction.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import ReleasabilityChoices
from tansiq.domain.operation_approvals import finding_reach
from tansiq.domain.releasability import is_visible
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.owned import load_owned
from tansiq.services.core.versioning import new_version
from tansiq.services.operations.finding_subjects import SUBJECT_TABLES
from tansiq.services.operations.records import (
    DECONFLICTION_FINDING,
    OPERATION,
    finding_payload,
)
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.directory import centers
from tansiq.storage.tables.operations import deconfliction_findings, operations

# A record's reach changes with these columns; any other change leaves findings alone.
REACH_COLUMNS = ("releasability", "center_id")


def _subject_reach(
    conn: Connection, owner: Actor, finding: Mapping[str, Any]
) -> tuple[str, str, str | None] | None:
    """(party, releasability, center) of the finding's subject as the plan owner sees it."""
    table = SUBJECT_TABLES.get(finding["kind"])
    if table is None:
        return None
    row = conn.execute(
        select(table.c.party_id, table.c.releasability, table.c.center_id).where(
            table.c.id == finding["subject_id"]
        )
    ).first()
    if row is None or not is_visible(
        viewer_party=owner.party,
        viewer_centers=owner.centers,
        owner_party=row.party_id,
        releasability=row.releasability,
        center_id=row.center_id,
    ):
        return None
    return row.party_id, row.releasability, row.center_id


def recheck_plan(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, plan: Mapping[str, Any]
) -> int:
    """Give each current finding of the actor's party's plan the reach its subject allows
    now (a new version, journaled ``recheck``); returns how many changed."""
    members = {r.id: frozenset(r.member_parties) for r in conn.execute(select(centers))}
    f = deconfliction_findings.c
    rows = conn.execute(
        select(deconfliction_findings).where(
            f.operation_id == plan["id"], f.plan_hash == plan["plan_hash"]
        )
    ).mappings()
    changed = 0
    for row in [dict(r) for r in rows]:
        subject = _subject_reach(conn, actor, row)
        if subject is None:
            # The owner itself may no longer see the subject: keep the finding at home.
            reach: tuple[str, str | None] = (ReleasabilityChoices.PARTY.value, None)
        else:
            reach = finding_reach(
                plan_owner=plan["party_id"],
                plan_releasability=plan["releasability"],
                plan_center=plan["center_id"],
                subject_party=subject[0],
                subject_releasability=subject[1],
                subject_center=subject[2],
                center_members=members,
            )
        if reach != (row["releasability"], row["center_id"]):
            changes = {"releasability": reach[0], "center_id": reach[1]}
            new_version(
                conn,
                ctx,
                DECONFLICTION_FINDING,
                row,
                changes,
                actor_id=actor.user_id,
                now=ctx.clock(),
                action="recheck",
            )
            changed += 1
    return changed


def recheck_concerning(
    conn: Connection,
    ctx: ServiceContext,
    *,
    actor: Actor,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> None:
    """After the actor's party changed a record's reach, recheck the findings that name it
    on the plans that party owns (the only ones its node may write)."""
    if all(before[c] == after[c] for c in REACH_COLUMNS):
        return
    f, o = deconfliction_findings.c, operations.c
    plans = conn.execute(
        select(operations)
        .where(
            o.party_id == actor.party,
            select(f.id)
            .where(
                f.operation_id == o.id,
                f.plan_hash == o.plan_hash,
                f.subject_id == after["id"],
            )
            .exists(),
        )
        .order_by(o.id)
    ).mappings()
    for plan in [dict(p) for p in plans]:
        recheck_plan(conn, ctx, actor=actor, plan=plan)


def recheck_findings(
    ctx: ServiceContext, *, actor: Actor, operation_id: str
) -> list[dict[str, Any]]:
    """Recheck the reach of every current finding of a plan of the actor's party.

    Returns the plan's current findings. Raises NotFound (absent or not released to
    the actor) and PermissionDenied (another party's plan).
    """
    with write_transaction(ctx.engine) as conn:
        plan = load_owned(
            conn, OPERATION, actor=actor, record_id=operation_id, expected_version=None
        )
        recheck_plan(conn, ctx, actor=actor, plan=plan)
        f = deconfliction_findings.c
        rows = conn.execute(
            select(deconfliction_findings)
            .where(f.operation_id == plan["id"], f.plan_hash == plan["plan_hash"])
            .order_by(f.id)
        ).mappings()
        return [finding_payload(r) for r in rows]
