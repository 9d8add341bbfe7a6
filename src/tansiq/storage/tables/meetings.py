"""Tables of the meetings concept: meetings, decisions, endorsements, action items, notes.

Each row is a versioned record owned by ``party_id``; endorsements and progress
notes are the other parties' own records attached to a decision or action item.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text

from tansiq.storage.tables.base import (
    ID,
    metadata,
    owned_columns,
    reach_columns,
    versioned_columns,
)
from tansiq.storage.types import UTCDateTime

meetings = Table(
    "meetings",
    metadata,
    *owned_columns(),
    *reach_columns(center_required=True),
    Column("status", String(16), nullable=False),
    Column("held_at", UTCDateTime(), nullable=False),
    Column("place", String(200), nullable=False),
    Column("attendees", JSON, nullable=False),
    Column("agenda", Text, nullable=False),
    Column("minutes", Text, nullable=False),
    *versioned_columns(),
    # Lists are newest first, overall and per center (dashboard, digest).
    Index("ix_meetings_held", "held_at", "id"),
    Index("ix_meetings_center_held", "center_id", "held_at"),
)

decisions = Table(
    "decisions",
    metadata,
    *owned_columns(),
    Column("meeting_id", ID, ForeignKey("meetings.id"), nullable=False, index=True),
    Column("releasability", String(8), nullable=False),
    # The meeting's center, copied so visibility needs no join.
    Column("center_id", ID, ForeignKey("centers.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("text_en", Text, nullable=False),
    Column("text_ar", Text, nullable=False),
    Column("text_ckb", Text, nullable=False),
    *versioned_columns(),
    Index("ix_decisions_created", "created_at", "id"),
)

decision_endorsements = Table(
    "decision_endorsements",
    metadata,
    *owned_columns(),
    Column("decision_id", ID, ForeignKey("decisions.id"), nullable=False),
    *reach_columns(center_required=True),
    Column("decision_version", Integer, nullable=False),
    Column("version_hash", String(64), nullable=False),
    Column("comment", Text, nullable=False),
    *versioned_columns(),
    # A party endorses a given text once; two approvers racing get one row, not two.
    Index(
        "uq_decision_endorsements_party_hash",
        "decision_id",
        "party_id",
        "version_hash",
        unique=True,
    ),
)

action_items = Table(
    "action_items",
    metadata,
    *owned_columns(),
    *reach_columns(center_required=True),
    Column("meeting_id", ID, ForeignKey("meetings.id"), nullable=True, index=True),
    Column("decision_id", ID, ForeignKey("decisions.id"), nullable=True, index=True),
    Column("status", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("owner_person", String(200), nullable=False),
    Column("due_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime(), nullable=True),
    *versioned_columns(),
    # Lists run soonest due first; overdue scans are per center and status.
    Index("ix_action_items_due", "due_at", "id"),
    Index("ix_action_items_center_status_due", "center_id", "status", "due_at"),
)

action_notes = Table(
    "action_notes",
    metadata,
    *owned_columns(),
    Column("action_item_id", ID, ForeignKey("action_items.id"), nullable=False),
    *reach_columns(center_required=True),
    Column("text", Text, nullable=False),
    *versioned_columns(),
    Index("ix_action_notes_item", "action_item_id", "created_at"),
)
