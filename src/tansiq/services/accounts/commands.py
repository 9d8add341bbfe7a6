"""Users, API tokens and web sessions: who may act, and as whom."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Column, Connection, delete, insert, select

from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.choices import RoleChoices
from tansiq.domain.errors import (
    AuthenticationFailed,
    ErrorCollector,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from tansiq.services.accounts import login_limits
from tansiq.services.accounts.passwords import check_password, hashing_slot
from tansiq.services.accounts.records import TOKEN, USER, public_token, public_user
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.ids import new_id
from tansiq.services.core.journaling import append_entries
from tansiq.services.core.versioning import insert_records
from tansiq.services.directory.commands import center_ids_of_party
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.accounts import api_tokens, users, web_sessions
from tansiq.storage.tables.directory import parties

# argon2-cffi's PasswordHasher defaults to argon2id with RFC 9106 parameters.
_hasher = PasswordHasher()
# Verified against when the username is unknown, so timing does not reveal which.
# A precomputed hash of the production parameters: hashing at import would cost every
# process 64 MiB and a third of a second before its first request.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$G/YtI0s7QAi+DlKyia+qWg$"
    "XzFov2W1p8jwoYtC54Ab3Q3Z/HfnI952YRVKmpU48/o"
)
LANGUAGES = ("en", "ar", "ckb")
# What the session key is derived from the node key with (see ``_session_hash``).
SESSION_KEY_LABEL = b"tansiq web session key v1"

Author = Actor | SystemActor


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _session_hash(ctx: ServiceContext, secret: str) -> str:
    # Keyed with a secret derived from the node key, which is not in the database: a
    # session row written behind the node's back, hash and all, logs nobody in.
    key = ctx.key.derived_secret(SESSION_KEY_LABEL)
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def hash_password(ctx: ServiceContext, password: str) -> str:
    """The argon2id hash of ``password``, made in one of the node's bounded hashing slots."""
    with hashing_slot(ctx.settings.hash_concurrency):
        return _hasher.hash(password)


def _password_matches(ctx: ServiceContext, stored: str, password: str) -> bool:
    with hashing_slot(ctx.settings.hash_concurrency):
        try:
            return _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False


def _actor_from_row(conn: Connection, row: Any) -> Actor:
    return Actor(
        user_id=row.id,
        username=row.username,
        party=row.party_id,
        roles=frozenset(RoleChoices(r) for r in row.roles),
        centers=center_ids_of_party(conn, row.party_id),
        language=row.language,
    )


def _check_party_and_name(
    conn: Connection, errors: ErrorCollector, party: str, username: str
) -> None:
    if conn.execute(select(parties.c.id).where(parties.c.id == party)).first() is None:
        errors.add("party", f"unknown party {party!r}")
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        errors.add("username", f"user {username} already exists")


