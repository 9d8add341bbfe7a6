"""Pulling a peer's feed over HTTP: signed requests, verified answers, applied batch by batch.

Each batch is applied (with the new cursor) in one transaction before the next is
asked for, so a pull cut anywhere resumes exactly where it stopped: the cursor is
the last applied entry's sequence number, never a time. After each batch this
node's signed receipt goes back to the sender.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import httpx

from tansiq.journal.feed import CheckedSignatures, FeedError, check_signatures
from tansiq.journal.keys import parse_public_key
from tansiq.journal.requests import SIGNATURE_HEADER, RequestRefused, check_response, sign_request
from tansiq.journal.wire import MEDIA_TYPE, WireBatch, decode_batch, encode_signed
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.apply import apply_batch, rotated_key
from tansiq.services.federation.status import (
    cursor_of,
    make_receipt,
    note_attempt,
    own_node_id,
    peer_for,
)

FEED_PATH = "/api/v1/federation/feed"
# A receipt goes back after this many batches, and at the end of every pull.
RECEIPT_EVERY = 16
RECEIPT_PATH = "/api/v1/federation/receipts"
# A peer's server (uvicorn) closes a keep-alive connection idle for 5 s. Over a slow
# link it may count as idle while its answer is still on the way (the link holds it),
# so its close arrives just as the next request goes out on it: that request is sent
# once more (``_send``). Not reusing a connection idle for 2 s avoids the plain race.
_LIMITS = httpx.Limits(keepalive_expiry=2.0)
_CLOSED_UNDER_IT = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


class SyncFailed(Exception):
    """A pull could not finish: the peer is down, answered an error, or sent garbage."""


@dataclass
class PullReport:
    """What one pull of a peer did."""

    party: str
    batches: int = 0
    applied: int = 0
    withdrawn: int = 0
    held: int = 0
    bytes: int = 0
    cursor: int = 0
    quarantined: str | None = None
    seconds: float = 0.0


def _signed_call(
    client: httpx.Client,
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    node_id: str,
    method: str,
    target: str,
    body: bytes = b"",
) -> httpx.Response:
    try:
        response, headers = _send(client, ctx, node_id, method, peer["url"], target, body)
    except httpx.HTTPError as exc:
        raise SyncFailed(
            f"{peer['party_id']} at {peer['url']}: {type(exc).__name__}: {exc}"
        ) from None
    if response.status_code >= 400:
        raise SyncFailed(f"{peer['party_id']} answered {response.status_code}: {_detail(response)}")
    signature = response.headers.get(SIGNATURE_HEADER)
    try:
        check_response(
            parse_public_key(peer["public_key"]),
            nonce=headers["Tansiq-Nonce"],
            body=response.content,
            signature=signature,
        )
    except RequestRefused as exc:
        # A peer that rotated its key answers with the new one; the batch then holds
        # the rotation, signed by the key held here, which vouches for the new key.
        rotated = rotated_key(response.content, peer)
        if rotated is None:
            raise SyncFailed(f"{peer['party_id']}: {exc}") from None
        try:
            check_response(
                rotated, nonce=headers["Tansiq-Nonce"], body=response.content, signature=signature
            )
        except RequestRefused as again:
            raise SyncFailed(f"{peer['party_id']}: {again}") from None
    return response


def _send(
    client: httpx.Client,
    ctx: ServiceContext,
    node_id: str,
    method: str,
    base_url: str,
    target: str,
    body: bytes,
) -> tuple[httpx.Response, dict[str, str]]:
    """The answer to a request signed now, and its headers; sent once more, signed anew,
    when the connection was closed under it. Raises httpx.HTTPError."""
    url = base_url.rstrip("/") + target

    def signed() -> dict[str, str]:
        now = int(ctx.clock().timestamp())
        return sign_request(
            ctx.key, node_id=node_id, method=method, target=target, body=body, now=now
        )

    headers = signed()
    try:
        return client.request(method, url, content=body, headers=headers), headers
    except _CLOSED_UNDER_IT:
        # Both requests are safe twice: reading a feed, or a receipt kept if newer.
        headers = signed()
        return client.request(method, url, content=body, headers=headers), headers


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", ""))[:500]
    except ValueError:
        return response.text[:200]


@dataclass
class _Fetched:
    """One feed batch as received: the answer's size, the batch read from it and its
    entries' signatures, checked under the peer's key as it stood when it was asked for."""

    size: int
    batch: WireBatch
    checked: CheckedSignatures


def _fetch(
    http: httpx.Client,
    ctx: ServiceContext,
    peer: Mapping[str, Any],
    node_id: str,
    *,
    after: int,
    batch_bytes: int,
    audit: bool,
) -> _Fetched:
    # The first request of a round asks the sender to re-check its whole feed.
    flag = "&audit=true" if audit else ""
    target = f"{FEED_PATH}?after={after}&max_bytes={batch_bytes}{flag}"
    response = _signed_call(http, ctx, peer, node_id, "GET", target)
    if not response.headers.get("content-type", "").startswith(MEDIA_TYPE):
        raise SyncFailed(f"{peer['party_id']} answered {response.headers.get('content-type')!r}")
    try:
        batch = decode_batch(response.content)
    except FeedError as exc:
        raise SyncFailed(f"{peer['party_id']}: {exc}") from None
    # Here, in the thread fetching ahead, so they are checked while the batch before
    # is applied; the apply checks again any entry not verified under the key it holds.
    checked = check_signatures(batch.entries, parse_public_key(peer["public_key"]))
    return _Fetched(len(response.content), batch, checked)


def pull(
    ctx: ServiceContext,
    party: str,
    *,
    client: httpx.Client | None = None,
    batch_bytes: int | None = None,
    timeout: float = 30.0,
) -> PullReport:
    """Pull ``party``'s peer until its feed is exhausted or an entry is quarantined.

    The next batch is fetched while the current one is applied (its cursor is known
    from the batch itself); it is dropped if the apply stops short. Raises SyncFailed
    when the peer cannot be reached or answers badly; what was applied before stays
    applied (each batch commits with its cursor).
    """
    peer = peer_for(ctx, party)
    node_id = own_node_id(ctx)
    size = batch_bytes or ctx.settings.sync_batch_bytes
    report = PullReport(party=party)
    started = time.monotonic()
    owned = client is None
    http = client or httpx.Client(timeout=timeout, limits=_LIMITS)
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tansiq-sync-fetch")
    try:
        fetched = _fetch(
            http, ctx, peer, node_id, after=cursor_of(ctx, peer["id"]), batch_bytes=size, audit=True
        )
        while True:
            batch = fetched.batch
            expected = batch.entries[-1].seq if batch.entries else None
            following = (
                ahead.submit(
                    _fetch, http, ctx, peer, node_id, after=expected, batch_bytes=size, audit=False
                )
                if batch.more and expected is not None
                else None
            )
            try:
                result = apply_batch(
                    ctx,
                    peer,
                    entries=batch.entries,
                    checkpoint=batch.checkpoint,
                    wire_bytes=fetched.size,
                    checked=fetched.checked,
                )
            except FeedError as exc:
                raise SyncFailed(f"{party}: {exc}") from None
            report.batches += 1
            report.bytes += fetched.size
            report.applied += result.applied + result.released
            report.withdrawn += result.withdrawn
            report.held = result.held
            report.cursor = result.seq
            peer = peer_for(ctx, party)  # a rotation in the batch changed its key
            done = result.quarantined is not None or following is None
            if done or report.batches % RECEIPT_EVERY == 0:
                receipt = encode_signed(make_receipt(ctx, peer))
                _signed_call(http, ctx, peer, node_id, "POST", RECEIPT_PATH, receipt)
            if result.quarantined:
                report.quarantined = result.quarantined
                break
            if following is None:
                break
            if result.seq != expected:
                # The apply stopped short: what was fetched ahead no longer follows.
                with suppress(SyncFailed):
                    following.result()
                fetched = _fetch(
                    http, ctx, peer, node_id, after=result.seq, batch_bytes=size, audit=False
                )
                continue
            fetched = following.result()
    except SyncFailed as exc:
        note_attempt(ctx, peer["id"], error=str(exc))
        raise
    finally:
        ahead.shutdown(wait=True, cancel_futures=True)
        if owned:
            http.close()
    note_attempt(ctx, peer["id"], error=report.quarantined)
    report.seconds = time.monotonic() - started
    return report
