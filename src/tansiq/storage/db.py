"""Engine set-up: SQLite pragmas (WAL, foreign keys, immediate write locks), PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

WRITE_OPTION = "tansiq_write"
SQLITE_SYNCHRONOUS = ("FULL", "NORMAL", "EXTRA")


def make_engine(url: str, *, sqlite_synchronous: str = "FULL", **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (sqlite:/// or postgresql+psycopg://).

    ``sqlite_synchronous`` is SQLite's durability (``FULL``: a committed write
    survives a power loss). Raises ValueError for an unsupported database or
    durability level.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        level = sqlite_synchronous.strip().upper()
        if level not in SQLITE_SYNCHRONOUS:
            raise ValueError(
                f"TANSIQ_SQLITE_SYNCHRONOUS must be one of {', '.join(SQLITE_SYNCHRONOUS)}, "
                f"got {sqlite_synchronous!r}"
            )
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, level)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            # The plain scheme would pick psycopg2, which we do not ship.
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(False)
        return create_engine(url, pool_pre_ping=True, **kwargs)
    raise ValueError(f"unsupported database URL scheme: {parsed.drivername}")


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL survives a crash of the process but not of the machine;
        # FULL (the default) also fsyncs the log at every commit.
        cursor.execute(f"PRAGMA synchronous={synchronous}")
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


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///`` URL; raises ValueError for another database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise ValueError("backup and restore copy the embedded SQLite database; use pg_dump")
    return Path(parsed.database)


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy one SQLite database file into another with SQLite's online backup API.

    The copy is consistent even while the source is being written (it is taken
    page by page under SQLite's own locks). Raises sqlite3.Error on failure.
    """
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


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
