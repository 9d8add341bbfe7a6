"""The receiving side: verify a peer's batch and apply it, cursor and all, in one transaction.

Every entry is first checked in its place — the peer's signature over its exact
bytes, the feed's chain from the head stored here, the owner (a node sends only
its own party's records) — then the verified entries are applied through
``core/remote`` (the write path local records use: rows, journal), a run of
versions of one kind at a time. Entries already received are compared with what
was kept: a different one means the sender rewrote its history. An entry whose
parent has not arrived is *held* and applied when it does; an entry that fails a
check is *quarantined* with the reason and sync of that peer stops at it, with
nothing of it applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nacl.signing import VerifyKey
from sqlalchemy import Connection, insert, select, update

from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.feed import (
    CHECKPOINT_DOMAIN,
    KEY_ROTATION,
    VERSION,
    CheckedSignatures,
    FeedEntry,
    FeedError,
    Signed,
    check_entry,
    check_rotation,
    check_signature,
    check_signed,
    feed_id,
)
from tansiq.journal.keys import parse_public_key
from tansiq.journal.wire import decode_batch
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.registry import kind_named
from tansiq.services.core.remote import (
    RemoteRefused,
    plan_remote_versions,
    write_remote_versions,
)
from tansiq.services.federation.hooks import after_received
from tansiq.services.federation.identity import node_party
from tansiq.services.federation.received import (
    APPLIED,
    HELD,
    QUARANTINED,
    WITHDRAWN,
    apply_entry,
    check_known,
    check_sendable,
    count_state,
    fields_payload,
    keep_entries,
    release_held,
    remote_version,
)
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.federation import peer_sync, peers

Verified = tuple[FeedEntry, dict[str, Any]]


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


@dataclass
class _Walk:
    """The verify phase's result: verified entries, the key after them, the first failure."""

    verified: list[Verified]
    key_hex: str
    failed: tuple[FeedEntry, str] | None = None
    skipped: int = 0


def _verify(
    conn: Connection,
    peer: Mapping[str, Any],
    entries: list[FeedEntry],
    *,
    name: str,
    seq: int,
    head: str,
    key_hex: str,
    checked: CheckedSignatures | None,
) -> _Walk:
    walk = _Walk([], key_hex)
    key = parse_public_key(key_hex)
    for index, entry in enumerate(entries):
        try:
            if entry.seq <= seq:
                check_known(conn, peer["id"], entry)
                walk.skipped += 1
                continue
            fields = check_entry(
                entry,
                key,
                feed=name,
                seq=seq + 1,
                prev_hash=head,
                checked=checked.digest(index, entry, key) if checked is not None else None,
            )
            check_sendable(fields, peer)
            if fields["action"] == KEY_ROTATION:
                # Entries after a rotation verify under the new key.
                walk.key_hex = check_rotation(fields_payload(fields), feed=name)[1]
                key = parse_public_key(walk.key_hex)
        except (FeedError, RemoteRefused) as exc:
            walk.failed = (entry, str(exc))
            break
        walk.verified.append((entry, fields))
        seq, head = entry.seq, entry.hash
    return walk


def apply_batch(
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    *,
    entries: list[FeedEntry],
    checkpoint: Signed | None,
    wire_bytes: int = 0,
    checked: CheckedSignatures | None = None,
) -> ApplyResult:
    """Verify and apply ``entries`` of ``peer``'s feed to this node, in one transaction.

    Returns what was done; a failed check is reported in ``quarantined`` (the entries
    before it are applied and committed, nothing of it or after it). ``checked`` holds
    signatures checked ahead (``feed.check_signatures``); the rest are checked here.
    Raises FeedError when the batch cannot be placed at all (it starts after a gap).
    """
    result = ApplyResult()
    with write_transaction(ctx.engine) as conn:
        own = node_party(conn)
        if own is None:
            raise FeedError("this node has no party yet: run `tansiq init --party PARTY`")
        name = feed_id(peer["id"], own)
        state = _sync_state(conn, peer["id"])
        key_hex = str(
            conn.execute(select(peers.c.public_key).where(peers.c.id == peer["id"])).scalar_one()
        )
        result.seq, result.head = state["seq"], state["head"]
        if entries and entries[0].seq > state["seq"] + 1:
            raise FeedError(
                f"the batch starts at entry {entries[0].seq} but entry {state['seq'] + 1} "
                "is the next this node needs"
            )
        walk = _verify(
            conn,
            peer,
            entries,
            name=name,
            seq=result.seq,
            head=result.head,
            key_hex=key_hex,
            checked=checked,
        )
        result.skipped = walk.skipped
        failed = _apply_verified(conn, ctx, peer, walk.verified, result) or walk.failed
        if failed is not None:
            entry, reason = failed
            result.quarantined = f"entry {entry.seq}: {reason}"
            keep_entries(conn, ctx, peer["id"], [(entry, QUARANTINED, reason, {})])
        result.released = release_held(conn, ctx)
        result.held = count_state(conn, peer["id"], HELD)
        _save_state(conn, peer["id"], state, result, checkpoint, walk.key_hex, name, wire_bytes)
    return result


