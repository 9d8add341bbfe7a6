"""``tansiq verify``'s reading: raw rows in batches, and current rows against their entries.

Rows come straight from the database driver as tuples (no SQLAlchemy row objects: a
verify reads every row of every table), through the connection of the verify's one
snapshot; on PostgreSQL through a server-side cursor, so a table is never held whole
in memory. :func:`compare_records` turns such rows into the values SQLAlchemy would
give, with the columns' own result processors, and compares each record's canonical
payload with its latest journaled one; it runs in a worker process for a large journal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Select, Table, create_engine

from tansiq.journal import tasks
from tansiq.journal.canonical import canonical_json
from tansiq.journal.entries import Journaled
from tansiq.journal.verify import RecordsChecked, payload_problem
from tansiq.services.core.kinds import RecordKind
from tansiq.storage.types import UTCDateTime

# The modules a worker imports as it starts (with them the registry of record kinds),
# before its first task.
WORKER_MODULES = ("tansiq.services.core.verify_rows", "tansiq.services.core.registry")

Processors = list[tuple[int, Callable[[Any], Any]]]


def backend_of(conn: Connection) -> str:
    """The ``dialect+driver`` name a worker builds its dialect from."""
    return f"{conn.dialect.name}+{conn.dialect.driver}"


def stream_rows(
    conn: Connection, statement: Select[Any], *, batch: int | None = None
) -> Iterator[tuple[tuple[Any, ...], list[Sequence[Any]]]]:
    """The rows of ``statement`` as the driver gives them, ``batch`` (default one task's
    worth) at a time, each batch with the driver's type codes of the columns (for their
    result processors)."""
    batch = tasks.CHUNK if batch is None else batch
    sql = str(statement.compile(dialect=conn.dialect))
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    # A named cursor is a server-side one in psycopg: rows come ``batch`` at a time.
    cursor = dbapi.cursor("tansiq_verify") if conn.dialect.name == "postgresql" else dbapi.cursor()
    try:
        cursor.execute(sql)
        type_codes = tuple(column[1] for column in cursor.description)
        while rows := cursor.fetchmany(batch):
            yield type_codes, rows
    finally:
        cursor.close()


_DIALECTS: dict[str, Dialect] = {}
_NOTHING = object()
_PROCESSORS: dict[tuple[str, str, tuple[Any, ...]], Processors] = {}


def _dialect(backend: str) -> Dialect:
    # An engine that never connects: only its dialect's type processing is used.
    if backend not in _DIALECTS:
        _DIALECTS[backend] = create_engine(f"{backend}://").dialect
    return _DIALECTS[backend]


def _processors(kind: RecordKind, backend: str, type_codes: tuple[Any, ...]) -> Processors:
    """(column index, processor) of each column of ``kind`` whose raw value SQLAlchemy
    converts; a timestamp's processor remembers the last value it converted."""
    key = (kind.name, backend, type_codes)
    if key not in _PROCESSORS:
        dialect = _dialect(backend)
        found: Processors = []
        for index, (column, type_code) in enumerate(
            zip(kind.table.columns, type_codes, strict=True)
        ):
            processor = column.type.dialect_impl(dialect).result_processor(dialect, type_code)
            if processor is not None:
                stamp = isinstance(column.type, UTCDateTime)
                found.append((index, _remembering(processor) if stamp else processor))
        _PROCESSORS[key] = found
    return _PROCESSORS[key]


def _remembering(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``processor`` remembering its last result: rows written together share their
    stamps (a batch, ``created_at`` and ``updated_at``), and a datetime is immutable."""
    # One (raw, value) pair, replaced whole: threads verifying at once never mix two.
    last: list[tuple[Any, Any]] = [(_NOTHING, None)]

    def process(raw: Any) -> Any:
        seen = last[0]
        if raw == seen[0]:
            return seen[1]
        value = processor(raw)
        last[0] = (raw, value)
        return value

    return process


def columns_of(table: Table) -> list[str]:
    """The names of ``table``'s columns, in the order ``select(table)`` reads them."""
    return [column.name for column in table.columns]


def compare_records(
    kind: RecordKind,
    backend: str,
    type_codes: tuple[Any, ...],
    rows: Sequence[Sequence[Any]],
    journaled: Sequence[Journaled],
) -> RecordsChecked:
    """Each raw row of ``kind`` (all its table's columns) against its latest entry.

    Notes the first row whose derived columns differ from what its journaled fields
    give; stops at the first row whose payload differs, cannot be serialised or read.
    """
    names = columns_of(kind.table)
    processors = _processors(kind, backend, type_codes)
    derived: str | None = None
    for index, (raw, latest) in enumerate(zip(rows, journaled, strict=True)):
        values = list(raw)
        try:
            for column, processor in processors:
                values[column] = processor(values[column])
        except (ValueError, TypeError) as exc:
            # A value edited into something its column type cannot read (SQLite keeps
            # any text in any column): a break, not a crash.
            unread = f"record {kind.name} {raw[names.index('id')]} cannot be read: {exc}"
            return RecordsChecked(index, unread, derived)
        row = dict(zip(names, values, strict=True))
        if derived is None and kind.derived is not None:
            derived = _derived_problem(kind, row)
        problem = payload_problem(kind.name, str(row["id"]), latest, _serialiser(kind, row))
        if problem is not None:
            return RecordsChecked(index, problem, derived)
    return RecordsChecked(len(rows), None, derived)


def _derived_problem(kind: RecordKind, row: Mapping[str, Any]) -> str | None:
    where = f"record {kind.name} {row['id']}"
    try:
        column = kind.derived_mismatch(row)
    except Exception as exc:  # noqa: BLE001 - an edited row may break the derivation any way
        return f"{where}: its derived columns cannot be recomputed: {exc}"
    if column is None:
        return None
    return (
        f"{where}: column {column} differs from what its journaled fields give "
        "(a derived column was edited)"
    )


def _serialiser(kind: RecordKind, row: Mapping[str, Any]) -> Callable[[int], bytes]:
    """The row's canonical payload in the format its latest journal entry used."""

    def in_format(payload_format: int) -> bytes:
        return canonical_json(kind.payload_in(payload_format)(row))

    return in_format
