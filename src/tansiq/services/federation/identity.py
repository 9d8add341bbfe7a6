"""This node's identity (its id and party) and the peers it federates with.

The node id is fixed when the node gets its party (``tansiq init --party fed``):
the id of the key it had then, kept when the key is later rotated, so peers keep
knowing the node by one name. Peers are registered by an admin from the key the
other party's admin handed over out of band; each is a journaled record that
never leaves this node.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.errors import ErrorCollector, NotFound, ValidationFailed
from tansiq.journal.keys import NodeKeyError, node_id_for, parse_public_key
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.versioning import insert_records, new_version
from tansiq.services.federation.records import NODE, PEER, node_payload, peer_payload
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.federation import node_identity, peers

Author = Actor | SystemActor
ACTIVE = "active"
REMOVED = "removed"


def fingerprint(public_key_hex: str) -> str:
    """A key's fingerprint for admins to compare aloud: SHA-256, 8 groups of 4 hex digits."""
    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def _check_party(party: str) -> str:
    party = party.strip().lower()
    if not party.isascii() or not party.isalnum() or not 2 <= len(party) <= 32:
        raise ValidationFailed.single("party", "must be 2-32 ASCII letters or digits")
    return party


def set_node_party(ctx: ServiceContext, party: str) -> dict[str, Any]:
    """Give this node its party (once); the same party again changes nothing.

    Raises ValidationFailed naming ``party`` for a malformed party or when the node
    already belongs to another one (a node's party never changes).
    """
    party = _check_party(party)
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        current = conn.execute(select(node_identity)).mappings().first()
        if current is not None:
            if current["party_id"] != party:
                raise ValidationFailed.single(
                    "party",
                    f"this node is already a node of {current['party_id']}; "
                    "a node's party never changes",
                )
            return node_payload(current)
        row = {
            "id": ctx.key.node_id,
            "party_id": party,
            "created_by": SystemActor().user_id,
            "updated_by": SystemActor().user_id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        insert_records(conn, ctx, NODE, [row], actor_id=SystemActor().user_id)
    return node_payload(row)


def node_party(conn: Connection) -> str | None:
    """This node's party, or None for a node not set up for federation."""
    party: str | None = conn.execute(select(node_identity.c.party_id)).scalar()
    return party


def describe_node(ctx: ServiceContext) -> dict[str, Any]:
    """What the other admin needs: ``node_id``, ``party``, ``public_key``, ``fingerprint``.

    Raises NotFound when the node has no party yet (``tansiq init --party``).
    """
    with read_transaction(ctx.engine) as conn:
        row = conn.execute(select(node_identity)).mappings().first()
    if row is None:
        raise NotFound("this node has no party yet: run `tansiq init --party PARTY`")
    key = ctx.key.public_key_hex
    return {
        "node_id": row["id"],
        "party": row["party_id"],
        "public_key": key,
        "fingerprint": fingerprint(key),
    }


def add_peer(
    ctx: ServiceContext,
    *,
    by: Author,
    party: str,
    url: str,
    public_key: str,
    node_id: str | None = None,
) -> dict[str, Any]:
    """Register the node of another party; raises ValidationFailed naming each bad field."""
    errors = ErrorCollector()
    try:
        party = _check_party(party)
    except ValidationFailed:
        errors.add("party", "must be 2-32 ASCII letters or digits")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors.add("url", "must be an http:// or https:// address such as http://10.0.0.2:8000")
    try:
        key_hex = bytes(parse_public_key(public_key)).hex()
    except NodeKeyError as exc:
        errors.add("public_key", str(exc))
        key_hex = ""
    errors.raise_if_any()
    peer_id = node_id or node_id_for(bytes.fromhex(key_hex))
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        own = node_party(conn)
        if own is None:
            errors.add("party", "this node has no party yet: run `tansiq init --party PARTY`")
        elif own == party:
            errors.add("party", f"a peer is another party's node; this node is {own}'s")
        if key_hex == ctx.key.public_key_hex:
            errors.add("public_key", "this is this node's own key")
        active = conn.execute(
            select(peers.c.id).where(peers.c.party_id == party, peers.c.status == ACTIVE)
        ).first()
        if active is not None:
            errors.add("party", f"{party} already has a peer ({active.id}); remove it first")
        errors.raise_if_any()
        found = conn.execute(select(peers).where(peers.c.id == peer_id)).mappings().first()
        current = dict(found) if found is not None else None
        values = {"party_id": party, "url": url.strip(), "public_key": key_hex, "status": ACTIVE}
        if current is not None:
            return peer_payload(
                new_version(conn, ctx, PEER, current, values, actor_id=by.user_id, now=now)
            )
        row = {
            "id": peer_id,
            **values,
            "created_by": by.user_id,
            "updated_by": by.user_id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        insert_records(conn, ctx, PEER, [row], actor_id=by.user_id)
    return peer_payload(row)


def remove_peer(ctx: ServiceContext, *, by: Author, party: str) -> dict[str, Any]:
    """Stop federating with ``party``'s node (what it sent stays); raises NotFound."""
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        current = dict(active_peer(conn, party))
        return peer_payload(
            new_version(conn, ctx, PEER, current, {"status": REMOVED}, actor_id=by.user_id, now=now)
        )


def active_peer(conn: Connection, party: str) -> Mapping[Any, Any]:
    """The active peer of ``party``; raises NotFound when there is none."""
    row = (
        conn.execute(select(peers).where(peers.c.party_id == party, peers.c.status == ACTIVE))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no peer for party {party}")
    return row


def list_peers(ctx: ServiceContext) -> list[dict[str, Any]]:
    """Every registered peer, active first, each with its key's fingerprint."""
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(select(peers).order_by(peers.c.status, peers.c.party_id)).mappings()
        return [{**peer_payload(r), "fingerprint": fingerprint(r["public_key"])} for r in rows]
