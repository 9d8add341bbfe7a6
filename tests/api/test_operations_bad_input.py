"""Invariant 6 for operation plans: bad input is a 4xx naming the field; nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, assert_problem, assert_verifies, journal_count
from tests.factories import World
from tests.factories_operations import add_approvers, operation_data


def _ring(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[list(p) for p in points]]}


# (overrides of a valid body, the field the problem must name)
BAD_BODIES: dict[str, tuple[dict[str, Any], str]] = {
    "no title": ({"title": ""}, "title"),
    "title with NUL": ({"title": "a\0b"}, "title"),
    "objective too long": ({"objective": "x" * 4001}, "objective"),
    "area a point": ({"area": {"type": "Point", "coordinates": [44.3, 35.3]}}, "area"),
    "area a place name": ({"area": "Kirkuk"}, "area"),
    "area ring not closed": (
        {"area": _ring((44.3, 35.3), (44.4, 35.3), (44.4, 35.4), (44.3, 35.4))},
        "area",
    ),
    "area self-intersecting": (
        {"area": _ring((44.3, 35.3), (44.4, 35.4), (44.4, 35.3), (44.3, 35.4), (44.3, 35.3))},
        "area",
    ),
    "area outside Iraq": (
        {"area": _ring((30.0, 30.0), (30.1, 30.0), (30.1, 30.1), (30.0, 30.0))},
        "area",
    ),
    "area coordinate a string": (
        {
            "area": _ring((44.3, 35.3), (44.4, 35.3), (44.4, 35.4), (44.3, 35.3))
            | {"coordinates": [[["44.3", 35.3], [44.4, 35.3], [44.4, 35.4], ["44.3", 35.3]]]}
        },
        "area",
    ),
    "ends before it starts": ({"ends_at": "2020-03-01T05:00:00Z"}, "ends_at"),
    "ends as it starts": ({"ends_at": "2020-03-01T06:00:00Z"}, "ends_at"),
    "longer than a year": ({"ends_at": "2021-04-01T06:00:00Z"}, "ends_at"),
    "starts without an offset": ({"starts_at": "2020-03-01T06:00:00"}, "starts_at"),
    "impossible date": ({"starts_at": "2020-02-30T06:00:00Z"}, "starts_at"),
    "no participants": ({"participants": []}, "participants"),
    "unknown participant": ({"participants": ["fed", "nato"]}, "participants"),
    "own party missing": (
        {"participants": ["krg", "un"], "lead_party": "krg", "forces": {}},
        "participants",
    ),
    "lead not participating": ({"lead_party": "un"}, "lead_party"),
    "forces of a non-participant": ({"forces": {"un": "observers"}}, "forces"),
    "forces not text": ({"forces": {"fed": 3}}, "forces"),
    "joint plan kept to one party": (
        {"releasability": "party"} | {"participants": ["fed", "krg"]},
        "releasability",
    ),
    "center release without a center": ({"releasability": "center"}, "center_id"),
    "center krg is not on": ({"releasability": "center", "center_id": "FEDUN"}, "center_id"),
    "unknown center": ({"center_id": "no-such-center"}, "center_id"),
    "unknown kind": ({"kind": "strike"}, "kind"),
    "notified with two participants": ({"kind": "notified"}, "participants"),
    "unknown field": ({"target": "grid 38S MB 123 456"}, "target"),
    "status sent": ({"status": "approved"}, "status"),
}


@pytest.fixture
def unchanged(ctx: ServiceContext, world: World) -> Any:
    """After the test: no journal row was added and the database still verifies."""
    before = journal_count(ctx)
    yield
    assert journal_count(ctx) == before
    assert_verifies(ctx)


def _body(world: World, overrides: dict[str, Any]) -> dict[str, Any]:
    if overrides.get("center_id") == "FEDUN":
        overrides = {**overrides, "center_id": world.centers["fedun"]["id"]}
    return operation_data(**overrides)


@pytest.mark.parametrize("case", BAD_BODIES)
def test_bad_plan_is_refused_naming_the_field(
    as_user: AsUser, world: World, unchanged: None, case: str
) -> None:
    overrides, field = BAD_BODIES[case]
    response = as_user("fed_liaison").post("/operations", json=_body(world, overrides))
    assert_problem(response, 422, field)


# The rules that span fields are checked against the merged plan, so cover them all.
AMENDMENT_CASES = (
    "no title",
    "area outside Iraq",
    "area ring not closed",
    "ends before it starts",
    "starts without an offset",
    "no participants",
    "own party missing",
    "lead not participating",
    "forces of a non-participant",
    "joint plan kept to one party",
    "center release without a center",
    "center krg is not on",
    "unknown kind",
    "unknown field",
)


@pytest.mark.parametrize("case", AMENDMENT_CASES)
def test_bad_amendment_is_refused_naming_the_field(
    as_user: AsUser, world: World, ctx: ServiceContext, case: str
) -> None:
    overrides, field = BAD_BODIES[case]
    fed = as_user("fed_liaison")
    created = fed.post("/operations", json=operation_data()).json()
    fed.post(f"/operations/{created['id']}/propose").raise_for_status()
    before = journal_count(ctx)
    changes = {k: v for k, v in _body(world, overrides).items() if k in overrides}
    response = fed.patch(f"/operations/{created['id']}", json=changes)
    # The kind of a plan is fixed at creation: any change to it is refused as such.
    assert_problem(response, 422, "kind" if "kind" in changes else field)
    assert journal_count(ctx) == before
    assert fed.get(f"/operations/{created['id']}").json()["version"] == 2
    assert_verifies(ctx)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"status": "draft"}, "status"),
        ({"status": "active"}, "status"),
        ({}, "status"),
        ({"status": "cancelled"}, "reason"),
        ({"status": "cancelled", "reason": " \n "}, "reason"),
        ({"status": "cancelled", "reason": 7}, "reason"),
        ({"status": "cancelled", "reason": "x" * 1001}, "reason"),
        ({"status": "cancelled", "reason": "x", "comment": "y"}, "comment"),
    ],
)
def test_bad_transition_is_refused(
    as_user: AsUser, ctx: ServiceContext, body: dict[str, Any], field: str
) -> None:
    fed = as_user("fed_liaison")
    created = fed.post("/operations", json=operation_data()).json()
    before = journal_count(ctx)
    assert_problem(fed.post(f"/operations/{created['id']}/transitions", json=body), 422, field)
    assert journal_count(ctx) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"plan_hash": "0" * 63}, "plan_hash"),
        ({"plan_hash": "Z" * 64}, "plan_hash"),
        ({"acknowledgements": [{"finding_id": "x"}]}, "acknowledgements"),
        (
            {"acknowledgements": [{"finding_id": "x", "comment": "ok", "extra": 1}]},
            "acknowledgements",
        ),
        ({"comment": "x" * 2001}, "comment"),
        ({"decision": "reject"}, "comment"),
        ({"signature": "mine"}, "signature"),
    ],
)
def test_bad_approval_is_refused(
    as_user: AsUser, ctx: ServiceContext, world: World, body: dict[str, Any], field: str
) -> None:
    add_approvers(ctx, world, parties=("krg",))
    fed = as_user("fed_liaison")
    created = fed.post("/operations", json=operation_data()).json()
    plan = fed.post(f"/operations/{created['id']}/propose").json()
    before = journal_count(ctx)
    sent = {"decision": "approve", "plan_hash": plan["plan_hash"], **body}
    response = as_user("krg_approver").post(f"/operations/{plan['id']}/approvals", json=sent)
    assert_problem(response, 422, field)
    assert journal_count(ctx) == before
    assert_verifies(ctx)


def test_unknown_operation_is_404_everywhere(as_user: AsUser, unchanged: None) -> None:
    fed = as_user("fed_liaison")
    missing = "/operations/01900000-0000-7000-8000-000000000000"
    assert_problem(fed.get(missing), 404)
    assert_problem(fed.patch(missing, json={"title": "x"}), 404)
    assert_problem(fed.post(f"{missing}/propose"), 404)
    assert_problem(
        fed.post(f"{missing}/transitions", json={"status": "cancelled", "reason": "gone"}), 404
    )
    assert_problem(fed.get(f"{missing}/findings"), 404)
    assert_problem(fed.get(f"{missing}/approvals"), 404)
