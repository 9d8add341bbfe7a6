"""Append journal entries inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from tansiq.journal.canonical import iso_utc
from tansiq.journal.chain import GENESIS_HASH, EntryDraft, build_rows
from tansiq.services.core.context import ServiceContext
from tansiq.storage.tables.journal import journal, journal_heads

# One chain per database: entries name the node that signed them, the head does not.
LOCAL_CHAIN = "local"


def append_entries(conn: Connection, ctx: ServiceContext, drafts: list[EntryDraft]) -> None:
    """Chain, sign and insert ``drafts`` after the node's journal head.

    Must run inside the same transaction as the change it records; the head row
    is locked (FOR UPDATE / SQLite's write lock) so concurrent writers queue.
    """
    if not drafts:
        return
    head = conn.execute(
        select(journal_heads.c.seq, journal_heads.c.hash)
        .where(journal_heads.c.node_id == LOCAL_CHAIN)
        .with_for_update()
    ).first()
    if head is None:
        head_seq, head_hash = _global_tail(conn)
        conn.execute(insert(journal_heads).values(node_id=LOCAL_CHAIN, seq=0, hash=GENESIS_HASH))
    else:
        head_seq, head_hash = head.seq, head.hash
    rows = build_rows(
        drafts, key=ctx.key, head_seq=head_seq, head_hash=head_hash, at=iso_utc(ctx.clock())
    )
    conn.execute(insert(journal), rows)
    conn.execute(
        update(journal_heads)
        .where(journal_heads.c.node_id == LOCAL_CHAIN)
        .values(seq=rows[-1]["seq"], hash=rows[-1]["hash"])
    )


def _global_tail(conn: Connection) -> tuple[int, str]:
    # The head row is missing only before the first entry; chain on whatever exists.
    last = conn.execute(
        select(journal.c.seq, journal.c.hash).order_by(journal.c.seq.desc()).limit(1)
    ).first()
    if last is None:
        return 0, GENESIS_HASH
    return last.seq, last.hash
