"""A peer's key rotation, accepted only when its old key signed it and its new key proves itself.

The rotation entry arrives in the peer's feed, signed (like every entry) by the key
this node holds for the peer; its payload names the old and the new key and carries
the new key's signature over both and the feed (``journal/feed.rotation_payload``). Accepted,
the peer's record here is journaled with the new key, and the entries after it must
verify under that key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from tansiq.journal.feed import FeedError, check_rotation, feed_id
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.versioning import new_version
from tansiq.services.federation.records import PEER
from tansiq.storage.tables.federation import peers


def accept_rotation(
    conn: Connection,
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    payload: Mapping[str, Any],
    *,
    own_party: str,
) -> str:
    """Replace the peer's key by the one the rotation names; returns the new key (hex).

    Raises FeedError when the rotation does not start from the key held here or its
    proof of the new key does not verify.
    """
    current = dict(conn.execute(select(peers).where(peers.c.id == peer["id"])).mappings().one())
    try:
        old, new = check_rotation(payload, feed=feed_id(peer["id"], own_party))
    except FeedError as exc:
        raise FeedError(f"key rotation refused: {exc}") from None
    if old != current["public_key"]:
        raise FeedError("key rotation refused: it does not start from the key held for this peer")
    new_version(
        conn,
        ctx,
        PEER,
        current,
        {"public_key": new},
        actor_id=f"peer:{peer['id']}",
        now=ctx.clock(),
        action="rotate_key",
    )
    return new
