"""Append journal entries inside the caller's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from tansiq.domain.errors import TansiqError
from tansiq.journal.canonical import iso_utc
from tansiq.journal.chain import EntryDraft, build_rows
from tansiq.journal.keychain import ROTATION_ACTION, ROTATION_KIND, rotation_payload
from tansiq.journal.keys import NodeKey
from tansiq.services.core.context import ServiceContext
from tansiq.storage.bulk import insert_many
from tansiq.storage.tables.journal import journal, journal_heads

# One chain per database: entries name the node that signed them, the head does not.
LOCAL_CHAIN = "local"


class JournalBroken(TansiqError):
    """The journal cannot be appended to safely (its head row is missing); nothing was written."""

    status = 500
    title = "Journal integrity failure"


class KeyRetired(TansiqError):
    """This process holds another key than the journal's active one; nothing was written."""

    status = 503
    title = "Node key rotated"


def append_entries(conn: Connection, ctx: ServiceContext, drafts: list[EntryDraft]) -> None:
    """Chain, sign and insert ``drafts`` after the node's journal head.

    Must run inside the same transaction as the change it records; the head row
    is locked (FOR UPDATE / SQLite's write lock) so concurrent writers queue.
    Raises JournalBroken when the head row is missing and KeyRetired when
    ``ctx.key`` is not the journal's active key (it was rotated since this
    process started).
    """
    if not drafts:
        return
    _append(conn, ctx, drafts, _locked_head(conn, ctx), signer=ctx.key.node_id)


def append_rotation(conn: Connection, ctx: ServiceContext, new: NodeKey, *, actor: str) -> int:
    """Journal the rotation from ``ctx.key`` to ``new``: signed by the old key, proven by the new.

    Returns the entry's seq; from then on only ``new`` may write. Raises JournalBroken
    and KeyRetired like :func:`append_entries`.
    """
    head = _locked_head(conn, ctx)
    payload = rotation_payload(old=ctx.key, new=new, seq=head[0] + 1, prev_hash=head[1])
    draft = EntryDraft(
        actor=actor,
        record_kind=ROTATION_KIND,
        record_id=new.node_id,
        action=ROTATION_ACTION,
        record_version=1,
        owner_party=None,
        # Every peer must learn the node's new key to keep verifying its entries.
        releasability="all",
        center_id=None,
        payload=payload,
    )
    _append(conn, ctx, [draft], head, signer=new.node_id)
    return head[0] + 1


def _locked_head(conn: Connection, ctx: ServiceContext) -> tuple[int, str]:
    """The head row, locked; raises JournalBroken (no head) or KeyRetired (another key)."""
    head = conn.execute(
        select(journal_heads.c.seq, journal_heads.c.hash, journal_heads.c.signer)
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
    signer = head.signer
    if signer is None and head.seq > 0:
        # A database from before the head named its signer: the last entry's signer.
        signer = conn.execute(select(journal.c.node_id).where(journal.c.seq == head.seq)).scalar()
    if signer is not None and signer != ctx.key.node_id:
        raise KeyRetired(
            f"the node key was rotated: this process holds {ctx.key.node_id} but the "
            f"journal's active key is {signer}; nothing was written. Restart the server "
            "(run an interrupted `tansiq key rotate` again; or check that the key file "
            "belongs to this database)"
        )
    return int(head.seq), str(head.hash)


def _append(
    conn: Connection,
    ctx: ServiceContext,
    drafts: list[EntryDraft],
    head: tuple[int, str],
    *,
    signer: str,
) -> None:
    """Sign ``drafts`` with ``ctx.key`` after ``head`` and move the head; ``signer`` signs next."""
    rows = build_rows(
        drafts, key=ctx.key, head_seq=head[0], head_hash=head[1], at=iso_utc(ctx.clock())
    )
    insert_many(conn, journal, rows)
    conn.execute(
        update(journal_heads)
        .where(journal_heads.c.node_id == LOCAL_CHAIN)
        .values(seq=rows[-1]["seq"], hash=rows[-1]["hash"], signer=signer)
    )
