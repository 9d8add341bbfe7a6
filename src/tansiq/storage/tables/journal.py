"""The journal: every version of every record, hash-chained and signed, and its head."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from tansiq.storage.tables.base import metadata

journal_heads = Table(
    "journal_heads",
    metadata,
    Column("node_id", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    # The node id of the key that signs the next entry; a process holding another key
    # (e.g. one retired by ``tansiq key rotate``) refuses to write. Null until the first
    # write after the column was added, which takes the last entry's node id.
    Column("signer", String(64), nullable=True),
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
    # Which serialiser wrote ``payload`` (RecordKind.payload_format); 1 before it existed.
    Column("payload_format", Integer, nullable=False, server_default="1"),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Index("ix_journal_record", "record_kind", "record_id", "seq"),
)
