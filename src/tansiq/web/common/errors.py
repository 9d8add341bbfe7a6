"""HTML error pages for the web UI, alongside the API's problem+json under /api/.

The app's handlers are wrapped: a request under the API prefix still gets the API's
answer; any other request gets a page in the user's language. A 404 page never says
whether a record exists but is hidden.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tansiq.domain.errors import (
    AuthenticationFailed,
    Conflict,
    NotFound,
    PermissionDenied,
    TansiqError,
    ValidationFailed,
)
from tansiq.web.common.deps import (
    CsrfRefused,
    LoginRequired,
    anonymous_page,
    get_context,
    language,
    optional_session,
)
from tansiq.web.common.i18n import N_

log = logging.getLogger("tansiq.web")

# (title, explanation) per status; translated when rendered.
ERROR_TEXTS: Mapping[int, tuple[str, str]] = {
    400: (N_("Bad request"), N_("The request could not be understood.")),
    403: (N_("Forbidden"), N_("You may not do this.")),
    404: (N_("Not found"), N_("Page not found.")),
    405: (N_("Not allowed"), N_("This address does not accept that kind of request.")),
    409: (N_("Conflict"), N_("The record changed in the meantime; reload it and try again.")),
    413: (N_("Too large"), N_("The form is too large.")),
    422: (N_("Invalid input"), N_("Please correct the highlighted fields.")),
    500: (N_("Error"), N_("Something went wrong on the server. Please try again later.")),
}
CSRF_TEXT = N_("The form has expired or did not come from this site. Reload the page and retry.")


def error_page(request: Request, status: int, message: str | None = None) -> Response:
    """An HTML error page in the requester's language, with the layout when logged in."""
    ctx = get_context(request)
    try:
        session = optional_session(request, ctx)
    except Exception:  # noqa: BLE001 - an error page must render even if the database is down
        session = None
    page = anonymous_page(request, ctx, language(request, session), session)
    title, default = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    return page.render(
        "error.html",
        {"status": status, "title": title, "message": message or default},
        status_code=status,
    )


def _login_redirect(request: Request, exc: LoginRequired) -> Response:
    if exc.json:
        return JSONResponse({"detail": "log in first"}, status_code=401)
    target = "/login" + (f"?{urlencode({'next': exc.next_url})}" if exc.next_url else "")
    return RedirectResponse(target, status_code=303)


def _domain_status(exc: TansiqError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, ValidationFailed):
        return 422
    return 400


def install_error_pages(app: FastAPI, api_prefix: str) -> None:
    """Answer errors outside ``api_prefix`` with HTML pages; call after the API's handlers."""

    def is_api(request: Request) -> bool:
        path = request.url.path
        return path == api_prefix or path.startswith(api_prefix + "/")

    def wrap(kind: type[Exception] | int, page: Callable[[Request, Exception], Response]) -> None:
        original = app.exception_handlers.get(kind)

        async def handler(request: Request, exc: Exception) -> Response:
            if original is not None and is_api(request):
                answer = original(request, exc)
                return await answer if inspect.isawaitable(answer) else answer
            # Rendering may read the session from the database: keep it off the event loop.
            return await run_in_threadpool(page, request, exc)

        app.add_exception_handler(kind, handler)

    def http_page(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
        return error_page(request, status if status in ERROR_TEXTS else 400)

    def domain_page(request: Request, exc: Exception) -> Response:
        if isinstance(exc, AuthenticationFailed):
            return _login_redirect(request, LoginRequired("/incidents"))
        assert isinstance(exc, TansiqError)
        return error_page(request, _domain_status(exc))

    def unexpected_page(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path, exc_info=exc)
        return error_page(request, 500)

    wrap(StarletteHTTPException, http_page)
    wrap(TansiqError, domain_page)
    # Path or query parameters of the wrong shape: nothing there, as far as a reader knows.
    wrap(RequestValidationError, lambda request, _exc: error_page(request, 404))
    wrap(Exception, unexpected_page)

    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return _login_redirect(request, exc)

    async def csrf_refused(request: Request, _exc: Exception) -> Response:
        return await run_in_threadpool(error_page, request, 403, CSRF_TEXT)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(CsrfRefused, csrf_refused)
