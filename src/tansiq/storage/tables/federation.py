"""Tables of federation: this node's identity, its peers, the feeds it serves, what it received.

Sending side: ``feed_state``/``feed_entries`` hold, per peer party, the signed feed
built from the local journal, ``feed_reach`` which records a feed has shown (so a
record leaving the party's reach is sent as a withdrawal), ``peer_receipts`` the
latest receipt each peer signed for it. Receiving side: ``peer_sync`` the cursor,
head and counters per peer, ``received_entries`` every entry received exactly as
signed (also where each remote record came from).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from tansiq.storage.tables.base import ID, metadata, versioned_columns
from tansiq.storage.types import UTCDateTime

NODE_ID = String(64)
HASH = String(64)

node_identity = Table(
    "node_identity",
    metadata,
    Column("id", NODE_ID, primary_key=True),
    Column("party_id", String(32), nullable=False),
    Column("created_by", ID, nullable=False),
    Column("updated_by", ID, nullable=False),
    *versioned_columns(),
)

peers = Table(
    "peers",
    metadata,
    Column("id", NODE_ID, primary_key=True),
    Column("party_id", String(32), nullable=False),
    Column("url", String(500), nullable=False),
    # The peer's current key (hex); a rotation it signs with the old key replaces it.
    Column("public_key", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_by", ID, nullable=False),
    Column("updated_by", ID, nullable=False),
    *versioned_columns(),
)

feed_state = Table(
    "feed_state",
    metadata,
    Column("party_id", String(32), primary_key=True),
    # The last local journal entry the feed builder has examined.
    Column("journal_seq", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("head", HASH, nullable=False),
)

feed_entries = Table(
    "feed_entries",
    metadata,
    Column("party_id", String(32), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("journal_seq", Integer, nullable=False),
    Column("record_kind", String(32), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("hash", HASH, nullable=False),
    # Canonical JSON exactly as signed and sent.
    Column("body", Text, nullable=False),
    Column("signature", LargeBinary, nullable=False),
)

feed_reach = Table(
    "feed_reach",
    metadata,
    Column("party_id", String(32), primary_key=True),
    Column("record_kind", String(32), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("visible", Boolean, nullable=False),
)

peer_receipts = Table(
    "peer_receipts",
    metadata,
    Column("peer_id", NODE_ID, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("head", HASH, nullable=False),
    Column("body", Text, nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
)

peer_sync = Table(
    "peer_sync",
    metadata,
    Column("peer_id", NODE_ID, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("head", HASH, nullable=False),
    # The sender's latest signed checkpoint (its feed's size and head as it said them).
    Column("checkpoint_body", Text, nullable=True),
    Column("checkpoint_signature", LargeBinary, nullable=True),
    Column("checkpoint_size", Integer, nullable=True),
    Column("last_success_at", UTCDateTime(), nullable=True),
    Column("last_attempt_at", UTCDateTime(), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("failures", Integer, nullable=False),
    Column("bytes_in", Integer, nullable=False),
    Column("entries_in", Integer, nullable=False),
)

received_entries = Table(
    "received_entries",
    metadata,
    Column("peer_id", NODE_ID, primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hash", HASH, nullable=False),
    Column("body", Text, nullable=False),
    Column("signature", LargeBinary, nullable=False),
    # applied | held (waits for what it attaches to) | withdrawn | quarantined
    Column("state", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("record_kind", String(32), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
    Index("ix_received_entries_state", "peer_id", "state"),
    # Where a record came from: its latest entry (``received from krg at …``).
    Index("ix_received_entries_record", "record_kind", "record_id", "seq"),
)

request_nonces = Table(
    "request_nonces",
    metadata,
    Column("node_id", NODE_ID, primary_key=True),
    Column("nonce", String(32), primary_key=True),
    Column("seen_at", Integer, nullable=False),
)

release_precisions = Table(
    "release_precisions",
    metadata,
    # "<kind>/<record id>/<party>": one precision per record and receiving party.
    Column("id", String(140), primary_key=True),
    Column("record_kind", String(32), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("party_id", String(32), nullable=False),
    # As ``geo.precision.format_precision`` writes it, e.g. "district,day".
    Column("spec", String(64), nullable=False),
    Column("created_by", ID, nullable=False),
    Column("updated_by", ID, nullable=False),
    *versioned_columns(),
)
