"""Coordination in a real browser: a secretary records a meeting with one decision, the
federal approver and then the Kurdistan Region's approver endorse it, and it shows agreed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher

import tansiq.services.accounts.commands as accounts
from tests.e2e.conftest import LiveServer, Session
from tests.factories_meetings import add_coordinators

pytestmark = pytest.mark.browser
DECISION_EN = "Form joint coordination centers in Diyala, Kirkuk and Nineveh."
DECISION_AR = "تشكيل مراكز تنسيق مشتركة في ديالى وكركوك ونينوى."


@pytest.fixture(scope="module")
def coordinators(server: LiveServer) -> LiveServer:
    """The live node with a secretary and an approver for each party."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        add_coordinators(server.ctx, server.world)
    return server


@pytest.fixture
def open_tab(browser: Any, coordinators: LiveServer) -> Iterator[Any]:
    """``open_tab(username)``: a new browser context logged in as that user."""
    contexts: list[Any] = []

    def make(username: str) -> Session:
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        session = Session(page, coordinators.url, errors)
        session.log_in(username)
        return session

    yield make
    for context in contexts:
        context.close()


def endorse(tab: Session, meeting_url: str, party: str) -> None:
    """Open the meeting as an approver and endorse its one decision for ``party``."""
    page = tab.page
    page.goto(meeting_url)
    form = page.locator("form.endorse-form")
    assert form.count() == 1
    shown_hash = form.locator("code.hash").inner_text()
    assert shown_hash == form.locator("input[name=version_hash]").get_attribute("value")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".flash-success")
    assert page.locator(f"li[data-party='{party}'][data-endorsed='yes']").count() == 1


def test_meeting_decision_endorsed_by_both_parties_is_agreed(open_tab: Any) -> None:
    secretary = open_tab("fed_secretary")
    page = secretary.page
    secretary.goto("/centers/jcc-kirkuk")
    page.click("a[href='/centers/jcc-kirkuk/meetings/new']")
    page.fill("#place", "JCC Kirkuk, K1 base")
    page.fill("#attendee_name_0", "Brig. Ali Hassan")
    page.fill("#attendee_position_0", "JOC liaison")
    page.fill("#attendee_name_3", "Col. Karwan Aziz")
    page.fill("#agenda", "1. Joint coordination centers")
    page.fill("#minutes", "Both sides agreed to form the centers.")
    page.click("form.coord-form button[type=submit]")
    page.wait_for_url(secretary.base + "/meetings/*")
    meeting_url = page.url
    assert "Col. Karwan Aziz" in page.inner_text("main")

    page.fill("#text_en", DECISION_EN)
    page.fill("#text_ar", DECISION_AR)
    page.click("form.decision-form button[type=submit]")
    page.wait_for_selector("[data-decision-status='proposed']")
    assert DECISION_EN in page.inner_text(".decision")
    assert page.locator("form.endorse-form").count() == 0  # a secretary does not endorse

    endorse(open_tab("fed_approver"), meeting_url, "fed")
    krg = open_tab("krg_approver")
    endorse(krg, meeting_url, "krg")
    assert krg.page.locator("[data-decision-status='agreed']").count() == 1
    assert krg.page.locator("form.endorse-form").count() == 0

    # The secretary sees it agreed too, in Arabic, with the Arabic text first.
    page.goto(meeting_url)
    page.click("form.lang-switch button[value='ar']")
    page.wait_for_selector("html[dir='rtl'][lang='ar']")
    assert page.locator("[data-decision-status='agreed']").inner_text() == "متفق عليه"
    assert DECISION_AR in page.inner_text(".decision-text")
    assert secretary.console_errors == [] and krg.console_errors == []
