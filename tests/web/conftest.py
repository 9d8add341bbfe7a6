"""Web UI fixtures: a TestClient on the ``ctx`` database, the world, logged-in clients."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator

import pytest
from argon2 import PasswordHasher
from starlette.exceptions import StarletteDeprecationWarning

import tansiq.services.accounts.commands as accounts
from tansiq.services.core.context import ServiceContext
from tests.apps import app_on
from tests.factories import PASSWORD, World, build_world

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 but still drives httpx 0.28 (the pinned test dependency).
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
LoginAs = Callable[[str], TestClient]


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters; verification reads them from each hash."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """Parties fed, krg, un; centers kirkuk and fedun; users ``{party}_{role}``."""
    return build_world(ctx)


def csrf_token(html: str) -> str:
    """The first hidden csrf_token of a page."""
    found = CSRF_FIELD.search(html)
    assert found, "the page has no csrf_token field"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """Log ``client`` in through the login form; asserts it worked."""
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def app_for(ctx: ServiceContext) -> Iterator[Callable[[], TestClient]]:
    """Make fresh clients (each with its own cookie jar) on one app."""
    app = app_on(ctx)
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(app_for: Callable[[], TestClient]) -> TestClient:
    """An anonymous client."""
    return app_for()


@pytest.fixture
def login_as(world: World, app_for: Callable[[], TestClient]) -> LoginAs:
    """``login_as("fed_liaison")``: a new client logged in as that user."""
    return lambda username: log_in(app_for(), username)
