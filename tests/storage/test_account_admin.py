"""Accounts managed without SQL: every change journaled, refused ones change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.domain.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    TansiqError,
    ValidationFailed,
)
from tansiq.services.accounts.admin_commands import (
    change_roles,
    reset_password,
    revoke_token,
    set_user_active,
    unlock_user,
)
from tansiq.services.accounts.commands import (
    actor_for_session,
    actor_for_token,
    authenticate_password,
    create_token,
    start_session,
)
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.accounts import api_tokens, users
from tansiq.storage.tables.journal import journal
from tests.factories import PASSWORD, SYSTEM, build_world

NEW_PASSWORD = "a fresh long passphrase"


def _snapshot(ctx: ServiceContext) -> tuple[Any, ...]:
    with read_transaction(ctx.engine) as conn:
        count = conn.execute(select(func.count()).select_from(journal)).scalar_one()
        rows = conn.execute(select(users).order_by(users.c.id)).all()
        tokens = conn.execute(select(api_tokens).order_by(api_tokens.c.id)).all()
    return count, rows, tokens


def _last_action(ctx: ServiceContext) -> tuple[str, str, str]:
    with read_transaction(ctx.engine) as conn:
        row = conn.execute(
            select(journal.c.record_kind, journal.c.action, journal.c.actor)
            .order_by(journal.c.seq.desc())
            .limit(1)
        ).one()
    return row.record_kind, row.action, row.actor


def test_deactivating_a_user_ends_sessions_and_tokens_and_is_journaled(
    ctx: ServiceContext,
) -> None:
    world = build_world(ctx)
    admin = world.actors["fed_admin"]
    secret, _csrf = start_session(ctx, actor=world.actors["fed_analyst"])
    token, _ = create_token(ctx, by=SYSTEM, username="fed_analyst")
    user = set_user_active(ctx, by=admin, username="fed_analyst", active=False)
    assert user["active"] is False
    assert _last_action(ctx) == ("user", "deactivate", admin.user_id)
    with pytest.raises(AuthenticationFailed):
        actor_for_session(ctx, secret=secret)
    with pytest.raises(AuthenticationFailed):
        actor_for_token(ctx, token=token)
    with pytest.raises(AuthenticationFailed):
        authenticate_password(ctx, username="fed_analyst", password=PASSWORD)
    set_user_active(ctx, by=admin, username="fed_analyst", active=True)
    assert _last_action(ctx)[1] == "activate"
    assert actor_for_token(ctx, token=token).username == "fed_analyst"
    assert verify_database(ctx).ok


def test_reset_password_ends_old_sessions_and_refuses_a_weak_one(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    admin = world.actors["krg_admin"]
    secret, _csrf = start_session(ctx, actor=world.actors["krg_liaison"])
    before = _snapshot(ctx)
    with pytest.raises(ValidationFailed) as refused:
        reset_password(ctx, by=admin, username="krg_liaison", password="krg_liaison-2020x")
    assert refused.value.errors[0].field == "password"
    assert _snapshot(ctx) == before
    _user, password = reset_password(ctx, by=admin, username="krg_liaison", password=NEW_PASSWORD)
    assert password == NEW_PASSWORD and _last_action(ctx)[:2] == ("user", "reset_password")
    with pytest.raises(AuthenticationFailed):
        actor_for_session(ctx, secret=secret)
    with pytest.raises(AuthenticationFailed):
        authenticate_password(ctx, username="krg_liaison", password=PASSWORD)
    assert authenticate_password(ctx, username="krg_liaison", password=NEW_PASSWORD)
    _user, generated = reset_password(ctx, by=SYSTEM, username="krg_liaison")
    assert authenticate_password(ctx, username="krg_liaison", password=generated)
    assert verify_database(ctx).ok


def test_change_roles_is_journaled_and_takes_effect(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    user = change_roles(
        ctx, by=world.actors["fed_admin"], username="fed_observer", roles=["analyst", "liaison"]
    )
    assert user["roles"] == ["analyst", "liaison"]
    actor = authenticate_password(ctx, username="fed_observer", password=PASSWORD)
    assert {r.value for r in actor.roles} == {"analyst", "liaison"}
    assert _last_action(ctx)[:2] == ("user", "change_roles")
    assert verify_database(ctx).ok


def test_revoke_token_by_its_user_or_an_admin_is_journaled(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    token, record = create_token(ctx, by=SYSTEM, username="fed_liaison")
    revoked = revoke_token(ctx, by=world.actors["fed_admin"], token_id=record["id"])
    assert revoked["revoked_at"] is not None and revoked["version"] == 2
    assert _last_action(ctx)[:2] == ("api_token", "revoke")
    with pytest.raises(AuthenticationFailed):
        actor_for_token(ctx, token=token)
    # Revoking again changes nothing.
    before = _snapshot(ctx)
    assert revoke_token(ctx, by=SYSTEM, token_id=record["id"]) == revoked
    assert _snapshot(ctx) == before
    _own, own = create_token(ctx, by=SYSTEM, username="fed_analyst")
    assert revoke_token(ctx, by=world.actors["fed_analyst"], token_id=own["id"])["revoked_at"]
    assert verify_database(ctx).ok


@pytest.mark.parametrize(
    ("by", "call", "error", "field"),
    [
        # Another party's users and tokens are not there, as far as krg can tell.
        ("krg_admin", "deactivate", NotFound, None),
        ("krg_admin", "revoke", NotFound, None),
        ("fed_analyst", "deactivate", PermissionDenied, None),
        ("fed_analyst", "roles", PermissionDenied, None),
        ("fed_observer", "revoke", PermissionDenied, None),
        ("fed_admin", "missing", NotFound, None),
        ("fed_admin", "bad_roles", ValidationFailed, "roles"),
        ("fed_admin", "weak_password", ValidationFailed, "password"),
        ("fed_admin", "self_deactivate", ValidationFailed, "username"),
        ("fed_admin", "self_demote", ValidationFailed, "roles"),
    ],
)
def test_refused_account_changes_change_nothing(
    ctx: ServiceContext, by: str, call: str, error: type[TansiqError], field: str | None
) -> None:
    world = build_world(ctx)
    actor = world.actors[by]
    _token, record = create_token(ctx, by=SYSTEM, username="fed_liaison")
    calls = {
        "deactivate": lambda: set_user_active(
            ctx, by=actor, username="fed_liaison", active=False
        ),
        "revoke": lambda: revoke_token(ctx, by=actor, token_id=record["id"]),
        "roles": lambda: change_roles(ctx, by=actor, username="fed_liaison", roles=["admin"]),
        "missing": lambda: unlock_user(ctx, by=actor, username="nobody"),
        "bad_roles": lambda: change_roles(ctx, by=actor, username="fed_liaison", roles=["boss"]),
        "weak_password": lambda: reset_password(
            ctx, by=actor, username="fed_liaison", password="x" * 12
        ),
        "self_deactivate": lambda: set_user_active(
            ctx, by=actor, username="fed_admin", active=False
        ),
        "self_demote": lambda: change_roles(
            ctx, by=actor, username="fed_admin", roles=["analyst"]
        ),
    }
    before = _snapshot(ctx)
    with pytest.raises(error) as refused:
        calls[call]()
    if field is not None:
        assert [e.field for e in refused.value.errors] == [field]
    assert _snapshot(ctx) == before
