"""The sender's receipts: what each peer signed it applied of its feed, kept as the anchor.

A receipt names a head this node sent; ``tansiq verify`` compares every feed with the
latest one (``audit.audit_receipts``), and a transfer file starts after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select, update

from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.feed import RECEIPT_DOMAIN, FeedError, Signed, check_signed, feed_id
from tansiq.journal.keys import parse_public_key
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.feeds import FeedBatch, node_id_of, read_feed
from tansiq.services.federation.identity import active_peer
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.federation import feed_entries, peer_receipts


def record_receipt(ctx: ServiceContext, peer: Mapping[str, Any], receipt: Signed) -> dict[str, Any]:
    """Keep a peer's signed receipt for our feed to its party, if it is ours and newer.

    Raises FeedError when it is mis-signed, names another feed, or names a head this
    node never sent (then one of the two histories was rewritten).
    """
    key = parse_public_key(peer["public_key"])
    with write_transaction(ctx.engine) as conn:
        name = feed_id(node_id_of(conn), peer["party_id"])
        fields = check_signed(receipt, key, domain=RECEIPT_DOMAIN, feed=name)
        seq, head = int(fields["seq"]), str(fields["head"])
        sent = conn.execute(
            select(feed_entries.c.hash).where(
                feed_entries.c.party_id == peer["party_id"], feed_entries.c.seq == seq
            )
        ).scalar()
        if (sent or GENESIS_HASH) != head:
            raise FeedError(f"the receipt names entry {seq} with a head this node never sent")
        kept = conn.execute(
            select(peer_receipts.c.seq).where(peer_receipts.c.peer_id == peer["id"])
        ).scalar()
        values = {
            "seq": seq,
            "head": head,
            "body": receipt.body,
            "signature": receipt.signature,
            "received_at": ctx.clock(),
        }
        if kept is None:
            conn.execute(insert(peer_receipts).values(peer_id=peer["id"], **values))
        elif seq >= kept:
            conn.execute(
                update(peer_receipts).where(peer_receipts.c.peer_id == peer["id"]).values(values)
            )
    return fields


def unreceipted_batch(ctx: ServiceContext, party: str) -> FeedBatch:
    """Every entry of ``party``'s feed after the peer's latest receipt (for a transfer file).

    Raises NotFound when ``party`` has no active peer.
    """
    with write_transaction(ctx.engine) as conn:
        peer = active_peer(conn, party)
        after = conn.execute(
            select(peer_receipts.c.seq).where(peer_receipts.c.peer_id == peer["id"])
        ).scalar()
    return read_feed(ctx, party, after=after or 0, max_bytes=2**62)
