"""The common operating picture in a real browser, in English and Arabic: the legend and
layer switcher, district lines and town names, one symbol per event type and party,
clustering, and a keyboard-only path from /map to an incident's page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tansiq.services.incidents.assessment_commands import assess_incident
from tansiq.services.incidents.commands import create_incident, update_incident
from tansiq.services.notices.commands import send_notice
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.sectors.commands import create_sector
from tests.e2e.conftest import LiveServer, Session
from tests.e2e.demo_node import PHONE
from tests.e2e.test_browser_axe import violations
from tests.e2e.test_browser_phone import overflow
from tests.factories import incident_data
from tests.factories_notices import contest_data, notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data

pytestmark = pytest.mark.browser
# The server runs on the real clock, and notices must fall within a year of it.
NOW = datetime.now(UTC).replace(microsecond=0)
MAP = f"/map?since={(NOW - timedelta(days=30)).date()}&until={(NOW + timedelta(days=1)).date()}"


def _at(hours: float) -> str:
    return (NOW + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


READY = "#incident-map[data-map-ready='true']"
# Far enough apart (Mosul, Baghdad, Basra) to stay separate markers at the country view.
MOSUL, BAGHDAD, BASRA = [43.13, 36.34], [44.40, 33.34], [47.78, 30.51]
RAMADI = [43.30, 33.42]


@pytest.fixture(scope="module")
def picture(server: LiveServer) -> dict[str, Any]:
    """A fed battle in Mosul, a krg protest in Baghdad, three riots in Basra, a sector."""
    ctx, actors = server.ctx, server.world.actors

    def place(actor: str, where: list[float], event: str, sub: str, name: str) -> Any:
        data = incident_data(
            location={"type": "Point", "coordinates": where},
            place_name=name,
            event_type=event,
            sub_event_type=sub,
            occurred_at=_at(-48),
        )
        return create_incident(ctx, actor=actors[actor], data=data)

    battle = place("fed_liaison", MOSUL, "Battles", "Armed clash", "Mosul")
    protest = place("krg_liaison", BAGHDAD, "Protests", "Peaceful protest", "Baghdad")
    riots = [place("fed_liaison", BASRA, "Riots", "Mob violence", "Basra") for _ in range(3)]
    withdrawn = place("fed_liaison", RAMADI, "Battles", "Armed clash", "Ramadi")
    update_incident(
        ctx,
        actor=actors["fed_liaison"],
        incident_id=withdrawn["id"],
        changes={"status": "retracted"},
    )
    # krg contests the fed battle: an open dispute the map must show.
    assess_incident(ctx, actor=actors["krg_liaison"], incident_id=battle["id"], data=contest_data())
    window = {"valid_from": _at(-240), "valid_until": _at(720)}
    sector = create_sector(ctx, actor=actors["fed_liaison"], data=sector_data(**window))
    send_notice(
        ctx, actor=actors["fed_liaison"], data=notice_data(starts_at=_at(-24), ends_at=_at(144))
    )
    plan = create_operation(
        ctx,
        actor=actors["fed_liaison"],
        data=operation_data(starts_at=_at(2), ends_at=_at(10)),
    )
    propose_operation(ctx, actor=actors["fed_liaison"], operation_id=plan["id"])
    return {
        "battle": battle,
        "protest": protest,
        "riots": riots,
        "retracted": withdrawn,
        "sector": sector,
    }


def _open(tab: Session, lang: str) -> Any:
    tab.page.context.add_cookies([{"name": "tansiq_lang", "value": lang, "url": tab.base}])
    tab.log_in("fed_liaison")
    tab.goto(MAP)
    tab.page.wait_for_selector(READY, timeout=20_000)
    assert tab.page.get_attribute("#incident-map", "data-map-error") is None
    return tab.page


def _marker(page: Any, incident_id: str) -> Any:
    return page.locator(f".incident-marker[data-id='{incident_id}']")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_legend_layers_places_and_symbols(tab: Session, picture: dict[str, Any], lang: str) -> None:
    page = _open(tab, lang)
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    legend = page.locator("[data-map-legend][data-legend-ready='true']")
    assert legend.locator("h2").inner_text() == ("مفتاح الخريطة" if lang == "ar" else "Legend")
    assert legend.locator(".legend-entry svg[data-shape]").count() >= 6 + 3
    # District lines and town names are drawn, in the page's language.
    assert page.get_attribute("#incident-map", "data-district-count") == "101"
    assert page.get_attribute("#incident-map", "data-governorate-count") == "18"
    towns = page.locator(".town-label").all_inner_texts()
    assert ("بغداد" if lang == "ar" else "Baghdad") in towns
    assert page.locator(".governorate-label").count() == 18
    # Baghdad is written once: the governorate's name yields to the city's beside it.
    yielded = page.locator(".governorate-label.label-yielded").all_inner_texts()
    assert ("بغداد" if lang == "ar" else "Baghdad") in yielded

    # One shape per event type, the owner party's colour as its outline.
    battle, protest = (
        _marker(page, picture["battle"]["id"]),
        _marker(page, picture["protest"]["id"]),
    )
    shapes = [m.locator("svg").get_attribute("data-shape") for m in (battle, protest)]
    assert shapes == ["circle", "square"]
    outlines = [m.locator(".incident-outline").get_attribute("stroke") for m in (battle, protest)]
    assert outlines[0] != outlines[1]
    assert battle.get_attribute("data-party") == "fed"
    # The contested battle shows its open dispute: a dashed outline.
    assert battle.get_attribute("data-status") == "disputed"
    assert battle.locator(".incident-outline").get_attribute("stroke-dasharray") == "3 2"
    assert protest.locator(".incident-outline").get_attribute("stroke-dasharray") is None
    # A retraction stays on the map, visibly: faded and struck through.
    retracted = _marker(page, picture["retracted"]["id"])
    assert retracted.get_attribute("data-status") == "retracted"
    assert retracted.locator("svg").get_attribute("opacity") == "0.55"
    # Notices and operations of the period are drawn and listed too.
    for name in ("notices", "operations"):
        page.wait_for_selector(f"input[value='{name}'][data-loaded='true']")
        assert page.locator(f"tbody[data-layer='{name}'] tr").count() == 1
    # The three riots at one place are one cluster until zoomed in.
    assert page.locator(".incident-cluster").count() == 1

    # The layer switcher hides and shows a layer on the map and in the list alternative.
    rows = page.locator("tbody[data-layer='sectors'] tr")
    page.wait_for_selector("input[value='sectors'][data-loaded='true']")
    assert rows.count() == 1
    sectors_shown = page.locator("tbody[data-layer='sectors']")
    page.uncheck("input[name='layer'][value='sectors']")
    assert sectors_shown.is_hidden()
    page.check("input[name='layer'][value='sectors']")
    assert sectors_shown.is_visible()
    page.uncheck("input[name='layer'][value='incidents']")
    assert page.locator(".incident-marker, .incident-cluster").count() == 0
    page.check("input[name='layer'][value='incidents']")
    assert battle.count() == 1
    page.uncheck("input[name='layer'][value='towns']")
    assert page.locator(".town-label").count() == 0
    # Gaps are drawn on demand.
    page.check("input[name='layer'][value='gaps']")
    page.wait_for_selector("input[value='gaps'][data-loaded='true']")
    assert page.locator("[data-gap-area]").is_visible()
    assert tab.console_errors == []


def _tab_until(page: Any, condition: str, most: int = 120) -> None:
    """Press Tab until the JavaScript ``condition`` holds; fails after ``most`` presses."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(condition):
            return
    pytest.fail(f"Tab never reached: {condition}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_keyboard_only_from_the_map_to_an_incident(
    tab: Session, picture: dict[str, Any], lang: str
) -> None:
    page = _open(tab, lang)
    target = picture["battle"]["id"]
    # Tab from the top of the page until the battle's marker has the focus.
    _tab_until(page, f"document.activeElement.dataset.id === '{target}'")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content a")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == f"/incidents/{target}"
    popup = page.inner_text(".leaflet-popup-content")
    assert ("الطرف" if lang == "ar" else "Party") in popup
    assert ("دقة الموقع" if lang == "ar" else "Geo precision") in popup
    # Escape closes the popup and gives the focus back to its marker; Enter reopens it.
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate("document.activeElement.dataset.id") == target
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content a")
    assert page.evaluate("document.activeElement.getAttribute('href')") == focused
    page.keyboard.press("Enter")
    page.wait_for_url(f"{tab.base}/incidents/{target}")

    # The list alternative, by keyboard too: the skip link jumps past every marker.
    tab.goto(MAP)
    page.wait_for_selector(READY, timeout=20_000)
    _tab_until(page, "document.activeElement.classList.contains('map-skip')")
    page.keyboard.press("Enter")
    _tab_until(page, f"document.activeElement.getAttribute('href') === '/incidents/{target}'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{tab.base}/incidents/{target}")
    assert tab.console_errors == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_picture_fits_a_phone_once_drawn(
    tab: Session, picture: dict[str, Any], lang: str
) -> None:
    tab.page.set_viewport_size(PHONE)
    page = _open(tab, lang)
    # The list is built by the script after load: measure once everything is drawn.
    page.wait_for_selector("input[value='operations'][data-loaded='true']")
    assert overflow(page) == []
    assert page.locator("table.map-list[data-cards] td[data-label]").count() > 0


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_nothing_serious_with_every_layer_and_a_popup_open(
    browser: Any, server: LiveServer, picture: dict[str, Any], lang: str
) -> None:
    # Playwright injects axe inline, which the app's CSP refuses: this context bypasses it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        tab = Session(page, server.url, [])
        page.context.add_cookies([{"name": "tansiq_lang", "value": lang, "url": tab.base}])
        tab.log_in("fed_liaison")
        tab.goto(MAP)
        page.wait_for_selector(READY, timeout=20_000)
        page.check("input[name='layer'][value='gaps']")
        page.wait_for_selector("input[value='gaps'][data-loaded='true']")
        _marker(page, picture["protest"]["id"]).focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".leaflet-popup-content a")
        # Leaflet fades a popup in: measured mid-fade, its text would fail the contrast rule.
        page.wait_for_function(
            "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
        )
        assert violations(page) == []
    finally:
        context.close()
