"""Journaled forms of meetings, decisions, endorsements, action items and progress notes.

A payload is exactly what is journaled and what ``tansiq verify`` recomputes
from the current row, so it holds only stored fields. What is derived at read
time (a decision's *agreed* status, an action item's *overdue* flag) is added on
top by ``services.decisions.present_decision`` and ``services.actions.present_action_item``,
never journaled.
"""

from __future__ import annotations

from typing import Any

from tansiq.domain.meetings import decision_hash
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.kinds import (
    Child,
    RecordKind,
    Row,
    copy_fields,
    owned_fields,
    owned_kind,
)
from tansiq.storage.tables.meetings import (
    action_items,
    action_notes,
    decision_endorsements,
    decisions,
    meetings,
)


def meeting_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a meeting, which is also the API's answer."""
    return {
        **owned_fields(row),
        "status": row["status"],
        "held_at": iso_utc(row["held_at"]),
        "place": row["place"],
        "attendees": [dict(a) for a in row["attendees"]],
        **copy_fields(row, "agenda", "minutes"),
    }


def decision_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a decision: ``status`` as its owner set it, and its hash."""
    return {
        **owned_fields(row),
        **copy_fields(row, "status", "meeting_id", "text_en", "text_ar", "text_ckb"),
        "version_hash": decision_hash(row),
    }


def endorsement_payload(row: Row) -> dict[str, Any]:
    """The journaled form of one party's endorsement of one decision version."""
    return {
        **owned_fields(row),
        **copy_fields(row, "decision_id", "decision_version", "version_hash", "comment"),
    }


def action_item_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an action item; ``owner_party`` is the owning ``party``."""
    return {
        **owned_fields(row),
        "owner_party": row["party_id"],
        **copy_fields(row, "owner_person", "status", "meeting_id", "decision_id", "title"),
        "due_at": iso_utc(row["due_at"]),
        "closed_at": iso_utc(row["closed_at"]) if row["closed_at"] else None,
    }


def action_note_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a progress note on an action item."""
    return {**owned_fields(row), "action_item_id": row["action_item_id"], "text": row["text"]}


MEETING = owned_kind(
    "meeting",
    meetings,
    meeting_payload,
    owner_only="only the party that recorded a meeting may change it",
    children=(
        Child("decision", "meeting_id", "decisions"),
        Child("action_item", "meeting_id", "action items"),
    ),
)
DECISION = owned_kind(
    "decision",
    decisions,
    decision_payload,
    owner_only="only the party that recorded a decision may amend it",
    children=(
        Child("decision_endorsement", "decision_id", "endorsements"),
        Child("action_item", "decision_id", "action items"),
    ),
)
ENDORSEMENT = owned_kind(
    "decision_endorsement", decision_endorsements, endorsement_payload, label="endorsement"
)
ACTION_ITEM = owned_kind(
    "action_item",
    action_items,
    action_item_payload,
    label="action item",
    owner_only="only {party}, the party that owes this action item, may change it",
    children=(Child("action_note", "action_item_id", "progress notes"),),
)
ACTION_NOTE = owned_kind("action_note", action_notes, action_note_payload, label="progress note")

KINDS: tuple[RecordKind, ...] = (MEETING, DECISION, ENDORSEMENT, ACTION_ITEM, ACTION_NOTE)
