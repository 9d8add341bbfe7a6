"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 06:55:12.072026
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tansiq.storage.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "centers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_ar", sa.String(length=200), nullable=False),
        sa.Column("name_ckb", sa.String(length=200), nullable=False),
        sa.Column("governorates", sa.JSON(), nullable=False),
        sa.Column("member_parties", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centers")),
        sa.UniqueConstraint("code", name=op.f("uq_centers_code")),
    )
    op.create_table(
        "journal",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("record_kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("owner_party", sa.String(length=32), nullable=True),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_journal")),
    )
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_journal_record", ["record_kind", "record_id", "seq"], unique=False
        )

    op.create_table(
        "journal_heads",
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("node_id", name=op.f("pk_journal_heads")),
    )
    # Seed the head so concurrent first writers lock a row instead of racing to insert it.
    heads = sa.table("journal_heads", sa.column("node_id"), sa.column("seq"), sa.column("hash"))
    op.bulk_insert(heads, [{"node_id": "local", "seq": 0, "hash": "0" * 64}])
    op.create_table(
        "parties",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_ar", sa.String(length=200), nullable=False),
        sa.Column("name_ckb", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("occurred_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("time_precision", sa.String(length=8), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("geo_precision", sa.Integer(), nullable=False),
        sa.Column("place_name", sa.String(length=200), nullable=False),
        sa.Column("cross_border", sa.Boolean(), nullable=False),
        sa.Column("admin1", sa.String(length=64), nullable=True),
        sa.Column("admin2", sa.String(length=64), nullable=True),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("sub_event_type", sa.String(length=64), nullable=False),
        sa.Column("actor1", sa.String(length=200), nullable=False),
        sa.Column("actor2", sa.String(length=200), nullable=False),
        sa.Column("fatalities", sa.Integer(), nullable=False),
        sa.Column("injured", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("source_reliability", sa.String(length=1), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("releasability", sa.String(length=8), nullable=False),
        sa.Column("center_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["centers.id"], name=op.f("fk_incidents_center_id_centers")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_incidents_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incidents_admin1_occurred", ["admin1", "occurred_at", "id"], unique=False
        )
        batch_op.create_index("ix_incidents_occurred", ["occurred_at", "id"], unique=False)
        batch_op.create_index(
            "ix_incidents_party_occurred", ["party_id", "occurred_at", "id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_users_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", tansiq.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_web_sessions")),
    )


def downgrade() -> None:
    op.drop_table("web_sessions")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_party_occurred")
        batch_op.drop_index("ix_incidents_occurred")
        batch_op.drop_index("ix_incidents_admin1_occurred")

    op.drop_table("incidents")
    op.drop_table("parties")
    op.drop_table("journal_heads")
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_index("ix_journal_record")

    op.drop_table("journal")
    op.drop_table("centers")
