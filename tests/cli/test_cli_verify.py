"""``tansiq verify`` against the quiet attacks: a shortened journal, a lost head, a new key."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from tansiq.journal.chain import entry_hash
from tansiq.journal.keys import create_key, node_id_for
from tansiq.services.incidents.commands import create_incident, update_incident
from tansiq.storage.tables.accounts import users
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal, journal_heads
from tests.cli.test_cli import PASSWORD, SYSTEM, Node, _one_line_error
from tests.factories import incident_data


@pytest.fixture
def ready(tmp_path: Path) -> Iterator[Node]:
    """An initialised node with party fed, a liaison henry and one incident."""
    from tansiq.services.accounts.commands import actor_for_username
    from tansiq.services.directory.commands import create_party

    node = Node(f"sqlite:///{tmp_path / 'tansiq.db'}", tmp_path / "keys" / "node.key")
    assert node.run("init").exit_code == 0
    ctx = node.context()
    try:
        create_party(ctx, by=SYSTEM, party_id="fed", name_en="FED", name_ar="fed", name_ckb="fed")
        node.run("user", "add", "henry", "--party", "fed", "--role", "liaison", input=PASSWORD)
        actor = actor_for_username(ctx, username="henry")
        create_incident(ctx, actor=actor, data=incident_data())
    finally:
        ctx.engine.dispose()
    yield node


def _head(node: Node) -> str:
    """The head ``tansiq verify`` prints, as SEQ:HASH."""
    result = node.run("verify")
    assert result.exit_code == 0, result.output
    line = next(li for li in result.output.splitlines() if li.startswith("head: "))
    return line.removeprefix("head: ")


def _public_key(node: Node) -> str:
    result = node.run("verify")
    line = next(li for li in result.output.splitlines() if li.startswith("public key: "))
    return line.removeprefix("public key: ")


def _edit_incident(node: Node) -> None:
    """henry raises the incident's injured count: one more journal entry."""
    from tansiq.services.accounts.commands import actor_for_username

    ctx = node.context()
    try:
        actor = actor_for_username(ctx, username="henry")
        with ctx.engine.connect() as conn:
            row = conn.execute(select(incidents.c.id, incidents.c.version)).one()
        update_incident(
            ctx, actor=actor, incident_id=row.id, changes={"injured": 7},
            expected_version=row.version,
        )
    finally:
        ctx.engine.dispose()


def _journal_rows(node: Node) -> list[dict[str, Any]]:
    engine = node.engine()
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(journal).order_by(journal.c.seq))]
    finally:
        engine.dispose()


def test_verify_prints_the_head_and_the_key(ready: Node) -> None:
    rows = _journal_rows(ready)
    assert _head(ready) == f"{rows[-1]['seq']}:{rows[-1]['hash']}"
    assert node_id_for(bytes.fromhex(_public_key(ready))) == rows[-1]["node_id"]
    assert ready.run("verify", "--expect-head", _head(ready)).exit_code == 0


def test_truncation_with_the_head_moved_back_fails_the_expected_head(ready: Node) -> None:
    engine = ready.engine()
    with engine.connect() as conn:
        before = dict(conn.execute(select(incidents)).one()._mapping)
    _edit_incident(ready)
    noted = _head(ready)
    kept = _journal_rows(ready)[-2]
    # The attacker drops the last entry, moves the head back and reverts the row.
    with engine.begin() as conn:
        conn.execute(delete(journal).where(journal.c.seq > kept["seq"]))
        conn.execute(update(journal_heads).values(seq=kept["seq"], hash=kept["hash"]))
        conn.execute(update(incidents).values(**before))
    engine.dispose()
    # Alone, the shortened journal is self-consistent: only an anchor held elsewhere shows it.
    assert ready.run("verify").exit_code == 0
    line = _one_line_error(ready.run("verify", "--expect-head", noted))
    assert f"ends at entry {kept['seq']}" in line and "entries were removed" in line

    # A new write after the truncation reaches the noted seq again, with another hash.
    _edit_incident(ready)
    line = _one_line_error(ready.run("verify", "--expect-head", noted))
    assert f"journal entry {noted.split(':')[0]} " in line and "rewritten" in line


