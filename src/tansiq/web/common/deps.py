"""Request dependencies of the web UI: context, session, language, CSRF-checked forms, pages.

Routes take ``page: PageDep`` (logged in, else redirected to /login) or
``page: AnonPageDep`` and render with ``page.render(...)``; POST routes also take
``form: CheckedFormDep``, which refuses the request unless its ``csrf_token``
matches the session's.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tansiq.domain.actors import Actor
from tansiq.domain.choices import RoleChoices
from tansiq.domain.errors import AuthenticationFailed, NotFound
from tansiq.services.accounts.commands import actor_for_session, get_user_by_username
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.policy import may_file_incident
from tansiq.web.common import i18n
from tansiq.web.common.i18n import N_
from tansiq.web.common.security import safe_next, served_over_https, tokens_match
from tansiq.web.common.templating import render

SESSION_COOKIE = "tansiq_session"
LANG_COOKIE = "tansiq_lang"
LOGIN_CSRF_COOKIE = "tansiq_login_csrf"
FLASH_COOKIE = "tansiq_flash"
LANG_COOKIE_SECONDS = 365 * 24 * 3600

# A flash travels as one of these codes in a cookie, so no text from the client is shown.
FLASH_MESSAGES: Mapping[str, tuple[str, str]] = {
    "saved": ("success", N_("Incident saved.")),
    "logged_out": ("info", N_("You have logged out.")),
    "notice_sent": ("success", N_("Notice sent.")),
    "notice_answered": ("success", N_("Your party's answer is recorded.")),
    "notice_withdrawn": ("success", N_("Notice withdrawn.")),
    "assessment_saved": ("success", N_("Assessment saved.")),
    "assessment_withdrawn": ("success", N_("Assessment withdrawn.")),
    "dispute_resolved": ("success", N_("Your party marked the dispute resolved.")),
    "meeting_saved": ("success", N_("Meeting saved.")),
    "decision_saved": ("success", N_("Decision saved.")),
    "decision_endorsed": ("success", N_("Your party's endorsement is recorded.")),
    "action_saved": ("success", N_("Action item saved.")),
    "action_updated": ("success", N_("Action item status changed.")),
    "note_saved": ("success", N_("Progress note added.")),
    "sector_saved": ("success", N_("Sector saved.")),
    "sector_withdrawn": ("success", N_("Sector withdrawn.")),
    "sites_imported": ("success", N_("Protected sites imported.")),
    "plan_saved": ("success", N_("Plan saved.")),
    "plan_moved": ("success", N_("Plan status changed.")),
    "plan_rechecked": ("success", N_("Findings rechecked against what they concern now.")),
    "plan_approved": ("success", N_("Your party's approval is recorded.")),
    "plan_rejected": ("success", N_("Your party's rejection is recorded.")),
    "candidate_saved": ("success", N_("Candidate corrected.")),
    "candidate_accepted": ("success", N_("Candidate accepted; this is the record it became.")),
    "candidate_discarded": ("success", N_("Candidate discarded.")),
    "article_proposed": ("success", N_("Candidates proposed for review: %(count)s.")),
    "article_without_events": (
        "info",
        N_("The article was read, but no event was found in it; nothing was proposed."),
    ),
    "article_seen": (
        "info",
        N_("This article was ingested before; nothing was proposed again."),
    ),
}
# A flash code may carry a count ("article_proposed:3"), shown as %(count)s: digits only.
FLASH_COUNT = re.compile(r"^([a-z_]+):(\d{1,4})$")


class LoginRequired(Exception):
    """No live session; pages redirect to the login page, JSON answers 401."""

    def __init__(self, next_url: str, *, json: bool = False) -> None:
        super().__init__(next_url)
        self.next_url = next_url
        self.json = json


class CsrfRefused(Exception):
    """A form arrived without the session's (or login page's) CSRF token; answered 403."""


@dataclass(frozen=True)
class WebUser:
    """What the layout shows about the logged-in user."""

    username: str
    display_name: str
    party_id: str
    can_file: bool
    # Shows the admin pages (users, federation) in the navigation.
    is_admin: bool = False


@dataclass(frozen=True)
class WebSession:
    """A live login: the acting user, the session's CSRF token and its cookie secret."""

    actor: Actor
    csrf_token: str
    secret: str
    user: WebUser


def get_context(request: Request) -> ServiceContext:
    """The node's service context, built once at start-up."""
    ctx: ServiceContext = request.app.state.ctx
    return ctx


ContextDep = Annotated[ServiceContext, Depends(get_context)]


def optional_session(request: Request, ctx: ContextDep) -> WebSession | None:
    """The session named by the cookie, or None when absent, expired or unknown."""
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    try:
        actor, csrf = actor_for_session(ctx, secret=secret)
        display = get_user_by_username(ctx, username=actor.username)["display_name"]
    except (AuthenticationFailed, NotFound):
        return None
    user = WebUser(
        username=actor.username,
        display_name=str(display or actor.username),
        party_id=actor.party,
        can_file=may_file_incident(actor),
        is_admin=RoleChoices.ADMIN in actor.roles,
    )
    return WebSession(actor=actor, csrf_token=csrf, secret=secret, user=user)


