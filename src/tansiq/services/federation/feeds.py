"""The sending side: each peer party's feed, built from the local journal, and its batches.

The feed of a party holds, in its own numbering and hash chain, the entries of this
node's own records that the releasability rule releases to that party, and a
``withdraw`` entry when one of them leaves its reach. What is never released to
the party leaves no trace in its feed. The feed grows when a peer asks for it, as far
as the answer reaches (``read_feed``; ``extend_feed`` feeds all that is pending), so
ingest pays nothing for federation; each journal entry is re-hashed before it is fed,
so an entry edited behind the node's back is refused rather than signed for a peer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tansiq.domain.releasability import is_visible
from tansiq.journal.canonical import canonical_json, iso_utc
from tansiq.journal.chain import GENESIS_HASH, entry_hash
from tansiq.journal.feed import (
    KEY_ROTATION,
    VERSION,
    WITHDRAW,
    FeedEntry,
    FeedError,
    Signed,
    build_entry,
    feed_id,
    rotation_payload,
    sign_checkpoint,
)
from tansiq.journal.keychain import ROTATION_KIND
from tansiq.journal.keys import NodeKey
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import JournalBroken
from tansiq.services.directory.commands import center_ids_of_party
from tansiq.services.federation.audit import audit_feed
from tansiq.services.federation.identity import node_party
from tansiq.services.federation.reach import Reach
from tansiq.services.federation.records import LOCAL_ONLY_KINDS
from tansiq.services.federation.release import precisions_for, released_payload
from tansiq.storage.bulk import insert_many
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.federation import (
    feed_entries,
    feed_state,
    node_identity,
    peers,
)
from tansiq.storage.tables.journal import journal

# Journal entries examined per pass: bounds one extend's transaction.
SCAN_CHUNK = 5_000


@dataclass(frozen=True)
class FeedBatch:
    """Entries of one feed after a cursor, the sender's signed checkpoint, and whether more wait."""

    feed: str
    after: int
    entries: list[FeedEntry]
    checkpoint: Signed
    more: bool


def _state(conn: Connection, party: str) -> Mapping[Any, Any]:
    query = select(feed_state).where(feed_state.c.party_id == party).with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        conn.execute(
            insert(feed_state).values(party_id=party, journal_seq=0, seq=0, head=GENESIS_HASH)
        )
        row = conn.execute(query).mappings().one()
    return row


def _envelope(row: Mapping[Any, Any], action: str) -> dict[str, Any]:
    return {
        "kind": row["record_kind"],
        "id": row["record_id"],
        "action": action,
        "version": row["record_version"],
        "owner": row["owner_party"],
        "releasability": row["releasability"],
        "center_id": row["center_id"],
        "format": row["payload_format"],
        "at": row["at"],
        "actor": row["actor"],
    }


def extend_feed(ctx: ServiceContext, party: str) -> int:
    """Feed every journal entry written since the last extend to ``party``'s feed.

    Returns the feed's size. Raises JournalBroken when a journal entry no longer
    hashes to its stored hash (it was edited: nothing is fed past it).
    """
    with write_transaction(ctx.engine) as conn:
        return _extend(conn, ctx, party)


def _extend(conn: Connection, ctx: ServiceContext, party: str) -> int:
    """Feed all that is pending to ``party``; returns the feed's size."""
    state = dict(_state(conn, party))
    builder = _Builder.start(conn, ctx, party, state)
    while builder is not None and builder.step(SCAN_CHUNK) is not None:
        pass
    return int(state["seq"])


