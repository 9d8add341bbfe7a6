"""Meeting pages through TestClient: recording a meeting, decisions and their endorsements,
action items with their flags, notes and status, and what other parties may not see."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.meetings.action_commands import create_action_item, get_action_item
from tansiq.services.meetings.commands import create_meeting
from tansiq.services.meetings.decision_commands import create_decision, get_decision
from tests.factories import World
from tests.factories_meetings import action_data, add_coordinators, decision_data, meeting_data
from tests.web.conftest import TestClient, csrf_token
from tests.web.test_coordination_pages import bad_fields
from tests.web.test_web import journal_rows


@pytest.fixture
def kirkuk(ctx: ServiceContext, world: World) -> str:
    """Secretaries and approvers added; the id of JCC Kirkuk."""
    add_coordinators(ctx, world)
    return str(world.centers["kirkuk"]["id"])


def meeting_form(token: str, **overrides: str) -> dict[str, str]:
    """A held meeting on 2020-02-19 12:00 Baghdad time with one attendee from each party."""
    data = {
        "csrf_token": token,
        "held_at": "2020-02-19T12:00",
        "status": "held",
        "place": "K1 base",
        "attendee_party_0": "fed",
        "attendee_name_0": "Brig. Ali Hassan",
        "attendee_position_0": "JOC liaison",
        "attendee_party_1": "krg",
        "attendee_name_1": "Col. Karwan Aziz",
        "attendee_position_1": "Peshmerga liaison",
        "attendee_party_2": "krg",
        "attendee_name_2": "",
        "attendee_position_2": "",
        "agenda": "1. Security gap south of Kirkuk",
        "minutes": "Both sides agreed to meet again.",
        "releasability": "center",
    }
    data.update(overrides)
    return data


def test_a_secretary_records_a_meeting(ctx: ServiceContext, kirkuk: str, login_as: Any) -> None:
    client = login_as("fed_secretary")
    page = client.get("/centers/jcc-kirkuk/meetings/new")
    assert page.status_code == 200
    assert 'name="attendee_party_5"' in page.text  # three rows per member party
    token = csrf_token(page.text)
    before = journal_rows(ctx)
    bad = client.post(
        "/centers/jcc-kirkuk/meetings/new",
        data=meeting_form(token, held_at="", attendee_party_1="", status="adjourned"),
    )
    assert bad.status_code == 422
    assert bad_fields(bad.text) == {"held_at", "attendee_party_1"}
    future = client.post(
        "/centers/jcc-kirkuk/meetings/new", data=meeting_form(token, held_at="2020-03-19T12:00")
    )
    assert future.status_code == 422 and bad_fields(future.text) == {"held_at"}
    assert "record it as scheduled" in future.text
    assert journal_rows(ctx) == before
    answer = client.post(
        "/centers/jcc-kirkuk/meetings/new", data=meeting_form(token), follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    meeting_url = answer.headers["location"]
    html = login_as("krg_observer").get(meeting_url).text
    assert "Col. Karwan Aziz" in html and "Both sides agreed to meet again." in html
    assert "2020-02-19 12:00" in html
    listing = login_as("krg_liaison").get("/centers/jcc-kirkuk/meetings").text
    assert meeting_url in listing
    # The third party is not a member of JCC Kirkuk: nothing of it is there for them.
    un = login_as("un_secretary")
    assert un.get(meeting_url).status_code == 404
    assert un.get("/centers/jcc-kirkuk/meetings").status_code == 404
    assert un.get(meeting_url + "/minutes").status_code == 404
    # Readers and forged forms are refused.
    observer = login_as("krg_observer")
    assert observer.get("/centers/jcc-kirkuk/meetings/new").status_code == 403
    assert (
        client.post("/centers/jcc-kirkuk/meetings/new", data=meeting_form("x")).status_code == 403
    )


def test_decision_is_agreed_once_both_parties_endorse_the_same_version(
    ctx: ServiceContext, world: World, kirkuk: str, login_as: Any
) -> None:
    meeting = create_meeting(ctx, actor=world.actors["fed_secretary"], data=meeting_data(kirkuk))
    url = f"/meetings/{meeting['id']}"
    secretary = login_as("fed_secretary")
    token = csrf_token(secretary.get(url).text)
    before = journal_rows(ctx)
    bad = secretary.post(
        f"{url}/decisions",
        data={"csrf_token": token, "text_en": "Meet again.", "status": "proposed"},
    )
    assert bad.status_code == 422 and bad_fields(bad.text) == {"text_ar"}
    assert journal_rows(ctx) == before
    form = {"csrf_token": token, **decision_data(meeting["id"]), "status": "proposed"}
    del form["meeting_id"]
    answer = secretary.post(f"{url}/decisions", data=form, follow_redirects=False)
    assert answer.status_code == 303
    decision_id = answer.headers["location"].rsplit("#decision-", 1)[1]

    def endorse(username: str) -> Any:
        client = login_as(username)
        html = client.get(url).text
        version_hash = re.search(r'name="version_hash" value="([0-9a-f]{64})"', html)
        assert version_hash, html
        return client.post(
            f"/decisions/{decision_id}/endorse",
            data={"csrf_token": csrf_token(html), "version_hash": version_hash.group(1)},
            follow_redirects=False,
        )

    assert endorse("fed_approver").status_code == 303
    html = secretary.get(url).text
    assert 'data-decision-status="proposed"' in html
    assert '<li data-party="fed" data-endorsed="yes">' in html
    # A stale hash: the secretary amends the text before krg endorses.
    krg = login_as("krg_approver")
    stale = re.search(r'name="version_hash" value="([0-9a-f]{64})"', krg.get(url).text)
    assert stale
    amend_page = secretary.get(f"/decisions/{decision_id}/amend").text
    changes = {**form, "csrf_token": csrf_token(amend_page), "version": "1"}
    changes["text_en"] = "Hold a meeting before 29 February to start work."
    assert (
        secretary.post(
            f"/decisions/{decision_id}/amend", data=changes, follow_redirects=False
        ).status_code
        == 303
    )
    refused = krg.post(
        f"/decisions/{decision_id}/endorse",
        data={"csrf_token": csrf_token(krg.get(url).text), "version_hash": stale.group(1)},
    )
    assert refused.status_code == 409
    assert "amended since you read it" in refused.text
    # The amendment voided fed's endorsement: both endorse version 2.
    assert endorse("krg_approver").status_code == 303
    assert endorse("fed_approver").status_code == 303
    assert (
        get_decision(ctx, actor=world.actors["krg_liaison"], decision_id=decision_id)["status"]
        == "agreed"
    )
    assert 'data-decision-status="agreed"' in login_as("krg_observer").get(url).text
    # Observers may not endorse; the endorse button is not shown to them.
    assert 'action="/decisions/' not in login_as("fed_observer").get(url).text


def test_action_items_overdue_escalated_notes_and_status(
    ctx: ServiceContext, world: World, kirkuk: str, clock: Any, login_as: Any
) -> None:
    meeting = create_meeting(ctx, actor=world.actors["fed_secretary"], data=meeting_data(kirkuk))
    url = f"/meetings/{meeting['id']}"
    secretary = login_as("fed_secretary")
    token = csrf_token(secretary.get(url).text)
    before = journal_rows(ctx)
    bad = secretary.post(
        f"{url}/actions", data={"csrf_token": token, "title": "", "due_at": "soon"}
    )
    assert bad.status_code == 422 and bad_fields(bad.text) == {"title", "due_at"}
    assert journal_rows(ctx) == before
    answer = secretary.post(
        f"{url}/actions",
        data={
            "csrf_token": token,
            "title": "Hold a meeting to start work",
            "due_at": "2020-02-29",
            "owner_person": "Brig. Ali Hassan",
            "releasability": "center",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    item_id = answer.headers["location"].rsplit("#action-", 1)[1]
    assert "due in 9 days" in secretary.get(url).text
    # Sessions expire: log in again after moving the clock.
    clock.advance(days=10)
    assert "badge-overdue" in login_as("fed_secretary").get(url).text
    clock.advance(days=3)
    secretary = login_as("fed_secretary")
    token = csrf_token(secretary.get(url).text)
    html = login_as("krg_liaison").get("/centers/jcc-kirkuk").text
    assert "badge-escalated" in html and f'href="/actions/{item_id}"' in html
    # Another party adds a note but may not change the status.
    krg = login_as("krg_liaison")
    page = krg.get(f"/actions/{item_id}").text
    assert (
        krg.post(
            f"/actions/{item_id}/notes", data={"csrf_token": csrf_token(page), "text": ""}
        ).status_code
        == 422
    )
    assert (
        krg.post(
            f"/actions/{item_id}/notes",
            data={"csrf_token": csrf_token(page), "text": "Venue agreed."},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert (
        krg.post(
            f"/actions/{item_id}/status", data={"csrf_token": csrf_token(page), "status": "done"}
        ).status_code
        == 403
    )
    answer = secretary.post(
        f"/actions/{item_id}/status",
        data={"csrf_token": token, "status": "done", "note": "Met on 28 Feb.", "next": url},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == url
    item = get_action_item(ctx, actor=world.actors["krg_liaison"], action_item_id=item_id)
    assert (item["status"], item["overdue"]) == ("done", False)
    page = secretary.get(f"/actions/{item_id}").text
    assert "Venue agreed." in page and "Met on 28 Feb." in page
    assert (
        secretary.post(
            f"/actions/{item_id}/status", data={"csrf_token": token, "status": "done"}
        ).status_code
        == 422
    )


def test_meeting_pages_in_arabic_and_kurdish(
    ctx: ServiceContext, world: World, kirkuk: str, login_as: Any
) -> None:
    meeting = create_meeting(ctx, actor=world.actors["fed_secretary"], data=meeting_data(kirkuk))
    decision = create_decision(
        ctx, actor=world.actors["fed_secretary"], data=decision_data(meeting["id"])
    )
    create_action_item(
        ctx,
        actor=world.actors["fed_secretary"],
        data=action_data(meeting_id=meeting["id"], decision_id=decision["id"]),
    )
    client: TestClient = login_as("krg_secretary")
    for lang in ("ar", "ckb"):
        client.cookies.set("tansiq_lang", lang)
        for path in ("", "/minutes", f"/minutes?lang={lang}"):
            answer = client.get(f"/meetings/{meeting['id']}{path}")
            assert answer.status_code == 200
            assert 'dir="rtl"' in answer.text
        page = client.get(f"/meetings/{meeting['id']}").text
        assert decision_data("x")[f"text_{lang}"] in page
    assert client.get(f"/meetings/{meeting['id']}/minutes?lang=fr").status_code == 404
    english = client.get(f"/meetings/{meeting['id']}/minutes?lang=en").text
    assert '<html lang="en" dir="ltr">' in english and "Minutes of the meeting of" in english
