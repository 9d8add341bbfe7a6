"""A final step in a real browser, in English and Arabic: "Cancel the plan" opens its
confirmation page, which will not go without a reason; with one, the plan is cancelled
and its page shows why."""

from __future__ import annotations

import pytest

from tansiq.services.operations.commands import create_operation, get_operation
from tests.e2e.conftest import LiveServer, Session
from tests.factories_operations import operation_data

pytestmark = pytest.mark.browser
CANCEL = {"en": "Cancel the plan", "ar": "إلغاء الخطة"}
FINAL = {"en": "This step is final", "ar": "هذه الخطوة نهائية"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_cancelling_a_plan_is_confirmed_with_a_reason(
    tab: Session, server: LiveServer, lang: str
) -> None:
    fed = server.world.actors["fed_liaison"]
    plan = create_operation(server.ctx, actor=fed, data=operation_data(title=f"Patrol {lang}"))
    page = tab.page
    tab.log_in("fed_liaison")
    page.context.add_cookies([{"name": "tansiq_lang", "value": lang, "url": tab.base}])
    tab.goto(f"/operations/{plan['id']}")
    assert page.get_attribute("html", "lang") == lang

    page.click("[data-move='cancelled']")
    page.wait_for_url(f"{tab.base}/operations/{plan['id']}/final/cancelled")
    assert CANCEL[lang] in page.inner_text("#confirm-heading")
    assert FINAL[lang] in page.inner_text("#confirm-final-warning")
    # No reason, no step: the browser keeps the form, and nothing was written.
    page.click("#confirm-final-submit")
    assert page.url.endswith("/final/cancelled")
    assert page.evaluate("document.querySelector('#reason').validity.valueMissing") is True
    assert get_operation(server.ctx, actor=fed, operation_id=plan["id"])["status"] == "draft"

    page.fill("#reason", "The route is closed by flooding.")
    page.click("#confirm-final-submit")
    page.wait_for_url(f"{tab.base}/operations/{plan['id']}")
    assert "The route is closed by flooding." in page.inner_text("#status-reason")
    moved = get_operation(server.ctx, actor=fed, operation_id=plan["id"])
    assert moved["status"] == "cancelled"
    assert moved["status_reason"] == "The route is closed by flooding."
    assert tab.console_errors == []
