"""The coverage service on both databases: releasability, areas, incidents, speed."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import numpy as np
import orjson
import pytest
from shapely.geometry import shape

from tansiq.demo.scenario import load_demo
from tansiq.domain.errors import ValidationFailed
from tansiq.geo.boundaries import governorate_shape
from tansiq.geo.geometry import area_km2, inside_iraq
from tansiq.services.accounts.commands import authenticate_password
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tansiq.services.sectors.commands import create_sector, import_sectors
from tansiq.services.sectors.coverage import coverage, parse_when
from tests.factories import Clock, World, build_world, incident_data
from tests.factories_sectors import KIRKUK_SQUARE, sector_data, square

AT = datetime(2020, 2, 20, tzinfo=UTC)
SQUARE_KM2 = area_km2(shape(KIRKUK_SQUARE))
# Inside KIRKUK_SQUARE (44.3-44.4, 35.3-35.4), and well outside it.
IN_SQUARE = {"type": "Point", "coordinates": [44.35, 35.35]}
OUTSIDE_SQUARE = {"type": "Point", "coordinates": [44.392, 35.468]}


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """Parties fed, krg, un with users."""
    return build_world(ctx)


def _rows(answer: dict[str, Any]) -> dict[tuple[str, str | None], tuple[float, int]]:
    return {
        (r["layer"], r["party"]): (r["area_km2"], r["incident_count"]) for r in answer["summary"]
    }


def test_a_party_sector_is_a_gap_to_the_other_party(ctx: ServiceContext, world: World) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    create_sector(ctx, actor=fed, data=sector_data(releasability="party"))
    incident = create_incident(ctx, actor=fed, data=incident_data(location=IN_SQUARE))

    own = coverage(ctx, actor=fed, area="Kirkuk", at=AT)
    theirs = coverage(ctx, actor=krg, area="Kirkuk", at=AT)

    square_km2 = _rows(own)[("coverage", "fed")][0]
    assert square_km2 == pytest.approx(SQUARE_KM2, abs=0.01)
    assert ("coverage", "fed") not in _rows(theirs) and theirs["parties"] == []
    assert _rows(theirs)[("gap", None)][0] == pytest.approx(_rows(theirs)[("area", None)][0])
    assert _rows(own)[("gap", None)][0] == pytest.approx(
        _rows(theirs)[("gap", None)][0] - square_km2, abs=0.01
    )
    # The incident (released to all) sits in krg's gap but inside fed's coverage.
    assert _rows(theirs)[("gap", None)][1] == 1 and _rows(own)[("gap", None)][1] == 0
    in_gap = [f for f in theirs["features"] if f["properties"]["layer"] == "incident"]
    assert [f["properties"]["id"] for f in in_gap] == [incident["id"]]
    assert not any(
        "fed" in str(f["properties"].get("party"))
        for f in theirs["features"]
        if f["properties"]["layer"] == "coverage"
    )


def test_a_shared_sector_counts_for_everyone(ctx: ServiceContext, world: World) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    create_sector(ctx, actor=fed, data=sector_data(releasability="all"))
    create_sector(ctx, actor=krg, data=sector_data(geometry=square(44.35, 35.3)))
    answer = coverage(ctx, actor=krg, area="kirkuk", at=AT)
    rows = _rows(answer)
    assert answer["parties"] == ["fed", "krg"] and answer["sector_count"] == 2
    assert rows[("overlap", None)][0] == pytest.approx(rows[("coverage", "fed")][0] / 2, rel=0.02)
    only_krg = coverage(ctx, actor=krg, area="Kirkuk", at=AT, parties=["krg"])
    assert only_krg["parties"] == ["krg"] and _rows(only_krg)[("overlap", None)][0] == 0


def test_the_date_decides_which_sectors_count(ctx: ServiceContext, world: World) -> None:
    fed = world.actors["fed_liaison"]
    create_sector(ctx, actor=fed, data=sector_data())
    before = coverage(ctx, actor=fed, area="Kirkuk", at=datetime(2020, 1, 31, tzinfo=UTC))
    assert before["sector_count"] == 0 and before["parties"] == []


def test_incidents_of_the_period_only_and_never_drafts(ctx: ServiceContext, world: World) -> None:
    fed = world.actors["fed_liaison"]
    create_incident(ctx, actor=fed, data=incident_data(location=OUTSIDE_SQUARE))
    create_incident(ctx, actor=fed, data=incident_data(location=OUTSIDE_SQUARE, status="draft"))
    create_incident(
        ctx,
        actor=fed,
        data=incident_data(location=OUTSIDE_SQUARE, occurred_at="2019-12-01T00:00:00Z"),
    )
    answer = coverage(ctx, actor=fed, area="Kirkuk", at=AT)
    assert _rows(answer)[("gap", None)][1] == 1
    longer = coverage(
        ctx, actor=fed, area="Kirkuk", at=AT, incidents_since=datetime(2019, 11, 1, tzinfo=UTC)
    )
    assert _rows(longer)[("gap", None)][1] == 2
    assert longer["incidents_since"] == "2019-11-01T00:00:00.000000Z"
    with pytest.raises(ValidationFailed) as exc:
        coverage(ctx, actor=fed, area="Kirkuk", at=AT, incidents_since=AT, incidents_until=AT)
    assert exc.value.errors[0].field == "incidents_until"


def test_areas_by_center_code_and_drawn_polygon(ctx: ServiceContext, world: World) -> None:
    fed = world.actors["fed_liaison"]
    create_sector(ctx, actor=fed, data=sector_data())
    center = coverage(ctx, actor=fed, area="jcc-kirkuk", at=AT)
    assert center["area"] == {"kind": "center", "code": "jcc-kirkuk", "name": "JCC Kirkuk"}
    governorate = coverage(ctx, actor=fed, area="Kirkuk", at=AT)
    assert governorate["area"]["kind"] == "governorate"
    assert _rows(center)[("area", None)] == _rows(governorate)[("area", None)]
    drawn = coverage(ctx, actor=fed, area=orjson.dumps(square(44.25, 35.25, 0.2)).decode(), at=AT)
    assert drawn["area"]["kind"] == "polygon"
    rows = _rows(drawn)
    assert rows[("coverage", "fed")][0] == pytest.approx(SQUARE_KM2, abs=0.01)
    assert rows[("gap", None)][0] == pytest.approx(rows[("area", None)][0] - SQUARE_KM2, abs=0.01)
    assert coverage(ctx, actor=fed, area=KIRKUK_SQUARE, at=AT)["summary"][-1]["area_km2"] < 0.01


@pytest.mark.parametrize(
    "area", ["Atlantis", "", "{not json", '{"type": "Point", "coordinates": [44, 35]}', "x" * 300]
)
def test_an_unknown_or_bad_area_names_area(ctx: ServiceContext, world: World, area: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        coverage(ctx, actor=world.actors["fed_liaison"], area=area, at=AT)
    assert [e.field for e in exc.value.errors] == ["area"]


def test_dates_are_read_as_dates_or_instants() -> None:
    assert parse_when("2020-02-20") == AT
    assert parse_when("2020-02-20T03:00:00+03:00") == AT
    for bad in ("20/02/2020", "2020-02-20T00:00:00", "2020-02-30"):
        with pytest.raises(ValidationFailed):
            parse_when(bad)


@pytest.mark.timing
def test_a_thousand_sectors_over_diyala(ctx: ServiceContext, world: World) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    rng = np.random.default_rng(3)
    area = governorate_shape("Diyala")
    west, south, east, north = area.bounds
    for actor in (fed, krg):
        features: list[dict[str, Any]] = []
        while len(features) < 500:
            x, y = rng.uniform(west, east), rng.uniform(south, north)
            geometry = square(round(x, 4), round(y, 4), 0.04)
            # Diyala borders Iran: a square over the line would need cross_border.
            if not inside_iraq(shape(geometry)):
                continue
            data = sector_data(geometry=geometry)
            properties = {k: v for k, v in data.items() if k != "geometry"}
            features.append(
                {"type": "Feature", "geometry": data["geometry"], "properties": properties}
            )
        import_sectors(ctx, actor=actor, features=features)
    started = time.perf_counter()
    answer = coverage(ctx, actor=krg, area="Diyala", at=AT)
    elapsed = time.perf_counter() - started
    print(f"coverage of Diyala with {answer['sector_count']} sectors: {elapsed * 1000:.0f} ms")
    assert answer["sector_count"] > 900
    assert elapsed < 2.0


def test_the_demo_shows_a_vacuum_in_diyala(ctx: ServiceContext, clock: Clock) -> None:
    from tansiq.demo.directory_feb2020 import demo_password

    clock.advance(days=10)
    load_demo(ctx)
    actors = {
        name: authenticate_password(ctx, username=name, password=demo_password(name))
        for name in ("fed_analyst", "krg_analyst")
    }
    fed = coverage(ctx, actor=actors["fed_analyst"], area="Diyala", at=AT)
    krg = coverage(ctx, actor=actors["krg_analyst"], area="Kirkuk", at=AT)
    assert fed["parties"] == ["fed", "krg"] and _rows(fed)[("overlap", None)][0] > 0
    assert _rows(fed)[("gap", None)][1] > 0
    # fed's base K1 (2 km radius) is releasable to fed only: krg's answer never counts it.
    fed_in_kirkuk = coverage(ctx, actor=actors["fed_analyst"], area="Kirkuk", at=AT)
    hidden = _rows(fed_in_kirkuk)[("coverage", "fed")][0] - _rows(krg)[("coverage", "fed")][0]
    assert hidden == pytest.approx(4 * np.pi, rel=0.01)
    assert load_demo(ctx).created_anything is False
