"""meetings, decisions, endorsements, action items and progress notes

Revision ID: 0004_meetings
Revises: 0001
Create Date: 2026-11-25 07:25:38.292733
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tansiq.storage.types

revision = "0004_meetings"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("held_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_meetings_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_meetings_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_center_held", ["center_id", "held_at"], unique=False)
        batch_op.create_index("ix_meetings_held", ["held_at", "id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_ar", sa.Text(), nullable=False),
        sa.Column("text_ckb", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_decisions_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_decisions_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_decisions_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_center_id"), ["center_id"], unique=False)
        batch_op.create_index("ix_decisions_created", ["created_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "action_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=False),
        sa.Column("meeting_id", sa.String(length=36), nullable=True),
        sa.Column("decision_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner_person", sa.String(length=200), nullable=False),
        sa.Column("due_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_action_items_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_action_items_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_action_items_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_action_items_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
    )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_items_center_status_due", ["center_id", "status", "due_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_items_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index("ix_action_items_due", ["due_at", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "decision_endorsements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("decision_id", sa.String(length=36), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=False),
        sa.Column("decision_version", sa.Integer(), nullable=False),
        sa.Column("version_hash", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_decision_endorsements_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_endorsements_decision_id_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_decision_endorsements_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_endorsements")),
    )
    with op.batch_alter_table("decision_endorsements", schema=None) as batch_op:
        batch_op.create_index(
            "uq_decision_endorsements_party_hash",
            ["decision_id", "party_id", "version_hash"],
            unique=True,
        )

    op.create_table(
        "action_notes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("action_item_id", sa.String(length=36), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_item_id"],
            ["action_items.id"],
            name=op.f("fk_action_notes_action_item_id_action_items"),
        ),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_action_notes_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_action_notes_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_notes")),
    )
    with op.batch_alter_table("action_notes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_notes_item", ["action_item_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("action_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_action_notes_item")

    op.drop_table("action_notes")
    with op.batch_alter_table("decision_endorsements", schema=None) as batch_op:
        batch_op.drop_index("uq_decision_endorsements_party_hash")

    op.drop_table("decision_endorsements")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_meeting_id"))
        batch_op.drop_index("ix_action_items_due")
        batch_op.drop_index(batch_op.f("ix_action_items_decision_id"))
        batch_op.drop_index("ix_action_items_center_status_due")

    op.drop_table("action_items")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_meeting_id"))
        batch_op.drop_index("ix_decisions_created")
        batch_op.drop_index(batch_op.f("ix_decisions_center_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_held")
        batch_op.drop_index("ix_meetings_center_held")

    op.drop_table("meetings")
