"""More of the web UI: correcting, filtering, paging, the map's JSON, roles and error pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident, get_incident, update_incident
from tansiq.web.incidents import routes as incident_routes
from tests.factories import World, incident_data
from tests.web.conftest import TestClient, csrf_token
from tests.web.test_web import ERROR_TEXT, form_data, journal_rows


def edit_form(client: TestClient, incident_id: str) -> dict[str, str]:
    """The values the edit page shows, as a dict ready to post back."""
    html = client.get(f"/incidents/{incident_id}/edit").text
    values: dict[str, str] = {}

    class Reader(HTMLParser):
        select: str | None = None
        textarea: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            name = a.get("name") or ""
            if tag == "input" and name and a.get("type") != "checkbox":
                values[name] = a.get("value") or ""
            elif tag == "input" and name and "checked" in a:
                values[name] = a.get("value") or "1"
            elif tag == "select":
                self.select = name
            elif tag == "option" and self.select and "selected" in a:
                values[self.select] = a.get("value") or ""
            elif tag == "textarea":
                self.textarea = name
                values[name] = ""

        def handle_endtag(self, tag: str) -> None:
            if tag == "select":
                self.select = None
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, data: str) -> None:
            if self.textarea:
                values[self.textarea] += data

    Reader().feed(html)
    values.pop("lang", None)
    values.pop("next", None)
    return values


def test_correcting_an_incident_makes_a_new_version(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    made = create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    client = login_as("fed_liaison")
    page = client.get(f"/incidents/{made['id']}/edit").text
    # Only an analyst may verify, so a liaison is not offered it.
    assert 'value="disputed"' in page and 'value="verified"' not in page
    assert 'value="verified"' in login_as("fed_analyst").get(f"/incidents/{made['id']}/edit").text
    values = edit_form(client, made["id"])
    assert values["occurred_at"] == "2020-02-20T00:00"
    assert values["sources"] == "JCC Kirkuk liaison"
    values.update(fatalities="4", status="disputed")
    answer = client.post(f"/incidents/{made['id']}/edit", data=values, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    now = get_incident(ctx, actor=world.actors["fed_liaison"], incident_id=made["id"])
    assert (now["version"], now["fatalities"], now["status"]) == (2, 4, "disputed")
    assert now["occurred_at"] == made["occurred_at"]
    detail = client.get(f"/incidents/{made['id']}").text
    assert detail.count('<td class="num">') == 2  # two versions in the history table
    assert "Updated" in detail and "Created" in detail
    # A stale form (version 1) is refused with 409 and the form again; nothing written.
    before = journal_rows(ctx)
    values.update(fatalities="5")
    answer = client.post(f"/incidents/{made['id']}/edit", data=values)
    assert answer.status_code == 409
    assert "changed while you edited it" in answer.text
    assert journal_rows(ctx) == before
    # A status the lifecycle does not allow is a field error.
    values = edit_form(client, made["id"])
    values.update(status="draft")
    answer = client.post(f"/incidents/{made['id']}/edit", data=values)
    assert answer.status_code == 422
    assert dict(ERROR_TEXT.findall(answer.text)) == {"status": "This status change is not allowed."}


def test_center_releasability_needs_a_center_of_the_party(login_as: Any, world: World) -> None:
    client = login_as("krg_liaison")
    page = client.get("/incidents/new").text
    kirkuk, fedun = world.centers["kirkuk"]["id"], world.centers["fedun"]["id"]
    assert f'value="{kirkuk}"' in page and f'value="{fedun}"' not in page
    token = csrf_token(page)
    answer = client.post("/incidents/new", data=form_data(token, releasability="center"))
    assert answer.status_code == 422
    assert "Choose the center to share it with." in answer.text
    answer = client.post(
        "/incidents/new",
        data=form_data(token, releasability="center", center_id=fedun),
    )
    assert "Choose a center of your party." in answer.text
    answer = client.post(
        "/incidents/new",
        data=form_data(token, releasability="center", center_id=kirkuk),
        follow_redirects=False,
    )
    assert answer.status_code == 303


def test_readers_may_not_file(ctx: ServiceContext, login_as: Any) -> None:
    client = login_as("krg_observer")
    listing = client.get("/incidents").text
    assert 'href="/incidents/new"' not in listing
    answer = client.get("/incidents/new")
    assert answer.status_code == 403
    assert "You may not do this." in answer.text
    before = journal_rows(ctx)
    answer = client.post("/incidents/new", data=form_data(csrf_token(listing)))
    assert answer.status_code == 403
    assert journal_rows(ctx) == before


def test_filters_narrow_the_log_and_bad_ones_name_the_field(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    fed = world.actors["fed_liaison"]
    battle = create_incident(
        ctx,
        actor=fed,
        data=incident_data(
            event_type="Battles", sub_event_type="Armed clash", occurred_at="2020-02-10T22:30:00Z"
        ),
    )
    ied = create_incident(ctx, actor=fed, data=incident_data())
    client = login_as("krg_analyst")
    page = client.get("/incidents?event_type=Battles").text
    assert battle["id"] in page and ied["id"] not in page
    # 22:30 UTC on the 10th is already the 11th in Baghdad.
    page = client.get("/incidents?since=2020-02-11&until=2020-02-11").text
    assert battle["id"] in page and ied["id"] not in page
    page = client.get("/incidents?until=2020-02-10").text
    assert battle["id"] not in page
    answer = client.get("/incidents?since=yesterday&admin1=Atlantis&status=lost")
    assert answer.status_code == 422
    # Each message is a link to its filter box (the error summary of the filter bar).
    for label, box in (("Since", "f-since"), ("Governorate", "f-admin1"), ("Status", "f-status")):
        assert f'<a href="#{box}">{label}</a>' in answer.text
    assert "Enter a date as YYYY-MM-DD." in answer.text
    assert client.get("/incidents?cursor=garbage").status_code == 422
    assert client.get("/map?party=nobody").status_code == 422
    answer = client.get("/map/incidents.geojson?until=2020-13-01")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "until"


def test_the_log_pages_with_next_page_links(
    ctx: ServiceContext, world: World, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(incident_routes, "PAGE_SIZE", 2)
    fed = world.actors["fed_liaison"]
    made = [
        create_incident(ctx, actor=fed, data=incident_data(occurred_at=f"2020-02-1{d}T10:00:00Z"))
        for d in range(5)
    ]
    client = login_as("fed_observer")
    seen: list[str] = []
    url = "/incidents?party=fed"
    for _ in range(5):
        page = client.get(url).text
        seen += sorted((m["id"] for m in made if m["id"] in page), key=page.find)
        if 'rel="next"' not in page:
            break
        found = re.search(r'href="([^"]+)" rel="next"', page)
        assert found, page
        url = found.group(1).replace("&amp;", "&")
        assert "party=fed" in url and "cursor=" in url
    assert seen == [m["id"] for m in reversed(made)]


def test_map_page_and_its_json(ctx: ServiceContext, world: World, login_as: Any) -> None:
    made = create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    client = login_as("fed_liaison")
    page = client.get("/map?event_type=Battles").text
    assert 'data-incidents-url="/map/incidents.geojson?event_type=Battles"' in page
    assert 'data-boundaries-url="/map/boundaries/1.geojson"' in page
    assert '<script src="/static/map.js">' in page
    points = client.get("/map/incidents.geojson").json()
    feature = points["features"][0]
    assert feature["id"] == made["id"]
    assert feature["properties"]["occurred_at_label"] == "2020-02-20 00:00 (Baghdad)"
    assert client.get("/map/incidents.geojson?event_type=Battles").json()["features"] == []
    boundaries = client.get("/map/boundaries/1.geojson")
    assert boundaries.headers["content-type"] == "application/geo+json"
    assert len(boundaries.json()["features"]) == 18
    assert client.get("/map/boundaries/7.geojson").status_code == 404
    places = client.get("/places", params={"q": "كركوك"}).json()
    assert places[0]["name_en"] == "Kirkuk" and places[0]["admin1"] == "Kirkuk"
    assert client.get("/places?q=").json() == []


def test_json_endpoints_need_a_session(client: TestClient, world: World) -> None:
    for url in ("/map/incidents.geojson", "/map/boundaries/1.geojson", "/places?q=Erbil"):
        answer = client.get(url, follow_redirects=False)
        assert answer.status_code == 401
        assert answer.json() == {"detail": "log in first"}


def test_api_keeps_problem_json_and_web_errors_are_pages(client: TestClient, world: World) -> None:
    api = client.get("/api/v1/incidents/nope")
    assert api.status_code == 401
    assert api.headers["content-type"] == "application/problem+json"
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Page not found." in page.text
    assert client.delete("/incidents").status_code == 405


def test_retracted_incidents_cannot_be_edited(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    fed = world.actors["fed_liaison"]
    made = create_incident(ctx, actor=fed, data=incident_data())
    update_incident(ctx, actor=fed, incident_id=made["id"], changes={"status": "retracted"})
    client = login_as("fed_liaison")
    assert "/edit" not in client.get(f"/incidents/{made['id']}").text
    assert client.get(f"/incidents/{made['id']}/edit").status_code == 403
