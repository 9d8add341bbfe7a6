"""``tansiq key rotate``: a new node key, journaled as a signed link of the key chain.

The old key signs the rotation entry (as it signed every entry before), the new key
proves it holds its secret, then the key file is replaced: the old secret is not kept,
as a rotation usually follows a suspected compromise. Whatever was derived from the
old seed (web sessions, pagination cursors; ``NodeKey.derived_secret``) stops working.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tansiq.domain.actors import SystemActor
from tansiq.journal.keys import NodeKey, NodeKeyError, create_key, load_key, replace_key_file
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import LOCAL_CHAIN, append_rotation
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.journal import journal_heads

# The new key waits beside the key file until its rotation entry is committed.
STAGED_SUFFIX = ".rotating"


@dataclass(frozen=True)
class Rotated:
    """A finished rotation: the retired node id, the new key, the entry that journaled it."""

    old_node_id: str
    new: NodeKey
    seq: int | None
    # True when this run only finished an earlier, interrupted rotation.
    resumed: bool = False


def rotate_node_key(ctx: ServiceContext, *, by: SystemActor) -> Rotated:
    """Journal a rotation from ``ctx.key`` to a new key, then make the key file hold the new key.

    A staged key left by a rotation interrupted after its entry was committed is put
    in place instead. Raises NodeKeyError (the key file does not hold ``ctx.key``, or
    a staged key that was never journaled is in the way), KeyRetired, JournalBroken;
    nothing is changed then.
    """
    path = ctx.settings.key_path
    staged = path.with_name(path.name + STAGED_SUFFIX)
    if staged.exists():
        return _finish_interrupted(ctx, staged, path)
    if load_key(path).node_id != ctx.key.node_id:
        raise NodeKeyError(f"key file {path} no longer holds the key {ctx.key.node_id}")
    new = create_key(staged)
    try:
        with write_transaction(ctx.engine) as conn:
            seq = append_rotation(conn, ctx, new, actor=by.user_id)
            # Each peer's feed is closed under the old key with an entry naming the new
            # one, while the old secret still exists (services/federation/feeds.py).
            from tansiq.services.federation.feeds import feed_key_rotation

            feed_key_rotation(conn, ctx, new)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    replace_key_file(staged, path)
    return Rotated(old_node_id=ctx.key.node_id, new=new, seq=seq)


def _finish_interrupted(ctx: ServiceContext, staged: Path, path: Path) -> Rotated:
    """Put ``staged`` in place if the journal made it the active key; else refuse."""
    try:
        key = load_key(staged)
    except NodeKeyError:
        key = None
    with read_transaction(ctx.engine) as conn:
        signer = conn.execute(
            select(journal_heads.c.signer).where(journal_heads.c.node_id == LOCAL_CHAIN)
        ).scalar()
    if key is None or signer != key.node_id:
        # Never delete it here: another rotation may be about to journal it.
        raise NodeKeyError(
            f"{staged} holds a key the journal never made active: a rotation was interrupted "
            "before its entry was written, or one is running; if none is, delete the file "
            "and run `tansiq key rotate` again"
        )
    replace_key_file(staged, path)
    return Rotated(old_node_id=ctx.key.node_id, new=key, seq=None, resumed=True)
