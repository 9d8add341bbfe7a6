"""The download menus of the log, the map, the sectors and the sites, and what they give."""

from __future__ import annotations

import html
import re

import orjson
import pytest

from tansiq.services.core.context import ServiceContext
from tests.factories import World
from tests.factories_exports import Seeded, seed_exports
from tests.web.conftest import LoginAs, TestClient

LINK = re.compile(r'<a href="(/exports/[^"]+)" download>([^<]+)</a>')


@pytest.fixture
def seeded(ctx: ServiceContext, world: World) -> Seeded:
    """The export records of tests/factories_exports.py."""
    return seed_exports(ctx, world)


def _menu(client: TestClient, page: str) -> dict[str, str]:
    answer = client.get(page)
    assert answer.status_code == 200, answer.text
    return {label: html.unescape(href) for href, label in LINK.findall(answer.text)}


def test_the_log_and_the_map_offer_their_filtered_incidents(
    login_as: LoginAs, seeded: Seeded
) -> None:
    krg = login_as("krg_analyst")
    for page in (
        "/incidents?admin1=Kirkuk&since=2020-02-01",
        "/map?admin1=Kirkuk&since=2020-02-01",
    ):
        menu = _menu(krg, page)
        assert menu == {
            "GeoJSON": "/exports/incidents.geojson?since=2020-02-01&admin1=Kirkuk",
            "KML": "/exports/incidents.kml?since=2020-02-01&admin1=Kirkuk",
            "GeoPackage": "/exports/incidents.gpkg?since=2020-02-01&admin1=Kirkuk",
            "CSV (ACLED columns)": "/exports/incidents.csv?since=2020-02-01&admin1=Kirkuk",
        }
    answer = krg.get(menu["GeoJSON"])
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    ids = {f["id"] for f in orjson.loads(answer.content)["features"]}
    assert ids == {seeded.incidents["fed_all"], seeded.incidents["fed_kirkuk_center"]}


def test_the_sector_and_site_menus_offer_a_geojson_file_a_layer(
    login_as: LoginAs, seeded: Seeded
) -> None:
    krg = login_as("krg_analyst")
    menu = _menu(krg, "/sectors?kind=defensive_line")
    assert menu["Defensive lines (GeoJSON)"] == (
        "/exports/sectors.geojson?kind=defensive_line&status=active&geometry=line"
    )
    assert (
        menu["GeoPackage, every layer"] == "/exports/sectors.gpkg?kind=defensive_line&status=active"
    )
    answer = krg.get(menu["Defensive lines (GeoJSON)"])
    assert [f["id"] for f in answer.json()["features"]] == [seeded.sectors["krg_line"]]
    sites = _menu(krg, "/protected-sites")
    assert list(sites) == [
        "Sites (GeoJSON)",
        "Site areas (GeoJSON)",
        "Movement routes (GeoJSON)",
        "KML, every layer",
        "GeoPackage, every layer",
    ]
    kml = krg.get(sites["KML, every layer"])
    assert kml.headers["content-type"].startswith("application/vnd.google-earth.kml+xml")
    assert seeded.sites["fed_convoy"] in kml.text
    # fed's users do not get krg's clinic, released to krg alone.
    fed = login_as("fed_analyst").get(sites["GeoPackage, every layer"])
    assert fed.status_code == 200 and fed.content.startswith(b"SQLite format 3\x00")
    assert seeded.sites["krg_hidden_clinic"].encode() not in fed.content
    assert int(fed.headers["content-length"]) == len(fed.content)


def test_the_menu_speaks_the_page_language(login_as: LoginAs, seeded: Seeded) -> None:
    krg = login_as("krg_analyst")
    krg.cookies.set("tansiq_lang", "ar")
    page = krg.get("/sectors").text
    assert "تنزيل" in page and "الخطوط الدفاعية (GeoJSON)" in page
    krg.cookies.set("tansiq_lang", "ckb")
    assert "داگرتن" in krg.get("/protected-sites").text


def test_bad_filters_send_the_user_back_to_the_page_that_names_them(
    login_as: LoginAs, seeded: Seeded
) -> None:
    krg = login_as("krg_analyst")
    answer = krg.get("/exports/incidents.kml?since=someday", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/incidents?since=someday"
    assert krg.get(answer.headers["location"]).status_code == 422
    answer = krg.get("/exports/sectors.kml?kind=trench", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sectors?")
    assert krg.get("/exports/incidents.shp").status_code == 404
    assert krg.get("/exports/sectors.csv").status_code == 404
    assert krg.get("/exports/sectors.geojson").status_code == 422


def test_a_download_needs_a_login(client: TestClient, seeded: Seeded) -> None:
    answer = client.get("/exports/incidents.gpkg", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
