"""Users and tokens journaled before their credential digest: protected by a backfill.

The accounts are written as a node before the digests wrote them (the user kind at
format 2, the token kind at format 1), then the kinds are put back as they are now.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select, update

import tansiq.services.accounts.commands as accounts
import tansiq.services.core.verification as verification
from tansiq.services.accounts.admin_commands import Protected, protect_credentials
from tansiq.services.accounts.commands import create_token, create_user, hash_password
from tansiq.services.accounts.records import TOKEN, USER, public_token, public_user
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import JournalBroken
from tansiq.services.core.registry import RECORD_KINDS
from tansiq.services.core.verification import verify_database
from tansiq.services.directory.commands import create_party
from tansiq.storage.tables.accounts import api_tokens, users
from tansiq.storage.tables.journal import journal
from tests.factories import SYSTEM


@pytest.fixture
def old_accounts(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A user (format 2) and a token (format 1) journaled without digests: (user id, token id)."""
    user_2 = replace(USER, payload=public_user, payload_format=2, earlier_payloads={})
    token_1 = replace(TOKEN, payload=public_token, payload_format=1, earlier_payloads={})
    swapped = {USER.name: user_2, TOKEN.name: token_1}
    kinds = tuple(swapped.get(k.name, k) for k in RECORD_KINDS)
    monkeypatch.setattr(verification, "RECORD_KINDS", kinds)
    monkeypatch.setattr(accounts, "USER", user_2)
    monkeypatch.setattr(accounts, "TOKEN", token_1)
    # Not build_world: a replayed snapshot would hold accounts of the current formats.
    create_party(ctx, by=SYSTEM, party_id="fed", name_en="FED", name_ar="fed", name_ckb="fed")
    user, _ = create_user(ctx, by=SYSTEM, username="ivan", party="fed", roles=["liaison"])
    _, token = create_token(ctx, by=SYSTEM, username="ivan")
    monkeypatch.setattr(verification, "RECORD_KINDS", RECORD_KINDS)
    monkeypatch.setattr(accounts, "USER", USER)
    monkeypatch.setattr(accounts, "TOKEN", TOKEN)
    assert _formats(ctx) == {"user": {2}, "api_token": {1}}
    return user["id"], token["id"]


def _formats(ctx: ServiceContext) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    with ctx.engine.connect() as conn:
        query = select(journal.c.record_kind, journal.c.payload_format).where(
            journal.c.record_kind.in_(["user", "api_token"])
        )
        for kind, payload_format in conn.execute(query):
            found.setdefault(kind, set()).add(payload_format)
    return found


def _swap(ctx: ServiceContext, table: Any, record_id: str, column: str, value: str) -> str:
    """Set ``column`` of the row; return the value it had."""
    with ctx.engine.begin() as conn:
        old = conn.execute(select(table.c[column]).where(table.c.id == record_id)).scalar_one()
        conn.execute(update(table).where(table.c.id == record_id).values({column: value}))
    return str(old)


def _journal_size(ctx: ServiceContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(journal)).scalar_one())


def test_the_backfill_makes_a_swapped_credential_hash_fail_verify(
    ctx: ServiceContext, old_accounts: tuple[str, str]
) -> None:
    user_id, token_id = old_accounts
    attackers = [
        (users, "user", user_id, "password_hash", hash_password(ctx, "the attacker's own one")),
        (api_tokens, "api_token", token_id, "token_hash", hashlib.sha256(b"tsq_x").hexdigest()),
    ]
    # Before: the journal holds no digest of these hashes, so a swap goes unnoticed.
    for table, _kind, record_id, column, value in attackers:
        kept = _swap(ctx, table, record_id, column, value)
        assert verify_database(ctx).ok
        _swap(ctx, table, record_id, column, kept)

    assert protect_credentials(ctx, by=SYSTEM) == Protected(users=1, tokens=1)
    assert _formats(ctx) == {"user": {2, 3}, "api_token": {1, 2}}
    assert verify_database(ctx).ok
    for table, kind, record_id, column, value in attackers:
        kept = _swap(ctx, table, record_id, column, value)
        assert f"record {kind} {record_id} differs" in str(verify_database(ctx).problem)
        _swap(ctx, table, record_id, column, kept)


def test_the_backfill_is_a_new_version_by_the_system_and_runs_once(
    ctx: ServiceContext, old_accounts: tuple[str, str]
) -> None:
    user_id, _ = old_accounts
    with ctx.engine.connect() as conn:
        before = conn.execute(select(users).where(users.c.id == user_id)).mappings().one()
    protect_credentials(ctx, by=SYSTEM)
    size = _journal_size(ctx)
    assert protect_credentials(ctx, by=SYSTEM) == Protected(users=0, tokens=0)
    assert _journal_size(ctx) == size
    with ctx.engine.connect() as conn:
        after = conn.execute(select(users).where(users.c.id == user_id)).mappings().one()
        entry = conn.execute(
            select(journal).where(journal.c.record_id == user_id).order_by(journal.c.seq.desc())
        ).mappings().first()
    assert after["version"] == before["version"] + 1
    assert {k: v for k, v in after.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in before.items() if k not in ("version", "updated_at")
    }
    assert entry is not None
    assert (entry["actor"], entry["action"], entry["payload_format"]) == (
        SYSTEM.user_id, "protect_credentials", 3,
    )


def test_accounts_of_the_current_formats_need_no_backfill(ctx: ServiceContext) -> None:
    create_party(ctx, by=SYSTEM, party_id="fed", name_en="FED", name_ar="fed", name_ckb="fed")
    create_user(ctx, by=SYSTEM, username="ivan", party="fed", roles=["liaison"])
    create_token(ctx, by=SYSTEM, username="ivan")
    size = _journal_size(ctx)
    assert protect_credentials(ctx, by=SYSTEM) == Protected(users=0, tokens=0)
    assert _journal_size(ctx) == size


def test_the_backfill_refuses_to_bless_an_edited_record_and_writes_nothing(
    ctx: ServiceContext, old_accounts: tuple[str, str]
) -> None:
    user_id, _ = old_accounts
    _swap(ctx, users, user_id, "display_name", "Someone Else")
    size = _journal_size(ctx)
    with pytest.raises(JournalBroken, match=f"record user {user_id} differs"):
        protect_credentials(ctx, by=SYSTEM)
    assert _journal_size(ctx) == size
    assert _formats(ctx) == {"user": {2}, "api_token": {1}}
