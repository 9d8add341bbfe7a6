"""Accessibility in a real browser: axe-core (from npm, node_modules/axe-core) finds no
serious or critical violation on any main page of the demo, in English on a laptop and in
Arabic on a phone (folded and open menu, tables as cards), nor on the login page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.demo_node import PHONE, DemoNode, demo_node, main_pages, set_language

pytestmark = pytest.mark.browser
AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
LAPTOP = {"width": 1280, "height": 900}
# Every WCAG 2.x A and AA rule plus axe's best practices (landmarks, one main, headings…);
# no rule is switched off.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoNode]:
    """One demo node for the module."""
    with demo_node(tmp_path_factory.mktemp("axe")) as running:
        yield running


@pytest.fixture(scope="module")
def admin(browser: Any, node: DemoNode) -> Iterator[Any]:
    """fed_admin in one browser context for the module.

    bypass_csp: Playwright injects axe as an inline script, which the app's
    Content-Security-Policy (scripts from /static only) rightly refuses; axe is a test
    tool and is never served by the app.
    """
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (axe-core is a devDependency)")
    context = browser.new_context(viewport=LAPTOP, bypass_csp=True)
    page = context.new_page()
    page.goto(node.url + "/login")
    page.fill("#username", "fed_admin")
    page.fill("#password", "demo-fed-admin-2020")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(node.url + "/incidents")
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def pages(admin: Any, node: DemoNode) -> list[str]:
    """The main pages, discovered once from the demo's links."""
    return main_pages(admin, node.url)


def violations(page: Any) -> list[str]:
    """axe's serious and critical violations on the page in view, one line per element."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at {' '.join(node['target'])}"
        for rule in found["violations"]
        if rule["impact"] in BLOCKING
        for node in rule["nodes"][:3]
    ]


def audit(page: Any, base: str, paths: list[str]) -> dict[str, list[str]]:
    """Open each path (each must answer 200) and collect its blocking violations."""
    failures: dict[str, list[str]] = {}
    for path in paths:
        response = page.goto(base + path)
        if response is None or response.status != 200:
            failures[path] = [f"answered {response and response.status}"]
            continue
        if page.locator(".leaflet-container").count():
            # Let the maps fetch and draw their layers: markers and controls count too.
            page.wait_for_load_state("networkidle")
        if found := violations(page):
            failures[path] = found
    return failures


def test_main_pages_on_a_laptop_in_english(admin: Any, node: DemoNode, pages: list[str]) -> None:
    set_language(admin, node, "en")
    failures = audit(admin, node.url, pages)
    assert not failures, failures


def test_main_pages_on_a_phone_in_arabic(admin: Any, node: DemoNode, pages: list[str]) -> None:
    # The phone layout: the folded menu, tables as cards. Arabic, so the right-to-left
    # pages are audited too (the laptop pass above is English).
    set_language(admin, node, "ar")
    admin.set_viewport_size(PHONE)
    try:
        failures = audit(admin, node.url, pages)
        admin.click("button.menu-toggle")
        assert admin.get_attribute("button.menu-toggle", "aria-expanded") == "true"
        if found := violations(admin):
            failures[f"{pages[-1]} with the menu open"] = found
    finally:
        admin.set_viewport_size(LAPTOP)
    assert not failures, failures


def test_login_page_in_every_language(browser: Any, node: DemoNode) -> None:
    context = browser.new_context(viewport=LAPTOP, bypass_csp=True)
    try:
        page = context.new_page()
        for lang in ("en", "ar", "ckb"):
            context.add_cookies([{"name": "tansiq_lang", "value": lang, "url": node.url}])
            assert audit(page, node.url, ["/login"]) == {}
            assert page.get_attribute("html", "lang") == lang
    finally:
        context.close()


def test_a_violation_fails_the_audit(admin: Any, node: DemoNode) -> None:
    # The audit is not vacuous: an image button without a name is a critical violation.
    admin.goto(node.url + "/incidents")
    admin.evaluate(
        "() => { const b = document.createElement('button'); b.className = 'unnamed';"
        " document.querySelector('main').append(b); }"
    )
    found = violations(admin)
    assert any(line.startswith("button-name (critical)") for line in found), found
