"""Checking a feed's own history: every entry present, hashed as stored, chained, receipted.

The sender re-checks its feed before answering a peer's first request of a round,
so a feed row edited, removed or truncated behind the node's back is named to the
peer at its next sync instead of being served; ``tansiq verify`` runs the same
check and compares each feed with the latest receipt its peer signed (the outside
anchor: a rewritten history no longer reaches the head the peer acknowledged).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, select

from tansiq.config import Settings
from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.feed import (
    CHECKPOINT_DOMAIN,
    FEED_ENTRY_DOMAIN,
    KEY_ROTATION,
    FeedEntry,
    FeedError,
    Signed,
    check_entry,
    check_signed,
    feed_id,
)
from tansiq.journal.keys import parse_public_key
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.identity import active_peer, node_party
from tansiq.storage.db import make_engine, snapshot_transaction
from tansiq.storage.tables.federation import (
    feed_entries,
    feed_state,
    peer_receipts,
    peer_sync,
    peers,
    received_entries,
)


def audit_feed(conn: Connection, party: str) -> int:
    """Check ``party``'s feed from its first entry to its head; returns its size.

    Raises FeedError naming the first entry missing, edited or out of the chain.
    """
    size: int = (
        conn.execute(select(feed_state.c.seq).where(feed_state.c.party_id == party)).scalar() or 0
    )
    e = feed_entries.c
    rows = conn.execute(
        select(e.seq, e.body, e.hash)
        .where(e.party_id == party)
        .order_by(e.seq)
        .execution_options(yield_per=2000)
    )
    expected, prev = 1, GENESIS_HASH
    for row in rows:
        where = f"feed entry {row.seq} to {party}"
        if row.seq != expected:
            raise FeedError(f"feed entry {expected} to {party} is missing (next is {row.seq})")
        if hashlib.sha256(FEED_ENTRY_DOMAIN + row.body.encode()).hexdigest() != row.hash:
            raise FeedError(f"{where} was altered: its body no longer has its hash")
        if f'"prev":"{prev}"' not in row.body:
            raise FeedError(f"{where} does not follow entry {row.seq - 1}: the chain was altered")
        prev, expected = row.hash, expected + 1
    if expected - 1 != size:
        raise FeedError(
            f"the feed to {party} ends at entry {expected - 1} but its head says {size}: "
            "entries were removed"
        )
    return size


def audit_receipts(conn: Connection) -> None:
    """Check every feed against the latest receipt its peer signed for it.

    Raises FeedError naming the feed whose history no longer reaches what its peer
    acknowledged (entries removed, or an entry that now hashes otherwise).
    """
    held = conn.execute(
        select(peer_receipts.c.seq, peer_receipts.c.head, peers.c.party_id).join(
            peers, peers.c.id == peer_receipts.c.peer_id
        )
    ).all()
    for receipt in held:
        audit_feed(conn, receipt.party_id)
        if receipt.seq == 0:
            continue
        hash_now = conn.execute(
            select(feed_entries.c.hash).where(
                feed_entries.c.party_id == receipt.party_id, feed_entries.c.seq == receipt.seq
            )
        ).scalar()
        if hash_now != receipt.head:
            raise FeedError(
                f"feed entry {receipt.seq} to {receipt.party_id} is not the one its peer "
                "receipted: the history sent to it was rewritten"
            )


@dataclass
class ReceivedReport:
    """Outcome of re-checking what one peer sent: entries, head, and the first problem."""

    party: str
    entries: int = 0
    head: str = GENESIS_HASH
    checkpoint: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when nothing was broken."""
        return self.problem is None


def _first_key(rows: Sequence[Any], current: str) -> str:
    """The key the peer's feed began under: the old key of its first rotation, else the current."""
    for row in rows:
        fields = orjson.loads(row.body)
        if fields.get("action") == KEY_ROTATION and isinstance(fields.get("payload"), dict):
            return str(fields["payload"].get("old_key", current))
    return current


def verify_received(ctx: ServiceContext, party: str) -> ReceivedReport:
    """Re-check every entry received from ``party``'s node and its last signed checkpoint.

    Each entry must verify under the key the peer held at that point (rotations are
    followed), follow the one before it, and the checkpoint must be the peer's and
    agree with what was received. Raises NotFound when ``party`` has no peer here.
    """
    report = ReceivedReport(party)
    with snapshot_transaction(ctx.engine) as conn:
        peer = dict(active_peer(conn, party))
        own = node_party(conn) or ""
        name = feed_id(peer["id"], own)
        e = received_entries.c
        rows = conn.execute(
            select(e.seq, e.body, e.hash, e.signature, e.state)
            .where(e.peer_id == peer["id"], e.state != "quarantined")
            .order_by(e.seq)
        ).all()
        state = conn.execute(select(peer_sync).where(peer_sync.c.peer_id == peer["id"])).first()
    key_hex = _first_key(rows, peer["public_key"])
    prev = GENESIS_HASH
    for row in rows:
        entry = FeedEntry(row.seq, row.body, row.hash, bytes(row.signature))
        try:
            fields = check_entry(
                entry, parse_public_key(key_hex), feed=name, seq=report.entries + 1, prev_hash=prev
            )
        except FeedError as exc:
            report.problem = f"received entry {row.seq} from {party}: {exc}"
            return report
        if fields["action"] == KEY_ROTATION:
            key_hex = str(fields["payload"]["new_key"])
        prev = row.hash
        report.entries += 1
    report.head = prev
    if state is not None and (state.seq, state.head) != (report.entries, report.head):
        report.problem = (
            f"the cursor says entry {state.seq} but the entries kept from {party} end at "
            f"{report.entries}: received entries were removed or added"
        )
    elif state is not None and state.checkpoint_body is not None:
        checkpoint = Signed(state.checkpoint_body, bytes(state.checkpoint_signature))
        try:
            fields = check_signed(
                checkpoint, parse_public_key(key_hex), domain=CHECKPOINT_DOMAIN, feed=name
            )
        except FeedError as exc:
            report.problem = f"the checkpoint kept from {party}: {exc}"
            return report
        report.checkpoint = int(fields["size"])
        if report.checkpoint == report.entries and fields["head"] != report.head:
            report.problem = f"{party}'s checkpoint names another head than the entries kept"
    return report


def audit_feeds(settings: Settings) -> int:
    """Check every feed this node serves and the receipts its peers signed for them.

    Needs no key (``tansiq verify --public-key`` runs without the key file). Returns
    how many feed entries were checked; raises FeedError naming the first broken entry
    (see :func:`audit_feed`, :func:`audit_receipts`).
    """
    engine = make_engine(settings.database_url)
    try:
        return _audit_all(engine)
    finally:
        engine.dispose()


def _audit_all(engine: Engine) -> int:
    with snapshot_transaction(engine) as conn:
        checked = sum(
            audit_feed(conn, party)
            for party in conn.execute(select(feed_state.c.party_id)).scalars()
        )
        audit_receipts(conn)
    return checked
