"""Reading notices: one with its answers and history, lists with filters, the inbox.

A notice answers its journaled payload plus what is derived at read time from
the clock and the recipient's answers: ``state`` (pending, escalated,
acknowledged…), ``escalated``, ``acknowledgements`` and the ``disclaimer`` the
UI must show. Visibility goes through ``visible_to`` like every read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, not_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import NoticeStatusChoices
from tansiq.domain.notices import (
    NOTIFICATION_IS_NOT_PERMISSION,
    NoticeStateChoices,
    notice_state,
)
from tansiq.services.core.attached import attached_rows
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.history import record_history
from tansiq.services.core.marks import mark_received
from tansiq.services.core.pagination import Page, equal_to, visible_page
from tansiq.services.core.versioning import visible_row
from tansiq.services.notices.records import NOTICE, NOTICE_ACK, ack_payload, notice_payload
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.notices import notice_acks, notices
from tansiq.storage.visibility import visible_to


@dataclass(frozen=True)
class NoticeFilters:
    """What a notice list may be narrowed by; every field is optional.

    ``pending`` true keeps notices awaiting an answer (escalated ones included),
    false keeps the others; ``escalated`` true keeps pending notices past their
    deadline, false the others.
    """

    to_party: str | None = None
    from_party: str | None = None
    kind: str | None = None
    status: str | None = None
    pending: bool | None = None
    escalated: bool | None = None


def present_notice(
    row: Mapping[Any, Any], acks: Sequence[Mapping[str, Any]], now: datetime
) -> dict[str, Any]:
    """A notice's answer: payload, derived state at ``now``, answers (oldest first)."""
    state = notice_state(
        status=row["status"],
        version=row["version"],
        ack_deadline=row["ack_deadline"],
        responses=[(a["notice_version"], a["response"]) for a in acks],
        now=now,
    )
    return {
        **notice_payload(row),
        "state": state.value,
        "escalated": state == NoticeStateChoices.ESCALATED,
        "acknowledgements": [dict(a) for a in acks],
        "disclaimer": NOTIFICATION_IS_NOT_PERMISSION,
    }


def acks_of(
    conn: Connection, actor: Actor, notice_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """The answers the actor may see to each notice, oldest first."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in attached_rows(conn, notice_acks, "notice_id", notice_ids, actor=actor):
        found[row["notice_id"]].append(ack_payload(row))
    return found


def present_notices(
    conn: Connection, actor: Actor, rows: Sequence[Mapping[Any, Any]], now: datetime
) -> list[dict[str, Any]]:
    """Notice rows as :func:`present_notice` shows them, with the answers the actor may see,
    each notice and answer with its ``received`` mark."""
    acks = acks_of(conn, actor, [r["id"] for r in rows])
    mark_received(conn, NOTICE_ACK.name, [a for found in acks.values() for a in found])
    presented = [present_notice(r, acks.get(r["id"], []), now) for r in rows]
    return mark_received(conn, NOTICE.name, presented)


def _answered(actor: Actor) -> ColumnElement[bool]:
    return exists().where(
        notice_acks.c.notice_id == notices.c.id,
        notice_acks.c.notice_version == notices.c.version,
        visible_to(notice_acks, actor),
    )


def pending_clause(actor: Actor) -> ColumnElement[bool]:
    """Notices still sent and without an answer (that the actor sees) to their version."""
    return and_(notices.c.status == NoticeStatusChoices.SENT.value, not_(_answered(actor)))


def _filters(actor: Actor, filters: NoticeFilters, now: datetime) -> list[ColumnElement[bool]]:
    c = notices.c
    clauses = equal_to(
        (c.to_party, filters.to_party),
        (c.party_id, filters.from_party),
        (c.kind, filters.kind),
        (c.status, filters.status),
    )
    pending = pending_clause(actor)
    if filters.pending is not None:
        clauses.append(pending if filters.pending else not_(pending))
    if filters.escalated is not None:
        escalated = and_(pending, c.ack_deadline < now)
        clauses.append(escalated if filters.escalated else not_(escalated))
    return clauses


def list_notices(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: NoticeFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Notices the actor may see, newest first; raises ValidationFailed for a bad cursor/limit."""
    now = ctx.clock()

    return visible_page(
        ctx,
        notices,
        actor=actor,
        where=_filters(actor, filters, now),
        present=lambda conn, rows: present_notices(conn, actor, rows, now),
        sort=notices.c.created_at,
        cursor=cursor,
        limit=limit,
    )


def pending_notices(ctx: ServiceContext, *, actor: Actor) -> list[dict[str, Any]]:
    """Notices addressed to the actor's party still awaiting its answer, earliest deadline first.

    Escalated ones (past their deadline) are included with ``escalated`` true.
    """
    now = ctx.clock()
    query = (
        select(notices)
        .where(
            visible_to(notices, actor),
            notices.c.to_party == actor.party,
            pending_clause(actor),
        )
        .order_by(notices.c.ack_deadline, notices.c.id)
    )
    with read_transaction(ctx.engine) as conn:
        return present_notices(conn, actor, conn.execute(query).mappings().all(), now)


def _one(conn: Connection, actor: Actor, notice_id: str, now: datetime) -> dict[str, Any]:
    row = visible_row(conn, notices, actor, notice_id, label="notice")
    return present_notices(conn, actor, [row], now)[0]


def get_notice(ctx: ServiceContext, *, actor: Actor, notice_id: str) -> dict[str, Any]:
    """The current version with its answers; raises NotFound when absent or not released."""
    with read_transaction(ctx.engine) as conn:
        return _one(conn, actor, notice_id, ctx.clock())


def notice_detail(ctx: ServiceContext, *, actor: Actor, notice_id: str) -> dict[str, Any]:
    """:func:`get_notice` plus ``history``: every version the actor may see, oldest first."""
    with read_transaction(ctx.engine) as conn:
        notice = _one(conn, actor, notice_id, ctx.clock())
        notice["history"] = record_history(conn, actor=actor, kind=NOTICE.name, record_id=notice_id)
    return notice
