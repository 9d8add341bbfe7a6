"""RFC 9457 problem+json answers for every error the API gives."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

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


def install_problem_handlers(app: FastAPI) -> None:
    """Map domain errors, validation errors and HTTP errors to problem+json."""

    @app.exception_handler(TansiqError)
    async def _domain(_request: Request, exc: TansiqError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationFailed) else None
        return problem_response(exc.status, exc.title, exc.detail, exc.errors, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> Response:
        return _validation_problem(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
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
        return problem_response(
            exc.status_code, title, str(exc.detail), errors, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(500, "Internal error", "An unexpected error occurred")
