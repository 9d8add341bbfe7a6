"""The notice form's area comes from the same drawing tool as sectors: drawn (its GeoJSON
text), typed or uploaded as a file, an area or a route; a bad one is named and sends
nothing."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.notices.queries import NoticeFilters, list_notices
from tests.factories import World
from tests.web.conftest import LoginAs, csrf_token
from tests.web.test_coordination_pages import bad_fields, notice_form
from tests.web.test_web import journal_rows

ROUTE = {"type": "LineString", "coordinates": [[44.05, 35.6], [44.1, 35.7]]}
AREA = {
    "type": "Polygon",
    "coordinates": [[[44.0, 35.6], [44.1, 35.6], [44.1, 35.7], [44.0, 35.7], [44.0, 35.6]]],
}


def _sent(ctx: ServiceContext, world: World) -> list[dict[str, Any]]:
    page = list_notices(ctx, actor=world.actors["fed_liaison"], filters=NoticeFilters())
    items: list[dict[str, Any]] = page.items
    return items


def test_the_form_offers_the_drawing_tool(world: World, login_as: LoginAs) -> None:
    page = login_as("fed_liaison").get("/notices/new").text
    assert 'data-draw-kind="area_shape"' in page and "data-draw-map" in page
    assert 'enctype="multipart/form-data"' in page and '<script src="/static/draw.js">' in page


@pytest.mark.parametrize("shape", [ROUTE, AREA])
def test_a_drawn_route_or_area_replaces_the_point(
    ctx: ServiceContext, world: World, login_as: LoginAs, shape: dict[str, Any]
) -> None:
    client = login_as("fed_liaison")
    token = csrf_token(client.get("/notices/new").text)
    form = notice_form(token, area=orjson.dumps(shape).decode(), area_shape=shape["type"])
    answer = client.post("/notices/new", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert [n["location"] for n in _sent(ctx, world)] == [shape]


def test_an_uploaded_file_wins_and_a_bad_one_is_named(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    client = login_as("fed_liaison")
    token = csrf_token(client.get("/notices/new").text)
    feature = {"type": "Feature", "geometry": AREA, "properties": {}}
    files = {"area_file": ("area.geojson", orjson.dumps(feature), "application/geo+json")}
    before = journal_rows(ctx)
    bad = {"area_file": ("area.geojson", b"not json", "application/geo+json")}
    answer = client.post("/notices/new", data=notice_form(token), files=bad)
    assert answer.status_code == 422 and bad_fields(answer.text) == {"area_file"}
    assert journal_rows(ctx) == before
    answer = client.post(
        "/notices/new",
        data=notice_form(token, area=orjson.dumps(ROUTE).decode()),
        files=files,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert [n["location"] for n in _sent(ctx, world)] == [AREA]
