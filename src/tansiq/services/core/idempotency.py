"""Idempotency keys: a create retried with the same key answers the first result.

A client whose answer was lost (a dropped link, a killed proxy) cannot tell
whether its create was committed. It sends ``Idempotency-Key``; the records the
request creates are noted under that key *in the same transaction* that writes
them (``core/versioning.insert_records`` calls :func:`note_created`), so a retry
finds them whether or not the first answer reached the client, and nothing is
written twice. The first answer itself is stored after the request when it can
be; if it was lost with the process, the retry answers the created records as
journaled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from tansiq.domain.errors import Conflict
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import RecordKind
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.accounts import idempotency_keys
from tansiq.storage.tables.journal import journal


@dataclass
class KeyedRequest:
    """The request in progress that carries an Idempotency-Key."""

    user_id: str
    key: str
    digest: str
    noted: bool = False
    created: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class FirstAnswer:
    """What a retried request answers: the stored answer, or the created records."""

    status_code: int
    body: bytes
    content_type: str
    replayed_from_journal: bool


_current: ContextVar[KeyedRequest | None] = ContextVar("tansiq_idempotency", default=None)


@contextmanager
def keyed_request(*, user_id: str, key: str, digest: str) -> Iterator[KeyedRequest]:
    """Note the records this request creates under ``key`` (see module docstring)."""
    request = KeyedRequest(user_id=user_id, key=key, digest=digest)
    token = _current.set(request)
    try:
        yield request
    finally:
        _current.reset(token)


def note_created(
    conn: Connection,
    kind: RecordKind,
    rows: Sequence[Mapping[str, Any]],
    *,
    clock: Callable[[], datetime],
) -> None:
    """Inside the creating transaction: note the request's first created records.

    Only the first insert of a request is its answer (records written alongside,
    such as deconfliction findings, are not).
    """
    request = _current.get()
    if request is None or request.noted:
        return
    request.noted = True
    request.created = [(kind.name, str(row["id"])) for row in rows]
    try:
        conn.execute(
            insert(idempotency_keys).values(
                user_id=request.user_id,
                key=request.key,
                request_digest=request.digest,
                created=[list(pair) for pair in request.created],
                created_at=clock(),
            )
        )
    except IntegrityError:
        # The same key won a concurrent request: this one's records roll back with it.
        raise Conflict("a request with this Idempotency-Key was just committed; retry it") from None


def first_answer(ctx: ServiceContext, *, user_id: str, key: str, digest: str) -> FirstAnswer | None:
    """The answer to replay for ``key``, or None when the key is new.

    Raises Conflict naming ``Idempotency-Key`` when it was used for another request.
    """
    with read_transaction(ctx.engine) as conn:
        row = conn.execute(
            select(idempotency_keys).where(
                and_(idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key)
            )
        ).first()
        if row is None:
            return None
        if row.request_digest != digest:
            raise Conflict("Idempotency-Key was already used for a different request")
        if row.answer is not None:
            return FirstAnswer(row.status_code, row.answer, row.content_type, False)
        payloads = [_first_version(conn, kind, record_id) for kind, record_id in row.created]
    body = payloads[0] if len(payloads) == 1 else {"items": payloads}
    return FirstAnswer(201, orjson.dumps(body), "application/json", True)


def _first_version(conn: Connection, kind: str, record_id: str) -> Any:
    payload = conn.execute(
        select(journal.c.payload)
        .where(journal.c.record_kind == kind, journal.c.record_id == record_id)
        .order_by(journal.c.seq)
        .limit(1)
    ).scalar_one()
    # Created by this request, so this node's own: no received mark (as the first answer).
    return {**orjson.loads(payload), "received": None}


def store_answer(
    ctx: ServiceContext, request: KeyedRequest, *, status_code: int, body: bytes, content_type: str
) -> None:
    """Keep the first answer of a request that created records, for its retries."""
    if not request.noted:
        return
    with write_transaction(ctx.engine) as conn:
        conn.execute(
            update(idempotency_keys)
            .where(
                and_(
                    idempotency_keys.c.user_id == request.user_id,
                    idempotency_keys.c.key == request.key,
                )
            )
            .values(status_code=status_code, answer=body, content_type=content_type)
        )
