"""Final steps are confirmed on their own page with a reason (English and Arabic):
cancelling a plan, withdrawing a notice. Without a reason nothing changes; with one,
the step is taken and the record shows why."""

from __future__ import annotations

import re

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.assessment_commands import assess_incident, get_assessment
from tansiq.services.notices.commands import send_notice
from tansiq.services.operations.commands import create_operation, get_operation
from tansiq.services.sectors.commands import create_sector, get_sector
from tests.factories import World
from tests.factories_notices import contest_data, file_incident, notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data
from tests.web.conftest import LoginAs, csrf_token
from tests.web.test_web import journal_rows

TEXTS = {
    "en": ("Cancel the plan", "This step is final", "Say why: this step is final"),
    "ar": ("إلغاء الخطة", "هذه الخطوة نهائية", "اذكر السبب"),
}


@pytest.fixture
def plan_id(ctx: ServiceContext, world: World) -> str:
    return str(
        create_operation(ctx, actor=world.actors["fed_liaison"], data=operation_data())["id"]
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_cancelling_asks_for_a_reason_and_journals_it(
    ctx: ServiceContext, world: World, login_as: LoginAs, plan_id: str, lang: str
) -> None:
    heading, warning, missing = TEXTS[lang]
    client = login_as("fed_liaison")
    client.cookies.set("tansiq_lang", lang)
    plan_page = client.get(f"/operations/{plan_id}").text
    # The plan page links the step; it no longer posts a cancel in one click.
    assert f'href="/operations/{plan_id}/final/cancelled" data-move="cancelled"' in plan_page
    assert not re.search(r'name="status" value="cancelled"', plan_page)

    confirm = client.get(f"/operations/{plan_id}/final/cancelled")
    assert confirm.status_code == 200
    assert heading in confirm.text and warning in confirm.text
    assert 'name="reason"' in confirm.text and 'value="cancelled"' in confirm.text
    form = {
        "csrf_token": csrf_token(confirm.text),
        "status": "cancelled",
        "version": "1",
        "reason": "   ",
    }
    before = journal_rows(ctx)
    refused = client.post(f"/operations/{plan_id}/status", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert missing in refused.text and 'aria-invalid="true"' in refused.text
    assert journal_rows(ctx) == before
    fed = world.actors["fed_liaison"]
    assert get_operation(ctx, actor=fed, operation_id=plan_id)["status"] == "draft"

    form["reason"] = "Route closed by flooding."
    done = client.post(f"/operations/{plan_id}/status", data=form, follow_redirects=False)
    assert done.status_code == 303
    plan = get_operation(ctx, actor=fed, operation_id=plan_id)
    assert (plan["status"], plan["status_reason"]) == ("cancelled", "Route closed by flooding.")
    shown = client.get(f"/operations/{plan_id}").text
    assert 'id="status-reason"' in shown and "Route closed by flooding." in shown


def test_the_step_is_offered_only_to_whom_may_take_it(
    world: World, login_as: LoginAs, plan_id: str
) -> None:
    fed = login_as("fed_liaison")
    assert fed.get(f"/operations/{plan_id}/final/approved").status_code == 404
    assert fed.get(f"/operations/{plan_id}/final/rejected").status_code == 404  # not rejected
    assert login_as("krg_liaison").get(f"/operations/{plan_id}/final/cancelled").status_code == 404


WITHDRAW = {
    "en": ("Withdraw notice", "Say why: this step is final"),
    "ar": ("سحب الإشعار", "اذكر السبب"),
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_withdrawing_a_notice_asks_for_a_reason(
    ctx: ServiceContext, world: World, login_as: LoginAs, lang: str
) -> None:
    heading, missing = WITHDRAW[lang]
    notice = send_notice(ctx, actor=world.actors["fed_liaison"], data=notice_data())
    url = f"/notices/{notice['id']}"
    client = login_as("fed_liaison")
    client.cookies.set("tansiq_lang", lang)
    assert f'href="{url}/withdraw" id="withdraw-notice"' in client.get(url).text
    confirm = client.get(f"{url}/withdraw")
    assert confirm.status_code == 200 and heading in confirm.text
    form = {"csrf_token": csrf_token(confirm.text), "version": "1", "reason": ""}
    before = journal_rows(ctx)
    refused = client.post(f"{url}/withdraw", data=form, follow_redirects=False)
    assert refused.status_code == 422 and missing in refused.text
    assert journal_rows(ctx) == before
    form["reason"] = "The convoy is postponed."
    assert client.post(f"{url}/withdraw", data=form, follow_redirects=False).status_code == 303
    krg = login_as("krg_liaison")
    shown = krg.get(url).text
    assert "badge-state-withdrawn" in shown and "The convoy is postponed." in shown
    assert krg.get(f"{url}/withdraw").status_code == 403


@pytest.mark.parametrize(("lang", "heading"), [("en", "Withdraw the sector"), ("ar", "سحب القطاع")])
def test_withdrawing_a_sector_asks_for_a_reason(
    ctx: ServiceContext, world: World, login_as: LoginAs, lang: str, heading: str
) -> None:
    fed = world.actors["fed_liaison"]
    sector = create_sector(ctx, actor=fed, data=sector_data())
    url = f"/sectors/{sector['id']}"
    client = login_as("fed_liaison")
    client.cookies.set("tansiq_lang", lang)
    assert f'href="{url}/withdraw" id="withdraw-sector"' in client.get(url).text
    confirm = client.get(f"{url}/withdraw")
    assert confirm.status_code == 200 and heading in confirm.text
    form = {"csrf_token": csrf_token(confirm.text), "version": "1", "reason": ""}
    before = journal_rows(ctx)
    assert client.post(f"{url}/withdraw", data=form).status_code == 422
    assert journal_rows(ctx) == before
    form["reason"] = "Handed over at the JCC."
    assert client.post(f"{url}/withdraw", data=form, follow_redirects=False).status_code == 303
    assert get_sector(ctx, actor=fed, sector_id=sector["id"])["status_reason"] == (
        "Handed over at the JCC."
    )
    assert "Handed over at the JCC." in client.get(url).text
    assert login_as("krg_liaison").get(f"{url}/withdraw").status_code == 403


@pytest.mark.parametrize(
    ("lang", "heading"), [("en", "Withdraw this assessment"), ("ar", "سحب هذا التقييم")]
)
def test_withdrawing_a_contest_asks_for_a_reason(
    ctx: ServiceContext, world: World, login_as: LoginAs, lang: str, heading: str
) -> None:
    incident = file_incident(ctx, world.actors["fed_liaison"])
    krg = world.actors["krg_liaison"]
    contest = assess_incident(ctx, actor=krg, incident_id=incident["id"], data=contest_data())
    url = f"/assessments/{contest['id']}/withdraw"
    client = login_as("krg_liaison")
    client.cookies.set("tansiq_lang", lang)
    assert (
        f'href="{url}" data-withdraw-assessment' in client.get(f"/incidents/{incident['id']}").text
    )
    confirm = client.get(url)
    assert confirm.status_code == 200 and heading in confirm.text
    form = {"csrf_token": csrf_token(confirm.text), "reason": ""}
    before = journal_rows(ctx)
    assert client.post(url, data=form).status_code == 422
    assert journal_rows(ctx) == before
    form["reason"] = "The road was open after all."
    assert client.post(url, data=form, follow_redirects=False).status_code == 303
    assert get_assessment(ctx, actor=krg, assessment_id=contest["id"])["status_reason"] == (
        "The road was open after all."
    )
    assert "The road was open after all." in client.get(f"/incidents/{incident['id']}").text
    assert login_as("fed_liaison").get(url).status_code == 403
