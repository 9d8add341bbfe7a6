"""Failed logins are limited per account (a journaled lock-out) and per client address;
password hashing runs in a bounded number of slots."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from sqlalchemy import select

import tansiq.services.accounts.commands as accounts
from tansiq.domain.errors import AuthenticationFailed, TooManyAttempts
from tansiq.services.accounts.admin_commands import unlock_user
from tansiq.services.accounts.commands import authenticate_password
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.journal import journal
from tests.factories import PASSWORD, Clock, build_world


def _fail(ctx: ServiceContext, username: str, times: int, client: str | None = None) -> None:
    for _ in range(times):
        with pytest.raises((AuthenticationFailed, TooManyAttempts)):
            authenticate_password(ctx, username=username, password="wrong password!", client=client)


def test_thirty_wrong_passwords_are_not_followed_by_a_login(ctx: ServiceContext) -> None:
    build_world(ctx)
    _fail(ctx, "fed_liaison", 30)
    with pytest.raises(TooManyAttempts):
        authenticate_password(ctx, username="fed_liaison", password=PASSWORD)


def test_the_lock_out_is_journaled_and_an_admin_releases_it(
    ctx: ServiceContext, clock: Clock
) -> None:
    world = build_world(ctx)
    limit = ctx.settings.login_max_failures
    _fail(ctx, "krg_analyst", limit - 1)
    with pytest.raises(TooManyAttempts, match="locked"):
        authenticate_password(ctx, username="krg_analyst", password="still wrong!!")
    with read_transaction(ctx.engine) as conn:
        entry = conn.execute(
            select(journal.c.action, journal.c.actor, journal.c.payload)
            .order_by(journal.c.seq.desc())
            .limit(1)
        ).one()
    assert (entry.action, entry.actor) == ("lock", "system:login")
    # A lock-out does not expire by itself: only an admin releases it.
    clock.advance(days=2)
    with pytest.raises(TooManyAttempts):
        authenticate_password(ctx, username="krg_analyst", password=PASSWORD)
    user = unlock_user(ctx, by=world.actors["krg_admin"], username="krg_analyst")
    assert user["locked_at"] is None
    assert authenticate_password(ctx, username="krg_analyst", password=PASSWORD)
    assert verify_database(ctx).ok


def test_a_good_login_resets_the_account_count(ctx: ServiceContext) -> None:
    build_world(ctx)
    limit = ctx.settings.login_max_failures
    _fail(ctx, "fed_analyst", limit - 1)
    authenticate_password(ctx, username="fed_analyst", password=PASSWORD)
    _fail(ctx, "fed_analyst", limit - 1)
    assert authenticate_password(ctx, username="fed_analyst", password=PASSWORD)


def test_failures_older_than_the_window_are_forgotten(ctx: ServiceContext, clock: Clock) -> None:
    build_world(ctx)
    limit = ctx.settings.login_max_failures
    _fail(ctx, "fed_observer", limit - 1)
    clock.advance(minutes=ctx.settings.login_window_minutes + 1)
    _fail(ctx, "fed_observer", limit - 1)
    assert authenticate_password(ctx, username="fed_observer", password=PASSWORD)


def test_one_address_guessing_many_accounts_is_refused_until_its_window_ends(
    ctx: ServiceContext, clock: Clock
) -> None:
    build_world(ctx)
    ctx = replace(ctx, settings=replace(ctx.settings, login_max_failures_per_address=6))
    # Two failures per account: no account reaches its own limit.
    for name in ("fed_liaison", "fed_analyst", "krg_liaison"):
        _fail(ctx, name, 2, client="203.0.113.9")
    with pytest.raises(TooManyAttempts, match="this address"):
        authenticate_password(ctx, username="un_admin", password=PASSWORD, client="203.0.113.9")
    # Another address is not affected, and the refused one may try again later.
    assert authenticate_password(ctx, username="un_admin", password=PASSWORD, client="192.0.2.1")
    clock.advance(minutes=ctx.settings.login_window_minutes + 1)
    assert authenticate_password(
        ctx, username="un_admin", password=PASSWORD, client="203.0.113.9"
    )


def test_unknown_usernames_are_limited_too_without_a_journal_entry(ctx: ServiceContext) -> None:
    build_world(ctx)
    with read_transaction(ctx.engine) as conn:
        before = conn.execute(select(journal.c.seq)).all()
    _fail(ctx, "nobody_here", ctx.settings.login_max_failures)
    with pytest.raises(TooManyAttempts):
        authenticate_password(ctx, username="nobody_here", password=PASSWORD)
    with read_transaction(ctx.engine) as conn:
        assert conn.execute(select(journal.c.seq)).all() == before


class _SlowHasher:
    """Stands in for argon2: records how many checks run at once."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.05)
        with self.lock:
            self.running -= 1
        return bool(self.real.verify(stored, password))  # type: ignore[attr-defined]


def test_password_checks_run_at_most_hash_concurrency_at_once(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_world(ctx)
    slow = _SlowHasher(accounts._hasher)
    monkeypatch.setattr(accounts, "_hasher", slow)
    ctx = replace(ctx, settings=replace(ctx.settings, hash_concurrency=2))
    names = [f"{p}_{r}" for p in ("fed", "krg", "un") for r in ("liaison", "analyst")]
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        actors = list(
            pool.map(
                lambda name: authenticate_password(ctx, username=name, password=PASSWORD), names
            )
        )
    assert [a.username for a in actors] == names
    assert slow.most == 2
