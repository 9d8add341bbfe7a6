"""RFC 9457 problem+json answers for every error the API gives."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from tansiq.api.openapi import install_openapi
from tansiq.domain.errors import AuthenticationFailed, FieldError, TansiqError

PROBLEM_TYPE = "https://tansiq.example/problems/"
log = logging.getLogger("tansiq.api")


def problem_response(
    status: int,
    title: str,
    detail: str,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem+json response; ``errors`` names each bad field."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + title.lower().replace(" ", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [{"field": e.field, "message": e.message} for e in errors],
    }
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/problem+json",
        headers=dict(headers) if headers else None,
    )


# Where FastAPI found the input; the client knows it, and the domain never names it.
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})


def _field_name(loc: Sequence[Any]) -> str:
    # ("body", "items", 3, "event_type") -> "items[3].event_type"; ("query", "since") -> "since".
    parts = list(loc[1:] if len(loc) > 1 and loc[0] in _LOCATIONS else loc)
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)
    return name or "body"


def _validation_problem(exc: RequestValidationError) -> Response:
    errors = []
    malformed = False
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            malformed = True
            errors.append(FieldError("body", "is not valid JSON"))
            continue
        loc = err.get("loc", ())
        # A rule of ours (ValueError) says "must …"; pydantic's "Value error, " adds nothing.
        message = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        # Tagged-union and enum noise: keep the message short and name the field.
        errors.append(
            FieldError(
                _field_name([p for p in loc if p not in ("function-after",)]),
                message,
            )
        )
    if malformed:
        return problem_response(400, "Malformed request", "The body is not valid JSON", errors)
    names = ", ".join(dict.fromkeys(e.field for e in errors))
    return problem_response(422, "Invalid input", f"The input is invalid: {names}", errors)


def _allowed_methods(request: Request) -> str:
    # Starlette's 405 names only the first route on the path (POST of GET+POST /incidents);
    # RFC 9110 wants every method of the resource: those of each route with the same path
    # (not /incidents/{incident_id}, another resource that /incidents/batch also matches).
    contexts = list(iter_route_contexts(request.app.router.routes))
    route = request.scope.get("route")
    paths = {c.path for c in contexts if c.original_route is route and c.path is not None}
    methods: set[str] = set()
    for context in contexts:
        if context.path in paths:
            methods |= context.methods or set()
    return ", ".join(sorted(methods))


def install_problem_handlers(app: FastAPI) -> None:
    """Map domain errors, validation errors and HTTP errors to problem+json.

    Also makes the app's OpenAPI document declare those answers (``api/openapi.py``).
    """
    install_openapi(app)

    @app.exception_handler(TansiqError)
    async def _domain(_request: Request, exc: TansiqError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationFailed) else None
        return problem_response(exc.status, exc.title, exc.detail, exc.errors, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        return _validation_problem(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {
            400: "Malformed request",
            404: "Not found",
            405: "Method not allowed",
            413: "Payload too large",
        }
        title = titles.get(exc.status_code, "Error")
        # FastAPI answers 400 when it cannot read the body at all (JSON nested past
        # the parser's depth limit, a bad encoding): the client still learns which part.
        body_errors = {400: "could not be read as JSON", 413: "is too large"}
        message = body_errors.get(exc.status_code)
        errors = [FieldError("body", message)] if message else []
        headers = exc.headers
        allowed = _allowed_methods(request) if exc.status_code == 405 else ""
        if allowed:
            headers = {**(headers or {}), "Allow": allowed}
        return problem_response(exc.status_code, title, str(exc.detail), errors, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(500, "Internal error", "An unexpected error occurred")
