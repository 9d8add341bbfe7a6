"""The embedded database runs in WAL mode with foreign keys enforced, durable by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from tansiq.cli import main
from tansiq.config import load_settings
from tansiq.storage.db import make_engine, write_transaction


def test_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with write_transaction(engine) as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_full_durability_is_the_default(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with write_transaction(engine) as conn:
        # 2 is FULL: every commit fsyncs the write-ahead log, so it survives a power loss.
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
    engine.dispose()


def test_normal_durability_is_a_setting(tmp_path: Path) -> None:
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 't.db'}", sqlite_synchronous="normal"
    )
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    with write_transaction(engine) as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1
    engine.dispose()


def test_an_unknown_durability_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="TANSIQ_SQLITE_SYNCHRONOUS"):
        make_engine(f"sqlite:///{tmp_path / 't.db'}", sqlite_synchronous="sometimes")
    assert not (tmp_path / "t.db").exists()


def test_the_cli_names_a_bad_durability_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANSIQ_SQLITE_SYNCHRONOUS", "sometimes")
    db = tmp_path / "t.db"
    result = CliRunner().invoke(
        main, ["init", "--db", f"sqlite:///{db}", "--key-file", str(tmp_path / "k")]
    )
    assert result.exit_code != 0
    assert "TANSIQ_SQLITE_SYNCHRONOUS" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not db.exists()
    assert not (tmp_path / "k").exists()
