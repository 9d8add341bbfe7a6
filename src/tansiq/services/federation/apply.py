"""The receiving side: verify a peer's batch and apply it, cursor and all, in one transaction.

Every entry is checked in its place — the peer's signature over its exact bytes,
the feed's chain from the head stored here, the owner (a node sends only its own
party's records) — and applied through ``core/remote`` (the write path local
records use: rows, narrowing rules, journal). Entries already received are
compared with what was kept: a different one means the sender rewrote its history.
An entry whose parent has not arrived is *held* and retried after each batch; an
entry that fails a check is *quarantined* with the reason and sync of that peer
stops at it, with nothing of it applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nacl.signing import VerifyKey
from sqlalchemy import Connection, delete, insert, select, update

from tansiq.journal.canonical import canonical_json
from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.feed import (
    CHECKPOINT_DOMAIN,
    KEY_ROTATION,
    WITHDRAW,
    FeedEntry,
    FeedError,
    Signed,
    check_entry,
    check_rotation,
    check_signature,
    check_signed,
    entry_digest,
    feed_id,
)
from tansiq.journal.keys import parse_public_key
from tansiq.journal.wire import decode_batch
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.registry import kind_named
from tansiq.services.core.remote import (
    MissingParent,
    RemoteRefused,
    apply_remote_version,
    withdraw_remote,
)
from tansiq.services.federation.hooks import after_received
from tansiq.services.federation.identity import node_party
from tansiq.services.federation.records import LOCAL_ONLY_KINDS
from tansiq.services.federation.rotation import accept_rotation
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.federation import (
    peer_sync,
    peers,
    received_entries,
    received_records,
)

APPLIED = "applied"
HELD = "held"
WITHDRAWN = "withdrawn"
QUARANTINED = "quarantined"


@dataclass
class ApplyResult:
    """What one batch did: counts, the new cursor, and the quarantine reason if any."""

    applied: int = 0
    held: int = 0
    released: int = 0  # held entries applied once their parent arrived
    withdrawn: int = 0
    skipped: int = 0  # already received, identical
    seq: int = 0
    head: str = GENESIS_HASH
    quarantined: str | None = None
    touched: list[tuple[str, str]] = field(default_factory=list)


def _sync_state(conn: Connection, peer_id: str) -> dict[str, Any]:
    query = select(peer_sync).where(peer_sync.c.peer_id == peer_id).with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        conn.execute(
            insert(peer_sync).values(
                peer_id=peer_id, seq=0, head=GENESIS_HASH, failures=0, bytes_in=0, entries_in=0
            )
        )
        row = conn.execute(query).mappings().one()
    return dict(row)


def apply_batch(
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    *,
    entries: list[FeedEntry],
    checkpoint: Signed | None,
    wire_bytes: int = 0,
) -> ApplyResult:
    """Verify and apply ``entries`` of ``peer``'s feed to this node, in one transaction.

    Returns what was done; a failed check is reported in ``quarantined`` (the entries
    before it are applied and committed, nothing of it or after it). Raises FeedError
    when the batch cannot be placed at all (it starts after a gap).
    """
    result = ApplyResult()
    with write_transaction(ctx.engine) as conn:
        own = node_party(conn)
        if own is None:
            raise FeedError("this node has no party yet: run `tansiq init --party PARTY`")
        name = feed_id(peer["id"], own)
        state = _sync_state(conn, peer["id"])
        key_hex = conn.execute(
            select(peers.c.public_key).where(peers.c.id == peer["id"])
        ).scalar_one()
        result.seq, result.head = state["seq"], state["head"]
        if entries and entries[0].seq > state["seq"] + 1:
            raise FeedError(
                f"the batch starts at entry {entries[0].seq} but entry {state['seq'] + 1} "
                "is the next this node needs"
            )
        for entry in entries:
            try:
                if entry.seq <= result.seq:
                    _check_known(conn, peer["id"], entry)
                    result.skipped += 1
                    continue
                key = parse_public_key(key_hex)
                fields = check_entry(
                    entry, key, feed=name, seq=result.seq + 1, prev_hash=result.head
                )
                outcome = _apply_entry(conn, ctx, peer, fields, entry)
                if fields["action"] == KEY_ROTATION:
                    key_hex = str(fields_payload(fields)["new_key"])
            except (FeedError, RemoteRefused) as exc:
                result.quarantined = f"entry {entry.seq}: {exc}"
                _keep(conn, peer["id"], entry, QUARANTINED, reason=str(exc), ctx=ctx)
                break
            _keep(conn, peer["id"], entry, outcome, ctx=ctx, fields=fields)
            if outcome == WITHDRAWN:
                result.withdrawn += 1
            elif outcome == APPLIED:
                result.applied += 1
            result.seq, result.head = entry.seq, entry.hash
        result.released = _release_held(conn, ctx)
        result.held = _count(conn, peer["id"], HELD)
        checkpoint_fields = _checkpoint(checkpoint, parse_public_key(key_hex), name)
        values: dict[str, Any] = {
            "seq": result.seq,
            "head": result.head,
            "bytes_in": state["bytes_in"] + wire_bytes,
            "entries_in": state["entries_in"] + result.applied + result.withdrawn + result.held,
            "last_error": result.quarantined,
        }
        if checkpoint is not None and checkpoint_fields is not None:
            values.update(
                checkpoint_body=checkpoint.body,
                checkpoint_signature=checkpoint.signature,
                checkpoint_size=int(checkpoint_fields["size"]),
            )
        conn.execute(update(peer_sync).where(peer_sync.c.peer_id == peer["id"]).values(values))
    return result


def fields_payload(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's payload as a dict; raises FeedError when it has none."""
    payload = fields.get("payload")
    if not isinstance(payload, dict):
        raise FeedError("the entry carries no payload object")
    return payload


