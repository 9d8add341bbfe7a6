"""The login page under failed-login limits, and cookies marked Secure over HTTPS."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest
from starlette.exceptions import StarletteDeprecationWarning

from tansiq.services.core.context import ServiceContext
from tansiq.web.common.deps import LOGIN_CSRF_COOKIE
from tests.apps import app_on
from tests.factories import PASSWORD, World
from tests.web.conftest import csrf_token

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


def _post_login(client: TestClient, username: str, password: str, **headers: str) -> object:
    page = client.get("/login", headers=headers)
    # The test client talks plain HTTP, so it would hold back a Secure login cookie that
    # a browser behind the HTTPS proxy sends: pass it on by hand.
    login_cookie = page.cookies.get(LOGIN_CSRF_COOKIE)
    if login_cookie:
        headers = {**headers, "Cookie": f"{LOGIN_CSRF_COOKIE}={login_cookie}"}
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
        headers=headers,
        follow_redirects=False,
    )


def _session_cookie(answer: object) -> str:
    cookies = answer.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return next(c for c in cookies if "tansiq_session=" in c)


def test_a_locked_account_gets_a_429_page_even_with_the_right_password(
    ctx: ServiceContext, client: TestClient, world: World
) -> None:
    for _ in range(ctx.settings.login_max_failures - 1):
        assert _post_login(client, "fed_liaison", "wrong password!").status_code == 200
    locked = _post_login(client, "fed_liaison", "wrong password!")
    assert locked.status_code == 429  # type: ignore[attr-defined]
    assert "Too many failed logins" in locked.text  # type: ignore[attr-defined]
    answer = _post_login(client, "fed_liaison", PASSWORD)
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert "tansiq_session" not in answer.headers.get("set-cookie", "")  # type: ignore[attr-defined]


def test_the_429_page_is_translated(ctx: ServiceContext, client: TestClient, world: World) -> None:
    arabic = {"Accept-Language": "ar"}
    for _ in range(ctx.settings.login_max_failures):
        answer = _post_login(client, "krg_liaison", "wrong password!", **arabic)
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert "محاولات دخول فاشلة" in answer.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("trust_proxy", "headers", "secure"),
    [
        (False, {}, False),
        # Anyone may send X-Forwarded-Proto: it counts only from a trusted proxy.
        (False, {"X-Forwarded-Proto": "https"}, False),
        (True, {"X-Forwarded-Proto": "https"}, True),
        (True, {"X-Forwarded-Proto": "http"}, False),
    ],
)
def test_session_cookie_is_secure_behind_a_trusted_https_proxy(
    ctx: ServiceContext, world: World, trust_proxy: bool, headers: dict[str, str], secure: bool
) -> None:
    proxied = replace(ctx, settings=replace(ctx.settings, trust_proxy=trust_proxy))
    with TestClient(app_on(proxied)) as client:
        answer = _post_login(client, "krg_analyst", PASSWORD, **headers)
        assert ("Secure" in _session_cookie(answer)) is secure


def test_session_cookie_is_secure_over_https_without_a_setting(
    ctx: ServiceContext, world: World
) -> None:
    with TestClient(app_on(ctx), base_url="https://testserver") as client:
        assert "Secure" in _session_cookie(_post_login(client, "krg_analyst", PASSWORD))


def test_a_trusted_proxy_s_forwarded_address_is_the_one_limited(
    ctx: ServiceContext, world: World
) -> None:
    settings = replace(ctx.settings, trust_proxy=True, login_max_failures_per_address=3)
    with TestClient(app_on(replace(ctx, settings=settings))) as client:
        spoofed = {"X-Forwarded-For": "198.51.100.7, 203.0.113.5"}
        for name in ("fed_liaison", "fed_analyst", "fed_observer"):
            _post_login(client, name, "wrong password!", **spoofed)
        refused = _post_login(client, "un_admin", PASSWORD, **spoofed)
        assert refused.status_code == 429  # type: ignore[attr-defined]
        # Same client-chosen first entry, another proxy-seen address: not limited.
        other = {"X-Forwarded-For": "198.51.100.7, 203.0.113.6"}
        assert _post_login(client, "un_admin", PASSWORD, **other).status_code == 303  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "your account's language"), ("ar", "بلغة حسابك")]
)
def test_the_login_page_says_pages_open_in_the_account_language(
    client: TestClient, lang: str, words: str
) -> None:
    client.cookies.set("tansiq_lang", lang)
    page = client.get("/login")
    assert words in page.text
