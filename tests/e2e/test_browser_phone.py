"""Phones in a real browser: at 390×844 no page of the demo is wider than the screen, in
English, Arabic and Kurdish; tables become cards; the folding menu works by mouse and by
keyboard, and without scripts the menu simply stays open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.demo_node import PHONE, DemoNode, demo_node, main_pages, phone_page

pytestmark = pytest.mark.browser

# What sticks out sideways on the page in view: the page's own scroll width, every visible
# box that reaches past either edge of the screen once its ancestors' clipping is applied
# (so Leaflet's tiles inside a map or a scrolled-away slide do not count), and every box
# that scrolls sideways itself (a table in a scrolling wrapper) other than a map.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim())
      name += "." + el.className.trim().split(/\\s+/).join(".");
    return name;
  };
  const clipped = (el) => {
    const box = el.getBoundingClientRect();
    let left = box.left, right = box.right;
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") {
        const clip = up.getBoundingClientRect();
        left = Math.max(left, clip.left);
        right = Math.min(right, clip.right);
      }
    }
    return [left, right];
  };
  const outside = [], scrollers = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const [left, right] = clipped(el);
    if (right - left > 0.5 && (left < -0.5 || right > width + 0.5))
      outside.push(`${describe(el)} [${Math.round(left)}, ${Math.round(right)}]`);
    const style = getComputedStyle(el);
    if (["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
        && !el.closest(".leaflet-container"))
      scrollers.push(`${describe(el)} scrolls ${el.scrollWidth} in ${el.clientWidth}`);
  }
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    outside: outside.slice(0, 8),
    scrollers: scrollers.slice(0, 8),
  };
}
"""


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoNode]:
    """One demo node for the module."""
    with demo_node(tmp_path_factory.mktemp("phone")) as running:
        yield running


@pytest.fixture(scope="module")
def admin(browser: Any, node: DemoNode) -> Iterator[Any]:
    """fed_admin on a phone, for the whole module (one login)."""
    page = phone_page(browser, node, "fed_admin", "en")
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def pages(admin: Any, node: DemoNode) -> list[str]:
    """The main pages, discovered once from the demo's links."""
    return main_pages(admin, node.url)


def overflow(page: Any) -> list[str]:
    """What makes the page in view wider than the phone's screen (empty when nothing)."""
    found = page.evaluate(OVERFLOW_JS)
    problems = list(found["outside"]) + list(found["scrollers"])
    if found["innerWidth"] != PHONE["width"]:
        problems.append(f"the viewport is {found['innerWidth']} px wide")
    if found["scrollWidth"] > PHONE["width"]:
        problems.append(f"the page is {found['scrollWidth']} px wide")
    return problems


def open_page(page: Any, base: str, path: str) -> None:
    """Open a page, insist it answered 200 and let its maps and scripts settle."""
    response = page.goto(base + path)
    assert response is not None and response.status == 200, f"{path}: {response}"
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["en", "ar", "ckb"])
def test_no_page_is_wider_than_a_phone(
    admin: Any, node: DemoNode, pages: list[str], lang: str
) -> None:
    admin.context.add_cookies([{"name": "tansiq_lang", "value": lang, "url": node.url}])
    failures = {}
    for path in pages:
        response = admin.goto(node.url + path)
        if (
            response is None
            or response.status != 200
            or admin.get_attribute("html", "lang") != lang
        ):
            failures[path] = [
                f"answered {response and response.status} in {admin.get_attribute('html', 'lang')}"
            ]
        elif problems := overflow(admin):
            failures[path] = problems
    assert not failures, failures


def test_the_login_page_fits_a_phone(browser: Any, node: DemoNode) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        for lang in ("en", "ar"):
            context.add_cookies([{"name": "tansiq_lang", "value": lang, "url": node.url}])
            open_page(page, node.url, "/login")
            assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
            assert overflow(page) == []
    finally:
        context.close()


def test_tables_become_labelled_cards(admin: Any, node: DemoNode) -> None:
    admin.context.add_cookies([{"name": "tansiq_lang", "value": "ar", "url": node.url}])
    open_page(admin, node.url, "/incidents")
    table = admin.locator("table.incident-table")
    assert table.get_attribute("data-cards") == ""
    assert admin.locator("table.incident-table thead").evaluate("e => e.clientWidth") <= 1
    cell = admin.locator("table.incident-table tbody tr >> nth=0").locator("td >> nth=1")
    assert cell.get_attribute("data-label") == "المكان"
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"المكان"'
    row = admin.locator("table.incident-table tbody tr >> nth=0").bounding_box()
    assert row is not None and row["width"] <= PHONE["width"]
    # A desktop keeps the table as a table.
    admin.set_viewport_size({"width": 1280, "height": 900})
    try:
        assert admin.locator("table.incident-table thead").evaluate("e => e.clientWidth") > 300
    finally:
        admin.set_viewport_size(PHONE)


def menu_open(page: Any) -> bool:
    """Whether the folding menu's links are on show."""
    return bool(page.locator("#topbar-menu nav a[href='/map']").is_visible())


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_menu_folds_and_opens_by_mouse_and_keyboard(
    admin: Any, node: DemoNode, lang: str
) -> None:
    admin.context.add_cookies([{"name": "tansiq_lang", "value": lang, "url": node.url}])
    open_page(admin, node.url, "/incidents")
    toggle = admin.locator("button.menu-toggle")
    header = admin.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] < 80  # one row, not three
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not menu_open(admin)
    assert toggle.inner_text().strip() == {"en": "Menu", "ar": "القائمة"}[lang]

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and menu_open(admin)
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false" and not menu_open(admin)

    # Keyboard only: Tab from the brand reaches the button, Enter opens, Tab walks into
    # the links, Escape folds the menu and gives focus back to the button.
    admin.focus("a.brand")
    admin.keyboard.press("Tab")
    assert admin.evaluate("document.activeElement.classList.contains('menu-toggle')")
    admin.keyboard.press("Enter")
    assert menu_open(admin)
    admin.keyboard.press("Tab")
    assert admin.evaluate("document.activeElement.getAttribute('href')") == "/incidents"
    admin.keyboard.press("Escape")
    assert not menu_open(admin)
    assert admin.evaluate("document.activeElement.classList.contains('menu-toggle')")
    admin.keyboard.press("Space")
    assert menu_open(admin)
    admin.keyboard.press("Tab")
    admin.keyboard.press("Tab")
    admin.keyboard.press("Enter")  # the second link: New incident
    admin.wait_for_url(node.url + "/incidents/new")
    assert toggle.get_attribute("aria-expanded") == "false"


def test_without_scripts_the_menu_stays_open(browser: Any, node: DemoNode) -> None:
    scripted = phone_page(browser, node, "krg_liaison", "ckb")
    cookies = scripted.context.cookies()
    scripted.context.close()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        context.add_cookies(cookies)
        page = context.new_page()
        open_page(page, node.url, "/incidents")
        assert page.get_attribute("html", "lang") == "ckb"
        assert not page.locator("button.menu-toggle").is_visible()
        assert menu_open(page)
        # Tables without their labels scroll inside their own box, never the whole page.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
