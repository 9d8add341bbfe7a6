"""Append journal entries inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from tansiq.domain.errors import TansiqError
from tansiq.journal.canonical import iso_utc
from tansiq.journal.chain import EntryDraft, build_rows
from tansiq.services.core.context import ServiceContext
from tansiq.storage.tables.journal import journal, journal_heads

# One chain per database: entries name the node that signed them, the head does not.
LOCAL_CHAIN = "local"


class JournalBroken(TansiqError):
    """The journal cannot be appended to safely (its head row is missing); nothing was written."""

    status = 500
    title = "Journal integrity failure"


def append_entries(conn: Connection, ctx: ServiceContext, drafts: list[EntryDraft]) -> None:
    """Chain, sign and insert ``drafts`` after the node's journal head.

    Must run inside the same transaction as the change it records; the head row
    is locked (FOR UPDATE / SQLite's write lock) so concurrent writers queue.
    Raises JournalBroken when the head row is missing.
    """
    if not drafts:
        return
    head = conn.execute(
        select(journal_heads.c.seq, journal_heads.c.hash)
        .where(journal_heads.c.node_id == LOCAL_CHAIN)
        .with_for_update()
    ).first()
    if head is None:
        # The migration seeds the head, so only tampering removes it. Rebuilding it
        # from the tail would bless a shortened journal: refuse and let verify say so.
        raise JournalBroken(
            "the journal head is missing: nothing was written; run `tansiq verify` "
            "and restore the database from a backup"
        )
    rows = build_rows(
        drafts, key=ctx.key, head_seq=head.seq, head_hash=head.hash, at=iso_utc(ctx.clock())
    )
    conn.execute(insert(journal), rows)
    conn.execute(
        update(journal_heads)
        .where(journal_heads.c.node_id == LOCAL_CHAIN)
        .values(seq=rows[-1]["seq"], hash=rows[-1]["hash"])
    )
