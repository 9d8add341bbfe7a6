"""Managing accounts without SQL: revoke tokens, (de)activate, reset passwords, roles, unlock,
and journaling old users and tokens again so that their credentials are protected.

Each change is a new, journaled version of the user or token, made by an admin of
the user's party or by the node's own command line (a ``SystemActor``). A user of
another party is not found: user records never leave their party.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select

from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.choices import RoleChoices
from tansiq.domain.errors import ErrorCollector, NotFound, PermissionDenied, ValidationFailed
from tansiq.journal.canonical import canonical_json
from tansiq.services.accounts import login_limits
from tansiq.services.accounts.commands import hash_password
from tansiq.services.accounts.passwords import check_password
from tansiq.services.accounts.records import TOKEN, USER, public_token, public_user
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import JournalBroken
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.versioning import new_version
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.accounts import api_tokens, users, web_sessions
from tansiq.storage.tables.journal import journal

Author = Actor | SystemActor
ADMINS_ONLY = "only an admin of the user's party may manage accounts"


def _managed_user(conn: Connection, by: Author, username: str) -> Mapping[str, Any]:
    """The user row ``by`` may manage, locked for the change.

    Raises NotFound (no such user, or another party's) and PermissionDenied (not an admin).
    """
    row = (
        conn.execute(select(users).where(users.c.username == username).with_for_update())
        .mappings()
        .first()
    )
    if row is None or (isinstance(by, Actor) and row["party_id"] != by.party):
        raise NotFound(f"no user named {username}")
    if isinstance(by, Actor) and RoleChoices.ADMIN not in by.roles:
        raise PermissionDenied(ADMINS_ONLY)
    return dict(row)


def _change_user(
    ctx: ServiceContext,
    *,
    by: Author,
    username: str,
    changes: dict[str, Any],
    action: str,
    end_sessions: bool = False,
) -> dict[str, Any]:
    """Write ``changes`` to ``username`` as a journaled version; end their sessions if asked."""
    with write_transaction(ctx.engine) as conn:
        row = _managed_user(conn, by, username)
        if action in ("deactivate", "change_roles") and row["id"] == by.user_id:
            _refuse_self(row, changes)
        merged = new_version(
            conn, ctx, USER, row, changes, actor_id=by.user_id, now=ctx.clock(), action=action
        )
        if end_sessions:
            conn.execute(delete(web_sessions).where(web_sessions.c.user_id == row["id"]))
        if action == "unlock":
            login_limits.clear_failures(conn, username=username)
    return public_user(merged)


def _refuse_self(row: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
    # An admin who locks themselves out leaves the party with nobody to undo it.
    if changes.get("active") is False:
        raise ValidationFailed.single("username", "you cannot deactivate yourself")
    if RoleChoices.ADMIN.value not in changes.get("roles", row["roles"]):
        raise ValidationFailed.single("roles", "you cannot remove your own admin role")


def set_user_active(
    ctx: ServiceContext, *, by: Author, username: str, active: bool
) -> dict[str, Any]:
    """Deactivate (ending every session; tokens stop working) or reactivate a user.

    Raises NotFound, PermissionDenied, ValidationFailed (an admin deactivating themselves).
    """
    action = "activate" if active else "deactivate"
    return _change_user(
        ctx,
        by=by,
        username=username,
        changes={"active": active},
        action=action,
        end_sessions=not active,
    )


def reset_password(
    ctx: ServiceContext, *, by: Author, username: str, password: str | None = None
) -> tuple[dict[str, Any], str]:
    """Set a new password (generated if none given) and end the user's sessions.

    Returns (user, password). Raises NotFound, PermissionDenied, ValidationFailed
    naming ``password``.
    """
    errors = ErrorCollector()
    if password is not None:
        check_password(errors, password=password, username=username)
    errors.raise_if_any()
    password = password or secrets.token_urlsafe(12)
    user = _change_user(
        ctx,
        by=by,
        username=username,
        changes={"password_hash": hash_password(ctx, password)},
        action="reset_password",
        end_sessions=True,
    )
    return user, password


def change_roles(
    ctx: ServiceContext, *, by: Author, username: str, roles: Sequence[str]
) -> dict[str, Any]:
    """Give a user exactly ``roles``.

    Raises NotFound, PermissionDenied, ValidationFailed naming ``roles`` (unknown
    roles, none, or an admin dropping their own admin role).
    """
    valid = {r.value for r in RoleChoices}
    if not roles or any(r not in valid for r in roles):
        raise ValidationFailed.single(
            "roles", f"must be one or more of: {', '.join(sorted(valid))}"
        )
    changes: dict[str, Any] = {"roles": sorted(set(roles))}
    return _change_user(ctx, by=by, username=username, changes=changes, action="change_roles")


def unlock_user(ctx: ServiceContext, *, by: Author, username: str) -> dict[str, Any]:
    """Release a lock-out after failed logins and forget the failures counted.

    Raises NotFound, PermissionDenied.
    """
    changes: dict[str, Any] = {"locked_at": None}
    return _change_user(ctx, by=by, username=username, changes=changes, action="unlock")


def revoke_token(ctx: ServiceContext, *, by: Author, token_id: str) -> dict[str, Any]:
    """Revoke an API token (idempotent); the user or an admin of their party may.

    Raises NotFound (no such token, or another party's) and PermissionDenied.
    """
    with write_transaction(ctx.engine) as conn:
        row = (
            conn.execute(
                select(api_tokens, users.c.party_id)
                .join(users, users.c.id == api_tokens.c.user_id)
                .where(api_tokens.c.id == token_id)
                .with_for_update(of=api_tokens)
            )
            .mappings()
            .first()
        )
        if row is None or (isinstance(by, Actor) and row["party_id"] != by.party):
            raise NotFound(f"no token {token_id}")
        if (
            isinstance(by, Actor)
            and by.user_id != row["user_id"]
            and RoleChoices.ADMIN not in by.roles
        ):
            raise PermissionDenied("only the token's user or an admin of their party may revoke it")
        if row["revoked_at"] is not None:
            return public_token(row)
        now = ctx.clock()
        merged = new_version(
            conn,
            ctx,
            TOKEN,
            dict(row),
            {"revoked_at": now},
            actor_id=by.user_id,
            now=now,
            action="revoke",
        )
    return public_token(merged)


@dataclass(frozen=True)
class Protected:
    """How many users and tokens :func:`protect_credentials` journaled again."""

    users: int
    tokens: int


def protect_credentials(ctx: ServiceContext, *, by: SystemActor) -> Protected:
    """Journal a new version of each user and token whose latest entry predates its digest.

    Until then a swapped ``password_hash`` / ``token_hash`` of such a record passes
    ``tansiq verify``; afterwards it does not. Same content, current payload format;
    idempotent (a second run writes nothing). Raises JournalBroken, writing nothing,
    when such a record differs from its latest entry (it would bless the edit), and
    KeyRetired.
    """
    with write_transaction(ctx.engine) as conn:
        now = ctx.clock()
        stale_users = _older_format(conn, USER)
        stale_tokens = _older_format(conn, TOKEN)
        user_rows = (
            conn.execute(select(users).where(users.c.id.in_(list(stale_users))).with_for_update())
            .mappings()
            .all()
        )
        token_rows = (
            conn.execute(
                select(api_tokens, users.c.party_id)
                .join(users, users.c.id == api_tokens.c.user_id)
                .where(api_tokens.c.id.in_(list(stale_tokens)))
                .with_for_update(of=api_tokens)
            )
            .mappings()
            .all()
        )
        for kind, rows, stale in (
            (USER, user_rows, stale_users),
            (TOKEN, token_rows, stale_tokens),
        ):
            for row in rows:
                payload_format, journaled = stale[row["id"]]
                if canonical_json(kind.payload_in(payload_format)(row)).decode() != journaled:
                    raise JournalBroken(
                        f"record {kind.name} {row['id']} differs from its latest journaled "
                        "version: nothing was protected; run `tansiq verify`"
                    )
                new_version(
                    conn,
                    ctx,
                    kind,
                    dict(row),
                    {},
                    actor_id=by.user_id,
                    now=now,
                    action="protect_credentials",
                    rewrite=True,
                )
    return Protected(users=len(user_rows), tokens=len(token_rows))


def _older_format(conn: Connection, kind: RecordKind) -> dict[str, tuple[int, str]]:
    """(format, payload) of the latest entry of each record of ``kind`` in an earlier format."""
    latest = (
        select(func.max(journal.c.seq).label("seq"))
        .where(journal.c.record_kind == kind.name)
        .group_by(journal.c.record_id)
        .subquery()
    )
    query = (
        select(journal.c.record_id, journal.c.payload_format, journal.c.payload)
        .join(latest, journal.c.seq == latest.c.seq)
        .where(journal.c.payload_format < kind.payload_format)
    )
    return {r.record_id: (r.payload_format, r.payload) for r in conn.execute(query)}
