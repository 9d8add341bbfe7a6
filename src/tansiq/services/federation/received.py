"""The receiver's bookkeeping: entries kept as received, and held ones.

The receiver keeps every entry as received (``received_entries``, which also says
where each remote record came from). Applying one entry (``apply_entry``) is the
path held entries take once their parent arrives; ``apply.py`` applies whole runs
of a batch through the same ``core/remote`` functions, a few queries per run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from tansiq.journal.canonical import canonical_json
from tansiq.journal.feed import (
    KEY_ROTATION,
    WITHDRAW,
    FeedEntry,
    FeedError,
    entry_digest,
)
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.registry import kind_named
from tansiq.services.core.remote import (
    MissingParent,
    RemoteRefused,
    RemoteVersion,
    apply_remote_version,
    withdraw_remote,
)
from tansiq.services.federation.hooks import after_received
from tansiq.services.federation.identity import node_party
from tansiq.services.federation.records import LOCAL_ONLY_KINDS
from tansiq.services.federation.rotation import accept_rotation
from tansiq.storage.bulk import insert_many
from tansiq.storage.tables.federation import peers, received_entries

APPLIED = "applied"
HELD = "held"
WITHDRAWN = "withdrawn"
QUARANTINED = "quarantined"


def fields_payload(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's payload as a dict; raises FeedError when it has none."""
    payload = fields.get("payload")
    if not isinstance(payload, dict):
        raise FeedError("the entry carries no payload object")
    return payload


def remote_version(fields: Mapping[str, Any]) -> RemoteVersion:
    """The version an entry carries; its text is the very bytes the owner journaled,
    since the signed body is canonical JSON and canonical JSON re-encodes to itself."""
    payload = fields_payload(fields)
    if payload.get("id") != fields.get("id"):
        raise RemoteRefused("the entry's id and its payload's id differ")
    return RemoteVersion(payload, canonical_json(payload).decode(), int(fields.get("format", 1)))


def check_sendable(fields: Mapping[str, Any], peer: Mapping[str, Any]) -> None:
    """Refuse an entry of a kind that never travels, or of a record the sender does not own."""
    if fields["action"] == KEY_ROTATION:
        return
    kind_name = fields.get("kind")
    if not isinstance(kind_name, str) or kind_name in LOCAL_ONLY_KINDS:
        raise FeedError(f"record kind {kind_name!r} does not travel between nodes")
    try:
        kind_named(kind_name)
    except KeyError:
        raise FeedError(f"unknown record kind {kind_name!r}") from None
    if fields.get("owner") != peer["party_id"]:
        raise RemoteRefused(
            f"the entry names owner {fields.get('owner')!r}; a {peer['party_id']} node "
            "may send only its own party's records"
        )


def check_known(conn: Connection, peer_id: str, entry: FeedEntry) -> None:
    """An entry received before must come again with the very bytes and signature kept.

    Ed25519 signatures are deterministic, so the same entry signed by the same key is
    byte-identical: any difference means the sender's history was rewritten or
    re-signed (its key replaced) since. Raises FeedError naming the entry.
    """
    e = received_entries.c
    kept = conn.execute(
        select(e.hash, e.signature, e.state).where(e.peer_id == peer_id, e.seq == entry.seq)
    ).first()
    if kept is None or kept.state == QUARANTINED:
        return
    where = f"the sender's entry {entry.seq}, received earlier,"
    if entry_digest(entry) != kept.hash or entry.hash != kept.hash:
        raise FeedError(f"{where} has changed: its history was rewritten")
    if bytes(entry.signature) != bytes(kept.signature):
        raise FeedError(f"{where} is signed differently now: its feed was re-signed")


