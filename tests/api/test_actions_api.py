"""Meetings and action items through the API: lifecycles, who may do what, overdue, digest."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, assert_problem, assert_verifies, journal_count
from tests.factories import Clock, World
from tests.factories_meetings import action_data, add_coordinators, decision_data, meeting_data

FOUNDING_DUE_UTC = "2020-02-29T20:59:59.000000Z"


@pytest.fixture
def kirkuk(ctx: ServiceContext, world: World, as_user: AsUser) -> dict[str, Any]:
    """Coordinators, a fed-recorded meeting and a decision at JCC Kirkuk (ids by name)."""
    add_coordinators(ctx, world, with_tokens=True)
    center_id = world.centers["kirkuk"]["id"]
    meeting = as_user("fed_secretary").post("/meetings", json=meeting_data(center_id)).json()
    decision = as_user("fed_secretary").post("/decisions", json=decision_data(meeting["id"]))
    assert decision.status_code == 201, decision.text
    return {
        "center_id": center_id,
        "meeting_id": meeting["id"],
        "decision_id": decision.json()["id"],
    }


def _item(as_user: AsUser, username: str, **body: Any) -> dict[str, Any]:
    response = as_user(username).post("/action-items", json=action_data(**body))
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


# --- meetings --------------------------------------------------------------------------


def test_a_scheduled_meeting_is_held_later_and_cannot_go_back(
    as_user: AsUser, ctx: ServiceContext, world: World, clock: Clock
) -> None:
    add_coordinators(ctx, world, with_tokens=True)
    secretary = as_user("krg_secretary")
    body = meeting_data(world.centers["kirkuk"]["id"], held_at="2020-02-27T09:00:00+03:00")
    assert_problem(secretary.post("/meetings", json=body), 422, "held_at")
    meeting = secretary.post("/meetings", json={**body, "status": "scheduled"}).json()
    path = f"/meetings/{meeting['id']}"
    assert_problem(secretary.patch(path, json={"status": "held"}), 422, "held_at")
    clock.advance(days=7)
    held = secretary.patch(path, json={"status": "held", "minutes": "Met; agreed two points."})
    assert held.json()["status"] == "held", held.text
    assert_problem(secretary.patch(path, json={"status": "scheduled"}), 422, "status")
    assert_problem(secretary.patch(path, json={"status": "cancelled"}), 422, "status")


def test_a_cancelled_meeting_cannot_be_changed(
    as_user: AsUser, ctx: ServiceContext, world: World
) -> None:
    add_coordinators(ctx, world, with_tokens=True)
    body = meeting_data(
        world.centers["kirkuk"]["id"], status="scheduled", held_at="2020-03-01T09:00:00Z"
    )
    meeting = as_user("fed_secretary").post("/meetings", json=body).json()
    path = f"/meetings/{meeting['id']}"
    cancelled = as_user("fed_secretary").patch(path, json={"status": "cancelled"})
    assert cancelled.status_code == 200
    assert_problem(as_user("fed_secretary").patch(path, json={"minutes": "x"}), 422, "status")
    history = as_user("fed_secretary").get(path).json()["history"]
    assert [h["action"] for h in history] == ["create", "cancel"]


@pytest.mark.parametrize(
    ("username", "status"), [("fed_liaison", 403), ("fed_observer", 403), ("fed_approver", 403)]
)
def test_only_secretaries_and_admins_record_meetings(
    as_user: AsUser, ctx: ServiceContext, world: World, username: str, status: int
) -> None:
    add_coordinators(ctx, world, with_tokens=True)
    before = journal_count(ctx)
    body = meeting_data(world.centers["kirkuk"]["id"])
    assert_problem(as_user(username).post("/meetings", json=body), status)
    assert journal_count(ctx) == before
    assert as_user("fed_admin").post("/meetings", json=body).status_code == 201


def test_the_other_party_cannot_change_a_meeting(
    as_user: AsUser, kirkuk: dict[str, Any], ctx: ServiceContext
) -> None:
    before = journal_count(ctx)
    response = as_user("krg_secretary").patch(
        f"/meetings/{kirkuk['meeting_id']}", json={"minutes": "Our minutes."}
    )
    assert_problem(response, 403)
    assert journal_count(ctx) == before


def test_a_meeting_is_recorded_only_at_a_center_the_party_sits_on(
    as_user: AsUser, ctx: ServiceContext, world: World
) -> None:
    add_coordinators(ctx, world, with_tokens=True)
    body = meeting_data(world.centers["kirkuk"]["id"])
    assert_problem(as_user("un_secretary").post("/meetings", json=body), 422, "center_id")


def test_meeting_detail_holds_its_decisions_and_action_items(
    as_user: AsUser, kirkuk: dict[str, Any]
) -> None:
    item = _item(as_user, "krg_secretary", decision_id=kirkuk["decision_id"])
    detail = as_user("krg_observer").get(f"/meetings/{kirkuk['meeting_id']}").json()
    assert [d["id"] for d in detail["decisions"]] == [kirkuk["decision_id"]]
    assert [a["id"] for a in detail["action_items"]] == [item["id"]]
    assert [h["version"] for h in detail["history"]] == [1]


# --- action items ------------------------------------------------------------------------


def test_the_founding_example_is_due_at_the_end_of_february_in_baghdad(
    as_user: AsUser, kirkuk: dict[str, Any], clock: Clock
) -> None:
    item = _item(as_user, "krg_secretary", decision_id=kirkuk["decision_id"])
    assert item["due_at"] == FOUNDING_DUE_UTC
    assert (item["party"], item["owner_party"], item["status"]) == ("krg", "krg", "open")
    assert (item["center_id"], item["meeting_id"]) == (kirkuk["center_id"], kirkuk["meeting_id"])
    assert (item["overdue"], item["escalated"]) == (False, False)
    assert item["escalates_at"] == "2020-03-03T20:59:59.000000Z"

    def flags() -> tuple[bool, bool]:
        got = as_user("fed_observer").get(f"/action-items/{item['id']}").json()
        return got["overdue"], got["escalated"]

    def listed(**params: Any) -> set[str]:
        page = as_user("fed_observer").get("/action-items", params=params).json()
        return {i["id"] for i in page["items"]}

    clock.now = clock.now.replace(month=3, day=1)
    assert flags() == (True, False)
    assert item["id"] in listed(overdue="true") and item["id"] not in listed(overdue="false")
    assert item["id"] not in listed(escalated="true")
    clock.advance(days=3)
    assert flags() == (True, True)
    assert item["id"] in listed(escalated="true", owner_party="krg")
    assert item["id"] not in listed(owner_party="fed")


def test_a_party_records_only_what_it_owes(
    as_user: AsUser, kirkuk: dict[str, Any], ctx: ServiceContext
) -> None:
    before = journal_count(ctx)
    response = as_user("fed_secretary").post(
        "/action-items", json=action_data(decision_id=kirkuk["decision_id"], owner_party="krg")
    )
    assert_problem(response, 422, "owner_party")
    assert journal_count(ctx) == before


def test_only_the_owing_party_moves_the_status(
    as_user: AsUser, kirkuk: dict[str, Any], ctx: ServiceContext
) -> None:
    item = _item(as_user, "krg_secretary", center_id=kirkuk["center_id"])
    path = f"/action-items/{item['id']}"
    before = journal_count(ctx)
    assert_problem(as_user("fed_secretary").post(f"{path}/status", json={"status": "done"}), 403)
    assert_problem(as_user("fed_secretary").patch(path, json={"title": "Ours now"}), 403)
    assert_problem(as_user("krg_observer").post(f"{path}/status", json={"status": "done"}), 403)
    assert journal_count(ctx) == before

    done = as_user("krg_liaison").post(
        f"{path}/status", json={"status": "done", "note": "Met on 28 February."}
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["closed_at"]) == ("done", done.json()["updated_at"])
    assert_problem(as_user("krg_secretary").patch(path, json={"title": "x"}), 422, "status")
    reopened = as_user("krg_secretary").post(f"{path}/status", json={"status": "open"})
    assert (reopened.json()["status"], reopened.json()["closed_at"]) == ("open", None)
    cancelled = as_user("krg_secretary").post(f"{path}/status", json={"status": "cancelled"})
    assert cancelled.json()["status"] == "cancelled"
    assert_problem(
        as_user("krg_secretary").post(f"{path}/status", json={"status": "open"}), 422, "status"
    )
    detail = as_user("fed_observer").get(path).json()
    assert [h["action"] for h in detail["history"]] == ["create", "complete", "reopen", "cancel"]
    assert [n["text"] for n in detail["notes"]] == ["Met on 28 February."]
    assert_verifies(ctx)


def test_the_other_party_follows_up_with_notes(
    as_user: AsUser, kirkuk: dict[str, Any], ctx: ServiceContext
) -> None:
    item = _item(as_user, "krg_secretary", decision_id=kirkuk["decision_id"])
    notes = f"/action-items/{item['id']}/notes"
    added = as_user("fed_liaison").post(notes, json={"text": "No invitation received yet."})
    assert added.status_code == 201, added.text
    assert (added.json()["party"], added.json()["center_id"]) == ("fed", kirkuk["center_id"])
    assert as_user("fed_analyst").post(notes, json={"text": "Still pending."}).status_code == 201
    assert_problem(as_user("fed_observer").post(notes, json={"text": "x"}), 403)
    assert_problem(as_user("un_liaison").post(notes, json={"text": "x"}), 404)
    assert_problem(as_user("fed_liaison").post(notes, json={"text": ""}), 422, "text")
    listed = as_user("krg_observer").get(f"/action-items/{item['id']}").json()["notes"]
    assert [n["party"] for n in listed] == ["fed", "fed"]
    assert as_user("krg_observer").get(f"/action-items/{item['id']}").json()["version"] == 1
    assert_verifies(ctx)


def test_links_must_agree(as_user: AsUser, kirkuk: dict[str, Any], world: World) -> None:
    fedun = world.centers["fedun"]["id"]
    cases = [
        ({"decision_id": kirkuk["decision_id"], "center_id": fedun}, "center_id"),
        ({"decision_id": kirkuk["decision_id"], "meeting_id": "m-x"}, "meeting_id"),
        ({"decision_id": "no-such-decision"}, "decision_id"),
        ({"meeting_id": "no-such-meeting"}, "meeting_id"),
        ({}, "center_id"),
        ({"center_id": fedun}, "center_id"),
        ({"decision_id": kirkuk["decision_id"], "releasability": "all"}, "releasability"),
    ]
    for body, field in cases:
        response = as_user("krg_secretary").post("/action-items", json=action_data(**body))
        assert_problem(response, 422, field)


def test_relinking_takes_the_new_links_center_and_meeting(
    as_user: AsUser, kirkuk: dict[str, Any]
) -> None:
    item = _item(as_user, "fed_secretary", center_id=kirkuk["center_id"])
    assert item["meeting_id"] is None
    path = f"/action-items/{item['id']}"
    linked = as_user("fed_secretary").patch(path, json={"decision_id": kirkuk["decision_id"]})
    assert linked.status_code == 200, linked.text
    assert linked.json()["meeting_id"] == kirkuk["meeting_id"]
    moved = as_user("fed_secretary").patch(path, json={"due_at": "2020-03-05T12:00:00+03:00"})
    assert moved.json()["due_at"] == "2020-03-05T09:00:00.000000Z"


# --- digest ------------------------------------------------------------------------------


def test_digest_of_a_center_by_code_or_short_code(
    as_user: AsUser, kirkuk: dict[str, Any], clock: Clock
) -> None:
    _item(as_user, "krg_secretary", decision_id=kirkuk["decision_id"])
    _item(as_user, "fed_secretary", center_id=kirkuk["center_id"], due_at="2020-03-03")
    clock.now = clock.now.replace(month=3, day=4, hour=6)
    short = as_user("fed_observer").get("/centers/kirkuk/digest")
    assert short.status_code == 200, short.text
    assert as_user("fed_observer").get("/centers/jcc-kirkuk/digest").json() == short.json()
    report = short.json()
    assert report["center"]["code"] == "jcc-kirkuk"
    assert report["counts"] == {
        "escalated": 1,
        "overdue": 1,
        "awaiting_endorsement": 1,
        "meetings": 0,
    }
    assert [i["owner_party"] for i in report["escalated"]["krg"]] == ["krg"]
    assert report["escalated"]["fed"] == [] and len(report["overdue"]["fed"]) == 1
    assert report["awaiting_endorsement"][0]["awaiting"] == ["fed", "krg"]
    assert_problem(as_user("fed_observer").get("/centers/nowhere/digest"), 404)


def test_an_outsider_digest_holds_nothing_of_the_center(
    as_user: AsUser, kirkuk: dict[str, Any], clock: Clock
) -> None:
    _item(as_user, "krg_secretary", decision_id=kirkuk["decision_id"])
    clock.advance(days=30)
    report = as_user("un_observer").get("/centers/kirkuk/digest").json()
    assert report["counts"] == {
        "escalated": 0,
        "overdue": 0,
        "awaiting_endorsement": 0,
        "meetings": 0,
    }
