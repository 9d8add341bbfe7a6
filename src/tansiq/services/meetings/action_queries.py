"""Listing action items: filters (overdue, escalated…), cursor pages, the overdue list.

``overdue`` and ``escalated`` are conditions on ``ctx.clock`` evaluated in SQL, the
same rule as ``domain.actions.is_overdue`` / ``is_escalated``. Visibility via ``visible_to``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, not_, select

from tansiq.config import Settings
from tansiq.domain.actions import escalation_delay
from tansiq.domain.actors import Actor
from tansiq.domain.choices import ActionStatusChoices
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.pagination import Page, equal_to, visible_page
from tansiq.services.meetings.action_commands import present_action_rows
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.meetings import action_items
from tansiq.storage.visibility import visible_to


@dataclass(frozen=True)
class ActionFilters:
    """What an action item list may be narrowed by; every field is optional.

    ``overdue`` / ``escalated`` true keeps only items that are, false only items that are not.
    """

    center_id: str | None = None
    owner_party: str | None = None
    status: str | None = None
    meeting_id: str | None = None
    decision_id: str | None = None
    overdue: bool | None = None
    escalated: bool | None = None


def _filters(
    filters: ActionFilters, now: datetime, settings: Settings
) -> list[ColumnElement[bool]]:
    c = action_items.c
    clauses = equal_to(
        (c.center_id, filters.center_id),
        (c.party_id, filters.owner_party),
        (c.status, filters.status),
        (c.meeting_id, filters.meeting_id),
        (c.decision_id, filters.decision_id),
    )
    is_open = c.status == ActionStatusChoices.OPEN.value
    delay = escalation_delay(settings.escalate_after_hours)
    for wanted, cutoff in ((filters.overdue, now), (filters.escalated, now - delay)):
        if wanted is not None:
            late = and_(is_open, c.due_at < cutoff)
            clauses.append(late if wanted else not_(late))
    return clauses


def list_action_items(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: ActionFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Action items the actor may see, soonest due first; raises ValidationFailed for a bad
    cursor or limit."""
    now = ctx.clock()
    return visible_page(
        ctx,
        action_items,
        actor=actor,
        where=_filters(filters, now, ctx.settings),
        present=lambda conn, rows: present_action_rows(conn, rows, now=now, settings=ctx.settings),
        sort=action_items.c.due_at,
        descending=False,
        cursor=cursor,
        limit=limit,
    )


def overdue_actions(
    ctx: ServiceContext, *, actor: Actor, center_id: str | None = None
) -> list[dict[str, Any]]:
    """Every open, overdue action item the actor may see (of one center, if given), most
    overdue first; each says whether it has ``escalated``."""
    now = ctx.clock()
    wanted = ActionFilters(center_id=center_id, overdue=True)
    query = select(action_items).where(
        visible_to(action_items, actor), *_filters(wanted, now, ctx.settings)
    )
    with read_transaction(ctx.engine) as conn:
        rows = (
            conn.execute(query.order_by(action_items.c.due_at, action_items.c.id)).mappings().all()
        )
        return present_action_rows(conn, rows, now=now, settings=ctx.settings)
