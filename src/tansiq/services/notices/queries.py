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

from sqlalchemy import ColumnElement, Connection, Select, and_, exists, not_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import NoticeStatusChoices
from tansiq.domain.notices import (
    NOTIFICATION_IS_NOT_PERMISSION,
    NoticeStateChoices,
    notice_state,
)
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.history import record_history
from tansiq.services.core.pagination import Page, page_of
from tansiq.services.core.versioning import visible_row
from tansiq.services.notices.records import NOTICE, ack_payload, notice_payload
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
    if not notice_ids:
        return found
    rows = conn.execute(
        select(notice_acks)
        .where(notice_acks.c.notice_id.in_(sorted(set(notice_ids))), visible_to(notice_acks, actor))
        .order_by(notice_acks.c.created_at, notice_acks.c.id)
    ).mappings()
    for row in rows:
        found[row["notice_id"]].append(ack_payload(row))
    return found


def _answered(actor: Actor) -> ColumnElement[bool]:
    return exists().where(
        notice_acks.c.notice_id == notices.c.id,
        notice_acks.c.notice_version == notices.c.version,
        visible_to(notice_acks, actor),
    )


def pending_clause(actor: Actor) -> ColumnElement[bool]:
    """Notices still sent and without an answer (that the actor sees) to their version."""
    return and_(notices.c.status == NoticeStatusChoices.SENT.value, not_(_answered(actor)))


def _filtered(query: Select[Any], actor: Actor, filters: NoticeFilters, now: datetime) -> Any:
    c = notices.c
    query = query.where(visible_to(notices, actor))
    for column, value in (
        (c.to_party, filters.to_party),
        (c.party_id, filters.from_party),
        (c.kind, filters.kind),
        (c.status, filters.status),
    ):
        if value is not None:
            query = query.where(column == value)
    pending = pending_clause(actor)
    if filters.pending is not None:
        query = query.where(pending if filters.pending else not_(pending))
    if filters.escalated is not None:
        escalated = and_(pending, c.ack_deadline < now)
        query = query.where(escalated if filters.escalated else not_(escalated))
    return query


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
    with read_transaction(ctx.engine) as conn:
        rows, next_cursor = page_of(
            conn,
            _filtered(select(notices), actor, filters, now),
            sort=notices.c.created_at,
            record_id=notices.c.id,
            cursor=cursor,
            limit=limit,
        )
        acks = acks_of(conn, actor, [r["id"] for r in rows])
    items = [present_notice(r, acks.get(r["id"], []), now) for r in rows]
    return Page(items, next_cursor)


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
        rows = conn.execute(query).mappings().all()
        acks = acks_of(conn, actor, [r["id"] for r in rows])
    return [present_notice(r, acks.get(r["id"], []), now) for r in rows]


def get_notice(ctx: ServiceContext, *, actor: Actor, notice_id: str) -> dict[str, Any]:
    """The current version with its answers; raises NotFound when absent or not released."""
    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, notices, actor, notice_id, label="notice")
        acks = acks_of(conn, actor, [notice_id])
    return present_notice(row, acks.get(notice_id, []), ctx.clock())


def notice_detail(ctx: ServiceContext, *, actor: Actor, notice_id: str) -> dict[str, Any]:
    """:func:`get_notice` plus ``history``: every version the actor may see, oldest first."""
    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, notices, actor, notice_id, label="notice")
        acks = acks_of(conn, actor, [notice_id])
        history = record_history(conn, actor=actor, kind=NOTICE.name, record_id=notice_id)
    return {**present_notice(row, acks.get(notice_id, []), ctx.clock()), "history": history}
