"""Failed-login limits: per account (a journaled lock-out) and per client address.

Failures are counted in ``login_failures`` (login state, never journaled) over a
window of ``login_window_minutes``. ``login_max_failures`` failures in a row on one
account lock it: a new, journaled version of the user with ``locked_at`` set, which
only an admin clears (``unlock_user``). ``login_max_failures_per_address`` failures
from one client address refuse that address until its window ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from tansiq.domain.actors import SystemActor
from tansiq.domain.errors import TooManyAttempts
from tansiq.services.accounts.records import USER
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.versioning import new_version
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.accounts import login_failures, users

LOGIN_ACTOR = SystemActor("system:login")
LOCKED = "too many failed logins: the account is locked until an admin unlocks it"
THROTTLED = "too many failed logins from this address; try again in {minutes} minutes"


def _keys(username: str, client: str | None) -> tuple[str, str | None]:
    return f"user:{username.lower()}", (f"addr:{client}" if client else None)


def _window(ctx: ServiceContext) -> timedelta:
    return timedelta(minutes=max(1, ctx.settings.login_window_minutes))


def _count(conn: Connection, key: str, now: datetime, cutoff: datetime) -> int:
    """Count one more failure for ``key``, starting a new window if the last one ended."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stale = login_failures.c.first_at < cutoff
    # One statement, so concurrent failures on PostgreSQL cannot lose a count.
    stmt = dialect.insert(login_failures).values(key=key, failures=1, first_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=[login_failures.c.key],
        set_={
            "failures": case((stale, 1), else_=login_failures.c.failures + 1),
            "first_at": case((stale, now), else_=login_failures.c.first_at),
        },
    ).returning(login_failures.c.failures)
    return int(conn.execute(stmt).scalar_one())


def refuse_if_limited(ctx: ServiceContext, *, username: str, client: str | None) -> bool:
    """Raise TooManyAttempts when the account is locked or the address is over its limit.

    Returns whether the account has failures counted (a good login then clears them).
    """
    now = ctx.clock()
    user_key, addr_key = _keys(username, client)
    with read_transaction(ctx.engine) as conn:
        if conn.execute(
            select(users.c.id).where(users.c.username == username, users.c.locked_at.is_not(None))
        ).first():
            raise TooManyAttempts(LOCKED)
        rows = conn.execute(
            select(login_failures).where(login_failures.c.key.in_([user_key, addr_key or ""]))
        ).all()
    limits = {user_key: ctx.settings.login_max_failures}
    if addr_key:
        limits[addr_key] = ctx.settings.login_max_failures_per_address
    for row in rows:
        ends = row.first_at + _window(ctx)
        if ends > now and row.failures >= limits[row.key]:
            minutes = max(1, int((ends - now).total_seconds() // 60) + 1)
            raise TooManyAttempts(THROTTLED.format(minutes=minutes))
    return any(row.key == user_key for row in rows)


def record_failure(ctx: ServiceContext, *, username: str, client: str | None) -> bool:
    """Count a failed login; lock the account (journaled) at its limit.

    Returns True when this failure locked the account.
    """
    now = ctx.clock()
    cutoff = now - _window(ctx)
    user_key, addr_key = _keys(username, client)
    with write_transaction(ctx.engine) as conn:
        if addr_key:
            _count(conn, addr_key, now, cutoff)
        if _count(conn, user_key, now, cutoff) < ctx.settings.login_max_failures:
            return False
        row = (
            conn.execute(select(users).where(users.c.username == username).with_for_update())
            .mappings()
            .first()
        )
        if row is None or row["locked_at"] is not None:
            return False
        new_version(
            conn,
            ctx,
            USER,
            dict(row),
            {"locked_at": now},
            actor_id=LOGIN_ACTOR.user_id,
            now=now,
            action="lock",
        )
        return True


def clear_failures(conn: Connection, *, username: str) -> None:
    """Forget an account's failed logins (after a good login or an admin's unlock)."""
    user_key, _addr = _keys(username, None)
    conn.execute(delete(login_failures).where(login_failures.c.key == user_key))
