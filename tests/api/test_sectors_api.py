"""Sectors, protected sites and coverage over HTTP: bad input, imports, releasability."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, TestClient, assert_problem, assert_verifies, journal_count
from tests.factories import World, incident_data
from tests.factories_sectors import line_data, movement_data, sector_data, site_data, square

BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[44.0, 35.0], [44.1, 35.1], [44.1, 35.0], [44.0, 35.1], [44.0, 35.0]]],
}
UNCLOSED = {"type": "Polygon", "coordinates": [[[44.0, 35.0], [44.1, 35.0], [44.1, 35.1]]]}
ACROSS_ANTIMERIDIAN = {
    "type": "Polygon",
    "coordinates": [[[179.5, 35.0], [-179.5, 35.0], [-179.5, 35.1], [179.5, 35.0]]],
}

# (overrides of a valid sector body, the field the problem must name)
BAD_SECTORS: dict[str, tuple[dict[str, Any], str]] = {
    "self-intersecting ring": ({"geometry": BOWTIE}, "geometry"),
    "unclosed ring": ({"geometry": UNCLOSED}, "geometry"),
    "antimeridian": ({"geometry": ACROSS_ANTIMERIDIAN, "cross_border": True}, "geometry"),
    "outside Iraq": ({"geometry": square(51.0, 30.0)}, "geometry"),
    "a quarter in Iran": ({"geometry": square(45.2, 33.5, 0.4)}, "geometry"),
    "absurdly large": ({"geometry": square(39.0, 29.0, 8.0)}, "geometry"),
    "point for an area": ({"geometry": {"type": "Point", "coordinates": [44.3, 35.3]}}, "geometry"),
    "geometry a string": ({"geometry": "POLYGON ((44 35, 45 35, 45 36, 44 35))"}, "geometry"),
    "coordinates strings": (
        {
            "geometry": {"type": "Point", "coordinates": ["44", "35"]},
            "kind": "base",
            "radius_m": 100,
        },
        "geometry",
    ),
    "geometry type unknown": (
        {"geometry": {"type": "Circle", "coordinates": [44, 35]}},
        "geometry",
    ),
    "line without depth": (
        {"kind": "defensive_line", "geometry": line_data()["geometry"]},
        "depth_m",
    ),
    "depth on an area": ({"depth_m": 100.0}, "depth_m"),
    "radius too large": (
        {
            "kind": "base",
            "radius_m": 60_000.0,
            "geometry": {"type": "Point", "coordinates": [44.3, 35.3]},
        },
        "radius_m",
    ),
    "radius as text": (
        {
            "kind": "base",
            "radius_m": "500",
            "geometry": {"type": "Point", "coordinates": [44.3, 35.3]},
        },
        "radius_m",
    ),
    "window reversed": ({"valid_until": "2020-01-01T00:00:00Z"}, "valid_until"),
    "date without zone": ({"valid_from": "2020-02-01T00:00:00"}, "valid_from"),
    "impossible date": ({"valid_from": "2020-02-30T00:00:00Z"}, "valid_from"),
    "unknown kind": ({"kind": "trench"}, "kind"),
    "center without center": ({"releasability": "center"}, "center_id"),
    "foreign center": ({"releasability": "center", "center_id": "no-such-center"}, "center_id"),
    "unknown field": ({"colour": "red"}, "colour"),
    "withdrawn at birth": ({"status": "withdrawn"}, "status"),
    "empty unit": ({"unit_name": ""}, "unit_name"),
}


@pytest.fixture
def unchanged(ctx: ServiceContext, world: World) -> Iterator[None]:
    """After the test: no journal row was added and the database still verifies."""
    before = journal_count(ctx)
    yield
    assert journal_count(ctx) == before
    assert_verifies(ctx)


def _feature(data: dict[str, Any]) -> dict[str, Any]:
    properties = {k: v for k, v in data.items() if k != "geometry"}
    return {"type": "Feature", "geometry": data["geometry"], "properties": properties}


@pytest.mark.parametrize("case", BAD_SECTORS)
def test_a_bad_sector_is_refused_naming_the_field(
    as_user: AsUser, unchanged: None, case: str
) -> None:
    overrides, field = BAD_SECTORS[case]
    response = as_user("fed_liaison").post("/sectors", json=sector_data(**overrides))
    assert_problem(response, 422, field)


@pytest.mark.parametrize(
    "case",
    [
        "self-intersecting ring",
        "antimeridian",
        "depth on an area",
        "window reversed",
        "unknown field",
    ],
)
def test_a_bad_patch_changes_nothing(as_user: AsUser, ctx: ServiceContext, case: str) -> None:
    fed = as_user("fed_liaison")
    created = fed.post("/sectors", json=sector_data()).json()
    before = journal_count(ctx)
    overrides, field = BAD_SECTORS[case]
    assert_problem(fed.patch(f"/sectors/{created['id']}", json=overrides), 422, field)
    assert journal_count(ctx) == before
    assert fed.get(f"/sectors/{created['id']}").json()["version"] == 1
    assert_verifies(ctx)


def test_a_bad_site_is_refused_naming_the_field(as_user: AsUser, unchanged: None) -> None:
    fed = as_user("fed_liaison")
    assert_problem(fed.post("/protected-sites", json=site_data(geometry=BOWTIE)), 422, "geometry")
    assert_problem(fed.post("/protected-sites", json=movement_data(ends_at=None)), 422, "ends_at")
    line = movement_data()["geometry"]
    assert_problem(fed.post("/protected-sites", json=site_data(geometry=line)), 422, "geometry")


def test_a_party_sector_stays_with_its_party_and_is_a_gap_to_the_other(
    as_user: AsUser, world: World
) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    private = fed.post("/sectors", json=sector_data(releasability="party")).json()
    assert_problem(krg.get(f"/sectors/{private['id']}"), 404)
    assert krg.get("/sectors").json()["items"] == []
    assert krg.get("/sectors.geojson").json()["features"] == []
    params = {"area": "Kirkuk", "at": "2020-02-20"}
    mine, theirs = fed.get("/coverage", params=params), krg.get("/coverage", params=params)
    assert mine.status_code == theirs.status_code == 200
    assert theirs.headers["content-type"].startswith("application/geo+json")
    layers = {(r["layer"], r["party"]): r["area_km2"] for r in mine.json()["summary"]}
    theirs_layers = {(r["layer"], r["party"]): r["area_km2"] for r in theirs.json()["summary"]}
    assert ("coverage", "fed") in layers and ("coverage", "fed") not in theirs_layers
    assert theirs_layers[("gap", None)] == pytest.approx(
        layers[("gap", None)] + layers[("coverage", "fed")], abs=0.01
    )
    assert private["id"] not in theirs.text


def test_coverage_get_and_post_agree(as_user: AsUser) -> None:
    fed = as_user("fed_liaison")
    fed.post("/sectors", json=sector_data()).raise_for_status()
    fed.post("/incidents", json=incident_data()).raise_for_status()
    area = square(44.25, 35.25, 0.3)
    got = fed.get(
        "/coverage", params={"area": orjson.dumps(area).decode(), "at": "2020-02-20T00:00:00Z"}
    )
    posted = fed.post("/coverage", json={"area": area, "at": "2020-02-20"})
    assert got.status_code == posted.status_code == 200, got.text
    assert got.json() == posted.json()
    body = got.json()
    assert body["type"] == "FeatureCollection" and body["area"]["kind"] == "polygon"
    gaps = [f for f in body["features"] if f["properties"]["layer"] == "gap"]
    assert sum(len(f["properties"]["incident_ids"]) for f in gaps) == 1
    by_center = fed.get(
        "/coverage", params={"area": "jcc-kirkuk", "at": "2020-02-20", "party": "krg"}
    )
    assert by_center.json()["parties"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area": "Atlantis", "at": "2020-02-20"}, "area"),
        ({"area": "{", "at": "2020-02-20"}, "area"),
        ({"area": "Kirkuk", "at": "yesterday"}, "at"),
        ({"area": "Kirkuk"}, "at"),
        (
            {"area": "Kirkuk", "at": "2020-02-20", "incidents_since": "2020-03-01T00:00:00Z"},
            "incidents_until",
        ),
    ],
)
def test_bad_coverage_questions_name_the_field(
    as_user: AsUser, params: dict[str, str], field: str
) -> None:
    assert_problem(as_user("krg_observer").get("/coverage", params=params), 422, field)


def test_sector_import_is_all_or_nothing(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    features = [_feature(sector_data()) for _ in range(3)] + [
        _feature(sector_data(geometry=BOWTIE))
    ]
    before = journal_count(ctx)
    refused = fed.post("/sectors/import", json={"type": "FeatureCollection", "features": features})
    assert_problem(refused, 422, "features[3].geometry")
    assert journal_count(ctx) == before
    done = fed.post("/sectors/import", json={"type": "FeatureCollection", "features": features[:3]})
    assert done.status_code == 201, done.text
    assert len(done.json()["items"]) == 3


def test_site_import_takes_geojson_and_csv(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    collection = {
        "type": "FeatureCollection",
        "features": [_feature(site_data()), _feature(movement_data())],
    }
    done = fed.post(
        "/protected-sites/import",
        content=orjson.dumps(collection),
        headers={"Content-Type": "application/geo+json"},
    )
    assert done.status_code == 201, done.text
    assert [s["kind"] for s in done.json()["items"]] == ["school", "humanitarian_movement"]

    table = (
        "kind,name,lon,lat,releasability\n"
        "clinic,PHC Daquq,44.45,35.14,\n"
        "idp_camp,Laylan camp,44.55,35.33,all\n"
    )
    done = fed.post(
        "/protected-sites/import",
        content=table.encode(),
        headers={"Content-Type": "text/csv; charset=utf-8"},
    )
    assert done.status_code == 201, done.text
    assert [s["releasability"] for s in done.json()["items"]] == ["all", "all"]
    assert len(fed.get("/protected-sites").json()["items"]) == 4

    before = journal_count(ctx)
    bad = "kind,name,lon,lat\nschool,A,44.4,35.4\nschool,B,east,35.4\nschool,C,51.0,35.0\n"
    refused = fed.post(
        "/protected-sites/import", content=bad.encode(), headers={"Content-Type": "text/csv"}
    )
    assert_problem(refused, 422, "rows[1].lon")
    assert_problem(
        fed.post(
            "/protected-sites/import",
            content=b"kind,name,colour\n",
            headers={"Content-Type": "text/csv"},
        ),
        422,
        "columns",
    )
    refused = fed.post(
        "/protected-sites/import",
        content=bad.replace("east", "44.4").encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert_problem(refused, 422, "rows[2].geometry")
    assert journal_count(ctx) == before


@pytest.mark.parametrize(
    ("content", "media", "status", "field"),
    [
        (b"<sites/>", "application/xml", 415, "Content-Type"),
        (b"\xff\xfe", "text/csv", 400, "body"),
        (b"{not json", "application/json", 400, "body"),
        (b'{"type": "Feature"}', "application/json", 422, "type"),
        (b'{"type": "FeatureCollection", "features": []}', "application/json", 422, "features"),
    ],
)
def test_an_unreadable_import_is_refused(
    as_user: AsUser, unchanged: None, content: bytes, media: str, status: int, field: str
) -> None:
    response = as_user("fed_liaison").post(
        "/protected-sites/import", content=content, headers={"Content-Type": media}
    )
    assert_problem(response, status, field)


def test_openapi_lists_the_new_paths(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/sectors",
        "/api/v1/sectors/{sector_id}",
        "/api/v1/sectors/import",
        "/api/v1/sectors.geojson",
        "/api/v1/protected-sites",
        "/api/v1/protected-sites/import",
        "/api/v1/coverage",
    ):
        assert path in paths
    assert "text/csv" in paths["/api/v1/protected-sites/import"]["post"]["requestBody"]["content"]
