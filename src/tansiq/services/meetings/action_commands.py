"""Action item use cases: record, change, mark done/cancelled/open, notes, lists, overdue.

Single writer: the party that *owes* an action records it (``owner_party`` is
the record's ``party``) and is the only one that changes it or its status.
Another party follows up with progress notes, its own records attached to the
item. ``overdue`` and ``escalated`` are derived from ``ctx.clock`` at read time
(``TANSIQ_ESCALATE_AFTER_HOURS`` after the due time an open item escalates to its
center's dashboard and daily digest); nothing stores them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tansiq.config import Settings
from tansiq.domain.actions import (
    STATUS_ACTIONS,
    check_action_transition,
    escalation_delay,
    is_escalated,
    is_overdue,
    validate_action_input,
    validate_note_input,
    validate_status_input,
)
from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    ActionStatusChoices,
    DecisionStatusChoices,
    MeetingStatusChoices,
)
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import parse_instant
from tansiq.domain.meetings import not_wider
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.attached import attached_rows
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.creation import insert_owned
from tansiq.services.core.history import record_history
from tansiq.services.core.kinds import Row
from tansiq.services.core.owned import Change, change_owned, get_visible
from tansiq.services.core.versioning import visible_row
from tansiq.services.meetings.centers import display_zone, require
from tansiq.services.meetings.policy import may_keep_minutes, may_note_action, may_set_action_status
from tansiq.services.meetings.records import (
    ACTION_ITEM,
    ACTION_NOTE,
    action_item_payload,
    action_note_payload,
)
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.meetings import action_items, action_notes, decisions, meetings
from tansiq.storage.visibility import visible_to

WRITER_ONLY = "only a secretary or admin may record or change action items"
LINKS = ("center_id", "meeting_id", "decision_id", "releasability")


def present_action_item(
    payload: Mapping[str, Any], *, now: datetime, settings: Settings
) -> dict[str, Any]:
    """An action item payload with ``overdue``, ``escalated`` and ``escalates_at`` as of ``now``."""
    due = parse_instant(payload["due_at"])
    delay = escalation_delay(settings.escalate_after_hours)
    status = payload["status"]
    return {
        **payload,
        "overdue": is_overdue(status=status, due_at=due, now=now),
        "escalated": is_escalated(status=status, due_at=due, now=now, delay=delay),
        "escalates_at": iso_utc(due + delay),
    }


def present_action_rows(
    rows: Iterable[Row], *, now: datetime, settings: Settings
) -> list[dict[str, Any]]:
    """Current action item rows with their derived fields (for lists, dashboards, digests)."""
    return [present_action_item(action_item_payload(r), now=now, settings=settings) for r in rows]


def _linked(conn: Connection, actor: Actor, table: Any, record_id: str, name: str) -> Any:
    row = (
        conn.execute(select(table).where(table.c.id == record_id, visible_to(table, actor)))
        .mappings()
        .first()
    )
    if row is None:
        raise ValidationFailed.single(f"{name}_id", f"no {name} {record_id} that you can see")
    return row


def _resolve_links(
    conn: Connection, actor: Actor, values: dict[str, Any], errors: ErrorCollector
) -> None:
    # The center comes from the decision (or meeting) when one is linked.
    parent: Mapping[str, Any] | None = None
    if values.get("decision_id") is not None:
        parent = _linked(conn, actor, decisions, values["decision_id"], "decision")
        if parent["status"] == DecisionStatusChoices.WITHDRAWN:
            errors.add("decision_id", "the decision was withdrawn")
        if values.get("meeting_id") not in (None, parent["meeting_id"]):
            errors.add("meeting_id", "must be the decision's meeting, or left out")
        values["meeting_id"] = parent["meeting_id"]
    elif values.get("meeting_id") is not None:
        parent = _linked(conn, actor, meetings, values["meeting_id"], "meeting")
        if parent["status"] == MeetingStatusChoices.CANCELLED:
            errors.add("meeting_id", "the meeting was cancelled")
    if parent is not None:
        if values.get("center_id") not in (None, parent["center_id"]):
            errors.add("center_id", "must be the center of the linked meeting, or left out")
        values["center_id"] = parent["center_id"]
        if not not_wider(values["releasability"], parent["releasability"]):
            errors.add(
                "releasability",
                f"must not reach further than the linked record's ({parent['releasability']})",
            )
    if values.get("center_id") is None:
        errors.add("center_id", "is required unless meeting_id or decision_id is given")
    elif values["center_id"] not in actor.centers:
        errors.add("center_id", "must be a center your party is a member of")


def _check_owner_party(values: Mapping[str, Any], actor: Actor, errors: ErrorCollector) -> None:
    if values.get("owner_party") not in (None, actor.party):
        errors.add(
            "owner_party",
            f"must be your party ({actor.party}): a party records the action items it owes, "
            "so that only it changes them; its own secretary records them",
        )


def create_action_item(
    ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Record an action item the actor's party owes, open, linked to a center (and optionally
    a meeting or decision, whose center it takes).

    ``due_at`` takes a date-time with offset or a date (due by its end in the display
    time zone). Raises PermissionDenied (not a secretary or admin), ValidationFailed
    naming each bad field; then nothing is written.
    """
    with write_transaction(ctx.engine) as conn:
        return insert_action_item(conn, ctx, actor=actor, data=data)


