"""The ``tansiq`` command line on a temporary SQLite node: init, users, tokens, verify."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from alembic.script import ScriptDirectory
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, select, text

import tansiq.services.accounts.commands as accounts
from tansiq.cli import main
from tansiq.config import load_settings
from tansiq.domain.actors import SystemActor
from tansiq.services.accounts.commands import actor_for_token, authenticate_password
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.directory.commands import create_party
from tansiq.services.incidents.commands import create_incident
from tansiq.storage.db import make_engine
from tansiq.storage.migrate import alembic_config
from tansiq.storage.tables.accounts import users
from tansiq.storage.tables.journal import journal
from tests.factories import incident_data

SYSTEM = SystemActor("system:test")
PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for the users these tests add (the hash records them)."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@dataclass
class Node:
    """A node's database and key file, and a way to run ``tansiq`` against them."""

    db_url: str
    key_file: Path

    def run(self, *args: str, input: str | None = None) -> Result:
        """Run one command with --db and --key-file of this node appended."""
        options = ["--db", self.db_url, "--key-file", str(self.key_file)]
        return CliRunner().invoke(main, [*args, *options], input=input, catch_exceptions=False)

    def context(self) -> ServiceContext:
        """A service context on this node (dispose its engine when done)."""
        return open_context(load_settings(database_url=self.db_url, key_file=str(self.key_file)))

    def engine(self) -> Engine:
        """A plain engine on the node's database, e.g. to tamper with it."""
        return make_engine(self.db_url)

    def count(self, table: Any) -> int:
        """Rows in ``table``."""
        engine = self.engine()
        try:
            with engine.connect() as conn:
                return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        finally:
            engine.dispose()


@pytest.fixture
def node(tmp_path: Path) -> Node:
    """A path for a node that does not exist yet."""
    return Node(f"sqlite:///{tmp_path / 'tansiq.db'}", tmp_path / "keys" / "node.key")


@pytest.fixture
def ready(node: Node) -> Iterator[Node]:
    """An initialised node with parties fed and krg."""
    assert node.run("init").exit_code == 0
    ctx = node.context()
    for party in ("fed", "krg"):
        create_party(ctx, by=SYSTEM, party_id=party, name_en=party.upper(), name_ar=party,
                     name_ckb=party)
    ctx.engine.dispose()
    yield node


def _one_line_error(result: Result) -> str:
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


# --- init and migrations --------------------------------------------------------------


def test_init_creates_a_0600_key_and_a_second_init_keeps_it(node: Node) -> None:
    first = node.run("init")
    assert first.exit_code == 0, first.output
    assert "created key" in first.output
    assert stat.S_IMODE(os.stat(node.key_file).st_mode) == 0o600
    seed = node.key_file.read_text()

    second = node.run("init")
    assert second.exit_code == 0, second.output
    assert "kept existing key" in second.output
    assert node.key_file.read_text() == seed
    # Same key, same node id.
    assert first.output.split(":")[0] == second.output.split(":")[0]


def test_a_key_others_can_read_is_refused(node: Node) -> None:
    node.run("init")
    node.key_file.chmod(0o644)
    assert "chmod 600" in _one_line_error(node.run("verify"))


def test_commands_before_init_say_to_run_init(node: Node) -> None:
    assert "tansiq init" in _one_line_error(node.run("verify"))


def test_db_upgrade_is_idempotent(node: Node) -> None:
    for _ in range(2):
        result = node.run("db", "upgrade")
        assert result.exit_code == 0, result.output
        assert "up to date" in result.output
    engine = node.engine()
    try:
        with engine.connect() as conn:
            applied = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        # Concepts migrate as independent heads: every head must be applied.
        assert applied == set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    finally:
        engine.dispose()


# --- users and tokens ------------------------------------------------------------------


def test_user_add_reads_the_password_from_stdin(ready: Node) -> None:
    result = ready.run("user", "add", "alice", "--party", "fed", "--role", "liaison",
                       "--role", "analyst", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "user alice added to party fed with roles analyst, liaison" in result.output
    ctx = ready.context()
    try:
        actor = authenticate_password(ctx, username="alice", password=PASSWORD)
    finally:
        ctx.engine.dispose()
    assert actor.party == "fed"
    assert {r.value for r in actor.roles} == {"analyst", "liaison"}


def test_user_add_generates_and_prints_a_password(ready: Node) -> None:
    result = ready.run("user", "add", "bob", "--party", "krg", "--role", "observer")
    assert result.exit_code == 0, result.output
    printed = [line for line in result.stdout.splitlines() if line.startswith("password: ")]
    assert len(printed) == 1
    password = printed[0].removeprefix("password: ")
    assert len(password) >= 12
    ctx = ready.context()
    try:
        assert authenticate_password(ctx, username="bob", password=password).party == "krg"
    finally:
        ctx.engine.dispose()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--party", "fed", "--role", "general"], "roles"),
        (["--party", "pmf", "--role", "liaison"], "party"),
        (["--party", "fed", "--role", "liaison", "--language", "fr"], "language"),
    ],
)
def test_user_add_with_bad_input_names_the_field_and_adds_nothing(
    ready: Node, args: list[str], field: str
) -> None:
    users_before, journal_before = ready.count(users), ready.count(journal)
    result = ready.run("user", "add", "carol", *args, input=PASSWORD + "\n")
    assert field in _one_line_error(result)
    assert "Traceback" not in result.output
    assert (ready.count(users), ready.count(journal)) == (users_before, journal_before)


