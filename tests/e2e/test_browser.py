"""The web UI in a real browser: file an incident, find it in the log and on the map,
switch to Arabic, and check that another party cannot see a party-only report."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LiveServer, Session

pytestmark = pytest.mark.browser
MAP_READY = "#incident-map[data-map-ready='true']"


def marker_count(tab: Session) -> int:
    """Open the map and wait until Leaflet has drawn the incidents."""
    tab.goto("/map")
    tab.page.wait_for_selector(MAP_READY, timeout=15_000)
    assert tab.page.get_attribute("#incident-map", "data-map-error") is None
    return int(tab.page.get_attribute("#incident-map", "data-marker-count") or "-1")


def test_liaison_files_an_incident_and_finds_it_on_the_log_and_map(tab: Session) -> None:
    page = tab.page
    tab.log_in("fed_liaison")
    before = marker_count(tab)
    assert before >= 1  # the party-only report filed at start-up

    tab.goto("/incidents/new")
    # The place search fills the coordinates from the gazetteer.
    page.fill("#place-query", "Kirkuk")
    page.press("#place-query", "Enter")
    page.click(".place-results button >> nth=0")
    assert page.input_value("#place_name") == "Kirkuk"
    assert page.input_value("#lat").startswith("35.4")
    # Only the chosen event type's sub-types are offered.
    page.select_option("#event_type", "Battles")
    explosions = page.locator('optgroup[data-event-type="Explosions/Remote violence"]')
    assert explosions.get_attribute("hidden") is not None
    page.select_option("#sub_event_type", "Armed clash")
    page.fill("#actor1", "Unidentified armed group")
    page.fill("#actor2", "Browser test unit")
    page.fill("#fatalities", "2")
    page.fill("#sources", "JCC Kirkuk liaison")
    page.select_option("#releasability", "all")
    page.click("form[data-incident-form] button[type=submit]")
    page.wait_for_url(tab.base + "/incidents/*")
    assert "Incident saved." in page.inner_text(".flashes")
    incident_id = page.url.rsplit("/", 1)[1]
    assert "Browser test unit" in page.inner_text("main")

    tab.goto("/incidents")
    assert page.locator(f"a[href='/incidents/{incident_id}']").count() == 1
    assert marker_count(tab) == before + 1

    page.click("form.lang-switch button[value='ar']")
    page.wait_for_selector("html[dir='rtl'][lang='ar']")
    assert page.inner_text("nav.nav a[href='/map']") == "الخريطة"
    page.wait_for_selector(MAP_READY, timeout=15_000)
    tab.goto("/incidents")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator(f"a[href='/incidents/{incident_id}']").count() == 1
    # Every script and style came from /static: no CSP refusals, no script errors.
    assert tab.console_errors == []


def test_other_party_does_not_see_a_party_only_report(tab: Session, server: LiveServer) -> None:
    page = tab.page
    hidden = server.fed_party_incident
    tab.log_in("krg_liaison")
    assert page.locator(f"a[href='/incidents/{hidden}']").count() == 0
    assert "Fed-only checkpoint" not in page.inner_text("main")
    answer = tab.goto(f"/incidents/{hidden}")
    assert answer is not None and answer.status == 404
    assert "Page not found." in page.inner_text("main")
    points = page.request.get(tab.base + "/map/incidents.geojson").json()
    assert hidden not in [feature["id"] for feature in points["features"]]
    marker_count(tab)
    assert [e for e in tab.console_errors if "404" not in e] == []
