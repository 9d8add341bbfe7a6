"""federation: node identity, peers, per-peer feeds, receipts and received entries

Revision ID: 0008_federation
Revises: 0001
Create Date: 2026-12-03 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tansiq.storage.types

revision = "0008_federation"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = tansiq.storage.types.UTCDateTime


def _versioned() -> list[sa.Column[object]]:
    return [
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "node_identity",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        *_versioned(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_node_identity")),
    )
    op.create_table(
        "peers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        *_versioned(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peers")),
    )
    op.create_table(
        "feed_state",
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("journal_seq", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("party_id", name=op.f("pk_feed_state")),
    )
    op.create_table(
        "feed_entries",
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("journal_seq", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("party_id", "seq", name=op.f("pk_feed_entries")),
    )
    op.create_table(
        "feed_reach",
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("record_kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("party_id", "record_kind", "record_id", name=op.f("pk_feed_reach")),
    )
    op.create_table(
        "peer_receipts",
        sa.Column("peer_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", UTC(), nullable=False),
        sa.PrimaryKeyConstraint("peer_id", name=op.f("pk_peer_receipts")),
    )
    op.create_table(
        "peer_sync",
        sa.Column("peer_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("checkpoint_body", sa.Text(), nullable=True),
        sa.Column("checkpoint_signature", sa.LargeBinary(), nullable=True),
        sa.Column("checkpoint_size", sa.Integer(), nullable=True),
        sa.Column("last_success_at", UTC(), nullable=True),
        sa.Column("last_attempt_at", UTC(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("bytes_in", sa.Integer(), nullable=False),
        sa.Column("entries_in", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("peer_id", name=op.f("pk_peer_sync")),
    )
    op.create_table(
        "received_entries",
        sa.Column("peer_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("record_kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTC(), nullable=False),
        sa.PrimaryKeyConstraint("peer_id", "seq", name=op.f("pk_received_entries")),
    )
    op.create_index(
        "ix_received_entries_state", "received_entries", ["peer_id", "state"], unique=False
    )
    op.create_index(
        "ix_received_entries_record",
        "received_entries",
        ["record_kind", "record_id", "seq"],
        unique=False,
    )
    op.create_table(
        "request_nonces",
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("seen_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("node_id", "nonce", name=op.f("pk_request_nonces")),
    )
    op.create_table(
        "release_precisions",
        sa.Column("id", sa.String(length=140), nullable=False),
        sa.Column("record_kind", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("spec", sa.String(length=64), nullable=False),
        *_versioned(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_precisions")),
    )


def downgrade() -> None:
    op.drop_index("ix_received_entries_record", table_name="received_entries")
    op.drop_index("ix_received_entries_state", table_name="received_entries")
    for table in (
        "release_precisions",
        "request_nonces",
        "received_entries",
        "peer_sync",
        "peer_receipts",
        "feed_reach",
        "feed_entries",
        "feed_state",
        "peers",
        "node_identity",
    ):
        op.drop_table(table)
