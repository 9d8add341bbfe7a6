"""Row snapshots of the session databases: reset them per test, replay costly set-ups.

The session engines (tests/conftest.py) are migrated once; each test then starts
from the rows the migrations left (the seeded journal head) instead of a new
database. Set-ups that build the same rows for many tests (the factory world,
the coordinators) run through :func:`replay`: built once per starting state and
inputs, then restored row for row. Every table of ``metadata`` is covered, so the
journal and its head always travel together and a restored chain verifies like
the original (same ids, same signatures).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, func, insert, select

from tansiq.storage.db import write_transaction
from tansiq.storage.schema import metadata

T = TypeVar("T")

# Table name -> its rows (column name -> value), tables in dependency order.
Snapshot = dict[str, list[dict[str, Any]]]

_PRISTINE: dict[Engine, Snapshot] = {}
_REPLAYS: dict[Hashable, tuple[Snapshot, Any]] = {}


def take(conn: Connection) -> Snapshot:
    """Every row of every table, each table in the order the database returns it."""
    # No ORDER BY: a restore re-inserts rows in this order, so unordered scans see
    # them as they were first written.
    return {
        table.name: [dict(row._mapping) for row in conn.execute(select(table))]
        for table in metadata.sorted_tables
    }


def fingerprint(snapshot: Snapshot) -> str:
    """A key equal for equal contents, whatever order the rows were read in."""
    return repr({name: sorted(map(repr, rows)) for name, rows in snapshot.items()})


def restore(engine: Engine, snapshot: Snapshot) -> None:
    """Replace the rows of every table with ``snapshot``'s, in one write transaction."""
    with write_transaction(engine) as conn:
        counts = _row_counts(conn)
        for table in reversed(metadata.sorted_tables):
            # Most tests touch a few tables: skip the DELETE round trip on the others.
            if counts[table.name]:
                conn.execute(delete(table))
        for table in metadata.sorted_tables:
            rows = snapshot.get(table.name)
            if rows:
                conn.execute(insert(table), rows)


def register_pristine(engine: Engine) -> None:
    """Remember ``engine``'s current rows (just migrated) as the state each test starts in."""
    with engine.connect() as conn:
        _PRISTINE[engine] = take(conn)


def reset(engine: Engine) -> None:
    """Put a registered engine back to its pristine rows.

    Raises KeyError if :func:`register_pristine` was never called for ``engine``.
    """
    restore(engine, _PRISTINE[engine])


def replay(engine: Engine, key: Hashable | None, build: Callable[[], T]) -> T:
    """``build()``, or the rows and result of an earlier identical call.

    ``key`` must name everything ``build`` depends on besides the database (None:
    always build). On a registered engine the first call per key and starting
    rows is snapshotted; a later call from equal rows restores the rows ``build``
    left and returns a deep copy of its result, without running it.
    """
    if key is None or engine not in _PRISTINE:
        return build()
    with engine.connect() as conn:
        full_key = (engine, key, fingerprint(take(conn)))
    if full_key in _REPLAYS:
        rows, earlier = _REPLAYS[full_key]
        restore(engine, rows)
        copied: T = copy.deepcopy(earlier)
        return copied
    result = build()
    with engine.connect() as conn:
        _REPLAYS[full_key] = (take(conn), copy.deepcopy(result))
    return result


def _row_counts(conn: Connection) -> dict[str, int]:
    # One statement for all tables: one round trip on PostgreSQL.
    columns = [
        select(func.count()).select_from(table).scalar_subquery().label(table.name)
        for table in metadata.sorted_tables
    ]
    return dict(conn.execute(select(*columns)).one()._mapping)