OptionalSessionDep = Annotated[WebSession | None, Depends(optional_session)]


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def require_session(request: Request, session: OptionalSessionDep) -> WebSession:
    """The live session; raises LoginRequired (redirect to /login?next=...)."""
    if session is None:
        raise LoginRequired(_here(request) if request.method == "GET" else "/incidents")
    return session


def require_json_session(request: Request, session: OptionalSessionDep) -> WebSession:
    """The live session for a JSON endpoint; raises LoginRequired answered as 401 JSON."""
    if session is None:
        raise LoginRequired(_here(request), json=True)
    return session


SessionDep = Annotated[WebSession, Depends(require_session)]
JsonSessionDep = Annotated[WebSession, Depends(require_json_session)]


def language(request: Request, session: OptionalSessionDep) -> str:
    """The UI language: the tansiq_lang cookie, else the user's setting, else Accept-Language."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    if session is not None and session.actor.language in i18n.LANGUAGES:
        return session.actor.language
    return i18n.negotiate(request.headers.get("accept-language"), None)


LanguageDep = Annotated[str, Depends(language)]


async def checked_form(request: Request, session: SessionDep) -> AsyncIterator[FormData]:
    """The posted form, once its csrf_token matched the session's; raises CsrfRefused.

    Uploaded files are closed when the request is done.
    """
    async with request.form() as form:
        if not tokens_match(form.get("csrf_token"), session.csrf_token):
            raise CsrfRefused()
        yield form


CheckedFormDep = Annotated[FormData, Depends(checked_form)]


async def checked_large_form(
    request: Request, session: SessionDep, ctx: ContextDep
) -> AsyncIterator[FormData]:
    """:func:`checked_form` for a form whose text may be as large as a request body (a
    pasted article); others keep Starlette's 1 MiB a field. Raises CsrfRefused."""
    async with request.form(max_part_size=ctx.settings.max_body_bytes) as form:
        if not tokens_match(form.get("csrf_token"), session.csrf_token):
            raise CsrfRefused()
        yield form


CheckedLargeFormDep = Annotated[FormData, Depends(checked_large_form)]


@dataclass
class Page:
    """Everything a route needs to answer with a page in the user's language."""

    request: Request
    ctx: ServiceContext
    lang: str
    session: WebSession | None

    @property
    def actor(self) -> Actor:
        """The logged-in actor; raises LoginRequired on an anonymous page."""
        if self.session is None:
            raise LoginRequired(_here(self.request))
        return self.session.actor

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies get ``Secure``: always when set so, or when served over HTTPS."""
        settings = self.ctx.settings
        return settings.cookie_secure or served_over_https(
            self.request, trust_proxy=settings.trust_proxy
        )

    def gettext(self, message: str) -> str:
        """``message`` translated into the page's language."""
        return str(i18n.translations(self.lang).gettext(message))

    def render(
        self, template: str, context: Mapping[str, Any] | None = None, *, status_code: int = 200
    ) -> HTMLResponse:
        """Render a page with the layout's variables (user, CSRF token, flashes, time zone)."""
        flashes = [flash] if (flash := self._flash()) else []
        base = {
            "user": self.session.user if self.session else None,
            "csrf_token": self.session.csrf_token if self.session else "",
            "flashes": flashes,
            "tz": self.ctx.settings.display_timezone,
            "tz_city": i18n.zone_city(self.ctx.settings.display_timezone, self.lang),
        }
        response = render(
            self.request,
            template,
            {**base, **(context or {})},
            lang=self.lang,
            status_code=status_code,
        )
        if FLASH_COOKIE in self.request.cookies:
            response.delete_cookie(FLASH_COOKIE, path="/")
        return response

    def _flash(self) -> dict[str, str] | None:
        """The flash the cookie names, translated (with its count), or None."""
        code = self.request.cookies.get(FLASH_COOKIE, "")
        counted = FLASH_COUNT.match(code)
        code, count = (counted.group(1), int(counted.group(2))) if counted else (code, None)
        found = FLASH_MESSAGES.get(code)
        if found is None or (count is None) == ("%(count)" in found[1]):
            return None  # unknown, or a count missing or not wanted
        text = self.gettext(found[1])
        return {"level": found[0], "text": text % {"count": count} if count is not None else text}

    def redirect(self, url: str, *, flash: str | None = None) -> Response:
        """A 303 redirect to a local ``url``, optionally carrying a flash code."""
        response = RedirectResponse(safe_next(url), status_code=303)
        if flash is not None:
            response.set_cookie(
                FLASH_COOKIE,
                flash,
                max_age=60,
                path="/",
                httponly=True,
                samesite="lax",
                secure=self.secure_cookies,
            )
        return response


def anonymous_page(
    request: Request, ctx: ContextDep, lang: LanguageDep, session: OptionalSessionDep
) -> Page:
    """A page that may be shown without logging in."""
    return Page(request=request, ctx=ctx, lang=lang, session=session)


def logged_in_page(
    request: Request, ctx: ContextDep, lang: LanguageDep, session: SessionDep
) -> Page:
    """A page for a logged-in user; raises LoginRequired."""
    return Page(request=request, ctx=ctx, lang=lang, session=session)


AnonPageDep = Annotated[Page, Depends(anonymous_page)]
PageDep = Annotated[Page, Depends(logged_in_page)]
