"""Answering a peer: who is asking (its signed request), its feed batch, its receipt.

A request is answered only for an active peer whose key signed it within the
allowed clock skew, with a nonce never seen before (kept long enough to outlast
the skew), and only with the feed of that peer's party.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from tansiq.domain.errors import TansiqError
from tansiq.journal.feed import FeedError
from tansiq.journal.keys import parse_public_key
from tansiq.journal.requests import (
    MAX_SKEW_SECONDS,
    RequestRefused,
    check_request,
    read_request_headers,
    sign_response,
)
from tansiq.journal.wire import decode_signed, encode_batch
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.feeds import read_feed
from tansiq.services.federation.identity import ACTIVE
from tansiq.services.federation.receipts import record_receipt
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.federation import peers, request_nonces

# A batch answers about this many bytes of entries (before compression) at most.
DEFAULT_BATCH_BYTES = 512 * 1024
MAX_BATCH_BYTES = 8 * 1024 * 1024


class PeerRefused(TansiqError):
    """The request is not from an active peer's key, is stale, or was replayed."""

    status = 401
    title = "Peer authentication failed"


class FeedUnavailable(TansiqError):
    """The feed cannot answer this cursor (the receiver is ahead of this node's feed)."""

    status = 409
    title = "Feed cursor out of range"


def authenticate_peer(
    ctx: ServiceContext, headers: Mapping[str, str], *, method: str, target: str, body: bytes
) -> dict[str, Any]:
    """The active peer that signed this request; raises PeerRefused saying why."""
    try:
        signed = read_request_headers(headers)
    except RequestRefused as exc:
        raise PeerRefused(str(exc)) from None
    with read_transaction(ctx.engine) as conn:
        peer = (
            conn.execute(
                select(peers).where(peers.c.id == signed.node_id, peers.c.status == ACTIVE)
            )
            .mappings()
            .first()
        )
    if peer is None:
        raise PeerRefused(f"node {signed.node_id[:64]!r} is not a peer of this node")
    now = int(ctx.clock().timestamp())
    try:
        check_request(
            signed,
            parse_public_key(peer["public_key"]),
            method=method,
            target=target,
            body=body,
            now=now,
        )
    except RequestRefused as exc:
        raise PeerRefused(str(exc)) from None
    try:
        with write_transaction(ctx.engine) as conn:
            conn.execute(
                delete(request_nonces).where(request_nonces.c.seen_at < now - 2 * MAX_SKEW_SECONDS)
            )
            conn.execute(
                insert(request_nonces).values(node_id=peer["id"], nonce=signed.nonce, seen_at=now)
            )
    except IntegrityError:
        raise PeerRefused("this request was already answered (a replayed nonce)") from None
    return {**peer, "nonce": signed.nonce}


def feed_answer(
    ctx: ServiceContext, peer: Mapping[str, Any], *, after: int, max_bytes: int, audit: bool
) -> tuple[bytes, str]:
    """(compressed batch, signature header) of the peer party's feed after ``after``.

    Raises FeedUnavailable when the peer is ahead of this node's feed.
    """
    budget = max(1, min(max_bytes, MAX_BATCH_BYTES))
    try:
        batch = read_feed(ctx, peer["party_id"], after=after, max_bytes=budget, audit=audit)
    except FeedError as exc:
        raise FeedUnavailable(str(exc)) from None
    body = encode_batch(
        feed=batch.feed,
        after=batch.after,
        entries=batch.entries,
        checkpoint=batch.checkpoint,
        more=batch.more,
    )
    return body, sign_response(ctx.key, nonce=peer["nonce"], body=body)


def take_receipt(ctx: ServiceContext, peer: Mapping[str, Any], body: bytes) -> dict[str, Any]:
    """Keep the peer's signed receipt for its feed; raises FeedUnavailable if it is not ours."""
    try:
        return record_receipt(ctx, peer, decode_signed(body))
    except FeedError as exc:
        raise FeedUnavailable(str(exc)) from None


def answer_signature(ctx: ServiceContext, peer: Mapping[str, Any], body: bytes) -> str:
    """The signature header of any answer to the peer's request."""
    return sign_response(ctx.key, nonce=peer["nonce"], body=body)
