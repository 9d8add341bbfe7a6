"""Errors where the eye is, in a real browser, in English and Arabic.

A refused submit reloads the page; the error summary must then hold the focus and be
on screen (not ~900 px below the fold), and following one of its links must put the
focus in the field it names. Two refusals that sit far down their pages: contesting
another party's report without a comment, and approving a plan without acknowledging
its blocking finding (as the ``sign`` helper of test_browser_operations.py does first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tansiq.domain.errors import NotFound
from tansiq.services.accounts.commands import get_user_by_username
from tests.e2e.conftest import LiveServer, Session
from tests.factories_notices import file_incident
from tests.factories_operations import add_approvers
from tests.web.test_operations_pages import proposed_plan

pytestmark = pytest.mark.browser
SUMMARY = "[data-error-summary]"
# Where the focus is, and whether the element is (at least partly) on screen.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return {
    summary: el.hasAttribute("data-error-summary"),
    id: el.id,
    onScreen: box.bottom > 0 && box.top < window.innerHeight && box.height > 0,
    scrolled: window.scrollY,
  };
}"""


@dataclass
class Records:
    """What the refusals are made on: a fed incident and a proposed fed+krg plan."""

    incident_url: str
    plan_url: str


@pytest.fixture(scope="module")
def records(server: LiveServer) -> Records:
    """A fed incident krg may contest and a plan with one blocking finding (a school)."""
    try:
        get_user_by_username(server.ctx, username="fed_approver")
    except NotFound:
        add_approvers(server.ctx, server.world, parties=("fed", "krg"))
    incident = file_incident(server.ctx, server.world.actors["fed_liaison"])
    plan = proposed_plan(server.ctx, server.world)
    return Records(f"/incidents/{incident['id']}", f"/operations/{plan['id']}")


def open_in(tab: Session, username: str, lang: str, path: str) -> Any:
    """Log in as ``username``, switch the UI to ``lang`` and open ``path``."""
    tab.log_in(username)
    tab.page.context.add_cookies([{"name": "tansiq_lang", "value": lang, "url": tab.base}])
    tab.goto(path)
    tab.page.wait_for_selector(f"html[lang='{lang}']")
    return tab.page


def assert_summary_focused_then_link_reaches(page: Any, field_id: str) -> None:
    """The summary has the focus on screen; its link to ``field_id`` focuses that field."""
    state = page.evaluate(FOCUS_STATE)
    assert state["summary"] and state["onScreen"], state
    # The refusal is far down the page: without the scroll it would be off screen.
    assert state["scrolled"] > 0, state
    page.evaluate("window.scrollTo(0, 0)")
    page.click(f"{SUMMARY} a[href='#{field_id}']")
    state = page.evaluate(FOCUS_STATE)
    assert state["id"] == field_id and state["onScreen"], state


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_contest_without_comment_opens_on_its_error(
    tab: Session, records: Records, lang: str
) -> None:
    page = open_in(tab, "krg_analyst", lang, records.incident_url)
    page.check("input[name=kind][value=contest]")
    with page.expect_navigation():
        page.click("form.assessment-form button[type=submit]")
    assert page.get_attribute("#comment", "aria-invalid") == "true"
    assert_summary_focused_then_link_reaches(page, "comment")
    said = page.inner_text(f"#{page.get_attribute('#comment', 'aria-describedby')}")
    assert said in page.inner_text(SUMMARY)
    assert [e for e in tab.console_errors if "422" not in e] == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_approval_without_acknowledgement_opens_on_its_error(
    tab: Session, records: Records, lang: str
) -> None:
    page = open_in(tab, "fed_approver", lang, records.plan_url)
    ack_id = page.get_attribute(".ack-field textarea", "id")
    assert ack_id and ack_id.startswith("ack-")
    with page.expect_navigation():
        page.click("button[name=decision][value=approve]")
    assert page.get_attribute(f"#{ack_id}", "aria-invalid") == "true"
    assert_summary_focused_then_link_reaches(page, ack_id)
    if lang == "en":
        assert "Acknowledge this finding with a comment before approving." in page.inner_text(
            SUMMARY
        )
    # Nothing was signed: the fed row still waits.
    assert page.get_attribute("tr[data-party=fed]", "data-state") == "pending"
    assert [e for e in tab.console_errors if "422" not in e] == []
