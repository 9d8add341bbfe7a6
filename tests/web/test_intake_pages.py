"""The review queue pages: the queue, a candidate's correction, accepting and discarding.

Each page is its party's own (another party gets 404), refuses a form without the
session's CSRF token, and answers bad input with 422 naming the field while writing
nothing. The pages have no script of their own, so no browser test is needed.
"""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import get_incident
from tansiq.services.intake.queries import get_candidate
from tansiq.services.notices.queries import get_notice
from tansiq.web.intake.forms import edit_values
from tests.factories import World
from tests.factories_intake import IED_SENTENCE, ied_candidate, propose
from tests.factories_notices import file_incident
from tests.web.conftest import csrf_token
from tests.web.test_coordination_pages import bad_fields
from tests.web.test_web import incident_count, journal_rows

TZ = "Asia/Baghdad"


@pytest.fixture
def queued(ctx: ServiceContext, world: World) -> list[dict[str, Any]]:
    """fed's queue: the IED, the agreed meeting and the border-guard deployment."""
    return propose(ctx, world.actors["fed_liaison"]).candidates


def _edit_form(token: str, candidate: dict[str, Any], **changes: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "version": str(candidate["version"]),
        **edit_values(candidate, TZ),
        **changes,
    }


def test_the_queue_quotes_the_evidence_and_links_duplicates(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    near = file_incident(
        ctx,
        world.actors["krg_liaison"],
        occurred_at="2020-02-19T17:00:00Z",
        location={"type": "Point", "coordinates": [44.075, 35.653]},
    )
    propose(ctx, world.actors["fed_liaison"])
    page = login_as("fed_analyst").get("/review")
    assert page.status_code == 200, page.text
    assert IED_SENTENCE in page.text and "Shafaq News" in page.text
    assert "Probable duplicate of" in page.text and f'href="/incidents/{near["id"]}"' in page.text
    assert "Accept as incident" in page.text and "Discard" in page.text
    arabic = login_as("fed_analyst")
    arabic.cookies.set("tansiq_lang", "ar")
    translated = arabic.get("/review")
    assert 'dir="rtl"' in translated.text and "Review queue" not in translated.text
    other = login_as("krg_analyst").get("/review")
    assert IED_SENTENCE not in other.text


def test_accepting_from_the_queue_files_the_incident(
    ctx: ServiceContext, world: World, login_as: Any, queued: list[dict[str, Any]]
) -> None:
    analyst = login_as("fed_analyst")
    token = csrf_token(analyst.get("/review").text)
    before = incident_count(ctx)
    answer = analyst.post(
        f"/review/{queued[0]['id']}/accept",
        data={"csrf_token": token, "target": "incident", "version": "1"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    incident_id = answer.headers["location"].removeprefix("/incidents/")
    incident = get_incident(ctx, actor=world.actors["fed_analyst"], incident_id=incident_id)
    assert IED_SENTENCE in incident["description"] and incident_count(ctx) == before + 1
    accepted = get_candidate(ctx, actor=world.actors["fed_analyst"], candidate_id=queued[0]["id"])
    assert (accepted["status"], accepted["accepted_id"]) == ("accepted", incident_id)
    shown = analyst.get(f"/review/{queued[0]['id']}")
    assert f'href="/incidents/{incident_id}"' in shown.text
    report = verify_database(ctx)
    assert report.ok, report.problem


def test_a_bad_correction_is_shown_again_and_changes_nothing(
    ctx: ServiceContext, world: World, login_as: Any, queued: list[dict[str, Any]]
) -> None:
    analyst = login_as("fed_analyst")
    path = f"/review/{queued[0]['id']}"
    token = csrf_token(analyst.get(path).text)
    rows = journal_rows(ctx)
    for changes, field in (
        ({"fatalities": "two"}, "fatalities"),
        ({"lat": "north"}, "lat"),
        ({"sub_event_type": "Armed clash"}, "sub_event_type"),
        ({"admin2": "Zakho"}, "admin2"),
        ({"occurred_until": "2020-02-01T10:00"}, "occurred_until"),
    ):
        answer = analyst.post(f"{path}/edit", data=_edit_form(token, queued[0], **changes))
        assert answer.status_code == 422, (changes, answer.text[:300])
        assert field in bad_fields(answer.text), changes
    assert journal_rows(ctx) == rows
    # Posting the form back unchanged writes nothing (times shown to the minute stay exact).
    same = analyst.post(f"{path}/edit", data=_edit_form(token, queued[0]), follow_redirects=False)
    assert same.status_code == 303 and journal_rows(ctx) == rows
    fixed = analyst.post(
        f"{path}/edit",
        data=_edit_form(token, queued[0], injured="5", actors="Islamic State (Iraq)"),
        follow_redirects=False,
    )
    assert fixed.status_code == 303, fixed.text
    edited = get_candidate(ctx, actor=world.actors["fed_analyst"], candidate_id=queued[0]["id"])
    assert (edited["version"], edited["injured"], edited["actors"]) == (
        2,
        5,
        ["Islamic State (Iraq)"],
    )
    assert edited["occurred_until"] == queued[0]["occurred_until"]


def test_accepting_as_a_notice_names_the_missing_recipient(
    ctx: ServiceContext, world: World, login_as: Any, queued: list[dict[str, Any]]
) -> None:
    admin = login_as("fed_admin")
    path = f"/review/{queued[2]['id']}"
    page = admin.get(path)
    assert page.status_code == 200 and "Accept as notice" in page.text
    form = {"csrf_token": csrf_token(page.text), "target": "notice", "version": "1"}
    rows = journal_rows(ctx)
    refused = admin.post(f"{path}/accept", data=form)
    assert refused.status_code == 422, refused.text[:300]
    assert "notice-to_party" in bad_fields(refused.text)
    assert journal_rows(ctx) == rows
    sent = admin.post(
        f"{path}/accept", data={**form, "record.to_party": "krg"}, follow_redirects=False
    )
    assert sent.status_code == 303, sent.text
    notice_id = sent.headers["location"].removeprefix("/notices/")
    assert (
        get_notice(ctx, actor=world.actors["krg_liaison"], notice_id=notice_id)["to_party"] == "krg"
    )


def test_a_record_error_on_the_candidates_own_field_points_at_the_correction(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    lone = propose(ctx, world.actors["fed_liaison"], ied_candidate(actors=())).candidates[0]
    analyst = login_as("fed_analyst")
    path = f"/review/{lone['id']}"
    token = csrf_token(analyst.get(path).text)
    rows = journal_rows(ctx)
    refused = analyst.post(f"{path}/accept", data={"csrf_token": token, "target": "incident"})
    assert refused.status_code == 422
    assert "actors" in bad_fields(refused.text)
    assert "Correct the candidate below, then accept it again." in refused.text
    assert journal_rows(ctx) == rows


def test_discarding_returns_to_the_queue(
    ctx: ServiceContext, world: World, login_as: Any, queued: list[dict[str, Any]]
) -> None:
    analyst = login_as("fed_analyst")
    token = csrf_token(analyst.get("/review").text)
    answer = analyst.post(
        f"/review/{queued[1]['id']}/discard",
        data={"csrf_token": token, "reason": "Already on the agenda.", "version": "1"},
        follow_redirects=False,
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/review")
    discarded = get_candidate(ctx, actor=world.actors["fed_analyst"], candidate_id=queued[1]["id"])
    assert (discarded["status"], discarded["discard_reason"]) == (
        "discarded",
        "Already on the agenda.",
    )
    page = analyst.get("/review")
    assert "Candidate discarded." in page.text and "Already on the agenda." in page.text


def test_other_parties_roles_and_forged_forms_are_refused(
    ctx: ServiceContext, world: World, login_as: Any, queued: list[dict[str, Any]]
) -> None:
    path = f"/review/{queued[0]['id']}"
    krg = login_as("krg_admin")
    token = csrf_token(krg.get("/review").text)
    rows = journal_rows(ctx)
    assert krg.get(path).status_code == 404
    assert (
        krg.post(f"{path}/accept", data={"csrf_token": token, "target": "incident"}).status_code
        == 404
    )
    assert krg.post(f"{path}/discard", data={"csrf_token": token}).status_code == 404
    liaison = login_as("fed_liaison")
    page = liaison.get(path)
    assert page.status_code == 200 and "Accept as incident" not in page.text
    token = csrf_token(page.text)
    assert (
        liaison.post(f"{path}/accept", data={"csrf_token": token, "target": "incident"}).status_code
        == 403
    )
    analyst = login_as("fed_analyst")
    assert analyst.post(f"{path}/discard", data={"csrf_token": "forged"}).status_code == 403
    assert journal_rows(ctx) == rows


def test_a_follow_up_becomes_an_action_item_and_then_cannot_be_accepted_again(
    ctx: ServiceContext, world: World, login_as: Any, queued: list[dict[str, Any]]
) -> None:
    admin = login_as("fed_admin")
    path = f"/review/{queued[1]['id']}"
    page = admin.get(path)
    assert "Accept as action item" in page.text and "Accept as decision" in page.text
    form = {"csrf_token": csrf_token(page.text), "target": "action_item", "version": "1"}
    answer = admin.post(
        f"{path}/accept",
        data={**form, "record.owner_person": "Col. Karwan"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].startswith("/actions/")
    assert "Col. Karwan" in admin.get(answer.headers["location"]).text
    rows = journal_rows(ctx)
    admin.cookies.set("tansiq_lang", "ar")
    stale = admin.post(f"{path}/accept", data=form)  # the version the page was read at
    assert stale.status_code == 409 and "تغيّر الحدث المقترح أثناء قراءتك له." in stale.text
    again = admin.post(f"{path}/accept", data={**form, "version": "2"})
    assert again.status_code == 422
    assert "رُوجع هذا الحدث المقترح من قبل." in again.text
    assert journal_rows(ctx) == rows
