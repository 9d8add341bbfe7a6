"""sectors and protected sites

Revision ID: 0002_sectors
Revises: 0001
Create Date: 2026-11-25 07:23:43.570967
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tansiq.storage.types

revision = "0002_sectors"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "protected_sites",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ar", sa.String(length=200), nullable=False),
        sa.Column("name_ckb", sa.String(length=200), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("cross_border", sa.Boolean(), nullable=False),
        sa.Column("starts_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ends_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_protected_sites_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_protected_sites_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protected_sites")),
    )
    with op.batch_alter_table("protected_sites", schema=None) as batch_op:
        batch_op.create_index(
            "ix_protected_sites_bbox", ["min_lon", "max_lon", "min_lat", "max_lat"], unique=False
        )
        batch_op.create_index("ix_protected_sites_party", ["party_id", "id"], unique=False)

    op.create_table(
        "sectors",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("cross_border", sa.Boolean(), nullable=False),
        sa.Column("depth_m", sa.Float(), nullable=True),
        sa.Column("radius_m", sa.Float(), nullable=True),
        sa.Column("valid_from", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_sectors_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_sectors_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sectors")),
    )
    with op.batch_alter_table("sectors", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sectors_bbox", ["min_lon", "max_lon", "min_lat", "max_lat"], unique=False
        )
        batch_op.create_index("ix_sectors_party", ["party_id", "id"], unique=False)
        batch_op.create_index("ix_sectors_validity", ["valid_from", "valid_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sectors", schema=None) as batch_op:
        batch_op.drop_index("ix_sectors_validity")
        batch_op.drop_index("ix_sectors_party")
        batch_op.drop_index("ix_sectors_bbox")

    op.drop_table("sectors")
    with op.batch_alter_table("protected_sites", schema=None) as batch_op:
        batch_op.drop_index("ix_protected_sites_party")
        batch_op.drop_index("ix_protected_sites_bbox")

    op.drop_table("protected_sites")
