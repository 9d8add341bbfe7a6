"""Placing an incident on the map in a real browser, in English and Arabic: a click on
the form's map fills the coordinates and names the district before saving; a place found
by search keeps the spelling the page showed and moves the point."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Session

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
