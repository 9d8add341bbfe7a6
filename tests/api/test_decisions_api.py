"""Decisions through the API: endorsement bound to a version hash, voided by amendment."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, assert_problem, assert_verifies, journal_count
from tests.factories import World
from tests.factories_meetings import add_coordinators, decision_data, meeting_data


@pytest.fixture
def meeting(ctx: ServiceContext, world: World, as_user: AsUser) -> dict[str, Any]:
    """Secretaries and approvers of every party, and a JCC Kirkuk meeting recorded by fed."""
    add_coordinators(ctx, world, with_tokens=True)
    body = meeting_data(world.centers["kirkuk"]["id"])
    response = as_user("fed_secretary").post("/meetings", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _decide(as_user: AsUser, meeting: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    response = as_user("fed_secretary").post(
        "/decisions", json=decision_data(meeting["id"], **overrides)
    )
    assert response.status_code == 201, response.text
    decision: dict[str, Any] = response.json()
    return decision


def _endorse(
    as_user: AsUser, username: str, decision: dict[str, Any], version_hash: str | None = None
) -> httpx.Response:
    body = {"version_hash": version_hash or decision["version_hash"], "comment": "Agreed."}
    return as_user(username).post(f"/decisions/{decision['id']}/endorsements", json=body)


def _read(as_user: AsUser, decision: dict[str, Any], username: str = "fed_secretary") -> Any:
    response = as_user(username).get(f"/decisions/{decision['id']}")
    assert response.status_code == 200, response.text
    return response.json()


def test_one_party_endorsing_is_not_agreement(as_user: AsUser, meeting: dict[str, Any]) -> None:
    decision = _decide(as_user, meeting)
    assert (decision["status"], decision["awaiting"]) == ("proposed", ["fed", "krg"])
    endorsed = _endorse(as_user, "fed_approver", decision)
    assert endorsed.status_code == 201, endorsed.text
    assert endorsed.json()["party"] == "fed"
    assert endorsed.json()["version_hash"] == decision["version_hash"]
    read = _read(as_user, decision)
    assert read["status"] == "proposed"
    assert (read["endorsed_by"], read["awaiting"]) == (["fed"], ["krg"])


def test_amendment_voids_earlier_endorsements_until_both_endorse_again(
    as_user: AsUser, meeting: dict[str, Any], ctx: ServiceContext
) -> None:
    decision = _decide(as_user, meeting)
    old_hash = decision["version_hash"]
    assert _endorse(as_user, "fed_approver", decision).status_code == 201

    amended = as_user("fed_secretary").patch(
        f"/decisions/{decision['id']}", json={"text_en": "Hold a meeting by 29 February."}
    )
    assert amended.status_code == 200, amended.text
    new = amended.json()
    assert new["version"] == 2 and new["version_hash"] != old_hash
    assert (new["status"], new["endorsed_by"], new["awaiting"]) == ("proposed", [], ["fed", "krg"])

    # The old endorsement is kept, but it is for an older hash and no longer counts.
    read = _read(as_user, decision, "krg_observer")
    assert [(e["party"], e["current"]) for e in read["endorsements"]] == [("fed", False)]
    assert read["history"][0]["record"]["endorsed_by"] == ["fed"]
    assert read["history"][1]["record"]["endorsed_by"] == []

    before = journal_count(ctx)
    stale = _endorse(as_user, "krg_approver", decision, version_hash=old_hash)
    assert_problem(stale, 409, "version_hash")
    assert new["version_hash"] in stale.json()["errors"][0]["message"]
    assert journal_count(ctx) == before

    assert _endorse(as_user, "krg_approver", new).status_code == 201
    assert _read(as_user, decision)["status"] == "proposed"
    assert _endorse(as_user, "fed_approver", new).status_code == 201
    agreed = _read(as_user, decision, "krg_observer")
    assert (agreed["status"], agreed["endorsed_by"], agreed["awaiting"]) == (
        "agreed",
        ["fed", "krg"],
        [],
    )
    assert [e["current"] for e in agreed["endorsements"]] == [False, True, True]
    assert_verifies(ctx)


def test_amending_an_agreed_decision_unagrees_it(as_user: AsUser, meeting: dict[str, Any]) -> None:
    decision = _decide(as_user, meeting)
    for approver in ("fed_approver", "krg_approver"):
        assert _endorse(as_user, approver, decision).status_code == 201
    assert _read(as_user, decision)["status"] == "agreed"
    as_user("fed_secretary").patch(
        f"/decisions/{decision['id']}", json={"text_ckb": "دەقی نوێ"}
    ).raise_for_status()
    read = _read(as_user, decision)
    assert (read["status"], read["awaiting"]) == ("proposed", ["fed", "krg"])
    # Version 1 stays agreed in the history: both parties signed exactly that text.
    assert [h["record"]["status"] for h in read["history"]] == ["agreed", "proposed"]


def test_a_change_that_is_not_content_keeps_the_endorsements(
    as_user: AsUser, meeting: dict[str, Any]
) -> None:
    decision = _decide(as_user, meeting)
    for approver in ("fed_approver", "krg_approver"):
        assert _endorse(as_user, approver, decision).status_code == 201
    drafted = as_user("fed_secretary").patch(
        f"/decisions/{decision['id']}", json={"status": "draft"}
    )
    assert drafted.json()["version_hash"] == decision["version_hash"]
    assert drafted.json()["status"] == "draft"
    proposed = as_user("fed_secretary").patch(
        f"/decisions/{decision['id']}", json={"status": "proposed"}
    )
    assert proposed.json()["status"] == "agreed"


def test_a_party_endorses_a_version_once(as_user: AsUser, meeting: dict[str, Any]) -> None:
    decision = _decide(as_user, meeting)
    assert _endorse(as_user, "fed_approver", decision).status_code == 201
    assert_problem(_endorse(as_user, "fed_admin", decision), 409, "version_hash")


@pytest.mark.parametrize("username", ["fed_secretary", "fed_liaison", "krg_observer"])
def test_only_approvers_and_admins_endorse(
    as_user: AsUser, meeting: dict[str, Any], username: str, ctx: ServiceContext
) -> None:
    decision = _decide(as_user, meeting)
    before = journal_count(ctx)
    assert_problem(_endorse(as_user, username, decision), 403)
    assert journal_count(ctx) == before


def test_admin_may_endorse_for_the_party(as_user: AsUser, meeting: dict[str, Any]) -> None:
    decision = _decide(as_user, meeting)
    assert _endorse(as_user, "krg_admin", decision).json()["party"] == "krg"


def test_a_party_not_at_the_center_cannot_endorse(
    as_user: AsUser, ctx: ServiceContext, world: World
) -> None:
    add_coordinators(ctx, world, with_tokens=True)
    body = meeting_data(world.centers["kirkuk"]["id"], releasability="all")
    meeting = as_user("fed_secretary").post("/meetings", json=body).json()
    decision = _decide(as_user, meeting, releasability="all")
    assert _read(as_user, decision, "un_observer")["status"] == "proposed"
    assert_problem(_endorse(as_user, "un_approver", decision), 403)


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_only_a_proposed_decision_can_be_endorsed(
    as_user: AsUser, meeting: dict[str, Any], status: str
) -> None:
    decision = _decide(as_user, meeting, status=status if status == "draft" else "proposed")
    if status == "withdrawn":
        as_user("fed_secretary").patch(
            f"/decisions/{decision['id']}", json={"status": "withdrawn"}
        ).raise_for_status()
    assert_problem(_endorse(as_user, "krg_approver", decision), 409, "status")


def test_a_withdrawn_decision_is_final(as_user: AsUser, meeting: dict[str, Any]) -> None:
    decision = _decide(as_user, meeting)
    path = f"/decisions/{decision['id']}"
    withdrawn = as_user("fed_secretary").patch(path, json={"status": "withdrawn"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert_problem(as_user("fed_secretary").patch(path, json={"status": "proposed"}), 422, "status")
    history = _read(as_user, decision)["history"]
    assert [h["action"] for h in history] == ["create", "withdraw"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version_hash": "not-a-hash"}, "version_hash"),
        ({"version_hash": "A" * 64}, "version_hash"),
        ({}, "version_hash"),
        ({"version_hash": "a" * 64, "comment": "x" * 2001}, "comment"),
        ({"version_hash": "a" * 64, "vote": "yes"}, "vote"),
    ],
)
def test_bad_endorsement_is_422(
    as_user: AsUser, meeting: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    decision = _decide(as_user, meeting)
    response = as_user("krg_approver").post(f"/decisions/{decision['id']}/endorsements", json=body)
    assert_problem(response, 422, field)


def test_only_the_recording_party_amends(
    as_user: AsUser, meeting: dict[str, Any], ctx: ServiceContext
) -> None:
    decision = _decide(as_user, meeting)
    before = journal_count(ctx)
    response = as_user("krg_secretary").patch(
        f"/decisions/{decision['id']}", json={"text_en": "Our version."}
    )
    assert_problem(response, 403)
    assert journal_count(ctx) == before
    assert _read(as_user, decision)["version"] == 1


def test_the_other_party_may_record_its_own_decision_of_the_meeting(
    as_user: AsUser, meeting: dict[str, Any]
) -> None:
    response = as_user("krg_secretary").post("/decisions", json=decision_data(meeting["id"]))
    assert response.status_code == 201, response.text
    assert (response.json()["party"], response.json()["center_id"]) == ("krg", meeting["center_id"])


def test_a_decision_reaches_no_further_than_its_meeting(
    as_user: AsUser, meeting: dict[str, Any]
) -> None:
    response = as_user("fed_secretary").post(
        "/decisions", json=decision_data(meeting["id"], releasability="all")
    )
    assert_problem(response, 422, "releasability")


def test_a_private_decision_starts_as_a_draft(as_user: AsUser, meeting: dict[str, Any]) -> None:
    decision = _decide(as_user, meeting, releasability="party")
    assert (decision["status"], decision["awaiting"]) == ("draft", [])
    assert_problem(as_user("krg_approver").get(f"/decisions/{decision['id']}"), 404)


def test_a_cancelled_meeting_takes_no_decisions(
    as_user: AsUser, ctx: ServiceContext, world: World
) -> None:
    add_coordinators(ctx, world, with_tokens=True)
    body = meeting_data(
        world.centers["kirkuk"]["id"], status="scheduled", held_at="2020-02-27T09:00:00Z"
    )
    meeting = as_user("fed_secretary").post("/meetings", json=body).json()
    cancel = as_user("fed_secretary").patch(
        f"/meetings/{meeting['id']}", json={"status": "cancelled"}
    )
    assert cancel.status_code == 200, cancel.text
    response = as_user("fed_secretary").post("/decisions", json=decision_data(meeting["id"]))
    assert_problem(response, 422, "meeting_id")


def test_decisions_list_by_meeting(as_user: AsUser, meeting: dict[str, Any]) -> None:
    first, second = _decide(as_user, meeting), _decide(as_user, meeting)
    listed = as_user("krg_observer").get("/decisions", params={"meeting_id": meeting["id"]})
    assert {d["id"] for d in listed.json()["items"]} == {first["id"], second["id"]}
    detail = as_user("krg_observer").get(f"/meetings/{meeting['id']}").json()
    assert [d["id"] for d in detail["decisions"]] == [first["id"], second["id"]]


def test_a_meeting_cannot_be_narrowed_below_its_decisions(
    as_user: AsUser, meeting: dict[str, Any], ctx: ServiceContext
) -> None:
    _decide(as_user, meeting)
    path = f"/meetings/{meeting['id']}"
    before = journal_count(ctx)
    assert_problem(
        as_user("fed_secretary").patch(path, json={"releasability": "party"}), 422, "releasability"
    )
    assert journal_count(ctx) == before
    widened = as_user("fed_secretary").patch(path, json={"releasability": "all"})
    assert widened.json()["releasability"] == "all"
