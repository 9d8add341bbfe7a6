"""GET /api/v1/exports/…: whole files of what the caller may see; bad filters are problems."""

from __future__ import annotations

import csv
import io
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import orjson
import pytest

import tansiq.ingest.export.produce as produce
from tansiq.ingest.export.kml import KML_NAMESPACE
from tansiq.ingest.export.request import FORMATS, FORMATS_OF
from tansiq.services.accounts.commands import create_token
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tests.api.helpers import AsUser, assert_problem, journal_count
from tests.e2e.conftest import live_server
from tests.factories import SYSTEM, World, incident_data
from tests.factories_exports import Seeded, seed_exports
from tests.gdal import features, ogrinfo, require_gdal

PATHS = {"incidents": "incidents", "sectors": "sectors", "sites": "protected-sites"}


@pytest.fixture
def seeded(ctx: ServiceContext, world: World) -> Seeded:
    """The export records of tests/factories_exports.py."""
    return seed_exports(ctx, world)


def _ids_in(format_: str, body: bytes, tmp_path: Path) -> list[str]:
    if format_ == "csv":
        # ACLED's columns hold no Tansiq id: the notes name each seeded incident.
        return [
            row["notes"] + row["location"] for row in csv.DictReader(io.StringIO(body.decode()))
        ]
    if format_ == "geojson":
        return [f["id"] for f in orjson.loads(body)["features"]]
    if format_ == "kml":
        marks = ET.fromstring(body).iter(f"{{{KML_NAMESPACE}}}Placemark")
        return [str(m.get("id")).split(".", 1)[1] for m in marks]
    path = tmp_path / "export.gpkg"
    path.write_bytes(body)
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents")]
        return [r[0] for t in tables for r in conn.execute(f'SELECT id FROM "{t}"')]


DATASETS = {"incidents": "incidents", "sectors": "sectors", "sites": "protected_sites"}


@pytest.mark.parametrize(
    ("records", "format_"), [(r, f) for r in PATHS for f in FORMATS_OF[DATASETS[r]]]
)
def test_an_export_holds_what_the_caller_may_see(
    ctx: ServiceContext,
    as_user: AsUser,
    seeded: Seeded,
    tmp_path: Path,
    records: str,
    format_: str,
) -> None:
    query = {"geometry": "point"} if format_ == "geojson" and records != "incidents" else {}
    before = journal_count(ctx)
    answer = as_user("krg_observer").get(f"/exports/{PATHS[records]}.{format_}", params=query)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(FORMATS[format_].media_type)
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="tansiq-') and disposition.endswith(
        f'.{format_}"'
    )
    ids = _ids_in(format_, answer.content, tmp_path)
    assert len(ids) == len(set(ids))
    if format_ == "csv":
        assert sorted(ids) == sorted(
            f"IED on the road south of Kirkuk.{place}" for place in ("Kirkuk", "Daquq", "Erbil")
        )
    elif query:
        assert set(ids) < seeded.seen_by_krg(records) and ids
    else:
        assert set(ids) == seeded.seen_by_krg(records)
    # Reading writes nothing.
    assert journal_count(ctx) == before


def test_filters_narrow_an_export_like_the_list(as_user: AsUser, seeded: Seeded) -> None:
    caller = as_user("krg_analyst")
    answer = caller.get("/exports/incidents.geojson", params={"event_type": "Battles"})
    assert [f["id"] for f in answer.json()["features"]] == [seeded.incidents["krg_hidden_battle"]]
    listed = caller.get("/incidents", params={"admin1": "Kirkuk"}).json()["items"]
    exported = caller.get("/exports/incidents.geojson", params={"admin1": "Kirkuk"}).json()
    assert {f["id"] for f in exported["features"]} == {i["id"] for i in listed}
    feature = exported["features"][0]
    # Every attribute the JSON API answers; the location is the geometry.
    (item,) = [i for i in listed if i["id"] == feature["id"]]
    assert feature["properties"] == {k: v for k, v in item.items() if k != "location"}
    assert feature["geometry"] == item["location"]
    lines = caller.get("/exports/sectors.geojson", params={"kind": "defensive_line"}).json()
    assert lines["name"] == "sectors_lines"
    assert [f["id"] for f in lines["features"]] == [seeded.sectors["krg_line"]]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/exports/incidents.kml", {"bbox": "44,35"}, "bbox"),
        ("/exports/incidents.gpkg", {"event_type": "Shelling"}, "event_type"),
        ("/exports/incidents.geojson", {"since": "yesterday"}, "since"),
        ("/exports/sectors.geojson", {}, "geometry"),
        ("/exports/sectors.kml", {"geometry": "area"}, "geometry"),
        ("/exports/protected-sites.geojson", {"kind": "clinic"}, "geometry"),
        ("/exports/protected-sites.gpkg", {"status": "gone"}, "status"),
        ("/exports/incidents.csv", {"party": "x" * 40}, "party"),
    ],
)
def test_bad_filters_answer_a_problem_naming_the_field(
    as_user: AsUser, seeded: Seeded, path: str, params: dict[str, str], field: str
) -> None:
    assert_problem(as_user("krg_observer").get(path, params=params), 422, field)


def test_an_export_needs_a_token(as_user: AsUser) -> None:
    client = as_user("krg_observer").client
    assert_problem(client.get("/api/v1/exports/incidents.kml"), 401, "Authorization")


def test_gdal_reads_a_served_nodes_export_whole_across_its_internal_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_gdal()
    # Pages of two records inside the export: the file must still hold every one.
    monkeypatch.setattr(produce, "MAX_PAGE", 2)
    with live_server(tmp_path) as server:
        fed = server.world.actors["fed_liaison"]
        for day in range(1, 6):
            create_incident(
                server.ctx, actor=fed, data=incident_data(occurred_at=f"2020-02-0{day}T08:00:00Z")
            )
        token, _ = create_token(server.ctx, by=SYSTEM, username="krg_observer")
        env = {"GDAL_HTTP_HEADERS": f"Authorization: Bearer {token}"}
        url = f"{server.url}/api/v1/exports/incidents.geojson"
        layer = ogrinfo(url, env=env)["incidents"]
        assert (layer.geometry, layer.count) == ("Point", 5)
        assert {"occurred_at", "sources", "admin1", "fatalities"} <= set(layer.fields)
        read = features(url, "incidents", env=env)
        # The live server's fed incident released to fed alone is not in krg's file.
        assert server.fed_party_incident not in {f.get("id") for f in read}
        assert len(read) == 5
