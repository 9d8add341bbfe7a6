"""Meeting use cases: record, correct, read, list, and a meeting with what it produced.

A meeting is owned by the party whose secretary recorded it; only that party
changes it. Other parties attach their own records (decisions they record,
endorsements, progress notes). Reads go through ``visible_to`` / ``visible_row``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import MeetingStatusChoices
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import check_member_center
from tansiq.domain.meetings import (
    MEETING_INITIAL,
    check_meeting_record,
    check_meeting_transition,
    validate_meeting_input,
)
from tansiq.services.core.attached import attached_rows
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.creation import write_new
from tansiq.services.core.history import record_history
from tansiq.services.core.owned import Change, change_owned, get_visible, visible_history
from tansiq.services.core.pagination import Page, each, equal_to, in_window, visible_page
from tansiq.services.core.versioning import (
    first_version,
    insert_records,
    visible_row,
)
from tansiq.services.meetings.action_commands import present_action_rows
from tansiq.services.meetings.centers import require
from tansiq.services.meetings.decision_commands import present_decisions
from tansiq.services.meetings.policy import may_keep_minutes
from tansiq.services.meetings.records import MEETING, meeting_payload
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.directory import parties
from tansiq.storage.tables.meetings import action_items, decisions, meetings

WRITER_ONLY = "only a secretary or admin may record or change meetings"


@dataclass(frozen=True)
class MeetingFilters:
    """What a meeting list may be narrowed by; every field is optional."""

    center_id: str | None = None
    party: str | None = None
    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _check_attendee_parties(
    conn: Connection, attendees: list[dict[str, str]], errors: ErrorCollector
) -> None:
    known = set(conn.execute(select(parties.c.id)).scalars())
    for index, attendee in enumerate(attendees):
        if attendee["party"] not in known:
            errors.add(f"attendees[{index}].party", f"unknown party {attendee['party']!r}")


def create_meeting(ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Record a meeting of a center the actor's party sits on.

    Raises PermissionDenied (not a secretary or admin), ValidationFailed naming
    each bad field; then nothing is written.
    """
    row, check = _new_meeting(ctx, actor, data)
    return meeting_payload(write_new(ctx, MEETING, row, actor_id=actor.user_id, check=check))


def insert_meeting(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Record a meeting inside the caller's transaction (the review queue accepting a
    candidate writes it with the candidate's new version); raises as :func:`create_meeting`."""
    row, check = _new_meeting(ctx, actor, data)
    check(conn)
    insert_records(conn, ctx, MEETING, [row], actor_id=actor.user_id)
    return meeting_payload(row)


def _new_meeting(
    ctx: ServiceContext, actor: Actor, data: Mapping[str, Any]
) -> tuple[dict[str, Any], Callable[[Connection], None]]:
    """Version 1 of a meeting and the check that needs the database; raises as
    :func:`create_meeting` for what it can tell without one."""
    require(may_keep_minutes(actor), WRITER_ONLY)
    now = ctx.clock()
    values = validate_meeting_input(data, now=now)
    errors = ErrorCollector()
    if values["status"] not in MEETING_INITIAL:
        errors.add("status", "a new meeting is scheduled or held")
    else:
        check_meeting_record(values, now=now)
    check_member_center(errors, values["center_id"], actor.centers)

    def check(conn: Connection) -> None:
        _check_attendee_parties(conn, values["attendees"], errors)
        errors.raise_if_any("The meeting is invalid")

    return first_version(values, actor=actor, now=now), check


def update_meeting(
    ctx: ServiceContext,
    *,
    actor: Actor,
    meeting_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Correct a meeting (minutes, attendees…) or move its status: a new version, journaled.

    Raises NotFound (absent or not visible), PermissionDenied (another party's
    meeting, or a role that may not), Conflict (stale ``expected_version``),
    ValidationFailed naming each bad field.
    """
    now = ctx.clock()
    values = validate_meeting_input(changes, now=now, partial=True)

    def rules(conn: Connection, current: Mapping[str, Any]) -> Change:
        require(may_keep_minutes(actor), WRITER_ONLY)
        if current["status"] == MeetingStatusChoices.CANCELLED:
            raise ValidationFailed.single("status", "a cancelled meeting cannot be changed")
        if values.get("center_id", current["center_id"]) != current["center_id"]:
            raise ValidationFailed.single(
                "center_id", "cannot be changed; record the meeting at the other center"
            )
        new_status = values.get("status", current["status"])
        check_meeting_transition(current["status"], new_status)
        merged = {**current, **values}
        check_meeting_record(merged, now=now)
        errors = ErrorCollector()
        if "attendees" in values:
            _check_attendee_parties(conn, values["attendees"], errors)
        errors.raise_if_any("The change is invalid")
        cancelled = new_status == MeetingStatusChoices.CANCELLED
        return Change(merged, action="cancel" if cancelled else "update")

    changed = change_owned(ctx, MEETING, actor, meeting_id, expected_version, rules)
    return meeting_payload(changed)


def get_meeting(ctx: ServiceContext, *, actor: Actor, meeting_id: str) -> dict[str, Any]:
    """The current version; raises NotFound when absent or not released to the actor."""
    return get_visible(ctx, MEETING, actor=actor, record_id=meeting_id)


def meeting_history(ctx: ServiceContext, *, actor: Actor, meeting_id: str) -> list[dict[str, Any]]:
    """Every version the actor may see, oldest first; raises NotFound like get_meeting."""
    return visible_history(ctx, MEETING, actor=actor, record_id=meeting_id)


def meeting_detail(ctx: ServiceContext, *, actor: Actor, meeting_id: str) -> dict[str, Any]:
    """The meeting with ``history``, its ``decisions`` and ``action_items`` the actor may see.

    Decisions and action items carry their derived fields (status, overdue…);
    raises NotFound like get_meeting.
    """
    now = ctx.clock()
    with read_transaction(ctx.engine) as conn:
        meeting = meeting_payload(visible_row(conn, meetings, actor, meeting_id, label="meeting"))
        meeting["history"] = record_history(
            conn, actor=actor, kind=MEETING.name, record_id=meeting_id
        )
        decision_rows = attached_rows(conn, decisions, "meeting_id", [meeting_id], actor=actor)
        meeting["decisions"] = present_decisions(conn, actor, decision_rows)
        item_rows = attached_rows(
            conn, action_items, "meeting_id", [meeting_id], actor=actor, order_by=("due_at", "id")
        )
        meeting["action_items"] = present_action_rows(item_rows, now=now, settings=ctx.settings)
    return meeting


def list_meetings(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: MeetingFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Meetings the actor may see, latest ``held_at`` first; raises ValidationFailed for a
    bad cursor or limit."""
    c = meetings.c
    where = equal_to(
        (c.center_id, filters.center_id), (c.party_id, filters.party), (c.status, filters.status)
    )
    return visible_page(
        ctx,
        meetings,
        actor=actor,
        where=where + in_window(c.held_at, filters.since, filters.until),
        present=each(meeting_payload),
        sort=c.held_at,
        cursor=cursor,
        limit=limit,
    )
