"""The schema: one set of tables for SQLite and PostgreSQL.

Records keep only their current version here; every version is in ``journal``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from tansiq.storage.types import UTCDateTime

# Named constraints so Alembic batch migrations work on SQLite.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(36)


def _versioned() -> list[Column[object]]:
    return [
        Column("version", Integer, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
    ]


parties = Table(
    "parties",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name_en", String(200), nullable=False),
    Column("name_ar", String(200), nullable=False),
    Column("name_ckb", String(200), nullable=False),
    *_versioned(),
)

centers = Table(
    "centers",
    metadata,
    Column("id", ID, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("name_ar", String(200), nullable=False),
    Column("name_ckb", String(200), nullable=False),
    Column("governorates", JSON, nullable=False),
    Column("member_parties", JSON, nullable=False),
    *_versioned(),
)

users = Table(
    "users",
    metadata,
    Column("id", ID, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("party_id", String(32), ForeignKey("parties.id"), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("language", String(8), nullable=False),
    Column("active", Boolean, nullable=False),
    # Never journaled: the journal travels to peers, password hashes must not.
    Column("password_hash", String(200), nullable=False),
    *_versioned(),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", ID, primary_key=True),
    Column("user_id", ID, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    # SHA-256 of the secret: a leaked database does not leak usable tokens.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    *_versioned(),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", ID, primary_key=True),
    Column("party_id", String(32), ForeignKey("parties.id"), nullable=False),
    Column("created_by", ID, nullable=False),
    Column("updated_by", ID, nullable=False),
    Column("status", String(16), nullable=False),
    Column("occurred_at", UTCDateTime(), nullable=False),
    Column("time_precision", String(8), nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("geo_precision", Integer, nullable=False),
    Column("place_name", String(200), nullable=False),
    Column("cross_border", Boolean, nullable=False),
    Column("admin1", String(64), nullable=True),
    Column("admin2", String(64), nullable=True),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64), nullable=False),
    Column("actor1", String(200), nullable=False),
    Column("actor2", String(200), nullable=False),
    Column("fatalities", Integer, nullable=False),
    Column("injured", Integer, nullable=False),
    Column("description", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("source_reliability", String(1), nullable=False),
    Column("credibility", Integer, nullable=False),
    Column("releasability", String(8), nullable=False),
    Column("center_id", ID, ForeignKey("centers.id"), nullable=True),
    *_versioned(),
    # The list is ordered newest first; these serve the common filters.
    Index("ix_incidents_occurred", "occurred_at", "id"),
    Index("ix_incidents_admin1_occurred", "admin1", "occurred_at", "id"),
    Index("ix_incidents_party_occurred", "party_id", "occurred_at", "id"),
)

journal_heads = Table(
    "journal_heads",
    metadata,
    Column("node_id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

journal = Table(
    "journal",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("node_id", String(64), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("record_kind", String(32), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("record_version", Integer, nullable=False),
    Column("owner_party", String(32), nullable=True),
    Column("releasability", String(8), nullable=False),
    Column("center_id", String(36), nullable=True),
    # Canonical JSON exactly as hashed, so verification needs no re-encoding.
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Index("ix_journal_record", "record_kind", "record_id", "seq"),
)