def _checkpoint(checkpoint: Signed | None, key: Any, name: str) -> dict[str, Any] | None:
    if checkpoint is None:
        return None
    return check_signed(checkpoint, key, domain=CHECKPOINT_DOMAIN, feed=name)


def _check_known(conn: Connection, peer_id: str, entry: FeedEntry) -> None:
    """An entry received before must come again with the very bytes and signature kept.

    Ed25519 signatures are deterministic, so the same entry signed by the same key
    is byte-identical: any difference means the sender's history was rewritten or
    re-signed (its key replaced) since.
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


def _payload_text(fields: Mapping[str, Any]) -> str:
    """The payload's canonical text: the very bytes the owner journaled, since the
    signed body is canonical JSON and canonical JSON re-encodes to itself."""
    return canonical_json(fields["payload"]).decode()


def _apply_entry(
    conn: Connection,
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    fields: Mapping[str, Any],
    entry: FeedEntry,
) -> str:
    action = fields["action"]
    if action == KEY_ROTATION:
        accept_rotation(conn, ctx, peer, fields_payload(fields), own_party=node_party(conn) or "")
        return APPLIED
    kind_name = fields.get("kind")
    if not isinstance(kind_name, str) or kind_name in LOCAL_ONLY_KINDS:
        raise FeedError(f"record kind {kind_name!r} does not travel between nodes")
    try:
        kind = kind_named(kind_name)
    except KeyError:
        raise FeedError(f"unknown record kind {kind_name!r}") from None
    if fields.get("owner") != peer["party_id"]:
        raise RemoteRefused(
            f"the entry names owner {fields.get('owner')!r}; a {peer['party_id']} node "
            "may send only its own party's records"
        )
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
        _note_record(conn, ctx, peer, fields, entry, withdrawn=True)
        return WITHDRAWN
    payload = fields_payload(fields)
    if payload.get("id") != fields.get("id"):
        raise RemoteRefused("the entry's id and its payload's id differ")
    try:
        apply_remote_version(
            conn,
            ctx,
            kind,
            payload,
            payload_text=_payload_text(fields),
            payload_format=int(fields.get("format", 1)),
            sender_party=peer["party_id"],
            actor=actor,
        )
    except MissingParent:
        return HELD
    _note_record(conn, ctx, peer, fields, entry, withdrawn=False)
    after_received(conn, ctx, kind, payload)
    return APPLIED


def _note_record(
    conn: Connection,
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    fields: Mapping[str, Any],
    entry: FeedEntry,
    *,
    withdrawn: bool,
) -> None:
    r = received_records.c
    where = (r.record_kind == fields["kind"], r.record_id == fields["id"])
    conn.execute(delete(received_records).where(*where))
    conn.execute(
        insert(received_records).values(
            record_kind=fields["kind"],
            record_id=fields["id"],
            peer_id=peer["id"],
            version=int(fields.get("version", 0)),
            entry_hash=entry.hash,
            received_at=ctx.clock(),
            withdrawn=withdrawn,
        )
    )


def _keep(
    conn: Connection,
    peer_id: str,
    entry: FeedEntry,
    state: str,
    *,
    ctx: ServiceContext,
    reason: str | None = None,
    fields: Mapping[str, Any] | None = None,
) -> None:
    """Store the entry exactly as received (a quarantined one replaces an earlier try)."""
    e = received_entries.c
    conn.execute(delete(received_entries).where(e.peer_id == peer_id, e.seq == entry.seq))
    known = fields or {}
    conn.execute(
        insert(received_entries).values(
            peer_id=peer_id,
            seq=entry.seq,
            hash=entry.hash,
            body=entry.body,
            signature=entry.signature,
            state=state,
            reason=reason,
            record_kind=str(known.get("kind", ""))[:32],
            record_id=str(known.get("id", ""))[:64],
            received_at=ctx.clock(),
        )
    )


def _count(conn: Connection, peer_id: str, state: str) -> int:
    e = received_entries.c
    rows = conn.execute(select(e.seq).where(e.peer_id == peer_id, e.state == state))
    return len(rows.all())


def _release_held(conn: Connection, ctx: ServiceContext) -> int:
    """Apply held entries (of any peer: a parent may come from another) whose parent has
    arrived, oldest first, until none moves."""
    e = received_entries.c
    released = 0
    progress = True
    while progress:
        progress = False
        held = conn.execute(
            select(e.peer_id, e.seq, e.body, e.hash, e.signature)
            .where(e.state == HELD)
            .order_by(e.peer_id, e.seq)
        ).all()
        senders = {
            r["id"]: dict(r)
            for r in conn.execute(
                select(peers).where(peers.c.id.in_({row.peer_id for row in held}))
            ).mappings()
        }
        for row in held:
            peer = senders[row.peer_id]
            entry = FeedEntry(row.seq, row.body, row.hash, bytes(row.signature))
            fields = entry.fields()
            reason = None
            try:
                outcome = _apply_entry(conn, ctx, peer, fields, entry)
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
            released += 1
            progress = True
    return released


def rotated_key(data: bytes, peer: Mapping[str, Any]) -> VerifyKey | None:
    """The new key of a rotation in batch ``data`` that the peer's current key signed.

    None when the batch is unreadable or holds no such rotation.
    """
    try:
        batch = decode_batch(data)
    except FeedError:
        return None
    key = parse_public_key(peer["public_key"])
    for entry in batch.entries:
        try:
            check_signature(entry, key)
            fields = entry.fields()
            if fields.get("action") != KEY_ROTATION:
                continue
            _old, new = check_rotation(fields_payload(fields), feed=str(fields.get("feed")))
        except FeedError:
            continue
        return parse_public_key(new)
    return None
