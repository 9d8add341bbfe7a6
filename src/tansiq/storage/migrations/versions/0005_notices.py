"""notices, acknowledgements, assessments and dispute resolutions

Revision ID: 0005_notices
Revises: 0001
Create Date: 2026-11-25 07:23:53.201380
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tansiq.storage.types

revision = "0005_notices"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("to_party", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("location", sa.JSON(), nullable=False),
        sa.Column("place_name", sa.String(length=200), nullable=False),
        sa.Column("starts_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ack_deadline", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_notices_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_notices_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["to_party"], ["parties.id"], name=op.f("fk_notices_to_party_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_notices_party_created", ["party_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_notices_to_party_created", ["to_party", "created_at", "id"], unique=False
        )

    op.create_table(
        "assessments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("incident_id", sa.String(length=36), nullable=False),
        sa.Column("incident_party", sa.String(length=32), nullable=False),
        sa.Column("incident_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("source_reliability", sa.String(length=1), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_assessments_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_assessments_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["incident_party"], ["parties.id"], name=op.f("fk_assessments_incident_party_parties")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_assessments_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_incident_created", ["incident_id", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_assessments_kind_status", ["kind", "status"], unique=False)

    op.create_table(
        "notice_acks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("notice_id", sa.String(length=36), nullable=False),
        sa.Column("notice_version", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(length=24), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_notice_acks_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_acks_notice_id_notices")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_notice_acks_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_acks")),
    )
    with op.batch_alter_table("notice_acks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notice_acks_notice", ["notice_id", "notice_version", "created_at"], unique=False
        )

    op.create_table(
        "dispute_resolutions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("incident_id", sa.String(length=36), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_dispute_resolutions_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_dispute_resolutions_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_dispute_resolutions_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_dispute_resolutions_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_resolutions")),
    )
    with op.batch_alter_table("dispute_resolutions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dispute_resolutions_assessment", ["assessment_id", "party_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("dispute_resolutions", schema=None) as batch_op:
        batch_op.drop_index("ix_dispute_resolutions_assessment")

    op.drop_table("dispute_resolutions")
    with op.batch_alter_table("notice_acks", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_acks_notice")

    op.drop_table("notice_acks")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_kind_status")
        batch_op.drop_index("ix_assessments_incident_created")

    op.drop_table("assessments")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_to_party_created")
        batch_op.drop_index("ix_notices_party_created")
        batch_op.drop_index("ix_notices_created")

    op.drop_table("notices")
