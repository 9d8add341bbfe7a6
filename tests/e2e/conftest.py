"""Browser fixtures: a real server on 127.0.0.1 and Debian's headless Chromium.

The browser is never downloaded. Tests skip when /usr/bin/chromium is missing, unless
TANSIQ_REQUIRE_BROWSER=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher

import tansiq.services.accounts.commands as accounts
from tansiq.app import create_app
from tansiq.config import Settings
from tansiq.journal.keys import create_key
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tansiq.storage.db import make_engine
from tansiq.storage.migrate import upgrade
from tests.factories import PASSWORD, World, build_world, incident_data

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class LiveServer:
    """A running Tansiq node: its base URL, the world's users and a hidden fed incident."""

    url: str
    ctx: ServiceContext
    world: World
    fed_party_incident: str


def _free_socket() -> socket.socket:
    # Bound before uvicorn starts, so no other process can take the port in between.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def live_server(root: Path) -> Iterator[LiveServer]:
    """Serve a fresh node on a temporary SQLite file with a temporary key, in a thread."""
    db_url = f"sqlite:///{root / 'tansiq.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    key_path = root / "node.key"
    settings = Settings(database_url=db_url, key_file=str(key_path))
    ctx = ServiceContext(engine=engine, key=create_key(key_path), settings=settings)
    with pytest.MonkeyPatch.context() as patch:
        # Cheap argon2 parameters for the twelve users; verification reads them from each hash.
        patch.setattr(
            accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        world = build_world(ctx)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    hidden = create_incident(
        ctx,
        actor=world.actors["fed_liaison"],
        data=incident_data(
            releasability="party", occurred_at=yesterday, place_name="Fed-only checkpoint"
        ),
    )
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
                raise RuntimeError("the Tansiq server did not start")
            time.sleep(0.05)
        yield LiveServer(f"http://127.0.0.1:{port}", ctx, world, hidden["id"])
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        engine.dispose()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep each browser module on one xdist worker: one server and Chromium per module."""
    for item in items:
        if item.path.parent == Path(__file__).parent:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One node per test module."""
    with live_server(tmp_path_factory.mktemp("e2e")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless; skips (or fails under TANSIQ_REQUIRE_BROWSER=1) without it."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("TANSIQ_REQUIRE_BROWSER", "") in ("1", "true", "yes"):
            pytest.fail(f"TANSIQ_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Session:
    """A browser tab logged in (or not) on the live server, collecting console errors."""

    page: Any
    base: str
    console_errors: list[str]

    def goto(self, path: str) -> Any:
        """Open a path of the server; returns Playwright's response."""
        return self.page.goto(self.base + path)

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        """Log in through the login form and land on the incident log."""
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("form[action='/login'] button[type=submit]")
        self.page.wait_for_url(self.base + "/incidents")


@pytest.fixture
def tab(browser: Any, server: LiveServer) -> Iterator[Session]:
    """A fresh browser context (own cookies) in English, with one page."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    try:
        yield Session(page, server.url, errors)
    finally:
        context.close()
