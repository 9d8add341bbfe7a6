"""Placing an incident on the map in a real browser, in English and Arabic: a click on
the form's map fills the coordinates and names the district before saving; a place found
by search keeps the spelling the page showed and moves the point; an incident's page maps
it with the labelled protected sites around it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tansiq.services.incidents.commands import create_incident
from tansiq.services.sectors.site_commands import create_site
from tests.e2e.conftest import LiveServer, Session
from tests.factories import incident_data
from tests.factories_sectors import site_data

pytestmark = pytest.mark.browser
POINT_MAP = "[data-point-map][data-map-ready='true']"
AREA = "[data-point-area]"
WORDS = {
    "en": {"district": "District: ", "query": "Kirkuk", "kirkuk": "Governorate: Kirkuk"},
    "ar": {"district": "القضاء: ", "query": "كركوك", "kirkuk": "المحافظة: كركوك"},
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_click_places_the_point_and_names_its_district(tab: Session, lang: str) -> None:
    page = tab.page
    words = WORDS[lang]
    tab.log_in("fed_liaison")
    if lang != "en":
        page.click(f"form.lang-switch button[value='{lang}']")
        page.wait_for_selector(f"html[lang='{lang}']")
    tab.goto("/incidents/new")
    page.wait_for_selector(POINT_MAP, timeout=15_000)
    assert page.input_value("#lat") == "" and page.inner_text(AREA) == ""

    point_map = page.locator("[data-point-map]")
    point_map.scroll_into_view_if_needed()
    box = point_map.bounding_box()
    assert box is not None
    # The map opens on northern Iraq (34.5 N, 44.5 E): its middle is well inside.
    point_map.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    page.wait_for_selector(f"{AREA}[data-inside='true']", timeout=10_000)
    assert 34.0 < float(page.input_value("#lat")) < 35.0
    assert 44.0 < float(page.input_value("#lon")) < 45.0
    assert page.inner_text(AREA).startswith(words["district"])

    page.fill("#place-query", words["query"])
    page.press("#place-query", "Enter")
    page.click(".place-results button >> nth=0")
    # The name the result showed, in the page's script, not another transliteration.
    assert page.input_value("#place_name") == words["query"]
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).textContent.includes(text)",
        arg=[AREA, words["kirkuk"]],
        timeout=10_000,
    )
    assert page.input_value("#lat").startswith("35.4")

    # Typed coordinates outside Iraq say so before saving.
    page.fill("#lat", "35.69")
    page.fill("#lon", "51.39")
    page.dispatch_event("#lon", "change")
    page.wait_for_selector(f"{AREA}[data-inside='false']", timeout=10_000)
    assert tab.console_errors == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_incident_page_maps_it_with_labelled_sites_around(
    tab: Session, server: LiveServer, lang: str
) -> None:
    fed = server.world.actors["fed_liaison"]
    incident = create_incident(server.ctx, actor=fed, data=incident_data())
    create_site(server.ctx, actor=fed, data=site_data(name=f"Browser school {lang}"))
    page = tab.page
    tab.log_in("krg_liaison")
    if lang != "en":
        page.click(f"form.lang-switch button[value='{lang}']")
        page.wait_for_selector(f"html[lang='{lang}']")
    tab.goto(f"/incidents/{incident['id']}")
    page.wait_for_selector("#incident-place-map[data-map-ready='true']", timeout=15_000)
    assert page.get_attribute("#incident-place-map", "data-map-error") is None
    assert int(page.get_attribute("#incident-place-map", "data-feature-count") or "0") >= 2
    labels = page.locator("#incident-place-map .site-label")
    expected = "مدرسة النور الابتدائية" if lang == "ar" else f"Browser school {lang}"
    assert expected in labels.all_inner_texts()
    assert tab.console_errors == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_notice_area_is_drawn_like_a_sector_and_shown_on_its_page(
    tab: Session, lang: str
) -> None:
    page = tab.page
    tab.log_in("fed_liaison")
    if lang != "en":
        page.click(f"form.lang-switch button[value='{lang}']")
        page.wait_for_selector(f"html[lang='{lang}']")
    tab.goto("/notices/new")
    page.select_option("#to_party", "krg")
    page.fill("#subject", f"Drawn area {lang}")
    # Notices are for what is coming: within a year of the live server's real clock.
    soon = datetime.now(UTC) + timedelta(days=1)
    page.fill("#starts_at", soon.strftime("%Y-%m-%dT09:00"))
    page.fill("#ends_at", (soon + timedelta(days=1)).strftime("%Y-%m-%dT09:00"))
    page.wait_for_selector("[data-draw][data-draw-ready='true']", timeout=15_000)
    drawing = page.locator("[data-draw-map]")
    drawing.scroll_into_view_if_needed()
    box = drawing.bounding_box()
    assert box is not None
    for fx, fy in ((0.45, 0.45), (0.55, 0.45), (0.55, 0.55), (0.45, 0.55)):
        drawing.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
    page.click("[data-draw-finish]")
    assert '"type":"Polygon"' in page.input_value("#area")
    page.click("form.geo-form button[type=submit]")
    page.wait_for_selector("#notice-map[data-map-ready='true']", timeout=15_000)
    shown = {"en": "An area, shown on the map", "ar": "منطقة، معروضة على الخريطة"}[lang]
    assert shown in page.inner_text("main")
    assert tab.console_errors == []
