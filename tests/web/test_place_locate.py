"""The incident form's point picker: ``/places/locate`` names the district and governorate
the service derives on saving, in the page's language, and refuses bad coordinates."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tests.factories import World, incident_data
from tests.web.conftest import LoginAs

KIRKUK = {"lat": "35.4681", "lon": "44.3922"}
TEHRAN = {"lat": "35.69", "lon": "51.39"}
WORDS = {
    "en": ("District: Kirkuk · Governorate: Kirkuk", "Outside Iraq"),
    "ar": ("القضاء: كركوك · المحافظة: كركوك", "خارج العراق"),
    "ckb": ("قەزا: ", "لە دەرەوەی عێراق"),
}


@pytest.mark.parametrize("lang", ["en", "ar", "ckb"])
def test_a_point_is_named_as_the_service_will_derive_it(
    ctx: ServiceContext, world: World, login_as: LoginAs, lang: str
) -> None:
    client = login_as("fed_liaison")
    client.cookies.set("tansiq_lang", lang)
    inside, outside = WORDS[lang]
    answer = client.get("/places/locate", params=KIRKUK)
    assert answer.status_code == 200
    body = answer.json()
    saved = create_incident(
        ctx,
        actor=world.actors["fed_liaison"],
        data=incident_data(
            location={"type": "Point", "coordinates": [float(KIRKUK["lon"]), float(KIRKUK["lat"])]}
        ),
    )
    assert (body["admin1"], body["admin2"]) == (saved["admin1"], saved["admin2"])
    assert body["inside"] is True and body["text"].startswith(inside)
    far = client.get("/places/locate", params=TEHRAN).json()
    assert far["inside"] is False and far["admin1"] is None
    assert far["text"].startswith(outside)


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"lat": "north", "lon": "44"}, ["lat"]),
        ({"lat": "35", "lon": "200"}, ["lon"]),
        ({"lat": "nan"}, ["lat", "lon"]),
    ],
)
def test_bad_coordinates_are_named(
    world: World, login_as: LoginAs, params: dict[str, str], fields: list[str]
) -> None:
    answer = login_as("fed_liaison").get("/places/locate", params=params)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == fields


def test_locating_needs_a_session(client: TestClient, world: World) -> None:
    answer = client.get("/places/locate", params=KIRKUK, follow_redirects=False)
    assert answer.status_code == 401


def test_the_form_carries_the_point_map(world: World, login_as: LoginAs) -> None:
    page = login_as("fed_liaison").get("/incidents/new").text
    assert "data-point-map" in page and 'data-locate-url="/places/locate"' in page
    assert '<script src="/static/map-base.js">' in page