def test_user_add_refuses_a_short_password(ready: Node) -> None:
    before = ready.count(users)
    assert "password" in _one_line_error(
        ready.run("user", "add", "dave", "--party", "fed", "--role", "liaison", input="short\n")
    )
    assert ready.count(users) == before


def test_user_add_refuses_a_duplicate(ready: Node) -> None:
    ready.run("user", "add", "erin", "--party", "fed", "--role", "liaison", input=PASSWORD)
    before = ready.count(journal)
    duplicate = ready.run("user", "add", "erin", "--party", "krg", "--role", "liaison",
                          input=PASSWORD)
    assert "username" in _one_line_error(duplicate)
    assert ready.count(journal) == before


def test_token_create_prints_a_token_that_authenticates(ready: Node) -> None:
    ready.run("user", "add", "frank", "--party", "krg", "--role", "analyst", input=PASSWORD)
    result = ready.run("token", "create", "frank", "--label", "laptop", "--days", "7")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert len(result.stdout.splitlines()) == 1 and token.startswith("tsq_")
    assert "expires" in result.stderr
    ctx = ready.context()
    try:
        actor = actor_for_token(ctx, token=token)
    finally:
        ctx.engine.dispose()
    assert (actor.username, actor.party) == ("frank", "krg")


@pytest.mark.parametrize(
    ("args", "field"), [(["nobody"], "nobody"), (["grace", "--days", "0"], "days")]
)
def test_token_create_with_bad_input_fails_in_one_line(
    ready: Node, args: list[str], field: str
) -> None:
    ready.run("user", "add", "grace", "--party", "fed", "--role", "observer", input=PASSWORD)
    before = ready.count(journal)
    assert field in _one_line_error(ready.run("token", "create", *args))
    assert ready.count(journal) == before


# --- verify ----------------------------------------------------------------------------


@pytest.fixture
def with_incident(ready: Node) -> str:
    """The node after a user, a token and one incident; returns the incident id."""
    ready.run("user", "add", "henry", "--party", "fed", "--role", "liaison", input=PASSWORD)
    token = ready.run("token", "create", "henry").stdout.strip()
    ctx = ready.context()
    try:
        actor = actor_for_token(ctx, token=token)
        return str(create_incident(ctx, actor=actor, data=incident_data())["id"])
    finally:
        ctx.engine.dispose()


def test_verify_passes_on_an_untouched_node(ready: Node, with_incident: str) -> None:
    result = ready.run("verify")
    assert result.exit_code == 0, result.output
    entries = ready.count(journal)
    assert result.output.startswith(f"ok: {entries} journal entries")


def test_verify_names_a_tampered_journal_entry(ready: Node, with_incident: str) -> None:
    assert ready.run("verify").exit_code == 0
    engine = ready.engine()
    try:
        with engine.begin() as conn:
            seq, payload = conn.execute(
                select(journal.c.seq, journal.c.payload).where(
                    journal.c.record_id == with_incident
                )
            ).one()
            record = orjson.loads(payload)
            record["fatalities"] = 40
            conn.execute(
                text("UPDATE journal SET payload = :payload WHERE seq = :seq"),
                {"payload": orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode(),
                 "seq": seq},
            )
    finally:
        engine.dispose()
    line = _one_line_error(ready.run("verify"))
    assert f"journal entry {seq} " in line
    assert with_incident in line and "altered" in line


def test_verify_names_a_tampered_record(ready: Node, with_incident: str) -> None:
    engine = ready.engine()
    try:
        with engine.begin() as conn:
            changed = conn.execute(
                text("UPDATE incidents SET injured = 99 WHERE id = :id"), {"id": with_incident}
            )
            assert changed.rowcount == 1
    finally:
        engine.dispose()
    line = _one_line_error(ready.run("verify"))
    assert f"incident {with_incident}" in line
    assert "differs from its latest journaled version" in line


def test_verify_notices_a_deleted_journal_entry(ready: Node, with_incident: str) -> None:
    engine = ready.engine()
    try:
        with engine.begin() as conn:
            last = conn.execute(select(func.max(journal.c.seq))).scalar_one()
            conn.execute(text("DELETE FROM journal WHERE seq = :seq"), {"seq": last})
    finally:
        engine.dispose()
    _one_line_error(ready.run("verify"))
