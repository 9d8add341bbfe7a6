"""Web sessions are bound to the node key: a row written into the database logs nobody in."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from tansiq.domain.errors import AuthenticationFailed
from tansiq.journal.keys import create_key
from tansiq.services.accounts.commands import actor_for_session, start_session
from tansiq.services.core.context import ServiceContext
from tansiq.storage.tables.accounts import web_sessions
from tests.factories import World
from tests.web.conftest import TestClient, log_in


def _forge_session(ctx: ServiceContext, user_id: str) -> str:
    """Insert a live session row for ``user_id`` the way the database alone allows."""
    secret = secrets.token_urlsafe(32)
    now = ctx.clock()
    with ctx.engine.begin() as conn:
        conn.execute(
            insert(web_sessions).values(
                id_hash=hashlib.sha256(secret.encode()).hexdigest(),
                user_id=user_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + timedelta(hours=8),
            )
        )
    return secret


def test_a_session_row_inserted_in_the_database_does_not_log_in(
    ctx: ServiceContext, client: TestClient, world: World
) -> None:
    secret = _forge_session(ctx, world.actors["fed_admin"].user_id)
    client.cookies.set("tansiq_session", secret)
    answer = client.get("/incidents", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    with pytest.raises(AuthenticationFailed):
        actor_for_session(ctx, secret=secret)

    # A real login still works, and its row is not the plain digest of the cookie.
    client.cookies.clear()
    log_in(client, "fed_liaison")
    listing = client.get("/incidents", follow_redirects=False)
    assert listing.status_code == 200 and "fed_liaison" in listing.text
    cookie = client.cookies["tansiq_session"]
    with ctx.engine.connect() as conn:
        stored = set(conn.execute(select(web_sessions.c.id_hash)).scalars())
    assert hashlib.sha256(cookie.encode()).hexdigest() not in stored


def test_a_session_is_valid_only_under_the_key_that_opened_it(
    ctx: ServiceContext, world: World, tmp_path: Path
) -> None:
    actor = world.actors["fed_liaison"]
    secret, csrf = start_session(ctx, actor=actor)
    assert actor_for_session(ctx, secret=secret) == (actor, csrf)
    # The same database under another node key: the row matches no cookie.
    other = replace(ctx, key=create_key(tmp_path / "other.key"))
    with pytest.raises(AuthenticationFailed):
        actor_for_session(other, secret=secret)
