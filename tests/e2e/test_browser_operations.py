"""Operations in a real browser: draw a joint plan's area on the map, propose it, sign it as
the fed approver (acknowledging the blocking finding) and the krg approver, and see it
become approved; the coverage map draws its layers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from shapely.geometry import shape

from tansiq.domain.errors import NotFound
from tansiq.services.accounts.commands import get_user_by_username
from tansiq.services.operations.commands import get_operation
from tansiq.services.sectors.commands import create_sector
from tansiq.services.sectors.site_commands import create_site
from tests.e2e.conftest import LiveServer, Session
from tests.factories_operations import add_approvers
from tests.factories_sectors import sector_data, site_data

pytestmark = pytest.mark.browser
DRAW_READY = "[data-draw][data-draw-ready='true']"


@pytest.fixture(scope="module")
def approvers(server: LiveServer) -> LiveServer:
    """The fed and krg approvers, created once for the module's node."""
    try:
        get_user_by_username(server.ctx, username="fed_approver")
    except NotFound:
        add_approvers(server.ctx, server.world, parties=("fed", "krg"))
    return server


@pytest.fixture
def second_tab(browser: Any, server: LiveServer) -> Iterator[Session]:
    """Another browser context (own cookies), for a second user."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield Session(page, server.url, errors)
    finally:
        context.close()


def draw_square(tab: Session) -> None:
    """Click four corners of a small square in the middle of the drawing map, then Finish.

    The square stays well inside Iraq: the drawing map opens on the whole country, so
    a wider one can reach over the Iranian border east of Khanaqin."""
    page = tab.page
    page.wait_for_selector(DRAW_READY, timeout=15_000)
    drawing = page.locator("[data-draw-map]")
    drawing.scroll_into_view_if_needed()
    box = drawing.bounding_box()
    assert box is not None
    for fx, fy in ((0.45, 0.45), (0.55, 0.45), (0.55, 0.55), (0.45, 0.55)):
        drawing.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
    assert page.get_attribute("[data-draw]", "data-draw-vertices") == "4"
    page.click("[data-draw-finish]")


def sign(tab: Session, username: str, plan_url: str) -> None:
    """Log in as an approver, acknowledge every blocking finding and approve."""
    page = tab.page
    tab.log_in(username)
    page.goto(plan_url)
    acks = page.locator(".ack-field textarea")
    assert acks.count() == 1
    # Approving without the acknowledgement is refused, and says why.
    page.click("button[name=decision][value=approve]")
    assert "Acknowledge this finding with a comment before approving." in page.inner_text("#sign")
    page.locator(".ack-field textarea").fill(f"{username}: the patrol keeps clear of the school.")
    page.fill("#comment", "Agreed at the JCC.")
    page.click("button[name=decision][value=approve]")
    page.wait_for_url(plan_url)
    assert "Your party's approval is recorded." in page.inner_text(".flashes")


def test_a_joint_plan_is_proposed_signed_by_both_parties_and_approved(
    tab: Session, second_tab: Session, approvers: LiveServer
) -> None:
    page = tab.page
    tab.log_in("fed_liaison")
    tab.goto("/operations")
    page.click("a[href='/operations/new']")
    page.fill("#title", "Browser joint patrol")
    page.fill("#objective", "Patrol the villages between the lines together.")
    page.fill("#starts_at", "2020-03-01T09:00")
    page.fill("#ends_at", "2020-03-01T21:00")
    draw_square(tab)
    assert '"type":"Polygon"' in page.input_value("#area")
    page.check("input[name=participants][value=krg]")
    page.select_option("#lead_party", "fed")
    page.fill("#forces-fed", "Two companies")
    page.fill("#forces-krg", "One company")
    page.click("form.geo-form button[type=submit]")
    page.wait_for_url(tab.base + "/operations/*")
    assert "Plan saved." in page.inner_text(".flashes")
    plan_url = page.url
    plan_id = plan_url.rsplit("/", 1)[1]

    # A school in the middle of the drawn area makes a blocking finding when proposed.
    actor = approvers.world.actors["fed_liaison"]
    area = shape(get_operation(approvers.ctx, actor=actor, operation_id=plan_id)["area"])
    middle = area.representative_point()
    school = site_data(
        name="Browser test school",
        geometry={"type": "Point", "coordinates": [middle.x, middle.y]},
    )
    create_site(approvers.ctx, actor=actor, data=school)
    page.click("button[data-move=proposed]")
    page.wait_for_url(plan_url)
    assert page.inner_text("#plan-status").lower() == "proposed"
    assert "Browser test school" in page.inner_text("#findings")
    page.wait_for_selector("#plan-map[data-map-ready='true']", timeout=15_000)
    assert page.get_attribute("#plan-map", "data-map-error") is None

    sign(second_tab, "fed_approver", plan_url)
    assert second_tab.page.get_attribute("tr[data-party=fed]", "data-state") == "approved"
    second_tab.page.context.clear_cookies()
    sign(second_tab, "krg_approver", plan_url)
    assert second_tab.page.get_attribute("tr[data-party=krg]", "data-state") == "approved"
    assert "Every participating party approved" in second_tab.page.inner_text("#approval-banner")

    page.goto(plan_url)
    page.click("button[data-move=approved]")
    page.wait_for_url(plan_url)
    assert page.inner_text("#plan-status").lower() == "approved"
    tab.goto("/operations")
    assert page.locator(f".board-approved a[href='/operations/{plan_id}']").count() == 1
    assert tab.console_errors == []
    # Only the two refused approvals (422, acknowledgement missing) logged an error.
    assert [e for e in second_tab.console_errors if "422" not in e] == []


def test_the_coverage_map_shades_the_gaps(tab: Session, approvers: LiveServer) -> None:
    create_sector(approvers.ctx, actor=approvers.world.actors["fed_liaison"], data=sector_data())
    page = tab.page
    tab.log_in("fed_analyst")
    tab.goto("/coverage?area=Kirkuk&at=2020-02-20")
    page.wait_for_selector("#coverage-map[data-map-ready='true']", timeout=15_000)
    assert int(page.get_attribute("#coverage-map", "data-feature-count") or "0") >= 3
    assert page.locator("#coverage-map path.gap-hatch").count() >= 1
    page.click("form.lang-switch button[value='ar']")
    page.wait_for_selector("html[dir='rtl'][lang='ar']")
    assert page.inner_text("nav.nav a[href='/coverage']") == "التغطية"
    page.wait_for_selector("#coverage-map[data-map-ready='true']", timeout=15_000)
    assert tab.console_errors == []
