"""Node-to-node routes: a peer pulls its feed and returns its receipt, each request signed.

Not part of the users' OpenAPI document: these are answered only to a peer node's
key (docs/federation.md describes the protocol, headers and bodies). Every
answer, errors included, carries this node's signature bound to the request.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from tansiq.api.deps import ContextDep
from tansiq.journal.requests import SIGNATURE_HEADER
from tansiq.journal.wire import MEDIA_TYPE
from tansiq.services.federation.serving import (
    DEFAULT_BATCH_BYTES,
    MAX_BATCH_BYTES,
    answer_signature,
    authenticate_peer,
    feed_answer,
    take_receipt,
)

router = APIRouter(prefix="/federation", tags=["federation"], include_in_schema=False)


def _target(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def _peer(ctx: Any, request: Request) -> tuple[dict[str, Any], bytes]:
    body = await request.body()
    peer = await run_in_threadpool(
        authenticate_peer,
        ctx,
        request.headers,
        method=request.method,
        target=_target(request),
        body=body,
    )
    return peer, body


@router.get("/feed")
async def feed(
    ctx: ContextDep,
    request: Request,
    after: Annotated[int, Query(ge=0, le=2**53)] = 0,
    max_bytes: Annotated[int, Query(ge=1, le=MAX_BATCH_BYTES)] = DEFAULT_BATCH_BYTES,
    audit: Annotated[bool, Query()] = False,
) -> Response:
    """The requesting peer's party's feed from entry ``after``, zstd-compressed and signed."""
    peer, _body = await _peer(ctx, request)
    body, signature = await run_in_threadpool(
        feed_answer, ctx, peer, after=after, max_bytes=max_bytes, audit=audit
    )
    return Response(body, media_type=MEDIA_TYPE, headers={SIGNATURE_HEADER: signature})


@router.post("/receipts", status_code=204)
async def receipts(ctx: ContextDep, request: Request) -> Response:
    """Keep the peer's signed receipt for what it applied of its feed."""
    peer, body = await _peer(ctx, request)
    await run_in_threadpool(take_receipt, ctx, peer, body)
    return Response(status_code=204, headers={SIGNATURE_HEADER: answer_signature(ctx, peer, b"")})
