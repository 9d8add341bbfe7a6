"""``tansiq key rotate`` and ``tansiq accounts protect-credentials`` on both backends."""

from __future__ import annotations

from dataclasses import replace

import pytest

import tansiq.services.accounts.commands as accounts
from tansiq.journal.keys import create_key, load_key
from tansiq.services.accounts.commands import create_user
from tansiq.services.accounts.records import USER, public_user
from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import create_party
from tansiq.storage.tables.journal import journal
from tests.cli.test_cli import SYSTEM, Node, _one_line_error
from tests.storage.test_key_rotation import keyed


@pytest.fixture
def node(ctx: ServiceContext) -> Node:
    """The CLI on the test database (SQLite or PostgreSQL), its key in the key file."""
    keyed(ctx)
    create_party(ctx, by=SYSTEM, party_id="fed", name_en="FED", name_ar="fed", name_ckb="fed")
    return Node(ctx.settings.database_url, ctx.settings.key_path)


def _line(output: str, prefix: str) -> str | None:
    found = [li.removeprefix(prefix) for li in output.splitlines() if li.startswith(prefix)]
    return found[0] if found else None


def test_rotate_then_verify_with_the_old_or_the_new_key(
    node: Node, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Users through the services: `tansiq user add` leaves its engine to the process's end.
    create_user(ctx, by=SYSTEM, username="henry", party="fed", roles=["liaison"])
    old = ctx.key
    result = node.run("key", "rotate")
    assert result.exit_code == 0, result.output
    new = load_key(node.key_file)
    assert f"node key rotated: {old.node_id} -> {new.node_id} (entry " in result.output
    assert _line(result.output, "public key: ") == new.public_key_hex
    assert "restart the server" in result.output

    plain = node.run("verify")
    assert plain.exit_code == 0, plain.output
    assert _line(plain.output, "public key: ") == new.public_key_hex
    assert _line(plain.output, "active key: ") is None
    for given in (old.public_key_hex, new.public_key_hex):
        trusted = node.run("verify", "--public-key", given)
        assert trusted.exit_code == 0, trusted.output
    assert _line(trusted.output, "active key: ") is None
    old_trusted = node.run("verify", "--public-key", old.public_key_hex)
    assert _line(old_trusted.output, "active key: ") == new.public_key_hex

    # The old key pinned: verify follows the chain and the node still opens to write.
    monkeypatch.setenv("TANSIQ_PINNED_PUBLIC_KEY", old.public_key_hex)
    assert node.run("verify").exit_code == 0
    opened = node.context()
    try:
        assert opened.key.node_id == new.node_id
        create_user(opened, by=SYSTEM, username="iris", party="fed", roles=["observer"])
    finally:
        opened.engine.dispose()
    assert node.run("verify").exit_code == 0


def test_bad_rotations_are_one_line_errors_that_change_nothing(
    node: Node, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries, seed = node.count(journal), node.key_file.read_text()
    stranger = create_key(node.key_file.with_name("stranger"))

    monkeypatch.setenv("TANSIQ_PINNED_PUBLIC_KEY", stranger.public_key_hex)
    assert "TANSIQ_PINNED_PUBLIC_KEY" in _one_line_error(node.run("key", "rotate"))
    monkeypatch.delenv("TANSIQ_PINNED_PUBLIC_KEY")

    staged = node.key_file.with_name(node.key_file.name + ".rotating")
    create_key(staged)
    assert "never made active" in _one_line_error(node.run("key", "rotate"))
    staged.unlink()

    missing = Node(node.db_url, node.key_file.with_name("missing"))
    assert "tansiq init" in _one_line_error(missing.run("key", "rotate"))
    assert (node.count(journal), node.key_file.read_text()) == (entries, seed)

    assert node.run("key", "rotate").exit_code == 0
    line = _one_line_error(node.run("verify", "--public-key", stranger.public_key_hex))
    assert "verify failed" in line and "is not in the journal's key chain" in line


def test_protect_credentials_journals_old_users_once(
    node: Node, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user journaled as before the digest (user format 2).
    monkeypatch.setattr(
        accounts, "USER", replace(USER, payload=public_user, payload_format=2, earlier_payloads={})
    )
    create_user(ctx, by=SYSTEM, username="ivan", party="fed", roles=["liaison"])
    monkeypatch.undo()
    entries = node.count(journal)
    result = node.run("accounts", "protect-credentials")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "credentials protected: 1 users, 0 tokens"
    assert node.count(journal) == entries + 1
    again = node.run("accounts", "protect-credentials")
    assert again.output.strip() == "credentials protected: 0 users, 0 tokens"
    assert node.count(journal) == entries + 1


def test_init_protects_old_credentials_itself(
    node: Node, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        accounts, "USER", replace(USER, payload=public_user, payload_format=2, earlier_payloads={})
    )
    create_user(ctx, by=SYSTEM, username="ivan", party="fed", roles=["liaison"])
    monkeypatch.undo()
    result = node.run("init")
    assert result.exit_code == 0, result.output
    assert "credentials protected: 1 users, 0 tokens" in result.output
    assert "credentials protected" not in node.run("init").output
