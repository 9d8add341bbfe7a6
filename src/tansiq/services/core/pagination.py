"""Cursor pages for every list: opaque cursors and keyset paging by (sort column, id).

A list runs by a timestamp and the id (``occurred_at``, ``created_at``…), or by
the id alone (UUIDv7 ids sort by creation). The cursor names the last row shown,
so a page never repeats or skips a row when others are added meanwhile. Every
cursor carries an HMAC under a key derived from the node's signing key and bound
to the table it pages, so a forged or altered cursor is refused before it is read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Column, ColumnElement, Connection, Select, Table, and_, or_, select

from tansiq.domain.actors import Actor
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.fields import parse_instant
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.context import ServiceContext
from tansiq.storage.db import read_transaction
from tansiq.storage.visibility import visible_to

MAX_PAGE = 1000
MAX_CURSOR_ID = 64
_NOT_OURS = "is not a cursor this server issued"
_TAG_BYTES = 16


@dataclass(frozen=True)
class CursorSeal:
    """Signs and checks the cursors of one list (``scope``: the table it pages)."""

    key: bytes
    scope: str

    @classmethod
    def for_table(cls, ctx: ServiceContext, table: Table) -> CursorSeal:
        """The seal of ``table``'s lists on this node (a key of its own, not the signing key)."""
        seed = bytes(ctx.key.signing_key)
        return cls(hashlib.sha256(b"tansiq cursor key v1\x00" + seed).digest(), table.name)

    def _tag(self, payload: bytes) -> bytes:
        message = self.scope.encode() + b"\x00" + payload
        return hmac.new(self.key, message, hashlib.sha256).digest()[:_TAG_BYTES]

    def seal(self, payload: bytes) -> str:
        """``payload`` and its tag as one opaque, URL-safe cursor."""
        return f"{_b64(payload)}.{_b64(self._tag(payload))}"

    def unseal(self, cursor: str) -> bytes:
        """The payload of a cursor this seal made; raises ValidationFailed naming ``cursor``."""
        try:
            encoded, tag = cursor.split(".")
            payload = _unb64(encoded)
            genuine = hmac.compare_digest(_unb64(tag), self._tag(payload))
        except (ValueError, binascii.Error):
            genuine = False
        if not genuine:
            raise ValidationFailed.single("cursor", _NOT_OURS)
        return payload


