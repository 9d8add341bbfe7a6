"""Engine set-up: SQLite pragmas (WAL, foreign keys, immediate write locks), PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

WRITE_OPTION = "tansiq_write"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (sqlite:/// or postgresql+psycopg://).

    Raises ValueError for an unsupported database.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            # The plain scheme would pick psycopg2, which we do not ship.
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(False)
        return create_engine(url, pool_pre_ping=True, **kwargs)
    raise ValueError(f"unsupported database URL scheme: {parsed.drivername}")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # Checkpoint every ~40 MB instead of ~4 MB: fewer fsync stalls during batch ingest.
        cursor.execute("PRAGMA wal_autocheckpoint=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front so two writers never deadlock on upgrade.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One read-write transaction: committed on success, rolled back on error."""
    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction (a consistent snapshot)."""
    with engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def snapshot_transaction(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction whose every statement sees the same committed state.

    PostgreSQL's default (READ COMMITTED) takes a new snapshot per statement, so a
    reader of several tables could see a write that committed in between; this asks
    for REPEATABLE READ. SQLite (WAL) keeps one snapshot from the first read on.
    """
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn
