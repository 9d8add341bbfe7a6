"""Logging in and out, and choosing the UI language."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from tansiq.domain.errors import AuthenticationFailed, TooManyAttempts
from tansiq.services.accounts.commands import authenticate_password, end_session, start_session
from tansiq.web.common import i18n
from tansiq.web.common.deps import (
    LANG_COOKIE,
    LANG_COOKIE_SECONDS,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    AnonPageDep,
    CheckedFormDep,
    CsrfRefused,
    OptionalSessionDep,
    Page,
    SessionDep,
)
from tansiq.web.common.security import client_address, safe_next, tokens_match

router = APIRouter()
MAX_CREDENTIAL = 1024


async def posted_form(request: Request) -> FormData:
    """The posted form, unchecked (login and the anonymous language switch)."""
    return await request.form()


PostedFormDep = Annotated[FormData, Depends(posted_form)]


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _login_page(
    page: Page, next_url: str, *, error: str = "", username: str = "", status_code: int = 200
) -> Response:
    # Login CSRF: a double-submit token, as a cookie and as a hidden field.
    token = secrets.token_urlsafe(32)
    response = page.render(
        "login.html",
        {"login_token": token, "next_target": next_url, "error": error, "username": username},
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path="/login",
        httponly=True,
        samesite="strict",
        secure=page.secure_cookies,
    )
    return response


@router.get("/")
def home() -> Response:
    """The incident log is the home page."""
    return RedirectResponse("/incidents", status_code=303)


@router.get("/login")
def login_form(page: AnonPageDep, next: str = "/incidents") -> Response:
    """The login page (or straight on when already logged in)."""
    target = safe_next(next)
    if page.session is not None:
        return page.redirect(target)
    return _login_page(page, target)


@router.post("/login")
def login(request: Request, page: AnonPageDep, form: PostedFormDep) -> Response:
    """Check the credentials, open a session and set its cookie; raises CsrfRefused."""
    if not tokens_match(form.get("csrf_token"), request.cookies.get(LOGIN_CSRF_COOKIE)):
        raise CsrfRefused()
    username, password = _field(form, "username").strip(), _field(form, "password")
    target = safe_next(_field(form, "next"))
    try:
        if not username or not password or len(username + password) > MAX_CREDENTIAL:
            raise AuthenticationFailed("missing or oversize credentials")
        client = client_address(request, trust_proxy=page.ctx.settings.trust_proxy)
        actor = authenticate_password(
            page.ctx, username=username, password=password, client=client
        )
    except AuthenticationFailed:
        error = page.gettext("Invalid username or password.")
        return _login_page(page, target, error=error, username=username)
    except TooManyAttempts:
        error = page.gettext(
            "Too many failed logins. Try again later, or ask an admin of your party to unlock "
            "your account."
        )
        return _login_page(page, target, error=error, username=username, status_code=429)
    secret, _csrf = start_session(page.ctx, actor=actor)
    if page.session is not None:
        end_session(page.ctx, secret=page.session.secret)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=page.ctx.settings.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=page.secure_cookies,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(page: AnonPageDep, session: SessionDep, form: CheckedFormDep) -> Response:
    """End the session (CSRF-checked) and return to the login page."""
    end_session(page.ctx, secret=session.secret)
    response = page.redirect("/login", flash="logged_out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/lang")
def choose_language(
    page: AnonPageDep, session: OptionalSessionDep, form: PostedFormDep
) -> Response:
    """Remember the chosen UI language in a cookie; CSRF-checked when logged in."""
    if session is not None and not tokens_match(form.get("csrf_token"), session.csrf_token):
        raise CsrfRefused()
    lang = _field(form, "lang")
    response = page.redirect(safe_next(_field(form, "next")))
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=LANG_COOKIE_SECONDS,
            path="/",
            httponly=True,
            samesite="lax",
            secure=page.secure_cookies,
        )
    return response