class _Builder:
    """Grows one party's feed from the local journal, a bounded step at a time."""

    def __init__(
        self, conn: Connection, ctx: ServiceContext, party: str, state: dict[str, Any], own: str
    ) -> None:
        self.conn, self.ctx, self.party, self.state, self.own = conn, ctx, party, state, own
        self.name = feed_id(node_id_of(conn), party)
        self.member_of = center_ids_of_party(conn, party)

    @classmethod
    def start(
        cls, conn: Connection, ctx: ServiceContext, party: str, state: dict[str, Any]
    ) -> _Builder | None:
        """A builder of ``party``'s feed after ``state`` (advanced as it goes); None when
        this node has no party yet (nothing is fed then)."""
        own = node_party(conn)
        return None if own is None else cls(conn, ctx, party, state, own)

    def step(self, scan: int) -> list[FeedEntry] | None:
        """Examine up to ``scan`` journal entries; returns the feed entries they made, or
        None when none was left to examine. Raises JournalBroken (see ``_feed_entry``)."""
        state, party = self.state, self.party
        rows = list(
            self.conn.execute(
                select(journal)
                .where(journal.c.seq > state["journal_seq"])
                .order_by(journal.c.seq)
                .limit(scan)
            ).mappings()
        )
        if not rows:
            return None
        new: list[dict[str, Any]] = []
        reach = Reach(self.conn, party, rows)
        specs = precisions_for(self.conn, party, rows)
        for row in rows:
            state["journal_seq"] = row["seq"]
            entry = _feed_entry(
                row, own=self.own, party=party, member_of=self.member_of, reach=reach, specs=specs
            )
            if entry is not None:
                new.append(_append(self.ctx, self.name, party, state, row, *entry))
        reach.save()
        insert_many(self.conn, feed_entries, new)
        self.conn.execute(
            update(feed_state)
            .where(feed_state.c.party_id == party)
            .values(journal_seq=state["journal_seq"], seq=state["seq"], head=state["head"])
        )
        return [FeedEntry(r["seq"], r["body"], r["hash"], r["signature"]) for r in new]


def _append(
    ctx: ServiceContext,
    name: str,
    party: str,
    state: dict[str, Any],
    row: Mapping[Any, Any],
    fields: dict[str, Any],
    payload_text: str | None,
) -> dict[str, Any]:
    """Sign the next entry of the feed after ``state`` (advanced) and return its row."""
    built = build_entry(
        ctx.key,
        feed=name,
        seq=state["seq"] + 1,
        prev_hash=state["head"],
        fields=fields,
        payload_text=payload_text,
    )
    state["seq"], state["head"] = built.seq, built.hash
    return {
        "party_id": party,
        "seq": built.seq,
        "journal_seq": row["seq"],
        "record_kind": row["record_kind"],
        "record_id": row["record_id"],
        "hash": built.hash,
        "body": built.body,
        "signature": built.signature,
    }


def feed_key_rotation(conn: Connection, ctx: ServiceContext, new: NodeKey) -> int:
    """Close every feed under the old key (``ctx.key``) with an entry naming ``new``.

    Run in the rotation's transaction, before the old secret is gone: what is
    pending is fed and signed by the old key, then one ``key_rotation`` entry, signed
    by the old key and carrying the new key's proof, so each peer takes the new key
    on the word of the one it trusts. Returns how many feeds were closed.
    """
    own = node_party(conn)
    if own is None:
        return 0
    node_id = node_id_of(conn)
    parties = set(conn.execute(select(feed_state.c.party_id)).scalars())
    parties |= set(
        conn.execute(select(peers.c.party_id).where(peers.c.status == "active")).scalars()
    )
    at = iso_utc(ctx.clock())
    for party in sorted(parties):
        _extend(conn, ctx, party)
        state = dict(_state(conn, party))
        name = feed_id(node_id, party)
        fields = {
            "kind": ROTATION_KIND,
            "id": new.node_id,
            "action": KEY_ROTATION,
            "version": 1,
            "owner": own,
            "releasability": "all",
            "center_id": None,
            "format": 1,
            "at": at,
            "actor": "system:key-rotation",
        }
        payload = canonical_json(rotation_payload(feed=name, old=ctx.key, new=new)).decode()
        marker = {
            "seq": state["journal_seq"],
            "record_kind": ROTATION_KIND,
            "record_id": new.node_id,
        }
        conn.execute(
            insert(feed_entries), [_append(ctx, name, party, state, marker, fields, payload)]
        )
        conn.execute(
            update(feed_state)
            .where(feed_state.c.party_id == party)
            .values(seq=state["seq"], head=state["head"])
        )
    return len(parties)


def node_id_of(conn: Connection) -> str:
    """This node's id as peers know it (set by ``tansiq init --party``)."""
    return str(conn.execute(select(node_identity.c.id)).scalar_one())


