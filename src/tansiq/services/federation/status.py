"""Where sync stands with each peer, and the receiver's bookkeeping around a pull.

Per peer: the last successful sync, entries behind (the sender's last signed
checkpoint minus what is applied here: as far as this node can know), bytes and
entries received, bytes per entry, held and quarantined entries, the receipts
each side holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from tansiq.domain.actors import Actor
from tansiq.domain.choices import RoleChoices
from tansiq.domain.errors import NotFound, PermissionDenied
from tansiq.journal.canonical import iso_utc
from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.feed import Signed, feed_id, sign_receipt
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import utc_fields
from tansiq.services.federation.identity import ACTIVE, active_peer, fingerprint, node_party
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.federation import (
    feed_state,
    node_identity,
    peer_receipts,
    peer_sync,
    peers,
    received_entries,
)


def own_node_id(ctx: ServiceContext) -> str:
    """The id peers know this node by; raises NotFound before ``tansiq init --party``."""
    with read_transaction(ctx.engine) as conn:
        node_id: str | None = conn.execute(select(node_identity.c.id)).scalar()
    if node_id is None:
        raise NotFound("this node has no party yet: run `tansiq init --party PARTY`")
    return node_id


def peer_for(ctx: ServiceContext, party: str) -> dict[str, Any]:
    """The active peer of ``party``; raises NotFound."""
    with read_transaction(ctx.engine) as conn:
        return dict(active_peer(conn, party))


def active_peers(ctx: ServiceContext) -> list[dict[str, Any]]:
    """Every active peer, by party."""
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(
            select(peers).where(peers.c.status == ACTIVE).order_by(peers.c.party_id)
        ).mappings()
        return [dict(r) for r in rows]


def peer_by_node(ctx: ServiceContext, node_id: str) -> dict[str, Any]:
    """The active peer whose node id is ``node_id``; raises NotFound."""
    with read_transaction(ctx.engine) as conn:
        row = (
            conn.execute(select(peers).where(peers.c.id == node_id, peers.c.status == ACTIVE))
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound(f"node {node_id} is not an active peer of this node")
    return dict(row)


def cursor_of(ctx: ServiceContext, peer_id: str) -> int:
    """The last entry of the peer's feed applied here (0 before the first sync)."""
    with read_transaction(ctx.engine) as conn:
        seq: int | None = conn.execute(
            select(peer_sync.c.seq).where(peer_sync.c.peer_id == peer_id)
        ).scalar()
    return seq or 0


def note_attempt(ctx: ServiceContext, peer_id: str, *, error: str | None) -> None:
    """Record a pull's outcome: success resets the failure count, an error raises it."""
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        known = conn.execute(
            select(peer_sync.c.failures).where(peer_sync.c.peer_id == peer_id)
        ).first()
        if known is None:
            conn.execute(
                insert(peer_sync).values(
                    peer_id=peer_id,
                    seq=0,
                    head=GENESIS_HASH,
                    failures=0,
                    bytes_in=0,
                    entries_in=0,
                )
            )
        values: dict[str, Any] = {"last_attempt_at": now}
        if error is None:
            values.update(last_success_at=now, failures=0)
        else:
            values.update(last_error=error[:2000], failures=(known.failures if known else 0) + 1)
        conn.execute(update(peer_sync).where(peer_sync.c.peer_id == peer_id).values(values))


def failures_of(ctx: ServiceContext, peer_id: str) -> int:
    """Consecutive failed pulls of the peer (for the back-off)."""
    with read_transaction(ctx.engine) as conn:
        failures: int | None = conn.execute(
            select(peer_sync.c.failures).where(peer_sync.c.peer_id == peer_id)
        ).scalar()
    return failures or 0


def _state_counts(conn: Connection, peer_id: str) -> dict[str, int]:
    """How many entries of the peer are kept in each state (applied, held…)."""
    e = received_entries.c
    rows = conn.execute(
        select(e.state, func.count()).where(e.peer_id == peer_id).group_by(e.state)
    ).all()
    return {state: int(count) for state, count in rows}


