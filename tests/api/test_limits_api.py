"""No single request pins the node: geometry limits, overlay budgets, a free event loop."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import orjson
import pytest

import tansiq.services.sectors.coverage as coverage_service
import tansiq.services.sectors.queries as sector_queries
from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, TestClient, assert_problem, assert_verifies, journal_count
from tests.factories import World
from tests.factories_limits import holed, many_rings, star
from tests.factories_notices import notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data, site_data

TOO_MANY_VERTICES = star(2_500)  # 5,001 positions
TOO_MANY_RINGS = many_rings(101)
# Two valid 1,000-vertex stars whose spikes cross ~47,000 times (over the 10,000 budget).
STAR, CROSSING_STAR = star(500), star(500, shift=0.042)
AT = "2020-02-20"

# (method, path, body with the geometry in it, the field the problem must name)
PLACES: dict[str, tuple[str, Any, str]] = {
    "sector": ("/sectors", lambda g: sector_data(geometry=g), "geometry"),
    "site": ("/protected-sites", lambda g: site_data(geometry=g), "geometry"),
    "notice": ("/notices", lambda g: notice_data(location=g), "location"),
    "operation": ("/operations", lambda g: operation_data(area=g), "area"),
    "coverage": ("/coverage", lambda g: {"area": g, "at": AT}, "area"),
}


@pytest.fixture
def unchanged(ctx: ServiceContext, world: World) -> Iterator[None]:
    """After the test: no journal row was added and the database still verifies."""
    before = journal_count(ctx)
    yield
    assert journal_count(ctx) == before
    assert_verifies(ctx)


@pytest.mark.parametrize("shape", ["vertices", "rings"])
@pytest.mark.parametrize("place", PLACES)
def test_an_oversize_geometry_is_refused_naming_the_field(
    as_user: AsUser, unchanged: None, place: str, shape: str
) -> None:
    path, body, field = PLACES[place]
    geometry = TOO_MANY_VERTICES if shape == "vertices" else TOO_MANY_RINGS
    if place == "operation" and shape == "rings":
        geometry = holed(100)  # plans are single Polygons
    problem = assert_problem(as_user("fed_liaison").post(path, json=body(geometry)), 422, field)
    # The plan schema caps its rings itself ("at most 100 items"); the rest say the limit.
    limit = "5,000" if shape == "vertices" else "100"
    assert any(limit in e["message"] for e in problem["errors"]), problem


def test_a_drawn_area_with_too_many_vertices_is_refused_in_the_query_too(
    as_user: AsUser, unchanged: None
) -> None:
    area = orjson.dumps(star(200)).decode()
    small = as_user("fed_liaison").get("/coverage", params={"area": area, "at": AT})
    assert small.status_code == 200, small.text
    params = {"area": orjson.dumps(many_rings(101)).decode(), "at": AT}
    assert_problem(as_user("fed_liaison").get("/coverage", params=params), 422, "area")


@pytest.fixture
def stars(as_user: AsUser) -> None:
    """Two valid star sectors, fed's and krg's, released to all and crossing a lot."""
    for user, geometry in (("fed_liaison", STAR), ("krg_liaison", CROSSING_STAR)):
        response = as_user(user).post("/sectors", json=sector_data(geometry=geometry))
        assert response.status_code == 201, response.text


@pytest.mark.parametrize("area", ["Kirkuk", "drawn"])
def test_coverage_over_the_crossing_budget_answers_422_at_once(
    as_user: AsUser, stars: None, area: str
) -> None:
    asked: Any = "Kirkuk" if area == "Kirkuk" else star(50, outer=0.1, inner=0.09)
    started = time.perf_counter()
    response = as_user("krg_observer").post("/coverage", json={"area": asked, "at": AT})
    problem = assert_problem(response, 422, "area")
    assert "cross more than 10,000 times" in problem["errors"][0]["message"]
    assert time.perf_counter() - started < 5.0


def test_the_crossing_budget_is_a_setting(
    as_user: AsUser, ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    for user, geometry in (("fed_liaison", star(60)), ("krg_liaison", star(60, shift=0.042))):
        assert (
            as_user(user).post("/sectors", json=sector_data(geometry=geometry)).status_code == 201
        )
    observer, params = as_user("krg_observer"), {"area": "Kirkuk", "at": AT}
    assert observer.get("/coverage", params=params).status_code == 200  # ~1,300 crossings
    monkeypatch.setattr(ctx, "settings", replace(ctx.settings, max_crossings=1_000))
    assert_problem(observer.get("/coverage", params=params), 422, "area")


def test_deconfliction_over_the_budget_refuses_the_proposal_and_changes_nothing(
    as_user: AsUser, ctx: ServiceContext, world: World
) -> None:
    krg, fed = as_user("krg_liaison"), as_user("fed_liaison")
    assert krg.post("/sectors", json=sector_data(geometry=CROSSING_STAR)).status_code == 201
    plan = fed.post("/operations", json=operation_data(area=STAR)).json()
    before = journal_count(ctx)
    assert_problem(fed.post(f"/operations/{plan['id']}/propose"), 422, "area")
    assert journal_count(ctx) == before
    after = fed.get(f"/operations/{plan['id']}").json()
    assert (after["status"], after["version"]) == ("draft", 1)
    assert_verifies(ctx)


def test_health_answers_while_a_heavy_coverage_runs(
    client: TestClient, as_user: AsUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The coverage route runs in the threadpool, so the event loop stays free."""
    started, health_done = threading.Event(), threading.Event()
    real = coverage_service.compute_coverage_metric

    def heavy(*args: Any, **kwargs: Any) -> Any:
        # Holds its worker thread until /health has answered (or 20 s pass): if the
        # route ran on the event loop, /health could not answer meanwhile.
        started.set()
        health_done.wait(timeout=20)
        return real(*args, **kwargs)

    monkeypatch.setattr(coverage_service, "compute_coverage_metric", heavy)
    answers: list[int] = []
    worker = threading.Thread(
        target=lambda: answers.append(
            as_user("krg_observer")
            .get("/coverage", params={"area": "Kirkuk", "at": AT})
            .status_code
        )
    )
    worker.start()
    try:
        assert started.wait(timeout=20)
        begun = time.perf_counter()
        health = client.get("/api/v1/health")
        took = time.perf_counter() - begun
        assert health.status_code == 200
        assert worker.is_alive(), "the coverage finished before /health was asked"
        assert took < 2.0
    finally:
        health_done.set()
        worker.join(timeout=30)
    assert answers == [200]


@pytest.mark.parametrize("path", ["/sectors", "/protected-sites"])
def test_a_geojson_page_stops_at_its_vertex_budget_and_continues(
    as_user: AsUser, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    fed = as_user("fed_liaison")
    body = sector_data if path == "/sectors" else site_data
    made = {fed.post(path, json=body(geometry=star(100))).json()["id"] for _ in range(3)}
    # 201 positions each: a budget of 300 holds one feature a page; read two at a time.
    monkeypatch.setattr(sector_queries, "MAX_GEOJSON_VERTICES", 300)
    monkeypatch.setattr(sector_queries, "_GEOJSON_CHUNK", 2)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 10} | ({"cursor": cursor} if cursor else {})
        answer = fed.get(f"{path}.geojson", params=params).json()
        assert len(answer["features"]) == 1
        seen += [f["id"] for f in answer["features"]]
        cursor, pages = answer["next_cursor"], pages + 1
        if cursor is None:
            break
    assert sorted(seen) == sorted(made) and pages == 3
    monkeypatch.setattr(sector_queries, "MAX_GEOJSON_VERTICES", 10_000)
    everything = fed.get(f"{path}.geojson", params={"limit": 10}).json()
    assert len(everything["features"]) == 3 and everything["next_cursor"] is None
