"""Notices beyond the shared contract: deadlines, escalation, answers, withdrawal, filters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tansiq.domain.notices import NOTIFICATION_IS_NOT_PERMISSION
from tansiq.services.core.context import ServiceContext
from tansiq.services.notices.commands import acknowledge_notice, send_notice
from tansiq.services.notices.queries import get_notice, pending_notices
from tests.api.helpers import AsUser, Caller, assert_problem, assert_verifies, journal_count
from tests.factories import Clock, World
from tests.factories_notices import notice_data


def _send(caller: Caller, **overrides: Any) -> dict[str, Any]:
    response = caller.post("/notices", json=notice_data(**overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _answer(caller: Caller, notice_id: str, response: str, comment: str = "", **extra: Any) -> Any:
    body = {"response": response, "comment": comment, **extra}
    return caller.post(f"/notices/{notice_id}/acknowledgements", json=body)


def _read(caller: Caller, notice_id: str) -> dict[str, Any]:
    response = caller.get(f"/notices/{notice_id}")
    assert response.status_code == 200, response.text
    read: dict[str, Any] = response.json()
    return read


def _ids(caller: Caller, **params: Any) -> set[str]:
    response = caller.get("/notices", params=params)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def unchanged(ctx: ServiceContext, world: World) -> Iterator[None]:
    """After the test: no journal row was added and the database still verifies."""
    before = journal_count(ctx)
    yield
    assert journal_count(ctx) == before
    assert_verifies(ctx)


@pytest.mark.parametrize(
    ("kind", "deadline"),
    [
        ("deployment", "2020-02-20T15:00:00.000000Z"),
        ("movement", "2020-02-20T15:00:00.000000Z"),
        ("incident_alert", "2020-02-20T10:00:00.000000Z"),
    ],
)
def test_the_deadline_defaults_from_the_kind(as_user: AsUser, kind: str, deadline: str) -> None:
    assert _send(as_user("fed_liaison"), kind=kind)["ack_deadline"] == deadline


def test_the_deadline_can_be_set(as_user: AsUser) -> None:
    sent = _send(as_user("fed_liaison"), ack_deadline="2020-02-20T14:00:00+03:00")
    assert sent["ack_deadline"] == "2020-02-20T11:00:00.000000Z"


def test_an_unanswered_notice_escalates_at_its_deadline(as_user: AsUser, clock: Clock) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    alert = _send(fed, kind="incident_alert")
    deployment = _send(fed)
    assert _read(krg, alert["id"])["state"] == "pending"
    assert _ids(krg, escalated="true") == set()

    clock.advance(hours=1, seconds=1)
    read = _read(krg, alert["id"])
    assert (read["state"], read["escalated"]) == ("escalated", True)
    assert _ids(krg, escalated="true") == {alert["id"]}
    assert _ids(krg, pending="true") == {alert["id"], deployment["id"]}

    clock.advance(hours=6)
    assert _ids(fed, escalated="true") == {alert["id"], deployment["id"]}
    assert _answer(krg, alert["id"], "ack").status_code == 201
    assert _read(fed, alert["id"])["state"] == "acknowledged"
    assert _ids(fed, escalated="true") == {deployment["id"]}
    assert _ids(fed, pending="false") == {alert["id"]}
    assert _ids(fed, escalated="false") == {alert["id"]}


def test_answers_follow_the_response_rules(as_user: AsUser, ctx: ServiceContext) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    notice = _send(fed)
    assert_problem(_answer(krg, notice["id"], "objection"), 422, "comment")
    objection = _answer(krg, notice["id"], "objection", "Our company holds that road.")
    assert objection.status_code == 201, objection.text
    assert objection.json() | {"id": "x", "created_by": "x", "updated_by": "x"} == {
        "id": "x",
        "party": "krg",
        "notice_id": notice["id"],
        "notice_version": 1,
        "response": "objection",
        "comment": "Our company holds that road.",
        "releasability": "all",
        "center_id": None,
        "version": 1,
        "created_by": "x",
        "updated_by": "x",
        "created_at": "2020-02-20T09:00:00.000000Z",
        "updated_at": "2020-02-20T09:00:00.000000Z",
        "received": None,
    }
    assert _read(fed, notice["id"])["state"] == "objected"
    assert _answer(krg, notice["id"], "ack", "Agreed after the call.").status_code == 201
    before = journal_count(ctx)
    assert_problem(_answer(krg, notice["id"], "objection", "Changed our mind."), 422, "response")
    assert journal_count(ctx) == before
    read = _read(fed, notice["id"])
    assert read["state"] == "acknowledged"
    assert [a["response"] for a in read["acknowledgements"]] == ["objection", "ack"]
    assert read["disclaimer"] == NOTIFICATION_IS_NOT_PERMISSION


@pytest.mark.parametrize(
    ("user", "status"),
    [("fed_liaison", 403), ("un_liaison", 403), ("krg_observer", 403), ("krg_analyst", 403)],
)
def test_only_a_liaison_or_admin_of_the_recipient_answers(
    as_user: AsUser, ctx: ServiceContext, user: str, status: int
) -> None:
    notice = _send(as_user("fed_liaison"))
    before = journal_count(ctx)
    assert_problem(_answer(as_user(user), notice["id"], "ack"), status)
    assert journal_count(ctx) == before
    assert _answer(as_user("krg_admin"), notice["id"], "ack").status_code == 201


def test_an_amendment_needs_a_fresh_answer_and_moves_the_deadline(
    as_user: AsUser, clock: Clock
) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    notice = _send(fed)
    assert _answer(krg, notice["id"], "ack").status_code == 201
    clock.advance(hours=8)
    amended = fed.patch(f"/notices/{notice['id']}", json={"place_name": "Dibis and Altun Kupri"})
    assert amended.status_code == 200, amended.text
    assert amended.json()["ack_deadline"] == "2020-02-20T23:00:00.000000Z"
    read = _read(krg, notice["id"])
    assert (read["version"], read["state"]) == (2, "pending")
    assert_problem(_answer(krg, notice["id"], "ack", notice_version=1), 409)
    assert _answer(krg, notice["id"], "ack", notice_version=2).status_code == 201
    assert [h["action"] for h in read["history"]] == ["create", "update"]


def test_the_sender_withdraws_and_nothing_more_happens(
    as_user: AsUser, clock: Clock, ctx: ServiceContext
) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    notice = _send(fed)
    assert_problem(krg.patch(f"/notices/{notice['id']}", json={"status": "withdrawn"}), 403)
    before = journal_count(ctx)
    for bad in ({}, {"reason": " "}, {"reason": 3}):  # a final step must say why
        refused = fed.patch(f"/notices/{notice['id']}", json={"status": "withdrawn", **bad})
        assert_problem(refused, 422, "reason")
    assert_problem(fed.patch(f"/notices/{notice['id']}", json={"reason": "why"}), 422, "reason")
    assert journal_count(ctx) == before
    withdrawn = fed.patch(
        f"/notices/{notice['id']}", json={"status": "withdrawn", "reason": "Convoy postponed."}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status_reason"] == "Convoy postponed."
    clock.advance(days=1)
    read = _read(krg, notice["id"])
    assert (read["status"], read["state"], read["escalated"]) == ("withdrawn", "withdrawn", False)
    assert [h["action"] for h in read["history"]] == ["create", "withdraw"]
    assert_problem(_answer(krg, notice["id"], "ack"), 422, "response")
    assert_problem(fed.patch(f"/notices/{notice['id']}", json={"status": "sent"}), 422, "status")
    assert_problem(fed.patch(f"/notices/{notice['id']}", json={"subject": "x"}), 422, "status")
    assert _ids(krg, pending="true") == set()


def test_center_notice_and_its_answers_stay_in_the_center(as_user: AsUser, world: World) -> None:
    fed, krg, un = as_user("fed_liaison"), as_user("krg_liaison"), as_user("un_admin")
    notice = _send(fed, releasability="center", center_id=world.centers["kirkuk"]["id"])
    assert _answer(krg, notice["id"], "ack_with_concerns", "Mind the IDP camp.").status_code == 201
    kirkuk = world.centers["kirkuk"]["id"]
    assert _read(fed, notice["id"])["acknowledgements"][0]["center_id"] == kirkuk
    assert_problem(un.get(f"/notices/{notice['id']}"), 404)
    assert notice["id"] not in _ids(un)


def test_filters_by_party_kind_and_status(as_user: AsUser) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    to_krg = _send(fed)
    to_fed = _send(krg, to_party="fed", kind="movement")
    alert = _send(fed, kind="incident_alert", to_party="un")
    assert _ids(fed, to_party="krg") == {to_krg["id"]}
    assert _ids(fed, from_party="krg") == {to_fed["id"]}
    assert _ids(fed, kind="incident_alert") == {alert["id"]}
    assert _ids(fed, status="sent") == {to_krg["id"], to_fed["id"], alert["id"]}
    assert _ids(fed, status="withdrawn") == set()


# (overrides of a valid body, the field the problem must name)
BAD_NOTICES: dict[str, tuple[dict[str, Any], str]] = {
    "party releasability": ({"releasability": "party"}, "releasability"),
    "center without id": ({"releasability": "center"}, "center_id"),
    "center the recipient is not on": (
        {"releasability": "center", "center_id": "FEDUN"},
        "center_id",
    ),
    "unknown center": ({"releasability": "center", "center_id": "nowhere"}, "center_id"),
    "to itself": ({"to_party": "fed"}, "to_party"),
    "to an unknown party": ({"to_party": "pmf"}, "to_party"),
    "unknown kind": ({"kind": "parade"}, "kind"),
    "empty subject": ({"subject": ""}, "subject"),
    "outside Iraq": ({"location": {"type": "Point", "coordinates": [30.0, 30.0]}}, "location"),
    "open ring": (
        {"location": {"type": "Polygon", "coordinates": [[[44, 35], [45, 35], [44, 36]]]}},
        "location",
    ),
    "coordinates as text": (
        {"location": {"type": "Point", "coordinates": ["44", "35"]}},
        "location",
    ),
    "window backwards": ({"ends_at": "2020-02-20T11:00:00Z"}, "ends_at"),
    "no time zone": ({"starts_at": "2020-02-20T12:00:00"}, "starts_at"),
    "deadline in the past": ({"ack_deadline": "2020-02-20T08:59:00Z"}, "ack_deadline"),
    "deadline in two months": ({"ack_deadline": "2020-04-20T08:59:00Z"}, "ack_deadline"),
    "unknown field": ({"colour": "red"}, "colour"),
    "status on create": ({"status": "withdrawn"}, "status"),
}


@pytest.mark.parametrize("case", BAD_NOTICES)
def test_bad_notice_is_refused_naming_the_field(
    as_user: AsUser, world: World, unchanged: None, case: str
) -> None:
    overrides, field = BAD_NOTICES[case]
    if overrides.get("center_id") == "FEDUN":
        overrides = {**overrides, "center_id": world.centers["fedun"]["id"]}
    response = as_user("fed_liaison").post("/notices", json=notice_data(**overrides))
    assert_problem(response, 422, field)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"to_party": "un"}, 422, "to_party"),
        ({"kind": "movement"}, 422, "kind"),
        ({"releasability": "party"}, 422, "releasability"),
        ({"ends_at": "2020-02-19T00:00:00Z"}, 422, "ends_at"),
        ({"status": "cancelled"}, 422, "status"),
    ],
)
def test_bad_patch_is_refused_naming_the_field(
    as_user: AsUser, ctx: ServiceContext, body: dict[str, Any], status: int, field: str
) -> None:
    fed = as_user("fed_liaison")
    notice = _send(fed)
    before = journal_count(ctx)
    assert_problem(fed.patch(f"/notices/{notice['id']}", json=body), status, field)
    assert journal_count(ctx) == before
    assert _read(fed, notice["id"])["version"] == 1
    assert_verifies(ctx)


def test_stale_if_match_is_409(as_user: AsUser) -> None:
    fed = as_user("fed_liaison")
    notice = _send(fed)
    stale = fed.patch(f"/notices/{notice['id']}", json={"message": "x"}, headers={"If-Match": "2"})
    assert_problem(stale, 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"response": "approve"}, "response"),
        ({"comment": "no response"}, "response"),
        ({"response": "ack", "notice_version": "1"}, "notice_version"),
        ({"response": "ack", "colour": "red"}, "colour"),
    ],
)
def test_bad_answer_is_refused_naming_the_field(
    as_user: AsUser, ctx: ServiceContext, body: dict[str, Any], field: str
) -> None:
    notice = _send(as_user("fed_liaison"))
    before = journal_count(ctx)
    response = as_user("krg_liaison").post(f"/notices/{notice['id']}/acknowledgements", json=body)
    assert_problem(response, 422, field)
    assert journal_count(ctx) == before


def test_the_openapi_description_says_notification_is_not_permission(as_user: AsUser) -> None:
    spec = as_user("fed_liaison").client.get("/api/v1/openapi.json").json()
    assert NOTIFICATION_IS_NOT_PERMISSION in spec["paths"]["/api/v1/notices"]["post"]["description"]


def test_pending_notices_is_the_recipients_inbox_by_deadline(
    ctx: ServiceContext, world: World, clock: Clock
) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    deployment = send_notice(ctx, actor=fed, data=notice_data())
    alert = send_notice(ctx, actor=fed, data=notice_data(kind="incident_alert"))
    send_notice(ctx, actor=krg, data=notice_data(to_party="fed"))
    inbox = pending_notices(ctx, actor=krg)
    assert [n["id"] for n in inbox] == [alert["id"], deployment["id"]]
    assert {n["state"] for n in inbox} == {"pending"}

    clock.advance(hours=2)
    acknowledge_notice(ctx, actor=krg, notice_id=deployment["id"], data={"response": "ack"})
    inbox = pending_notices(ctx, actor=world.actors["krg_observer"])
    assert [(n["id"], n["escalated"]) for n in inbox] == [(alert["id"], True)]
    assert get_notice(ctx, actor=fed, notice_id=deployment["id"])["state"] == "acknowledged"