def _save_state(
    conn: Connection,
    peer_id: str,
    state: Mapping[str, Any],
    result: ApplyResult,
    checkpoint: Signed | None,
    key_hex: str,
    name: str,
    wire_bytes: int,
) -> None:
    values: dict[str, Any] = {
        "seq": result.seq,
        "head": result.head,
        "bytes_in": state["bytes_in"] + wire_bytes,
        "entries_in": state["entries_in"] + result.applied + result.withdrawn + result.held,
        "last_error": result.quarantined,
    }
    if checkpoint is not None:
        fields = check_signed(
            checkpoint, parse_public_key(key_hex), domain=CHECKPOINT_DOMAIN, feed=name
        )
        values.update(
            checkpoint_body=checkpoint.body,
            checkpoint_signature=checkpoint.signature,
            checkpoint_size=int(fields["size"]),
        )
    conn.execute(update(peer_sync).where(peer_sync.c.peer_id == peer_id).values(values))


def _runs(verified: list[Verified]) -> list[list[Verified]]:
    """Verified entries cut into runs: versions of one kind, each record once per run."""
    runs: list[list[Verified]] = []
    ids: set[str] = set()
    for item in verified:
        entry, fields = item
        run = runs[-1] if runs else None
        same = (
            run is not None
            and fields["action"] == VERSION
            and run[0][1]["action"] == VERSION
            and run[0][1]["kind"] == fields["kind"]
            and fields["id"] not in ids
        )
        if same and run is not None:
            run.append(item)
        else:
            runs.append([item])
            ids = set()
        ids.add(str(fields.get("id")))
    return runs


def _apply_verified(
    conn: Connection,
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    verified: list[Verified],
    result: ApplyResult,
) -> tuple[FeedEntry, str] | None:
    """Apply the verified entries in order, run by run; returns the first refused, if any."""
    for run in _runs(verified):
        entry, fields = run[0]
        if fields["action"] != VERSION:
            try:
                outcome = apply_entry(conn, ctx, peer, fields, entry)
            except (FeedError, RemoteRefused) as exc:
                return entry, str(exc)
            keep_entries(conn, ctx, peer["id"], [(entry, outcome, None, fields)])
            result.applied += outcome == APPLIED
            result.withdrawn += outcome == WITHDRAWN
            result.held += outcome == HELD
            result.seq, result.head = entry.seq, entry.hash
            continue
        refused = _apply_run(conn, ctx, peer, run, result)
        if refused is not None:
            return refused
    return None


def _apply_run(
    conn: Connection,
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    run: list[Verified],
    result: ApplyResult,
) -> tuple[FeedEntry, str] | None:
    kind = kind_named(str(run[0][1]["kind"]))
    try:
        versions = [remote_version(fields) for _entry, fields in run]
    except (FeedError, RemoteRefused) as exc:
        return run[0][0], str(exc)
    planned = plan_remote_versions(conn, kind, versions, sender_party=peer["party_id"])
    stop = next((i for i, p in enumerate(planned) if p.refused is not None), len(planned))
    ready = [p for p in planned[:stop] if p.held is None]
    write_remote_versions(conn, ctx, kind, ready, actor=f"peer:{peer['id']}")
    kept = [
        (entry, HELD if p.held is not None else APPLIED, None, fields)
        for (entry, fields), p in zip(run[:stop], planned[:stop], strict=True)
    ]
    keep_entries(conn, ctx, peer["id"], kept)
    after_received(conn, ctx, kind, [(p.row, p.current) for p in ready])
    result.applied += len(ready)
    if stop:
        result.seq, result.head = run[stop - 1][0].seq, run[stop - 1][0].hash
    if stop < len(planned):
        return run[stop][0], str(planned[stop].refused)
    return None


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


__all__ = ["APPLIED", "HELD", "QUARANTINED", "WITHDRAWN", "ApplyResult", "apply_batch"]
