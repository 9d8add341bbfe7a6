"""Tables of users, their API tokens, their web sessions and their requests' idempotency keys."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
)

from tansiq.storage.tables.base import ID, metadata, versioned_columns
from tansiq.storage.types import UTCDateTime

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
    # Set when too many failed logins locked the account; an admin clears it.
    Column("locked_at", UTCDateTime(), nullable=True),
    *versioned_columns(),
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
    *versioned_columns(),
)


web_sessions = Table(
    "web_sessions",
    metadata,
    # HMAC of the cookie secret under a key derived from the node key (services/accounts):
    # a row inserted behind the node's back matches no cookie.
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", ID, ForeignKey("users.id"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)


idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    # Request bookkeeping, not records (never journaled): which records a user's request
    # with this Idempotency-Key created, written in the same transaction as they were.
    Column("user_id", ID, ForeignKey("users.id"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_digest", String(64), nullable=False),
    Column("created", JSON, nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("answer", LargeBinary, nullable=True),
    Column("content_type", String(100), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)


# Failed logins per account (``user:<name>``) and per client address (``addr:<ip>``)
# within the current window. Login state like the sessions: counted, never journaled.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("first_at", UTCDateTime(), nullable=False),
)
