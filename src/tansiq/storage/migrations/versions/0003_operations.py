"""operation plans, their approvals and deconfliction findings

Revision ID: 0003_operations
Revises: 0001
Create Date: 2026-11-25 07:24:01.557429
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tansiq.storage.types

revision = "0003_operations"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("area", sa.JSON(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("starts_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("participant_key", sa.String(length=400), nullable=False),
        sa.Column("lead_party", sa.String(length=32), nullable=False),
        sa.Column("forces", sa.JSON(), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("plan_hash", sa.String(length=64), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_operations_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["lead_party"], ["parties.id"], name=op.f("fk_operations_lead_party_parties")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_operations_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operations")),
    )
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.create_index("ix_operations_starts", ["starts_at", "id"], unique=False)
        batch_op.create_index(
            "ix_operations_status_starts", ["status", "starts_at", "id"], unique=False
        )
        batch_op.create_index("ix_operations_window", ["ends_at", "starts_at"], unique=False)

    op.create_table(
        "deconfliction_findings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("plan_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("blocking", sa.Boolean(), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("subject_party", sa.String(length=32), nullable=False),
        sa.Column("overlap_km2", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_deconfliction_findings_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_deconfliction_findings_operation_id_operations"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_deconfliction_findings_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deconfliction_findings")),
    )
    with op.batch_alter_table("deconfliction_findings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deconfliction_findings_plan", ["operation_id", "plan_hash"], unique=False
        )

    op.create_table(
        "operation_approvals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("plan_hash", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("acknowledgements", sa.JSON(), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_operation_approvals_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.id"],
            name=op.f("fk_operation_approvals_operation_id_operations"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_operation_approvals_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_approvals")),
    )
    with op.batch_alter_table("operation_approvals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_operation_approvals_plan", ["operation_id", "plan_hash", "party_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("operation_approvals", schema=None) as batch_op:
        batch_op.drop_index("ix_operation_approvals_plan")

    op.drop_table("operation_approvals")
    with op.batch_alter_table("deconfliction_findings", schema=None) as batch_op:
        batch_op.drop_index("ix_deconfliction_findings_plan")

    op.drop_table("deconfliction_findings")
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.drop_index("ix_operations_window")
        batch_op.drop_index("ix_operations_status_starts")
        batch_op.drop_index("ix_operations_starts")

    op.drop_table("operations")
