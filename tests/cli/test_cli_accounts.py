"""``tansiq user deactivate|activate|reset-password|roles|unlock`` and ``tansiq token revoke``."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from sqlalchemy import func, select

import tansiq.services.accounts.commands as accounts
from tansiq.cli import main
from tansiq.config import load_settings
from tansiq.domain.actors import SystemActor
from tansiq.domain.errors import AuthenticationFailed, TooManyAttempts
from tansiq.services.accounts.commands import actor_for_token, authenticate_password
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.directory.commands import create_party
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.accounts import users
from tansiq.storage.tables.journal import journal

PASSWORD = "a long enough password"
SYSTEM = SystemActor("system:test")


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for the users these tests add (the hash records them)."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


class Node:
    """A temporary SQLite node with one party and the user ``erin``."""

    def __init__(self, tmp_path: Path) -> None:
        key = str(tmp_path / "keys" / "node.key")
        self.options = ["--db", f"sqlite:///{tmp_path / 'n.db'}", "--key-file", key]
        assert self.run("init").exit_code == 0
        ctx = self.context()
        create_party(ctx, by=SYSTEM, party_id="fed", name_en="FED", name_ar="fed", name_ckb="fed")
        ctx.engine.dispose()
        added = self.run("user", "add", "erin", "--party", "fed", "--role", "liaison",
                         input=PASSWORD)
        assert added.exit_code == 0, added.output

    def run(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, [*args, *self.options], input=input)

    def context(self) -> ServiceContext:
        db, key = self.options[1], self.options[3]
        return open_context(load_settings(database_url=db, key_file=key))

    def state(self) -> tuple[int, list[tuple[object, ...]]]:
        ctx = self.context()
        try:
            with read_transaction(ctx.engine) as conn:
                count = conn.execute(select(func.count()).select_from(journal)).scalar_one()
                rows = [tuple(r) for r in conn.execute(select(users))]
        finally:
            ctx.engine.dispose()
        return count, rows

    def login(self, password: str = PASSWORD) -> object:
        ctx = self.context()
        try:
            return authenticate_password(ctx, username="erin", password=password)
        finally:
            ctx.engine.dispose()


@pytest.fixture
def node(tmp_path: Path) -> Node:
    return Node(tmp_path)


def test_deactivate_and_activate(node: Node) -> None:
    result = node.run("user", "deactivate", "erin")
    assert result.exit_code == 0 and "deactivated" in result.output
    with pytest.raises(AuthenticationFailed):
        node.login()
    assert node.run("user", "activate", "erin").exit_code == 0
    assert node.login()
    assert node.run("verify").exit_code == 0


def test_reset_password_reads_stdin_and_refuses_a_weak_one(node: Node) -> None:
    before = node.state()
    weak = node.run("user", "reset-password", "erin", input="erin-erin-erin\n")
    assert weak.exit_code != 0 and len(weak.stderr.strip().splitlines()) == 1
    assert "password" in weak.stderr
    assert node.state() == before
    reset = node.run("user", "reset-password", "erin", input="another long secret\n")
    assert reset.exit_code == 0, reset.output
    assert node.login("another long secret")


def test_roles_replaces_the_roles_and_refuses_unknown_ones(node: Node) -> None:
    roles = node.run("user", "roles", "erin", "--role", "analyst", "--role", "observer")
    assert roles.exit_code == 0 and "analyst, observer" in roles.output
    before = node.state()
    bad = node.run("user", "roles", "erin", "--role", "boss")
    assert bad.exit_code != 0 and "roles" in bad.output
    assert node.state() == before
    missing = node.run("user", "roles", "nobody", "--role", "analyst")
    assert missing.exit_code != 0 and "no user named nobody" in missing.output


def test_unlock_releases_a_lock_out(node: Node) -> None:
    for _ in range(5):
        with pytest.raises((AuthenticationFailed, TooManyAttempts)):
            node.login("wrong password!!")
    with pytest.raises(TooManyAttempts):
        node.login()
    assert node.run("user", "unlock", "erin").exit_code == 0
    assert node.login()


def test_token_revoke_takes_the_id_token_create_prints(node: Node) -> None:
    created = node.run("token", "create", "erin")
    secret = created.stdout.strip()
    token_id = created.stderr.split("token id ")[1].split(",")[0]
    result = node.run("token", "revoke", token_id)
    assert result.exit_code == 0 and "revoked" in result.output
    ctx = node.context()
    try:
        with pytest.raises(AuthenticationFailed):
            actor_for_token(ctx, token=secret)
    finally:
        ctx.engine.dispose()
    missing = node.run("token", "revoke", "no-such-id")
    assert missing.exit_code != 0 and "no token no-such-id" in missing.output