def _feed_entry(
    row: Mapping[Any, Any],
    *,
    own: str,
    party: str,
    member_of: frozenset[str],
    reach: Reach,
    specs: Mapping[str, str],
) -> tuple[dict[str, Any], str | None] | None:
    """(envelope, payload text) of the feed entry a journal entry makes, or None."""
    if entry_hash(row) != row["hash"]:
        raise JournalBroken(
            f"journal entry {row['seq']} no longer matches its hash: it was edited; "
            "nothing past it is fed to peers (run `tansiq verify`)"
        )
    kind = row["record_kind"]
    if kind in LOCAL_ONLY_KINDS or row["owner_party"] != own:
        # Only this party's own records travel; received ones went out from their owner.
        return None
    released = is_visible(
        viewer_party=party,
        viewer_centers=member_of,
        owner_party=own,
        releasability=row["releasability"],
        center_id=row["center_id"],
    )
    if released:
        reach.set(kind, row["record_id"], True)
        payload_text, precision = released_payload(row, specs.get(row["record_id"]))
        envelope = _envelope(row, VERSION)
        if precision is not None:
            envelope["precision"] = precision
        return envelope, payload_text
    if reach.shown(kind, row["record_id"]):
        reach.set(kind, row["record_id"], False)
        return _envelope(row, WITHDRAW), None
    return None


class _Gathered:
    """The entries of one answer, up to a byte budget (the first one always fits)."""

    def __init__(self, after: int, max_bytes: int) -> None:
        self.after, self.max_bytes = after, max_bytes
        self.entries: list[FeedEntry] = []
        self.total = 0
        self.full = self.more = False

    @property
    def spent(self) -> bool:
        """True when the budget is used up."""
        return self.total >= self.max_bytes

    def add(self, entry: FeedEntry) -> bool:
        """Take ``entry``; False (and ``more`` set) when it is over the budget."""
        if self.spent and entry.seq > self.after:
            self.full = self.more = True
            return False
        self.entries.append(entry)
        self.total += len(entry.body) + 96
        return True


def _take_stored(conn: Connection, party: str, batch: _Gathered) -> None:
    """Gather the entries already in the feed from ``batch.after`` on."""
    e = feed_entries.c
    rows = conn.execute(
        select(e.seq, e.body, e.hash, e.signature)
        .where(e.party_id == party, e.seq >= max(batch.after, 1))
        .order_by(e.seq)
        .execution_options(yield_per=500)
    )
    try:
        for r in rows:
            if not batch.add(FeedEntry(r.seq, r.body, r.hash, bytes(r.signature))):
                break
    finally:
        rows.close()


def read_feed(
    ctx: ServiceContext, party: str, *, after: int, max_bytes: int, audit: bool = False
) -> FeedBatch:
    """The entries of ``party``'s feed from ``after`` (included, so the receiver can check
    its head against ours) up to about ``max_bytes``, and a signed checkpoint.

    The feed is grown from the journal only as far as this batch needs, in the same
    transaction, so the sender's work keeps pace with the receiver's instead of
    building a long backlog before the first answer. Raises FeedError when ``after``
    is beyond the feed (the receiver holds entries this node no longer has: its feed
    was truncated or the receiver is another's), and with ``audit`` when the feed's
    own history is broken (see ``audit.audit_feed``); JournalBroken as ``extend_feed``.
    """
    with write_transaction(ctx.engine) as conn:
        if audit:
            audit_feed(conn, party)
        state = dict(_state(conn, party))
        batch = _Gathered(after, max_bytes)
        _take_stored(conn, party, batch)
        builder = _Builder.start(conn, ctx, party, state)
        scan = max(64, min(SCAN_CHUNK, max_bytes // 1024))
        while builder is not None and not batch.full and (not batch.spent or state["seq"] < after):
            built = builder.step(scan)
            if built is None:
                break
            for entry in built:
                if entry.seq >= after and not batch.add(entry):
                    break
        else:
            # Stopped by the byte budget: the journal may hold more for this party.
            batch.more = batch.more or builder is not None
        if after > state["seq"]:
            raise FeedError(
                f"the feed holds {state['seq']} entries; the receiver asks after entry {after}"
            )
        name = feed_id(node_id_of(conn), party)
        checkpoint = sign_checkpoint(
            ctx.key, feed=name, size=state["seq"], head=state["head"], at=iso_utc(ctx.clock())
        )
    return FeedBatch(
        feed=name, after=after, entries=batch.entries, checkpoint=checkpoint, more=batch.more
    )