def create_user(
    ctx: ServiceContext,
    *,
    by: Author,
    username: str,
    party: str,
    roles: Sequence[str],
    display_name: str | None = None,
    password: str | None = None,
    language: str = "en",
) -> tuple[dict[str, Any], str]:
    """Create a user; returns (user, password), generating a password if none given.

    Raises ValidationFailed naming a bad field, PermissionDenied for a non-admin
    or an admin of another party.
    """
    if isinstance(by, Actor) and (RoleChoices.ADMIN not in by.roles or by.party != party):
        raise PermissionDenied("only an admin of the same party may add users")
    errors = ErrorCollector()
    if not (3 <= len(username) <= 64 and username.replace("_", "").replace(".", "").isalnum()):
        errors.add("username", "must be 3-64 letters, digits, '.' or '_'")
    valid_roles = {r.value for r in RoleChoices}
    if not roles or any(r not in valid_roles for r in roles):
        errors.add("roles", f"must be one or more of: {', '.join(sorted(valid_roles))}")
    if language not in LANGUAGES:
        errors.add("language", "must be en, ar or ckb")
    if password is not None:
        check_password(errors, password=password, username=username)
    with read_transaction(ctx.engine) as conn:
        _check_party_and_name(conn, errors, party, username)
    errors.raise_if_any()
    password = password or secrets.token_urlsafe(12)
    now = ctx.clock()
    row = {
        "id": new_id(),
        "username": username,
        "display_name": display_name or username,
        "party_id": party,
        "roles": sorted(set(roles)),
        "language": language,
        "active": True,
        "password_hash": hash_password(ctx, password),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    with write_transaction(ctx.engine) as conn:
        # Checked again under the write lock: another admin may have been quicker.
        _check_party_and_name(conn, errors, party, username)
        errors.raise_if_any()
        insert_records(conn, ctx, USER, [row], actor_id=by.user_id)
    return public_user(row), password


def authenticate_password(
    ctx: ServiceContext, *, username: str, password: str, client: str | None = None
) -> Actor:
    """The actor for a username and password.

    ``client`` is the caller's address, counted against its own failure limit.
    Raises AuthenticationFailed, or TooManyAttempts for a locked account or an
    address over its limit (then the password is not even checked).
    """
    counted = login_limits.refuse_if_limited(ctx, username=username, client=client)
    with read_transaction(ctx.engine) as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
    stored = row.password_hash if row is not None and row.active else _DUMMY_HASH
    # Checked outside the transaction: waiting for a hashing slot must not hold it open.
    if not _password_matches(ctx, stored, password) or row is None or not row.active:
        if login_limits.record_failure(ctx, username=username, client=client):
            raise TooManyAttempts(login_limits.LOCKED)
        raise AuthenticationFailed("invalid username or password")
    if counted:
        with write_transaction(ctx.engine) as conn:
            login_limits.clear_failures(conn, username=username)
    with read_transaction(ctx.engine) as conn:
        return _actor_from_row(conn, row)


def create_token(
    ctx: ServiceContext, *, by: Author, username: str, name: str = "cli", days: int | None = None
) -> tuple[str, dict[str, Any]]:
    """Issue a bearer token for ``username``; returns (secret, token record).

    Only the SHA-256 of the secret is stored. Raises NotFound for an unknown
    user, ValidationFailed for a bad lifetime.
    """
    lifetime = ctx.settings.token_days if days is None else days
    errors = ErrorCollector()
    if not 1 <= lifetime <= 3650:
        errors.add("days", "must be between 1 and 3650")
    if not 1 <= len(name) <= 100:
        errors.add("name", "must be 1-100 characters")
    errors.raise_if_any()
    secret = "tsq_" + secrets.token_urlsafe(32)
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        user = conn.execute(select(users).where(users.c.username == username)).first()
        if user is None:
            raise NotFound(f"no user named {username}")
        if (
            isinstance(by, Actor)
            and by.user_id != user.id
            and (RoleChoices.ADMIN not in by.roles or by.party != user.party_id)
        ):
            raise PermissionDenied("only the user or an admin of their party may issue tokens")
        row = {
            "id": new_id(),
            "user_id": user.id,
            "name": name,
            "token_hash": _digest(secret),
            "expires_at": now + timedelta(days=lifetime),
            "revoked_at": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        conn.execute(insert(api_tokens).values(**row))
        draft = TOKEN.draft({**row, "party_id": user.party_id}, actor=by.user_id, action="create")
        append_entries(conn, ctx, [draft])
    return secret, public_token(row)


def _user_holding(conn: Connection, key: Column[str], digest: str, *columns: Column[Any]) -> Any:
    """The user row joined to the row of ``key``'s table holding ``digest``, or None."""
    held = key.table
    return conn.execute(
        select(users, *columns).join(held, held.c.user_id == users.c.id).where(key == digest)
    ).first()


def actor_for_token(ctx: ServiceContext, *, token: str) -> Actor:
    """The actor a bearer token stands for; raises AuthenticationFailed."""
    now = ctx.clock()
    with read_transaction(ctx.engine) as conn:
        found = _user_holding(
            conn,
            api_tokens.c.token_hash,
            _digest(token),
            api_tokens.c.expires_at,
            api_tokens.c.revoked_at,
        )
        if found is None or found.revoked_at is not None or not found.active:
            raise AuthenticationFailed("unknown or revoked token")
        if found.expires_at <= now:
            raise AuthenticationFailed("the token has expired")
        return _actor_from_row(conn, found)


def start_session(ctx: ServiceContext, *, actor: Actor) -> tuple[str, str]:
    """Open a web session; returns (session secret for the cookie, CSRF token).

    Sessions are login state, not records: they are not journaled. The row holds
    HMAC(session key, secret), the key derived from the node key (``_session_hash``).
    """
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
        conn.execute(
            insert(web_sessions).values(
                id_hash=_session_hash(ctx, secret),
                user_id=actor.user_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=ctx.settings.session_hours),
            )
        )
    return secret, csrf


def actor_for_session(ctx: ServiceContext, *, secret: str) -> tuple[Actor, str]:
    """The actor and CSRF token of a live session; raises AuthenticationFailed."""
    with read_transaction(ctx.engine) as conn:
        s = web_sessions.c
        digest = _session_hash(ctx, secret)
        found = _user_holding(conn, s.id_hash, digest, s.csrf_token, s.expires_at)
        if found is None or found.expires_at <= ctx.clock() or not found.active:
            raise AuthenticationFailed("the session has ended; log in again")
        return _actor_from_row(conn, found), found.csrf_token


def end_session(ctx: ServiceContext, *, secret: str) -> None:
    """Log out: forget the session (idempotent)."""
    with write_transaction(ctx.engine) as conn:
        digest = _session_hash(ctx, secret)
        conn.execute(delete(web_sessions).where(web_sessions.c.id_hash == digest))


def actor_for_username(ctx: ServiceContext, *, username: str) -> Actor:
    """Act as a named, active user: the node's own command line, whose operator vouches.

    Raises NotFound naming an unknown user, PermissionDenied for a deactivated one.
    """
    with read_transaction(ctx.engine) as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
        if row is None:
            raise NotFound(f"no user named {username}")
        if not row.active:
            raise PermissionDenied(f"user {username} is deactivated")
        return _actor_from_row(conn, row)


def get_user_by_username(ctx: ServiceContext, *, username: str) -> dict[str, Any]:
    """A user's public record; raises NotFound."""
    with read_transaction(ctx.engine) as conn:
        row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    if row is None:
        raise NotFound(f"no user named {username}")
    return public_user(row)


def user_labels(ctx: ServiceContext, *, actor: Actor, user_ids: Sequence[str]) -> dict[str, str]:
    """Names to show for ``user_ids``: display names of the actor's own party only.

    User records are released to their own party (they never leave its node), so
    another party's user is shown by party, e.g. ``"krg"``; unknown ids map to
    themselves (system actors such as ``system:cli``).
    """
    wanted = sorted(set(user_ids))
    labels = {user_id: user_id for user_id in wanted}
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(
            select(users.c.id, users.c.display_name, users.c.party_id).where(users.c.id.in_(wanted))
        )
        for row in rows:
            labels[row.id] = row.display_name if row.party_id == actor.party else row.party_id
    return labels