def apply_entry(
    conn: Connection,
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    fields: Mapping[str, Any],
    entry: FeedEntry,
) -> str:
    """Apply one verified entry; returns applied, held or withdrawn.

    Raises FeedError and RemoteRefused (nothing of it is written then).
    """
    action = fields["action"]
    if action == KEY_ROTATION:
        accept_rotation(conn, ctx, peer, fields_payload(fields), own_party=node_party(conn) or "")
        return APPLIED
    kind = kind_named(str(fields["kind"]))
    actor = f"peer:{peer['id']}"
    if action == WITHDRAW:
        withdraw_remote(
            conn,
            ctx,
            kind,
            str(fields["id"]),
            sender_party=peer["party_id"],
            actor=actor,
            at=ctx.clock(),
        )
        return WITHDRAWN
    version = remote_version(fields)
    try:
        written = apply_remote_version(
            conn, ctx, kind, version, sender_party=peer["party_id"], actor=actor
        )
    except MissingParent:
        return HELD
    after_received(conn, ctx, kind, [(written.row, written.current)])
    return APPLIED


def keep_entries(
    conn: Connection,
    ctx: ServiceContext,
    peer_id: str,
    items: Sequence[tuple[FeedEntry, str, str | None, Mapping[str, Any]]],
) -> None:
    """Store entries exactly as received, each with its state and reason.

    A quarantined entry kept earlier at the same sequence is replaced.
    """
    if not items:
        return
    e = received_entries.c
    seqs = [entry.seq for entry, _state, _reason, _fields in items]
    # Only a quarantined try can be kept at a sequence not yet applied.
    conn.execute(
        delete(received_entries).where(
            e.peer_id == peer_id,
            e.state == QUARANTINED,
            e.seq >= min(seqs),
            e.seq <= max(seqs),
        )
    )
    now = ctx.clock()
    insert_many(
        conn,
        received_entries,
        [
            {
                "peer_id": peer_id,
                "seq": entry.seq,
                "hash": entry.hash,
                "body": entry.body,
                "signature": entry.signature,
                "state": state,
                "reason": reason,
                "record_kind": str(fields.get("kind", ""))[:32],
                "record_id": str(fields.get("id", ""))[:64],
                "received_at": now,
            }
            for entry, state, reason, fields in items
        ],
    )


def count_state(conn: Connection, peer_id: str, state: str) -> int:
    """How many entries of the peer are kept in ``state``."""
    e = received_entries.c
    counted = conn.execute(
        select(func.count()).where(e.peer_id == peer_id, e.state == state)
    ).scalar_one()
    return int(counted)


def release_held(conn: Connection, ctx: ServiceContext) -> int:
    """Apply held entries (of any peer: a parent may come from another) whose parent has
    arrived, oldest first, until none moves; returns how many were applied."""
    e = received_entries.c
    released = 0
    progress = True
    while progress:
        progress = False
        # By peer and unordered, so the (peer_id, state) index finds them: a scan of
        # every entry ever received (or of the peer's, in key order), after every
        # batch, made a long pull quadratic. Held entries are few: sorted here.
        held = sorted(
            conn.execute(
                select(e.peer_id, e.seq, e.body, e.hash, e.signature).where(
                    e.peer_id.in_(select(peers.c.id).scalar_subquery()), e.state == HELD
                )
            ).all(),
            key=lambda row: (row.peer_id, row.seq),
        )
        if not held:
            break
        senders = {
            r["id"]: dict(r)
            for r in conn.execute(
                select(peers).where(peers.c.id.in_({row.peer_id for row in held}))
            ).mappings()
        }
        for row in held:
            entry = FeedEntry(row.seq, row.body, row.hash, bytes(row.signature))
            reason = None
            try:
                outcome = apply_entry(conn, ctx, senders[row.peer_id], entry.fields(), entry)
            except (FeedError, RemoteRefused) as exc:
                # Already past in the chain: it cannot stop the feed, so it is set aside.
                outcome, reason = QUARANTINED, f"held entry {row.seq}: {exc}"
            if outcome == HELD:
                continue
            conn.execute(
                update(received_entries)
                .where(e.peer_id == row.peer_id, e.seq == row.seq)
                .values(state=outcome, reason=reason)
            )
            released += outcome != QUARANTINED
            progress = True
    return released
