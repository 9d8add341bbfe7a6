"""Sector, protected-site and coverage pages through TestClient (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from sqlalchemy import func, select

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tansiq.services.sectors.commands import create_sector, get_sector
from tansiq.storage.tables.sectors import protected_sites, sectors
from tansiq.web.common import i18n
from tests.factories import World, incident_data
from tests.factories_sectors import KIRKUK_SQUARE, sector_data
from tests.web.conftest import LoginAs, csrf_token
from tests.web.test_web import ERROR_TEXT, journal_rows

MAP_DATA = re.compile(r'<script type="application/json" id="([\w-]+)">(.*?)</script>', re.S)


def count(ctx: ServiceContext, table: Any) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def map_data(html: str, name: str) -> dict[str, Any]:
    """The FeatureCollection a page holds for its map script."""
    found = dict(MAP_DATA.findall(html))
    data: dict[str, Any] = json.loads(found[name])
    return data


def sector_form(token: str, **overrides: str) -> dict[str, str]:
    """A valid area of responsibility, valid in February 2020 (Baghdad time)."""
    data = {
        "csrf_token": token,
        "kind": "aor",
        "name": "Sector South",
        "unit_name": "8th Division, 2nd Brigade",
        "geometry": orjson.dumps(KIRKUK_SQUARE).decode(),
        "width_m": "",
        "valid_from": "2020-02-01T00:00",
        "valid_until": "2020-06-01T00:00",
        "releasability": "party",
        "center_id": "",
    }
    data.update(overrides)
    return data


# Spaces and brackets: a name no random token (CSRF, nonce) on the page can contain.
PARTY_ONLY = "Base K1 (fed only)"


def test_sectors_are_listed_and_mapped_for_the_parties_they_reach(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    shared = create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data())
    own = create_sector(
        ctx,
        actor=world.actors["fed_liaison"],
        data=sector_data(name=PARTY_ONLY, releasability="party"),
    )
    fed = login_as("fed_analyst")
    page = fed.get("/sectors").text
    assert PARTY_ONLY in page and "Sector South" in page
    ids = {f["properties"]["id"] for f in map_data(page, "sector-data")["features"]}
    assert ids == {shared["id"], own["id"]}
    krg = login_as("krg_analyst")
    page = krg.get("/sectors").text
    assert "Sector South" in page and PARTY_ONLY not in page
    assert [f["properties"]["id"] for f in map_data(page, "sector-data")["features"]] == [
        shared["id"]
    ]
    assert krg.get(f"/sectors/{own['id']}").status_code == 404
    assert krg.get(f"/sectors/{shared['id']}").status_code == 200
    assert krg.get(f"/sectors/{shared['id']}/edit").status_code == 403
    assert krg.get("/sectors?kind=trench").status_code == 422


def test_declaring_changing_and_withdrawing_a_sector(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    client = login_as("fed_liaison")
    page = client.get("/sectors/new").text
    answer = client.post("/sectors/new", data=sector_form(csrf_token(page)), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    url = answer.headers["location"]
    sector_id = url.rsplit("/", 1)[1]
    detail = client.get(url).text
    assert "Sector saved." in detail and "8th Division, 2nd Brigade" in detail
    saved = get_sector(ctx, actor=world.actors["fed_liaison"], sector_id=sector_id)
    assert saved["valid_from"] == "2020-01-31T21:00:00.000000Z"  # Baghdad midnight
    edit = client.get(f"{url}/edit").text
    assert 'name="version" value="1"' in edit
    form = sector_form(csrf_token(edit), unit_name="8th Division, 3rd Brigade", version="1")
    form.pop("kind")
    assert client.post(f"{url}/edit", data=form, follow_redirects=False).status_code == 303
    # The same form again is stale (the sector is at version 2).
    assert client.post(f"{url}/edit", data=form).status_code == 409
    token = csrf_token(client.get(url).text)
    answer = client.post(
        f"{url}/withdraw",
        data={"csrf_token": token, "version": "2", "reason": "Handed over."},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert get_sector(ctx, actor=world.actors["fed_liaison"], sector_id=sector_id)["status"] == (
        "withdrawn"
    )
    assert client.get(f"{url}/edit").status_code == 403


def test_a_checkpoint_takes_its_radius_from_the_width_field(
    ctx: ServiceContext, login_as: LoginAs
) -> None:
    client = login_as("fed_liaison")
    token = csrf_token(client.get("/sectors/new").text)
    point = orjson.dumps({"type": "Point", "coordinates": [44.45, 35.2]}).decode()
    answer = client.post("/sectors/new", data=sector_form(token, kind="checkpoint", geometry=point))
    assert answer.status_code == 422
    assert dict(ERROR_TEXT.findall(answer.text)) == {"width_m": "Give the radius in metres."}
    answer = client.post(
        "/sectors/new",
        data=sector_form(token, kind="checkpoint", geometry=point, width_m="1500"),
        follow_redirects=False,
    )
    assert answer.status_code == 303


def test_bad_sector_input_names_the_fields_and_writes_nothing(
    ctx: ServiceContext, login_as: LoginAs
) -> None:
    client = login_as("fed_liaison")
    token = csrf_token(client.get("/sectors/new").text)
    before = journal_rows(ctx)
    point = orjson.dumps({"type": "Point", "coordinates": [44.45, 35.2]}).decode()
    answer = client.post(
        "/sectors/new",
        data=sector_form(token, unit_name="", geometry=point, valid_until="soon", width_m="20"),
    )
    assert answer.status_code == 422
    assert dict(ERROR_TEXT.findall(answer.text)) == {
        "valid_until": "Enter a date and time.",
        "width_m": "Leave this empty for an area of responsibility.",
    }
    answer = client.post("/sectors/new", data=sector_form(token, unit_name=""))
    assert dict(ERROR_TEXT.findall(answer.text)) == {"unit_name": "This field is required."}
    answer = client.post("/sectors/new", data=sector_form(token, geometry=point))
    assert dict(ERROR_TEXT.findall(answer.text)) == {"geometry": "Draw an area (a closed shape)."}
    answer = client.post("/sectors/new", data=sector_form(token, geometry="{not json"))
    assert dict(ERROR_TEXT.findall(answer.text)) == {"geometry": "This is not GeoJSON."}
    assert journal_rows(ctx) == before and count(ctx, sectors) == 0
    # No CSRF token, no sector; a reader's role may not declare.
    form = sector_form("")
    assert client.post("/sectors/new", data=form).status_code == 403
    observer = login_as("fed_observer")
    assert observer.get("/sectors/new").status_code == 403
    form = sector_form(csrf_token(observer.get("/sectors").text))
    assert observer.post("/sectors/new", data=form).status_code == 403
    assert count(ctx, sectors) == 0


def test_importing_protected_sites_all_or_nothing(ctx: ServiceContext, login_as: LoginAs) -> None:
    client = login_as("fed_liaison")
    token = csrf_token(client.get("/protected-sites/import").text)
    bad = b"kind,name,lon,lat\nschool,Al-Noor school,44.39,35.47\nclinic,Daquq clinic,east,35.1\n"
    answer = client.post(
        "/protected-sites/import",
        data={"csrf_token": token},
        files={"file": ("sites.csv", bad, "text/csv")},
    )
    assert answer.status_code == 422
    assert "rows[1].lon" in answer.text and "Nothing was imported" in answer.text
    assert count(ctx, protected_sites) == 0
    answer = client.post("/protected-sites/import", data={"csrf_token": token})
    assert answer.status_code == 422 and "Choose a GeoJSON or CSV file." in answer.text
    good = bad.replace(b"east", b"44.45")
    answer = client.post(
        "/protected-sites/import",
        data={"csrf_token": token},
        files={"file": ("sites.csv", good, "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [44.5, 35.3]},
                "properties": {"kind": "idp_camp", "name": "Laylan camp", "name_ar": "مخيم ليلان"},
            }
        ],
    }
    answer = client.post(
        "/protected-sites/import",
        data={"csrf_token": token},
        files={"file": ("sites.geojson", orjson.dumps(collection), "application/geo+json")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert count(ctx, protected_sites) == 3
    krg = login_as("krg_observer")
    page = krg.get("/protected-sites").text
    assert "Daquq clinic" in page and len(map_data(page, "site-data")["features"]) == 3
    krg.cookies.set("tansiq_lang", "ar")
    assert "مخيم ليلان" in krg.get("/protected-sites").text
    assert krg.get("/protected-sites/import").status_code == 403


def test_coverage_shows_gaps_and_the_incidents_in_them(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data())
    inside = create_incident(
        ctx,
        actor=world.actors["krg_liaison"],
        data=incident_data(location={"type": "Point", "coordinates": [44.0, 35.6]}),
    )
    client = login_as("fed_analyst")
    page = client.get("/coverage?area=Kirkuk&at=2020-02-20")
    assert page.status_code == 200
    data = map_data(page.text, "coverage-data")
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert {"area", "coverage", "gap", "incident"} <= layers
    [point] = [f for f in data["features"] if f["properties"]["layer"] == "incident"]
    assert point["properties"]["id"] == inside["id"]
    assert point["properties"]["href"] == f"/incidents/{inside['id']}"
    assert "Gap (no party covers it)" in page.text and 'class="layer-gap"' in page.text
    # The center of the user's party is the default area; a bad choice is a 422.
    assert client.get("/coverage").status_code == 200
    answer = client.get("/coverage?area=Atlantis&at=2020-02-30")
    assert answer.status_code == 422
    assert "Choose a governorate or a center." in answer.text
    assert "Enter a date as YYYY-MM-DD." in answer.text
    answer = client.get("/coverage?area=Kirkuk&since=2020-02-10&until=2020-02-01")
    assert answer.status_code == 422 and "Must not be before the start date." in answer.text


def test_a_sector_drawn_a_quarter_into_iran_is_refused_in_the_users_language(
    ctx: ServiceContext, login_as: LoginAs
) -> None:
    # Inside the old lon/lat box, but a quarter of it lies across the border with Iran.
    straddling = orjson.dumps(
        {
            "type": "Polygon",
            "coordinates": [[[45.2, 33.5], [45.6, 33.5], [45.6, 33.9], [45.2, 33.9], [45.2, 33.5]]],
        }
    ).decode()
    client = login_as("fed_liaison")
    before = journal_rows(ctx)
    english = "The shape lies outside Iraq; tick “Cross-border” if meant."
    for lang in ("en", "ar"):
        client.cookies.set("tansiq_lang", lang)
        token = csrf_token(client.get("/sectors/new").text)
        answer = client.post("/sectors/new", data=sector_form(token, geometry=straddling))
        assert answer.status_code == 422
        expected = i18n.translations(lang).gettext(english)
        assert dict(ERROR_TEXT.findall(answer.text)) == {"geometry": expected}
        assert lang == "en" or expected != english
    assert journal_rows(ctx) == before and count(ctx, sectors) == 0
