"""Bringing the stored findings of one plan version up to date with what they concern now.

A live plan's findings are computed again (``deconfliction.finding_rows``, the same
bounded overlay as a proposal) and compared with the stored ones by (kind, subject):
a finding found again takes the new figures, text and reach (and is open again if it
had been cleared); a new one is stored; a stored open one not found again is
``cleared``, with why (its subject withdrawn, retracted or ended, or no longer meeting
the plan). Each change is a new version journaled ``recheck``; nothing changed writes
nothing. A plan that is no longer live only has its findings' reach rechecked.
See docs/deconfliction.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, func, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    FindingClearedChoices,
    FindingKindChoices,
    FindingStatusChoices,
    IncidentStatusChoices,
    ReleasabilityChoices,
    SectorStatusChoices,
)
from tansiq.domain.operation_approvals import finding_reach
from tansiq.domain.operations import LIVE_STATUSES
from tansiq.domain.releasability import is_visible
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.versioning import insert_records, new_version
from tansiq.services.operations.deconfliction import center_members, finding_rows
from tansiq.services.operations.finding_subjects import SUBJECT_TABLES
from tansiq.services.operations.records import DECONFLICTION_FINDING
from tansiq.storage.tables.operations import deconfliction_findings

ACTION: Final = "recheck"
# What a recheck may rewrite of a finding found again; the rest names the plan version.
_FIGURES: Final = (
    "blocking",
    "subject_party",
    "overlap_km2",
    "distance_m",
    "summary",
    "status",
    "cleared_reason",
    "releasability",
    "center_id",
)
Key = tuple[str, str]


def _stored(conn: Connection, plan: Mapping[str, Any]) -> list[dict[str, Any]]:
    f = deconfliction_findings.c
    rows = conn.execute(
        select(deconfliction_findings)
        .where(f.operation_id == plan["id"], f.plan_hash == plan["plan_hash"])
        .order_by(f.id)
    ).mappings()
    return [dict(r) for r in rows]


def _checked_at(conn: Connection, plan: Mapping[str, Any], now: datetime) -> datetime:
    """When this plan version was first checked: its earliest finding (else now), so a
    recheck reports the incidents the proposal did, not those that aged in since."""
    f = deconfliction_findings.c
    first: datetime | None = conn.execute(
        select(func.min(f.created_at)).where(
            f.operation_id == plan["id"], f.plan_hash == plan["plan_hash"]
        )
    ).scalar()
    return first or now


def _subject(conn: Connection, owner: Actor, finding: Mapping[str, Any]) -> Any | None:
    """The finding's subject row as the plan owner may see it now; None when it may not."""
    table = SUBJECT_TABLES.get(finding["kind"])
    if table is None:
        return None
    row = conn.execute(
        select(table.c.party_id, table.c.releasability, table.c.center_id, table.c.status).where(
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
    return row


def cleared_reason(kind: str, subject_status: str) -> FindingClearedChoices:
    """Why a finding whose subject (of finding ``kind``) has ``subject_status`` no longer holds."""
    if kind in (FindingKindChoices.SECTOR_OVERLAP, FindingKindChoices.PROTECTED_SITE):
        if subject_status == SectorStatusChoices.WITHDRAWN:
            return FindingClearedChoices.SUBJECT_WITHDRAWN
    elif kind == FindingKindChoices.RECENT_INCIDENT:
        if subject_status == IncidentStatusChoices.RETRACTED:
            return FindingClearedChoices.SUBJECT_RETRACTED
    elif kind == FindingKindChoices.OPERATION_OVERLAP and subject_status not in LIVE_STATUSES:
        return FindingClearedChoices.SUBJECT_ENDED
    return FindingClearedChoices.NO_LONGER_MEETS


def _reach(
    plan: Mapping[str, Any], subject: Any | None, members: Mapping[str, frozenset[str]]
) -> tuple[str, str | None]:
    if subject is None:
        # The owner itself may no longer see the subject: keep the finding at home.
        return ReleasabilityChoices.PARTY.value, None
    return finding_reach(
        plan_owner=plan["party_id"],
        plan_releasability=plan["releasability"],
        plan_center=plan["center_id"],
        subject_party=subject.party_id,
        subject_releasability=subject.releasability,
        subject_center=subject.center_id,
        center_members=members,
    )


def _not_found_again(
    conn: Connection, actor: Actor, plan: Mapping[str, Any], row: Mapping[str, Any], members: Any
) -> dict[str, Any]:
    """The changes of a stored finding the new check did not find."""
    subject = _subject(conn, actor, row)
    releasability, center_id = _reach(plan, subject, members)
    changes: dict[str, Any] = {"releasability": releasability, "center_id": center_id}
    # A subject the owner may no longer see says nothing about itself (not even that it
    # was withdrawn): the finding stays as it was, at home, and hidden by the read path.
    if subject is not None and row["status"] == FindingStatusChoices.OPEN:
        changes["status"] = FindingStatusChoices.CLEARED.value
        changes["cleared_reason"] = cleared_reason(row["kind"], subject.status).value
    return changes


def _write(
    conn: Connection, ctx: ServiceContext, actor: Actor, row: Mapping[str, Any], changes: Any
) -> int:
    if all(row[k] == v for k, v in changes.items()):
        return 0
    now = ctx.clock()
    new_version(
        conn,
        ctx,
        DECONFLICTION_FINDING,
        row,
        changes,
        actor_id=actor.user_id,
        now=now,
        action=ACTION,
    )
    return 1


def recheck_reach(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, plan: Mapping[str, Any]
) -> int:
    """Give each stored finding of the plan the reach its subject allows now; returns
    how many changed (each a new version journaled ``recheck``)."""
    members = center_members(conn)
    changed = 0
    for row in _stored(conn, plan):
        reach = _reach(plan, _subject(conn, actor, row), members)
        changes = {"releasability": reach[0], "center_id": reach[1]}
        changed += _write(conn, ctx, actor, row, changes)
    return changed


def refresh_plan(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, plan: Mapping[str, Any]
) -> int:
    """Recompute a live plan's findings and write what differs from the stored ones;
    returns how many findings were written. ``actor`` is of the plan's owner party.

    Raises ValidationFailed naming ``area`` when the overlay is over the budget.
    """
    if plan["status"] not in LIVE_STATUSES:
        return recheck_reach(conn, ctx, actor=actor, plan=plan)
    stored = _stored(conn, plan)
    now = ctx.clock()
    checked_at = _checked_at(conn, plan, now)
    fresh = finding_rows(conn, ctx, actor=actor, plan=plan, checked_at=checked_at)
    by_key: dict[Key, dict[str, Any]] = {}
    for row in stored:
        by_key.setdefault((row["kind"], row["subject_id"]), row)
    members = center_members(conn)
    changed = 0
    new_rows = []
    for row in fresh:
        old = by_key.pop((row["kind"], row["subject_id"]), None)
        if old is None:
            new_rows.append(row)
        else:
            changed += _write(conn, ctx, actor, old, {k: row[k] for k in _FIGURES})
    for old in by_key.values():
        changed += _write(conn, ctx, actor, old, _not_found_again(conn, actor, plan, old, members))
    insert_records(
        conn, ctx, DECONFLICTION_FINDING, new_rows, actor_id=actor.user_id, action=ACTION
    )
    return changed + len(new_rows)
