"""The embedded database runs in WAL mode with foreign keys enforced."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tansiq.storage.db import make_engine, write_transaction


def test_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with write_transaction(engine) as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
