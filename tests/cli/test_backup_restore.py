"""`tansiq backup` makes a verified online copy; `tansiq restore` takes only a verified one."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from tansiq.services.accounts.commands import authenticate_password
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import create_incident
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tests.cli.test_cli import Node, _one_line_error, fast_password_hashing, node, ready
from tests.factories import PASSWORD, build_world, incident_data

__all__ = ["fast_password_hashing", "node", "ready"]


@pytest.fixture
def filed(node: Node) -> Node:
    """An initialised node with the factory world and three incidents."""
    assert node.run("init").exit_code == 0
    ctx = node.context()
    world = build_world(ctx)
    for n in range(3):
        create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data(injured=n))
    ctx.engine.dispose()
    return node


def test_backup_is_a_copy_that_verifies(filed: Node, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    result = filed.run("backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "records verified" in result.output
    copy = Node(f"sqlite:///{out}", filed.key_file)
    assert copy.count(incidents) == 3
    assert copy.count(journal) == filed.count(journal)
    assert copy.run("verify").exit_code == 0


def test_backup_while_writers_write_is_consistent(filed: Node, tmp_path: Path) -> None:
    ctx = filed.context()
    writer_actor = authenticate_password(ctx, username="krg_liaison", password=PASSWORD)
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            create_incident(ctx, actor=writer_actor, data=incident_data())

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        out = tmp_path / "live.db"
        result = filed.run("backup", "--out", str(out))
    finally:
        stop.set()
        writer.join()
        ctx.engine.dispose()
    assert result.exit_code == 0, result.output


def test_backup_refuses_an_existing_file_and_changes_nothing(filed: Node, tmp_path: Path) -> None:
    out = tmp_path / "taken.db"
    out.write_bytes(b"keep me")
    assert "exists" in _one_line_error(filed.run("backup", "--out", str(out)))
    assert out.read_bytes() == b"keep me"


def test_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    pg = Node("postgresql+psycopg://postgres@127.0.0.1:5432/none", tmp_path / "k")
    assert "pg_dump" in _one_line_error(pg.run("backup", "--out", str(tmp_path / "x.db")))


def test_restore_takes_a_verified_copy_back(filed: Node, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    assert filed.run("backup", "--out", str(out)).exit_code == 0
    engine = filed.engine()
    with engine.begin() as conn:  # the damage a restore repairs
        conn.execute(text("UPDATE incidents SET injured = 99"))
    engine.dispose()
    assert filed.run("verify").exit_code != 0
    refused = _one_line_error(filed.run("restore", str(out)))
    assert "--replace" in refused
    restored = filed.run("restore", str(out), "--replace")
    assert restored.exit_code == 0, restored.output
    assert filed.run("verify").exit_code == 0


def test_restore_refuses_a_copy_whose_chain_does_not_verify(filed: Node, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    assert filed.run("backup", "--out", str(bad)).exit_code == 0
    tampered = Node(f"sqlite:///{bad}", filed.key_file)
    engine = tampered.engine()
    with engine.begin() as conn:
        conn.execute(text("UPDATE journal SET actor = 'someone else' WHERE seq = 2"))
    engine.dispose()
    before = Path(filed.db_url.removeprefix("sqlite:///")).read_bytes()
    message = _one_line_error(filed.run("restore", str(bad), "--replace"))
    assert "does not verify" in message and "journal entry 2" in message
    assert Path(filed.db_url.removeprefix("sqlite:///")).read_bytes() == before


def test_restore_into_a_new_node_needs_no_replace(filed: Node, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    assert filed.run("backup", "--out", str(out)).exit_code == 0
    fresh = Node(f"sqlite:///{tmp_path / 'fresh.db'}", filed.key_file)
    result = fresh.run("restore", str(out))
    assert result.exit_code == 0, result.output
    ctx = fresh.context()
    assert verify_database(ctx).ok
    ctx.engine.dispose()
