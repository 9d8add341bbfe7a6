"""Checking a feed's own history: every entry present, hashed as stored, chained, receipted.

The sender re-checks its feed before answering a peer's first request of a round,
so a feed row edited, removed or truncated behind the node's back is named to the
peer at its next sync instead of being served; ``tansiq verify`` runs the same
check and compares each feed with the latest receipt its peer signed (the outside
anchor: a rewritten history no longer reaches the head the peer acknowledged).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, select

from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.feed import FEED_ENTRY_DOMAIN, FeedError
from tansiq.storage.tables.federation import feed_entries, feed_state, peer_receipts, peers


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
