"""insert_many stores exactly what insert() stores, on both databases, with less work."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Dialect,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    insert,
    select,
    text,
)
from sqlalchemy.exc import StatementError

from tansiq.storage.bulk import insert_many
from tansiq.storage.db import write_transaction
from tansiq.storage.types import UTCDateTime

BAGHDAD = timezone(timedelta(hours=3))


class CountingUTC(UTCDateTime):
    """UTCDateTime that counts its conversions."""

    calls = 0
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        CountingUTC.calls += 1
        return super().process_bind_param(value, dialect)


@pytest.fixture
def table(engine: Engine) -> Iterator[Table]:
    metadata = MetaData()
    made = Table(
        f"bulk_{uuid.uuid4().hex[:8]}",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("at", CountingUTC(), nullable=True),
        Column("stamp", UTCDateTime(), nullable=False),
        Column("tags", JSON(), nullable=False),
        Column("flag", Boolean(), nullable=False),
        Column("lon", Float(), nullable=True),
        Column("count", Integer(), nullable=False, default=7),
        Column("sig", LargeBinary(), nullable=True),
    )
    metadata.create_all(engine)
    try:
        yield made
    finally:
        metadata.drop_all(engine)


def _rows(prefix: str, now: datetime) -> list[dict[str, Any]]:
    return [
        {"id": f"{prefix}{i}", "at": at, "stamp": now, "tags": tags, "flag": flag,
         "lon": lon, "sig": sig, "count": i}
        for i, (at, tags, flag, lon, sig) in enumerate([
            (datetime(2020, 2, 19, 21, 0, 0, 123456, tzinfo=BAGHDAD), ["a", "b"], True, 44.5,
             b"\x00\xff"),
            (None, [], False, None, None),
            (datetime(1999, 12, 31, 23, 59, tzinfo=UTC), [{"k": 1}], True, -0.0, b""),
        ])
    ]


def _stored(engine: Engine, table: Table, prefix: str) -> list[tuple[Any, ...]]:
    # The raw values the driver hands back, so a difference in storage form shows.
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                f"SELECT id, at, stamp, tags, flag, lon, count, sig FROM {table.name} "  # noqa: S608
                "WHERE id LIKE :prefix ORDER BY id"
            ),
            {"prefix": f"{prefix}%"},
        ).all()
    return [(r[0][len(prefix):], *r[1:]) for r in rows]


def test_stores_what_insert_stores(engine: Engine, table: Table) -> None:
    now = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)
    with write_transaction(engine) as conn:
        conn.execute(insert(table), _rows("old-", now))
        insert_many(conn, table, _rows("new-", now))
    assert _stored(engine, table, "new-") == _stored(engine, table, "old-")
    with engine.connect() as conn:
        read = [dict(r) for r in conn.execute(select(table).order_by(table.c.id)).mappings()]
    # Aware datetimes compare as instants: the +03:00 one reads back as its UTC instant.
    assert [r for r in read if r["id"].startswith("new-")] == _rows("new-", now)


def test_a_shared_value_is_converted_once(engine: Engine, table: Table) -> None:
    shared = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)
    rows = [{**row, "at": shared} for row in _rows("s-", shared)]
    CountingUTC.calls = 0
    with write_transaction(engine) as conn:
        insert_many(conn, table, rows)
    # insert() converts each row's value; the PostgreSQL path is insert() itself.
    assert CountingUTC.calls == (1 if engine.dialect.name == "sqlite" else 3)
    with engine.connect() as conn:
        assert conn.execute(select(table.c.at).distinct()).scalars().all() == [shared]


def test_rows_with_other_keys_are_inserted_as_insert_does(engine: Engine, table: Table) -> None:
    rows = _rows("k-", datetime(2020, 2, 20, tzinfo=UTC))
    del rows[1]["count"]  # the column's Python default fills it, as insert() does
    del rows[2]["count"]
    with write_transaction(engine) as conn:
        insert_many(conn, table, rows[1:])
        insert_many(conn, table, [{**rows[0], "id": "k-only"} | {"count": 3}])
    with engine.connect() as conn:
        counts = dict(conn.execute(select(table.c.id, table.c.count)).all())
    assert counts == {"k-1": 7, "k-2": 7, "k-only": 3}


def test_a_missing_value_in_a_later_row_is_refused(engine: Engine, table: Table) -> None:
    rows = _rows("m-", datetime(2020, 2, 20, tzinfo=UTC))
    del rows[2]["flag"]
    with pytest.raises(StatementError), write_transaction(engine) as conn:
        insert_many(conn, table, rows)
    with engine.connect() as conn:
        assert conn.execute(select(table.c.id)).all() == []


def test_a_naive_datetime_is_refused_and_nothing_is_written(engine: Engine, table: Table) -> None:
    rows = _rows("n-", datetime(2020, 2, 20, tzinfo=UTC))
    rows[2]["stamp"] = datetime(2020, 2, 20)  # noqa: DTZ001 - the point of the test
    with pytest.raises((ValueError, StatementError), match="naive"), write_transaction(
        engine
    ) as conn:
        insert_many(conn, table, rows)
    with engine.connect() as conn:
        assert conn.execute(select(table.c.id)).all() == []