def make_receipt(ctx: ServiceContext, peer: Mapping[str, Any]) -> Signed:
    """This node's signed receipt for what it applied of ``peer``'s feed."""
    with read_transaction(ctx.engine) as conn:
        own = node_party(conn) or ""
        state = conn.execute(select(peer_sync).where(peer_sync.c.peer_id == peer["id"])).first()
        counts = _state_counts(conn, peer["id"])
    return sign_receipt(
        ctx.key,
        feed=feed_id(peer["id"], own),
        seq=state.seq if state else 0,
        head=state.head if state else GENESIS_HASH,
        at=iso_utc(ctx.clock()),
        withdrawn=int(counts.get("withdrawn", 0)),
        held=int(counts.get("held", 0)),
    )


def sync_status_for(ctx: ServiceContext, actor: Actor) -> list[dict[str, Any]]:
    """:func:`sync_status` for an admin of this node's party; raises PermissionDenied."""
    with read_transaction(ctx.engine) as conn:
        own = node_party(conn)
    if RoleChoices.ADMIN not in actor.roles or actor.party != own:
        raise PermissionDenied("only an admin of this node's party may see its sync status")
    return sync_status(ctx)


def sync_status(ctx: ServiceContext) -> list[dict[str, Any]]:
    """One summary per registered peer (see the module docstring)."""
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(select(peers).order_by(peers.c.party_id)).mappings().all()
        out = []
        for peer in rows:
            state = (
                conn.execute(select(peer_sync).where(peer_sync.c.peer_id == peer["id"]))
                .mappings()
                .first()
            )
            counts = _state_counts(conn, peer["id"])
            quarantine = conn.execute(
                select(received_entries.c.seq, received_entries.c.reason)
                .where(
                    received_entries.c.peer_id == peer["id"],
                    received_entries.c.state == "quarantined",
                )
                .order_by(received_entries.c.seq)
            ).all()
            receipt = (
                conn.execute(select(peer_receipts).where(peer_receipts.c.peer_id == peer["id"]))
                .mappings()
                .first()
            )
            sent = conn.execute(
                select(feed_state.c.seq).where(feed_state.c.party_id == peer["party_id"])
            ).scalar()
            out.append(_summary(peer, state, counts, list(quarantine), receipt, sent or 0))
    return out


def _summary(
    peer: Mapping[Any, Any],
    state: Mapping[Any, Any] | None,
    counts: Mapping[str, int],
    quarantine: list[Any],
    receipt: Mapping[Any, Any] | None,
    sent: int,
) -> dict[str, Any]:
    applied = state["seq"] if state else 0
    size = state["checkpoint_size"] if state and state["checkpoint_size"] is not None else None
    entries_in = state["entries_in"] if state else 0
    bytes_in = state["bytes_in"] if state else 0
    return {
        "peer": peer["id"],
        "party": peer["party_id"],
        "url": peer["url"],
        "status": peer["status"],
        "fingerprint": fingerprint(peer["public_key"]),
        "received_up_to": applied,
        "behind": max(size - applied, 0) if size is not None else None,
        **(
            utc_fields(state, "last_success_at", "last_attempt_at")
            if state
            else dict.fromkeys(("last_success_at", "last_attempt_at"))
        ),
        "failures": state["failures"] if state else 0,
        "last_error": state["last_error"] if state else None,
        "bytes_in": bytes_in,
        "entries_in": entries_in,
        "bytes_per_entry": round(bytes_in / entries_in, 1) if entries_in else None,
        "held": int(counts.get("held", 0)),
        "withdrawn": int(counts.get("withdrawn", 0)),
        "quarantined": [{"seq": q.seq, "reason": q.reason} for q in quarantine],
        "feed_size": sent,
        "their_receipt": (
            {"seq": receipt["seq"], "head": receipt["head"], "at": iso_utc(receipt["received_at"])}
            if receipt
            else None
        ),
    }
