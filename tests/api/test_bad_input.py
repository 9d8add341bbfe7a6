"""Invariant 6: bad input gets a 4xx problem+json naming the field and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from tansiq.services.accounts.commands import create_token
from tansiq.services.core.context import ServiceContext
from tests.api.helpers import (
    API,
    AsUser,
    TestClient,
    assert_problem,
    assert_verifies,
    journal_count,
)
from tests.factories import SYSTEM, Clock, World, incident_data


def _json(value: Any) -> bytes:
    return orjson.dumps(value)


def _at(lon: Any, lat: Any) -> dict[str, Any]:
    return {"location": {"type": "Point", "coordinates": [lon, lat]}}


# (overrides of a valid body, status, the field the problem must name)
BAD_BODIES: dict[str, tuple[dict[str, Any], int, str]] = {
    "lon 200": (_at(200.0, 35.0), 422, "location"),
    "lat -95": (_at(44.0, -95.0), 422, "location"),
    "lon a string": (_at("44.392", 35.468), 422, "location"),
    "lat a word": (_at(44.392, "north"), 422, "location"),
    "lon true": (_at(True, 35.468), 422, "location"),
    "coordinates a string": ({"location": {"type": "Point", "coordinates": "44.4,35.5"}}, 422,
                             "location"),
    "location a place name": ({"location": "Kirkuk"}, 422, "location"),
    "three coordinates": ({"location": {
        "type": "Point", "coordinates": [44.0, 35.0, 300.0]}}, 422, "location"),
    "polygon": ({"location": {"type": "Polygon", "coordinates": [[[44, 35], [45, 35], [44, 36],
                                                                   [44, 35]]]}}, 422, "location"),
    "outside Iraq, not cross-border": (_at(42.0, 37.5), 422, "location"),
    "in the sea, not cross-border": (_at(50.0, 27.0), 422, "location"),
    "unknown event type": ({"event_type": "Skirmish"}, 422, "event_type"),
    "sub-event of another type": ({"event_type": "Battles", "sub_event_type": "Grenade"}, 422,
                                  "sub_event_type"),
    "unknown sub-event type": ({"sub_event_type": "Drive-by"}, 422, "sub_event_type"),
    "future": ({"occurred_at": "2020-02-20T10:00:00Z"}, 422, "occurred_at"),
    # 12:00 in Baghdad is 09:00 UTC: now, so fine; 13:00 is an hour ahead.
    "future in Baghdad time": ({"occurred_at": "2020-02-20T13:00:00+03:00"}, 422,
                               "occurred_at"),
    "before 1900": ({"occurred_at": "1899-12-31T23:59:59Z"}, 422, "occurred_at"),
    "without timezone": ({"occurred_at": "2020-02-19T21:00:00"}, 422, "occurred_at"),
    "impossible date": ({"occurred_at": "2020-02-30T21:00:00Z"}, 422, "occurred_at"),
    "occurred_at missing": ({"occurred_at": None}, 422, "occurred_at"),
    "unknown field": ({"colour": "red"}, 422, "colour"),
    "derived field sent": ({"admin1": "Erbil"}, 422, "admin1"),
    "geo_precision 4": ({"geo_precision": 4}, 422, "geo_precision"),
    "credibility 0": ({"credibility": 0}, 422, "credibility"),
    "negative fatalities": ({"fatalities": -1}, 422, "fatalities"),
    "fatalities as a string": ({"fatalities": "3"}, 422, "fatalities"),
    "cross_border as a string": ({"cross_border": "yes"}, 422, "cross_border"),
    "reliability G": ({"source_reliability": "G"}, 422, "source_reliability"),
    "releasability world": ({"releasability": "world"}, 422, "releasability"),
    "unknown center": ({"releasability": "center", "center_id": "no-such-center"}, 422,
                       "center_id"),
    "empty actor1": ({"actor1": ""}, 422, "actor1"),
    "long place name": ({"place_name": "x" * 201}, 422, "place_name"),
    "21 sources": ({"sources": ["s"] * 21}, 422, "sources"),
}


@pytest.fixture
def unchanged(ctx: ServiceContext, world: World) -> Iterator[None]:
    """After the test: no journal row was added and the database still verifies."""
    before = journal_count(ctx)
    yield
    assert journal_count(ctx) == before
    assert_verifies(ctx)


@pytest.mark.parametrize("case", BAD_BODIES)
def test_bad_body_is_refused_naming_the_field(
    as_user: AsUser, unchanged: None, case: str
) -> None:
    overrides, status, field = BAD_BODIES[case]
    response = as_user("fed_liaison").post("/incidents", json=incident_data(**overrides))
    assert_problem(response, status, field)


@pytest.mark.parametrize("case", BAD_BODIES)
def test_bad_patch_is_refused_naming_the_field(
    as_user: AsUser, ctx: ServiceContext, case: str
) -> None:
    overrides, status, field = BAD_BODIES[case]
    fed = as_user("fed_liaison")
    created = fed.post("/incidents", json=incident_data()).json()
    before = journal_count(ctx)
    response = fed.patch(f"/incidents/{created['id']}", json=overrides)
    assert_problem(response, status, field)
    assert journal_count(ctx) == before
    assert fed.get(f"/incidents/{created['id']}").json()["version"] == 1
    assert_verifies(ctx)


def test_all_errors_are_named_at_once(as_user: AsUser, unchanged: None) -> None:
    body = incident_data(event_type="Skirmish", credibility=9, colour="red")
    problem = assert_problem(as_user("fed_liaison").post("/incidents", json=body), 422,
                             "event_type", "credibility", "colour")
    assert "event_type" in problem["detail"]


def test_oversize_body_is_413(
    as_user: AsUser, ctx: ServiceContext, unchanged: None
) -> None:
    limit = ctx.settings.max_body_bytes
    body = incident_data(description="x" * limit)
    assert_problem(as_user("fed_liaison").post("/incidents", json=body), 413, "body")


def test_chunked_oversize_body_is_413(
    as_user: AsUser, ctx: ServiceContext, unchanged: None
) -> None:
    limit = ctx.settings.max_body_bytes
    chunk = b" " * 65_536

    def stream() -> Iterator[bytes]:
        # Whitespace is valid JSON padding, so only the size can make this fail.
        yield b'{"items": ['
        for _ in range(limit // len(chunk) + 1):
            yield chunk
        yield b"]}"

    response = as_user("fed_liaison").post(
        "/incidents/batch", content=stream(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "body")


def test_lying_content_length_is_not_trusted(
    as_user: AsUser, ctx: ServiceContext, unchanged: None
) -> None:
    limit = ctx.settings.max_body_bytes
    body = b'{"items": [' + b" " * (limit + 1) + b"]}"

    def stream() -> Iterator[bytes]:
        yield body

    response = as_user("fed_liaison").post(
        "/incidents/batch", content=stream(),
        headers={"Content-Type": "application/json", "Content-Length": "10"},
    )
    assert_problem(response, 413, "body")


@pytest.mark.parametrize(
    "raw", [b'{"occurred_at": ', b"not json", b"{'single': 'quotes'}", b"\xff\xfe"]
)
def test_malformed_json_is_400(as_user: AsUser, unchanged: None, raw: bytes) -> None:
    response = as_user("fed_liaison").post(
        "/incidents", content=raw, headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400, "body")


@pytest.mark.parametrize("body", [[], "a string", 42, None])
def test_body_not_an_object_is_422(as_user: AsUser, unchanged: None, body: Any) -> None:
    assert_problem(as_user("fed_liaison").post("/incidents", json=body), 422)


def test_unknown_token_is_401(client: TestClient, unchanged: None) -> None:
    response = client.get(f"{API}/me", headers={"Authorization": "Bearer tsq_not-a-token"})
    assert_problem(response, 401, "Authorization")


def test_expired_token_is_401(
    client: TestClient, ctx: ServiceContext, clock: Clock, world: World
) -> None:
    token, _record = create_token(ctx, by=SYSTEM, username="fed_liaison", days=1)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/me", headers=headers).status_code == 200
    clock.advance(days=2)
    before = journal_count(ctx)
    response = client.post(f"{API}/incidents", headers=headers, json=incident_data())
    problem = assert_problem(response, 401, "Authorization")
    assert "expired" in problem["detail"]
    assert journal_count(ctx) == before


def test_cross_border_point_is_accepted_without_admin_areas(as_user: AsUser) -> None:
    body = incident_data(
        cross_border=True, place_name="Sirnak", actor1="Military Forces of Turkey",
        sub_event_type="Shelling/artillery/missile attack", **_at(42.0, 37.5),
    )
    response = as_user("fed_liaison").post("/incidents", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["cross_border"] is True
    assert created["admin1"] is None and created["admin2"] is None
    assert created["location"]["coordinates"] == [42.0, 37.5]


def test_cross_border_flag_inside_iraq_still_derives_admin_areas(as_user: AsUser) -> None:
    created = as_user("fed_liaison").post("/incidents", json=incident_data(cross_border=True))
    assert created.status_code == 201, created.text
    assert created.json()["admin1"] == "Kirkuk"


def test_moving_a_point_abroad_needs_cross_border(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    created = fed.post("/incidents", json=incident_data()).json()
    path = f"/incidents/{created['id']}"
    assert_problem(fed.patch(path, json=_at(42.0, 37.5)), 422, "location")
    moved = fed.patch(path, json=_at(42.0, 37.5) | {"cross_border": True})
    assert moved.status_code == 200, moved.text
    assert moved.json()["admin1"] is None
    # Clearing the flag while abroad is refused the same way.
    assert_problem(fed.patch(path, json={"cross_border": False}), 422, "location")
    assert_verifies(ctx)


@pytest.mark.parametrize("field", ["description", "place_name", "actor1"])
def test_lone_surrogate_is_422(as_user: AsUser, unchanged: None, field: str) -> None:
    # JSON may escape a lone surrogate, but it is no Unicode text any database can hold.
    raw = _json(incident_data(**{field: "SURROGATE"})).replace(b'"SURROGATE"', b'"\\ud800"')
    response = as_user("fed_liaison").post(
        "/incidents", content=raw, headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 422, field)


@pytest.mark.parametrize("field", ["description", "place_name", "actor1"])
def test_nul_character_is_422_on_every_backend(as_user: AsUser, field: str) -> None:
    response = as_user("fed_liaison").post("/incidents", json=incident_data(**{field: "a\0b"}))
    assert_problem(response, 422, field)


def test_every_problem_of_a_report_is_named_at_once(as_user: AsUser) -> None:
    body = incident_data(
        occurred_at="2030-01-01T00:00:00Z",
        sub_event_type="Armed clash",
        location={"type": "Point", "coordinates": [51.4, 35.7]},
    )
    response = as_user("fed_liaison").post("/incidents", json=body)
    fields = {e["field"] for e in response.json()["errors"]}
    assert response.status_code == 422
    assert fields == {"occurred_at", "sub_event_type", "location"}
