"""/admin/users: an admin lists their own party's users and manages them by CSRF-checked POSTs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.domain.errors import AuthenticationFailed
from tansiq.services.accounts.commands import authenticate_password
from tansiq.services.core.context import ServiceContext
from tansiq.storage.tables.accounts import users
from tansiq.storage.tables.journal import journal
from tansiq.web.common.deps import LANG_COOKIE
from tests.factories import PASSWORD
from tests.web.conftest import LoginAs, csrf_token


def _state(ctx: ServiceContext) -> tuple[Any, ...]:
    with ctx.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(journal)).scalar_one()
        return count, conn.execute(select(users).order_by(users.c.id)).all()


def test_an_admin_sees_only_their_party_s_users(login_as: LoginAs) -> None:
    page = login_as("krg_admin").get("/admin/users")
    assert page.status_code == 200
    assert "krg_liaison" in page.text and "fed_liaison" not in page.text
    assert 'value="liaison" checked' in page.text


def test_the_page_is_for_admins_only(login_as: LoginAs) -> None:
    assert login_as("krg_analyst").get("/admin/users").status_code == 403


def test_deactivate_reset_and_roles_through_the_page(
    ctx: ServiceContext, login_as: LoginAs
) -> None:
    client = login_as("fed_admin")
    token = csrf_token(client.get("/admin/users").text)
    answer = client.post("/admin/users/fed_liaison/deactivate", data={"csrf_token": token})
    assert answer.status_code == 200 and "User deactivated" in answer.text
    with pytest.raises(AuthenticationFailed):
        authenticate_password(ctx, username="fed_liaison", password=PASSWORD)
    answer = client.post("/admin/users/fed_analyst/reset-password", data={"csrf_token": token})
    new_password = re.search(r'<code dir="ltr">([^<]+)</code>', answer.text)
    assert new_password is not None
    assert authenticate_password(ctx, username="fed_analyst", password=new_password.group(1))
    answer = client.post(
        "/admin/users/fed_observer/roles",
        data={"csrf_token": token, "roles": ["observer", "secretary"]},
    )
    assert answer.status_code == 200 and "Roles changed." in answer.text
    actor = authenticate_password(ctx, username="fed_observer", password=PASSWORD)
    assert {r.value for r in actor.roles} == {"observer", "secretary"}


def test_refused_posts_change_nothing(ctx: ServiceContext, login_as: LoginAs) -> None:
    client = login_as("fed_admin")
    token = csrf_token(client.get("/admin/users").text)
    before = _state(ctx)
    forged = client.post("/admin/users/fed_liaison/deactivate", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    other_party = client.post("/admin/users/krg_liaison/deactivate", data={"csrf_token": token})
    assert other_party.status_code == 404
    unknown = client.post("/admin/users/fed_liaison/promote", data={"csrf_token": token})
    assert unknown.status_code == 404
    no_roles = client.post("/admin/users/fed_liaison/roles", data={"csrf_token": token})
    assert no_roles.status_code == 422 and "Choose one or more of the listed roles" in no_roles.text
    myself = client.post("/admin/users/fed_admin/deactivate", data={"csrf_token": token})
    assert myself.status_code == 422 and "You cannot deactivate your own account." in myself.text
    analyst = login_as("fed_analyst")
    analyst_token = csrf_token(analyst.get("/incidents").text)
    refused = analyst.post("/admin/users/fed_liaison/unlock", data={"csrf_token": analyst_token})
    assert refused.status_code == 403
    assert _state(ctx) == before


def test_the_page_speaks_kurdish(login_as: LoginAs) -> None:
    client = login_as("krg_admin")
    client.cookies.set(LANG_COOKIE, "ckb")
    page = client.get("/admin/users")
    assert "بەکارهێنەرانی لایەنەکەت" in page.text


def test_a_refusal_reads_in_the_page_s_language(ctx: ServiceContext, login_as: LoginAs) -> None:
    client = login_as("fed_admin")
    client.cookies.set(LANG_COOKIE, "ar")
    token = csrf_token(client.get("/admin/users").text)
    before = _state(ctx)
    myself = client.post("/admin/users/fed_admin/deactivate", data={"csrf_token": token})
    assert myself.status_code == 422
    assert "لا يمكنك إيقاف حسابك أنت." in myself.text and "username" not in myself.text
    assert _state(ctx) == before
