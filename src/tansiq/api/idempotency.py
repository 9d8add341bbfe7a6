"""``Idempotency-Key`` on every create (POST) of the API: a retry answers the first result.

ASGI middleware in front of the API. A POST that carries the header and a valid
bearer token is run once per (user, key): its created records are noted under the
key in their own transaction (``services/core/idempotency.py``), its answer is
kept, and a retry with the same key and the same request answers that first
result (``Idempotent-Replayed: true``) without writing again. The same key for a
different request answers 422; a malformed key 400 naming ``Idempotency-Key``.
"""

from __future__ import annotations

import hashlib
import re

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tansiq.api.limits import BodyTooLarge
from tansiq.api.problems import problem_response
from tansiq.domain.errors import AuthenticationFailed, Conflict, FieldError
from tansiq.services.accounts.commands import actor_for_token
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.idempotency import (
    FirstAnswer,
    KeyedRequest,
    first_answer,
    keyed_request,
    store_answer,
)

HEADER = b"idempotency-key"
KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces, as RFC 9110 tokens


class IdempotencyKeys:
    """Run a keyed POST under ``/api/`` once per user and key; replay it on retries."""

    def __init__(self, app: ASGIApp, api_prefix: str) -> None:
        self.app = app
        self.prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, replay its first answer, or refuse a bad key."""
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        raw_key = headers.get(HEADER)
        if (
            raw_key is None
            or scope.get("method") != "POST"
            or not scope["path"].startswith(self.prefix)
        ):
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1")
        if not KEY.match(key):
            await _problem(scope, receive, send, 400, "must be 1 to 200 visible ASCII characters")
            return
        # The app's context, read per request like the routes do (tests repoint it).
        ctx: ServiceContext = scope["app"].state.ctx
        user_id = await _user(ctx, headers.get(b"authorization", b""))
        if user_id is None:  # the route answers 401 as without the header
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
        except BodyTooLarge as exc:  # a streamed body past the limit, read here first
            response = problem_response(
                413, "Payload too large", str(exc.detail), [FieldError("body", "is too large")]
            )
            await response(scope, receive, send)
            return
        digest = hashlib.sha256(
            b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body])
        ).hexdigest()
        try:
            answer = await run_in_threadpool(
                first_answer, ctx, user_id=user_id, key=key, digest=digest
            )
        except Conflict as exc:
            await _problem(scope, receive, send, 422, str(exc))
            return
        if answer is not None:
            await _replay(send, answer)
            return
        with keyed_request(user_id=user_id, key=key, digest=digest) as request:
            await self._run_and_keep(ctx, scope, body, receive, send, request)

    async def _run_and_keep(
        self,
        ctx: ServiceContext,
        scope: Scope,
        body: bytes,
        receive: Receive,
        send: Send,
        request: KeyedRequest,
    ) -> None:
        sent = False
        status = 0
        content_type = "application/json"
        chunks: list[bytes] = []

        async def replay_body() -> Message:
            nonlocal sent
            if sent:  # the body was read already: what follows is the client's disconnect
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def keep(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        content_type = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replay_body, keep)
        if 200 <= status < 300:
            await run_in_threadpool(
                store_answer,
                ctx,
                request,
                status_code=status,
                body=b"".join(chunks),
                content_type=content_type,
            )


async def _user(ctx: ServiceContext, authorization: bytes) -> str | None:
    scheme, _, token = authorization.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        actor = await run_in_threadpool(actor_for_token, ctx, token=token.strip())
    except AuthenticationFailed:
        return None
    return actor.user_id


async def _read_body(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _replay(send: Send, answer: FirstAnswer) -> None:
    headers = [
        (b"content-type", answer.content_type.encode("latin-1")),
        (b"content-length", str(len(answer.body)).encode()),
        (b"idempotent-replayed", b"true"),
    ]
    await send({"type": "http.response.start", "status": answer.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


async def _problem(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    title = "Bad request" if status == 400 else "Idempotency-Key reused"
    response = problem_response(
        status, title, f"Idempotency-Key {message}", [FieldError("Idempotency-Key", message)]
    )
    await response(scope, receive, send)
