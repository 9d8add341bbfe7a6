"""API fixtures: a TestClient on the ``ctx`` database, a world, and per-user callers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, Caller, TestClient
from tests.apps import app_on
from tests.factories import World, build_world


@pytest.fixture
def client(ctx: ServiceContext) -> Iterator[TestClient]:
    """The whole app (API, problem handlers, body limit) on the test database."""
    with TestClient(app_on(ctx)) as test_client:
        yield test_client


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """Parties fed, krg, un; centers kirkuk and fedun; users with bearer tokens."""
    return build_world(ctx, with_tokens=True)


@pytest.fixture
def as_user(client: TestClient, world: World) -> AsUser:
    """``as_user("fed_liaison").get("/me")``: a Caller for any user of the world."""

    def make(username: str) -> Caller:
        return Caller(client, world.tokens[username])

    return make
