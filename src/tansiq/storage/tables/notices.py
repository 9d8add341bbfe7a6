"""Tables for notices and their acknowledgements.

Each row is owned by the party in ``party_id`` (single writer): a notice by its
sender, an acknowledgement by the receiving party.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text

from tansiq.storage.tables.base import ID, metadata, owned_columns, released_columns
from tansiq.storage.types import UTCDateTime

notices = Table(
    "notices",
    metadata,
    *owned_columns(),
    Column("to_party", String(32), ForeignKey("parties.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("message", Text, nullable=False),
    # GeoJSON geometry exactly as sent (validated): a point, route or area.
    Column("location", JSON, nullable=False),
    Column("place_name", String(200), nullable=False),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("ack_deadline", UTCDateTime(), nullable=False),
    # Why the sender withdrew the notice (a final step must say why); else null.
    Column("status_reason", Text, nullable=True),
    *released_columns(),
    # Lists are newest first; the recipient's inbox is the common filter.
    Index("ix_notices_created", "created_at", "id"),
    Index("ix_notices_to_party_created", "to_party", "created_at", "id"),
    Index("ix_notices_party_created", "party_id", "created_at", "id"),
)

notice_acks = Table(
    "notice_acks",
    metadata,
    *owned_columns(),
    Column("notice_id", ID, ForeignKey("notices.id"), nullable=False),
    # Sign-off is bound to a version: an answer covers the version it names only.
    Column("notice_version", Integer, nullable=False),
    Column("response", String(24), nullable=False),
    Column("comment", Text, nullable=False),
    *released_columns(),
    Index("ix_notice_acks_notice", "notice_id", "notice_version", "created_at"),
)