def insert_action_item(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Record an action item inside the caller's transaction (the review queue accepting a
    candidate writes it with the candidate's new version); raises as
    :func:`create_action_item`."""
    require(may_keep_minutes(actor), WRITER_ONLY)
    values = validate_action_input(data, tz=display_zone(ctx.settings))
    now = ctx.clock()
    errors = ErrorCollector()
    _check_owner_party(values, actor, errors)
    _resolve_links(conn, actor, values, errors)
    errors.raise_if_any("The action item is invalid")
    values.pop("owner_party", None)
    values.update(status=ActionStatusChoices.OPEN.value, closed_at=None)
    row = insert_owned(conn, ctx, ACTION_ITEM, values, actor=actor, now=now)
    return present_action_item(action_item_payload(row), now=now, settings=ctx.settings)


def update_action_item(
    ctx: ServiceContext,
    *,
    actor: Actor,
    action_item_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Change an open action item (title, due date, person, links): a new version, journaled.

    Status moves through :func:`set_action_status`. Raises NotFound, PermissionDenied
    (another party's item, or a role that may not), Conflict, ValidationFailed.
    """
    values = validate_action_input(changes, tz=display_zone(ctx.settings), partial=True)
    now = ctx.clock()

    def rules(conn: Connection, current: Mapping[str, Any]) -> Change:
        require(may_keep_minutes(actor), WRITER_ONLY)
        if current["status"] != ActionStatusChoices.OPEN:
            raise ValidationFailed.single(
                "status", f"a {current['status']} action item cannot be changed; reopen it first"
            )
        errors = ErrorCollector()
        _check_owner_party(values, actor, errors)
        merged = {**current, **values}
        merged.pop("owner_party", None)
        if any(name in values for name in LINKS):
            # A new link brings its own meeting and center unless they are given too.
            relinked = "decision_id" in values or "meeting_id" in values
            for name in ("meeting_id", "center_id"):
                if relinked and name not in values:
                    merged[name] = None
            _resolve_links(conn, actor, merged, errors)
        errors.raise_if_any("The change is invalid")
        return Change(merged)

    changed = change_owned(ctx, ACTION_ITEM, actor, action_item_id, expected_version, rules)
    return present_action_item(action_item_payload(changed), now=now, settings=ctx.settings)


def set_action_status(
    ctx: ServiceContext,
    *,
    actor: Actor,
    action_item_id: str,
    status: str,
    note: str = "",
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Mark the owing party's item done or cancelled, or open again; ``note`` adds a progress note.

    Raises NotFound, PermissionDenied (not the owing party, or a role that may
    not), Conflict (stale version), ValidationFailed naming ``status`` for a move
    the lifecycle forbids (cancelled is final).
    """
    values = validate_status_input({"status": status, "note": note})
    now = ctx.clock()
    new_status = ActionStatusChoices(values["status"])

    def rules(_conn: Connection, current: Mapping[str, Any]) -> Change:
        require(
            may_set_action_status(actor, current),
            "only a secretary, liaison or admin may change an action item's status",
        )
        check_action_transition(current["status"], values["status"])
        closed_at = None if new_status == ActionStatusChoices.OPEN else now
        return Change(
            {**current, "status": new_status.value, "closed_at": closed_at},
            action=STATUS_ACTIONS[new_status],
        )

    def add_note(conn: Connection, changed: dict[str, Any]) -> None:
        if values["note"].strip():
            _insert_note(conn, ctx, actor, changed, values["note"], now)

    changed = change_owned(
        ctx, ACTION_ITEM, actor, action_item_id, expected_version, rules, add_note
    )
    return present_action_item(action_item_payload(changed), now=now, settings=ctx.settings)


def _insert_note(
    conn: Connection,
    ctx: ServiceContext,
    actor: Actor,
    item: Mapping[str, Any],
    text: str,
    now: datetime,
) -> dict[str, Any]:
    row = insert_owned(
        conn,
        ctx,
        ACTION_NOTE,
        {
            "action_item_id": item["id"],
            # A note travels with its item: the same parties may read both.
            "center_id": item["center_id"],
            "releasability": item["releasability"],
            "text": text,
        },
        actor=actor,
        now=now,
    )
    return action_note_payload(row)


def add_action_note(
    ctx: ServiceContext, *, actor: Actor, action_item_id: str, text: str
) -> dict[str, Any]:
    """Attach a progress note of the actor's party to an action item the actor can see.

    Raises NotFound, PermissionDenied (a role that may not), ValidationFailed naming ``text``.
    """
    values = validate_note_input({"text": text})
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        item = visible_row(conn, action_items, actor, action_item_id, label="action item")
        require(
            may_note_action(actor),
            "only a liaison, secretary, analyst or admin may add progress notes",
        )
        return _insert_note(conn, ctx, actor, item, values["text"], now)


def get_action_item(ctx: ServiceContext, *, actor: Actor, action_item_id: str) -> dict[str, Any]:
    """The current version with its derived flags; raises NotFound when not visible."""
    payload = get_visible(ctx, ACTION_ITEM, actor=actor, record_id=action_item_id)
    return present_action_item(payload, now=ctx.clock(), settings=ctx.settings)


def action_item_detail(ctx: ServiceContext, *, actor: Actor, action_item_id: str) -> dict[str, Any]:
    """The item with ``history`` and the progress ``notes`` the actor may see, oldest first."""
    now = ctx.clock()

    def present(payload: dict[str, Any]) -> dict[str, Any]:
        return present_action_item(payload, now=now, settings=ctx.settings)

    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, action_items, actor, action_item_id, label="action item")
        detail = present(action_item_payload(row))
        detail["history"] = record_history(
            conn, actor=actor, kind=ACTION_ITEM.name, record_id=action_item_id, present=present
        )
        notes = attached_rows(conn, action_notes, "action_item_id", [action_item_id], actor=actor)
        detail["notes"] = [action_note_payload(n) for n in notes]
    return detail
