"""Helpers for API tests: call as a user, check problem+json, count journal rows."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from starlette.exceptions import StarletteDeprecationWarning

from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.storage.tables.journal import journal
from tests.api.conformance import assert_conforms

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 but still drives httpx 0.28 (the pinned test dependency).
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient as TestClient

if TYPE_CHECKING:
    import httpx

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"


@dataclass
class Caller:
    """Calls the API as one user (``Authorization: Bearer <their token>``).

    Fails the test when an answer breaks the OpenAPI document (``tests/api/conformance.py``).
    """

    client: TestClient
    token: str

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one request with the user's token (``path`` is below /api/v1)."""
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        response: httpx.Response = self.client.request(
            method, API + path, headers=headers, **kwargs
        )
        # Every answer a test gets is also checked against the published OpenAPI document.
        assert_conforms(response)
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET ``path``."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        """POST ``path``."""
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        """PATCH ``path``."""
        return self.request("PATCH", path, **kwargs)


# The ``as_user`` fixture: ``as_user("fed_liaison").get("/me")``.
AsUser = Callable[[str], Caller]


def journal_count(ctx: ServiceContext, record_id: str | None = None) -> int:
    """Journal rows in total, or for one record."""
    query = select(func.count()).select_from(journal)
    if record_id is not None:
        query = query.where(journal.c.record_id == record_id)
    with ctx.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def assert_problem(response: httpx.Response, status: int, *fields: str) -> dict[str, Any]:
    """Check a problem+json answer with ``status`` whose ``errors`` name every ``fields``.

    A field matches an error that names it or a part of it (``location`` matches
    ``location.coordinates[0]``).
    """
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "errors"} <= body.keys(), body
    named = [e["field"] for e in body["errors"]]
    for field in fields:
        assert any(n == field or n.startswith((field + ".", field + "[")) for n in named), (
            f"{field!r} not named in {named}"
        )
    return body


def assert_verifies(ctx: ServiceContext) -> None:
    """The journal and every current row still verify."""
    report = verify_database(ctx)
    assert report.ok, report.problem
