"""A live node with the February 2020 demo loaded, and the list of its main pages.

The phone-layout and accessibility browser tests walk every page a demo user reaches, so
they need the demo's incidents, sectors, plans, notices, meetings and action items rather
than the small world of tests/factories.py. The node is a party's node (fed), so its
admin may open the federation page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher

import tansiq.services.accounts.commands as accounts
from tansiq.app import create_app
from tansiq.config import Settings
from tansiq.demo import load_demo
from tansiq.demo.directory_feb2020 import demo_password
from tansiq.journal.keys import create_key
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.identity import set_node_party
from tansiq.storage.db import make_engine
from tansiq.storage.migrate import upgrade
from tests.e2e.conftest import _free_socket

PHONE = {"width": 390, "height": 844}
LANG_COOKIE = "tansiq_lang"


@dataclass
class DemoNode:
    """A running demo node: its base URL and service context."""

    url: str
    ctx: ServiceContext


@contextmanager
def demo_node(root: Path) -> Iterator[DemoNode]:
    """Serve a fresh fed node with the demo loaded, on a temporary SQLite file, in a thread."""
    db_url = f"sqlite:///{root / 'demo.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    key_path = root / "node.key"
    settings = Settings(database_url=db_url, key_file=str(key_path))
    ctx = ServiceContext(engine=engine, key=create_key(key_path), settings=settings)
    with pytest.MonkeyPatch.context() as patch:
        # Cheap argon2 parameters for the twelve demo users; verification reads them back.
        patch.setattr(
            accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        set_node_party(ctx, "fed")
        load_demo(ctx)
    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(ctx=ctx), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the demo node did not start")
            time.sleep(0.05)
        yield DemoNode(f"http://127.0.0.1:{port}", ctx)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        engine.dispose()


def phone_page(browser: Any, node: DemoNode, username: str, lang: str) -> Any:
    """A new 390×844 context logged in as a demo user, its pages in ``lang``.

    Not an is_mobile context on purpose: a mobile browser widens its viewport to fit
    a page that overflows, which would hide the very overflow the tests look for.

    The caller closes ``page.context``. Raises AssertionError when the login fails.
    """
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(node.url + "/login")
    page.fill("#username", username)
    page.fill("#password", demo_password(username))
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(node.url + "/incidents")
    set_language(page, node, lang)
    return page


def set_language(page: Any, node: DemoNode, lang: str) -> None:
    """Choose the UI language the way the language switch does: its cookie."""
    page.context.add_cookies([{"name": LANG_COOKIE, "value": lang, "url": node.url}])


def _first_link(page: Any, base: str, path: str, selector: str) -> list[str]:
    """The href of the first link matching ``selector`` on ``path`` (none: an empty list)."""
    page.goto(base + path)
    links = page.locator(selector)
    return [links.first.get_attribute("href")] if links.count() else []


def _center_with_minutes(page: Any, base: str) -> tuple[str, list[str], list[str]]:
    """The first center listing a meeting and an action item: its path and theirs."""
    page.goto(base + "/centers")
    centers = [a.get_attribute("href") for a in page.locator("main a[href^='/centers/']").all()]
    for center in dict.fromkeys(centers):
        meeting = _first_link(page, base, center + "/meetings", "main a[href^='/meetings/']")
        action = _first_link(page, base, center, "main a[href^='/actions/']")
        if meeting and action:
            return center, meeting, action
    raise AssertionError(f"no center of {centers} lists a meeting and an action item")


def main_pages(page: Any, base: str) -> list[str]:
    """Every main page an admin of the demo reaches, found by following the site's links.

    The top-level pages come from the navigation; one record of each kind (incident,
    sector, notice, plan, center, meeting, minutes, action item) from its list. Raises
    AssertionError when a kind of record the demo ships cannot be found.
    """
    page.goto(base + "/incidents")
    nav = [a.get_attribute("href") for a in page.locator("nav.nav a").all()]
    pages = list(dict.fromkeys(nav))
    record = "a[href^='/{0}/']:not([href$='/new'])"
    found = {
        "incident": _first_link(page, base, "/incidents", "main " + record.format("incidents")),
        "sector": _first_link(page, base, "/sectors", "main " + record.format("sectors")),
        "notice": _first_link(page, base, "/notices", "main " + record.format("notices")),
        "plan": _first_link(page, base, "/operations", "main " + record.format("operations")),
    }
    for kind, hrefs in found.items():
        assert hrefs, f"the demo has no {kind} to open"
    center, meeting, action = _center_with_minutes(page, base)
    pages += [href for hrefs in found.values() for href in hrefs]
    pages += ["/sectors/new", "/notices/new", "/operations/new", "/protected-sites"]
    pages += [center + "/meetings", center + "/disputes", center + "/meetings/new"]
    pages += [meeting[0], meeting[0] + "/minutes", action[0], "/centers/jcc-kirkuk"]
    return list(dict.fromkeys(pages))


__all__ = ["DemoNode", "demo_node", "main_pages", "phone_page", "set_language"]