def test_a_deleted_head_is_reported_and_writes_refuse(ready: Node) -> None:
    engine = ready.engine()
    with engine.begin() as conn:
        conn.execute(delete(journal_heads))
    engine.dispose()
    assert "journal head is missing" in _one_line_error(ready.run("verify"))

    users_before, journal_before = ready.count(users), ready.count(journal)
    result = ready.run("user", "add", "iris", "--party", "fed", "--role", "observer",
                       input=PASSWORD)
    assert "journal head is missing" in _one_line_error(result)
    assert (ready.count(users), ready.count(journal)) == (users_before, journal_before)
    assert ready.count(journal_heads) == 0
    assert "journal head is missing" in _one_line_error(ready.run("verify"))


def _resign_with_a_new_key(node: Node, key_file: Path) -> None:
    """The attacker's rewrite: a new key, every entry re-signed, the head moved to match."""
    key = create_key(key_file)
    engine = node.engine()
    prev = "0" * 64
    with engine.begin() as conn:
        for row in _journal_rows(node):
            row.update(node_id=key.node_id, prev_hash=prev)
            row["hash"] = entry_hash(row)
            row["signature"] = key.sign(bytes.fromhex(row["hash"]))
            conn.execute(update(journal).where(journal.c.seq == row["seq"]).values(**row))
            prev = row["hash"]
        conn.execute(update(journal_heads).values(hash=prev))
    engine.dispose()
    node.key_file.unlink()
    key_file.rename(node.key_file)


def test_a_replaced_key_fails_against_the_pinned_key(
    ready: Node, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pinned = _public_key(ready)
    as_base64 = base64.b64encode(bytes.fromhex(pinned)).decode()
    assert ready.run("verify", "--public-key", as_base64).exit_code == 0
    _resign_with_a_new_key(ready, tmp_path / "attacker.key")
    # With the key file beside the database, the re-signed journal looks whole.
    assert ready.run("verify").exit_code == 0
    for given in (pinned, as_base64):
        line = _one_line_error(ready.run("verify", "--public-key", given))
        assert "journal entry 1 " in line and "unknown node" in line
    monkeypatch.setenv("TANSIQ_PINNED_PUBLIC_KEY", pinned)
    assert "unknown node" in _one_line_error(ready.run("verify"))

    # With the key pinned, the replaced key file signs nothing more.
    users_before, journal_before = ready.count(users), ready.count(journal)
    result = ready.run("user", "add", "iris", "--party", "fed", "--role", "observer",
                       input=PASSWORD)
    assert "does not hold TANSIQ_PINNED_PUBLIC_KEY" in _one_line_error(result)
    assert (ready.count(users), ready.count(journal)) == (users_before, journal_before)


def test_the_pinned_key_lets_the_node_write(ready: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANSIQ_PINNED_PUBLIC_KEY", _public_key(ready))
    result = ready.run("user", "add", "iris", "--party", "fed", "--role", "observer",
                       input=PASSWORD)
    assert result.exit_code == 0, result.output
    assert ready.run("verify").exit_code == 0


def test_a_public_key_alone_verifies_without_the_key_file(ready: Node) -> None:
    pinned = _public_key(ready)
    ready.key_file.unlink()
    result = ready.run("verify", "--public-key", pinned)
    assert result.exit_code == 0, result.output
    assert "tansiq init" in _one_line_error(ready.run("verify"))


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--expect-head", "12"), "--expect-head"),
        (("--expect-head", "x:" + "0" * 64), "--expect-head"),
        (("--expect-head", "3:abc"), "--expect-head"),
        (("--public-key", "zz"), "--public-key"),
        (("--public-key", "00" * 31), "--public-key"),
    ],
)
def test_bad_verify_options_are_one_line_errors(
    ready: Node, args: tuple[str, str], named: str
) -> None:
    journal_before = ready.count(journal)
    assert named in _one_line_error(ready.run("verify", *args))
    assert ready.count(journal) == journal_before


def test_a_bad_pinned_key_setting_is_named(ready: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANSIQ_PINNED_PUBLIC_KEY", "not a key")
    assert "TANSIQ_PINNED_PUBLIC_KEY" in _one_line_error(ready.run("verify"))
    users_before = ready.count(users)
    result = ready.run("user", "add", "iris", "--party", "fed", "--role", "observer",
                       input=PASSWORD)
    assert "TANSIQ_PINNED_PUBLIC_KEY" in _one_line_error(result)
    assert ready.count(users) == users_before


def test_a_zero_head_must_have_the_genesis_hash(ready: Node) -> None:
    assert ready.run("verify", "--expect-head", "0:" + "0" * 64).exit_code == 0
    line = _one_line_error(ready.run("verify", "--expect-head", "0:" + "1" * 64))
    assert "entry 0" in line
