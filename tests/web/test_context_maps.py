"""A record's page maps the record with what surrounds it: sectors in force, labelled
protected sites and recent incidents nearby, only as released to the viewer, never the
record twice, in the page's language."""

from __future__ import annotations

import html
import re
from typing import Any

import orjson
import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tansiq.services.notices.commands import send_notice
from tansiq.services.operations.commands import create_operation
from tansiq.services.sectors.commands import create_sector
from tansiq.services.sectors.site_commands import create_site
from tests.factories import World, incident_data
from tests.factories_notices import notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data, site_data, square
from tests.web.conftest import LoginAs

DATA = re.compile(r'<script type="application/json" id="([a-z-]+-data)">(.*?)</script>', re.S)


def _map(page: str, source: str) -> list[dict[str, Any]]:
    found = {m.group(1): m.group(2) for m in DATA.finditer(page)}
    features: list[dict[str, Any]] = orjson.loads(html.unescape(found[source]))["features"]
    return features


def _context(features: list[dict[str, Any]]) -> dict[str, set[str]]:
    layers: dict[str, set[str]] = {}
    for f in features:
        if f["properties"].get("context"):
            layers.setdefault(f["properties"]["layer"], set()).add(f["properties"]["id"])
    return layers


@pytest.fixture
def around_kirkuk(ctx: ServiceContext, world: World) -> dict[str, Any]:
    """Around Kirkuk in February 2020: fed's shared and private sectors, one that expired,
    a school, a krg incident nearby and a far one in Basra."""
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    made = {
        "shared": create_sector(ctx, actor=fed, data=sector_data()),
        "private": create_sector(ctx, actor=fed, data=sector_data(releasability="party")),
        "expired": create_sector(
            ctx, actor=fed, data=sector_data(valid_until="2020-02-10T00:00:00.000000Z")
        ),
        "school": create_site(ctx, actor=fed, data=site_data()),
        "near": create_incident(ctx, actor=krg, data=incident_data(place_name="Near")),
        "far": create_incident(
            ctx,
            actor=krg,
            data=incident_data(location={"type": "Point", "coordinates": [47.78, 30.51]}),
        ),
    }
    return made


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_incident_page_maps_what_surrounded_it(
    ctx: ServiceContext,
    world: World,
    login_as: LoginAs,
    around_kirkuk: dict[str, Any],
    lang: str,
) -> None:
    own = create_incident(ctx, actor=world.actors["krg_liaison"], data=incident_data())
    client = login_as("krg_analyst")
    client.cookies.set("tansiq_lang", lang)
    features = _map(client.get(f"/incidents/{own['id']}").text, "incident-data")
    ids = {k: v["id"] for k, v in around_kirkuk.items()}
    assert _context(features) == {
        "sector": {ids["shared"]},
        "site": {ids["school"]},
        "incident": {ids["near"]},
    }
    mine = [f for f in features if not f["properties"].get("context")]
    assert [f["properties"]["id"] for f in mine] == [own["id"]]
    school = next(f for f in features if f["properties"]["layer"] == "site")
    assert school["properties"]["label"] == (
        "مدرسة النور الابتدائية" if lang == "ar" else "Al-Noor primary school"
    )
    # The owner of the private sector sees it around the same incident.
    fed = login_as("fed_analyst")
    seen = _context(_map(fed.get(f"/incidents/{own['id']}").text, "incident-data"))
    assert seen["sector"] == {ids["shared"], ids["private"]}


def test_notice_sector_and_plan_pages_map_their_surroundings(
    ctx: ServiceContext, world: World, login_as: LoginAs, around_kirkuk: dict[str, Any]
) -> None:
    fed = world.actors["fed_liaison"]
    ids = {k: v["id"] for k, v in around_kirkuk.items()}
    notice = send_notice(ctx, actor=fed, data=notice_data())
    sector = create_sector(ctx, actor=fed, data=sector_data(geometry=square(44.35, 35.35)))
    plan = create_operation(ctx, actor=fed, data=operation_data())
    client = login_as("fed_liaison")

    page = client.get(f"/notices/{notice['id']}").text
    assert "An area, shown on the map" in page and "(Polygon)" not in page
    layers = _context(_map(page, "notice-data"))
    assert ids["shared"] in layers["sector"] and ids["expired"] not in layers["sector"]

    layers = _context(_map(client.get(f"/sectors/{sector['id']}").text, "sector-data"))
    assert sector["id"] not in layers["sector"] and ids["shared"] in layers["sector"]
    assert layers["site"] == {ids["school"]}

    features = _map(client.get(f"/operations/{plan['id']}").text, "plan-data")
    assert [f["properties"]["layer"] for f in features if not f["properties"].get("context")][
        0
    ] == "plan"
    assert ids["far"] not in _context(features).get("incident", set())
