"""Backing up and restoring the embedded database, never without a verified chain.

A backup is a consistent online copy (SQLite's backup API) that ``tansiq verify``
passes; a restore refuses a copy whose chain does not verify against this node's
key, and refuses to overwrite a database that already holds a journal unless told
to. PostgreSQL deployments use ``pg_dump`` / ``pg_restore`` (docs/operations.md).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from tansiq.config import Settings
from tansiq.journal.verify import VerifyReport
from tansiq.services.core.context import open_context
from tansiq.services.core.verification import verify_database
from tansiq.storage.db import copy_sqlite, make_engine, read_transaction, sqlite_path
from tansiq.storage.tables.journal import journal


def _verify_file(settings: Settings, path: Path) -> VerifyReport:
    """``tansiq verify`` of the SQLite file ``path`` with this node's key."""
    ctx = open_context(replace(settings, database_url=f"sqlite:///{path}"))
    try:
        return verify_database(ctx)
    except sqlite3.DatabaseError as exc:
        return VerifyReport(problem=f"{path} is not a Tansiq database: {exc}")
    finally:
        ctx.engine.dispose()


def backup_database(settings: Settings, *, out: Path) -> VerifyReport:
    """Copy the node's SQLite database to ``out`` and verify the copy.

    Raises ValueError for PostgreSQL, an existing ``out``, or a copy that does not
    verify (which is then removed); NodeKeyError without the node key.
    """
    source = sqlite_path(settings.database_url)
    if not source.exists():
        raise ValueError(f"there is no database at {source}")
    if out.exists():
        raise ValueError(f"--out {out} exists; choose a new file")
    copy_sqlite(source, out)
    report = _verify_file(settings, out)
    if not report.ok:
        out.unlink()
        raise ValueError(f"the copy does not verify, so none was kept: {report.problem}")
    return report


def restore_database(settings: Settings, *, source: Path, replace_journal: bool) -> VerifyReport:
    """Replace the node's SQLite database with the verified copy ``source``.

    Stop the node first. Raises ValueError when ``source`` is missing or does not
    verify against this node's key, or when the database already holds journal
    entries and ``replace_journal`` is false; nothing is changed then.
    """
    target = sqlite_path(settings.database_url)
    if not source.exists():
        raise ValueError(f"there is no backup at {source}")
    report = _verify_file(settings, source)
    if not report.ok:
        raise ValueError(f"refusing {source}: its chain does not verify: {report.problem}")
    if target.exists() and not replace_journal and _journal_size(settings) > 0:
        raise ValueError(
            f"{target} already holds a journal; pass --replace to overwrite it with {source}"
        )
    copy_sqlite(source, target)
    return _verify_file(settings, target)


def _journal_size(settings: Settings) -> int:
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        with read_transaction(engine) as conn:
            return int(conn.execute(select(func.count()).select_from(journal)).scalar_one())
    except Exception:  # noqa: BLE001 - an empty or foreign file holds no journal of ours
        return 0
    finally:
        engine.dispose()