@dataclass(frozen=True)
class Page:
    """One page of a list and the cursor of the next (None at the end)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(cursor: str) -> bytes:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def encode_cursor(seal: CursorSeal, when: datetime, record_id: str) -> str:
    """An opaque cursor pointing just after the row sorted at (``when``, ``record_id``)."""
    return seal.seal(orjson.dumps([iso_utc(when), record_id]))


def _check_id(record_id: Any) -> str:
    if not isinstance(record_id, str) or not 1 <= len(record_id) <= MAX_CURSOR_ID:
        raise ValidationFailed.single("cursor", _NOT_OURS)
    return record_id


def decode_cursor(seal: CursorSeal, cursor: str) -> tuple[datetime, str]:
    """Read a cursor of :func:`encode_cursor` back; raises ValidationFailed naming ``cursor``."""
    try:
        when, record_id = orjson.loads(seal.unseal(cursor))
        return parse_instant(when), _check_id(record_id)
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise ValidationFailed.single("cursor", _NOT_OURS) from None


def encode_id_cursor(seal: CursorSeal, record_id: str) -> str:
    """An opaque cursor pointing just after ``record_id`` (lists run by id alone)."""
    return seal.seal(record_id.encode())


def decode_id_cursor(seal: CursorSeal, cursor: str) -> str:
    """Read a cursor of :func:`encode_id_cursor` back; raises ValidationFailed naming ``cursor``."""
    try:
        raw = seal.unseal(cursor).decode("ascii")
    except UnicodeDecodeError:
        raise ValidationFailed.single("cursor", _NOT_OURS) from None
    return _check_id(raw)


def check_limit(limit: int, maximum: int = MAX_PAGE) -> None:
    """Raise ValidationFailed naming ``limit`` unless 1 <= limit <= maximum."""
    if not 1 <= limit <= maximum:
        raise ValidationFailed.single("limit", f"must be between 1 and {maximum}")


def _after(
    seal: CursorSeal,
    cursor: str,
    sort: Column[Any] | None,
    record_id: Column[str],
    descending: bool,
) -> ColumnElement[bool]:
    if sort is None:
        last_id = decode_id_cursor(seal, cursor)
        return record_id < last_id if descending else record_id > last_id
    when, last_id = decode_cursor(seal, cursor)
    if descending:
        return or_(sort < when, and_(sort == when, record_id < last_id))
    return or_(sort > when, and_(sort == when, record_id > last_id))


def paged(
    query: Select[Any],
    *,
    seal: CursorSeal,
    record_id: Column[str],
    cursor: str | None,
    limit: int,
    sort: Column[Any] | None = None,
    descending: bool = True,
    max_limit: int = MAX_PAGE,
) -> Select[Any]:
    """``query`` after ``cursor``, ordered by (``sort``, id) or by id, one row past ``limit``.

    Raises ValidationFailed naming ``cursor`` or ``limit``.
    """
    check_limit(limit, max_limit)
    if cursor is not None:
        query = query.where(_after(seal, cursor, sort, record_id, descending))
    keys = (record_id,) if sort is None else (sort, record_id)
    return query.order_by(*(k.desc() if descending else k.asc() for k in keys)).limit(limit + 1)


def fetch_page(
    conn: Connection,
    query: Select[Any],
    *,
    seal: CursorSeal,
    record_id: Column[str],
    limit: int,
    sort: Column[Any] | None = None,
) -> tuple[Sequence[Mapping[Any, Any]], str | None]:
    """Run a :func:`paged` query: the page's rows and the next page's cursor (None at the end)."""
    rows = conn.execute(query).mappings().all()
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    if sort is None:
        return rows, encode_id_cursor(seal, last[record_id.name])
    return rows, encode_cursor(seal, last[sort.name], last[record_id.name])


Rows = Sequence[Mapping[Any, Any]]
Present = Callable[[Connection, Rows], list[dict[str, Any]]]


def equal_to(*pairs: tuple[ColumnElement[Any], Any]) -> list[ColumnElement[bool]]:
    """``column == value`` for each (column, value) pair whose value is given (not None)."""
    return [column == value for column, value in pairs if value is not None]


def in_window(
    column: ColumnElement[Any], since: datetime | None, until: datetime | None
) -> list[ColumnElement[bool]]:
    """``since <= column < until``, each bound only when given."""
    clauses = [] if since is None else [column >= since]
    return clauses if until is None else [*clauses, column < until]


def each(payload: Callable[[Mapping[Any, Any]], dict[str, Any]]) -> Present:
    """A ``present`` for :func:`visible_page` that shows each row through ``payload``."""
    return lambda _conn, rows: [payload(row) for row in rows]


def visible_page(
    ctx: ServiceContext,
    table: Table,
    *,
    actor: Actor,
    where: Iterable[ColumnElement[bool]] = (),
    present: Present,
    cursor: str | None,
    limit: int,
    sort: Column[Any] | None = None,
    descending: bool = True,
    max_limit: int = MAX_PAGE,
    columns: Sequence[Column[Any]] = (),
    guard: Callable[[Connection], object] | None = None,
) -> Page:
    """One page of the ``table`` rows released to ``actor`` that meet every ``where`` clause.

    Runs :func:`paged` (all of ``table``, or only ``columns``), then, in one read
    transaction, ``guard`` (e.g. to raise NotFound for an unseen parent), the
    query and ``present`` (the rows as the list shows them). Raises
    ValidationFailed naming ``cursor`` or ``limit`` before anything is read.
    """
    record_id: Column[str] = table.c.id
    seal = CursorSeal.for_table(ctx, table)
    query = paged(
        (select(*columns) if columns else select(table)).where(visible_to(table, actor), *where),
        seal=seal,
        record_id=record_id,
        cursor=cursor,
        limit=limit,
        sort=sort,
        descending=descending,
        max_limit=max_limit,
    )
    with read_transaction(ctx.engine) as conn:
        if guard is not None:
            guard(conn)
        rows, next_cursor = fetch_page(
            conn, query, seal=seal, record_id=record_id, limit=limit, sort=sort
        )
        return Page(present(conn, rows), next_cursor)
