"""The error answers in the OpenAPI document: every status a route can give, as problem+json.

FastAPI declares only the success answer and its own ``HTTPValidationError`` 422,
which is not what the API answers. :func:`declare_problems` rewrites the generated
document so every operation lists the problem statuses it can answer, each as
``application/problem+json`` with the one ``Problem`` schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
_REF = "#/components/schemas/"

# The contract's titles (docs/wire-contract.md), the description of each status.
TITLES = {
    400: "Malformed request: the body is not JSON, or a bad Idempotency-Key",
    401: "Unauthorized: no or bad token",
    403: "Forbidden: your role or party may not do this",
    404: "Not found: absent, or not released to you",
    409: "Conflict: a stale If-Match or version, or a key used concurrently",
    413: "Payload too large: the body is over TANSIQ_MAX_BODY_BYTES",
    422: "Invalid input: errors names each bad field",
}
_WRITES = frozenset({"post", "put", "patch", "delete"})


class FieldErrorPublic(BaseModel):
    """One bad field of a request: its name (``items[3].location``) and what is wrong."""

    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem: every error the API answers has this shape."""

    type: str = Field(examples=["https://tansiq.example/problems/invalid-input"])
    title: str
    status: int
    detail: str
    errors: list[FieldErrorPublic]


def problem_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses ``operation`` can answer, from what it takes and who may call it."""
    statuses = {422}  # NUL refusal and field rules reach every operation
    if operation.get("security"):
        statuses |= {401, 403}
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses.add(404)
    if "requestBody" in operation:
        statuses |= {400, 413}
    if method in _WRITES:
        # POST: a malformed Idempotency-Key (400) or one used concurrently (409);
        # PATCH: a stale If-Match (409).
        statuses |= {400, 409}
    return statuses


def declare_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Declare each operation's problem answers in ``document`` (changed in place, returned).

    A route declares any other error status it answers (``responses={415: …}``); it
    gets the problem content too.
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (FieldErrorPublic, Problem):
        schemas[model.__name__] = model.model_json_schema(ref_template=_REF + "{model}")
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _REF + Problem.__name__}}}
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in problem_statuses(method, operation):
                answer = responses.setdefault(str(status), {})
                if status == 422 or "description" not in answer:
                    answer["description"] = TITLES[status]
            # Every error answer, implied above or declared by its route (415…), is a problem.
            for status, answer in responses.items():
                if status.isdigit() and int(status) >= 400:
                    answer["content"] = dict(content)
            operation["responses"] = dict(sorted(responses.items()))
    return document


def install_openapi(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI document declare the problem answers (built once, cached)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
