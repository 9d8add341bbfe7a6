"""Operation plans over the API: version-bound approval, the lifecycle, who may sign."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.sectors.commands import create_sector
from tests.api.helpers import AsUser, Caller, assert_problem, assert_verifies, journal_count
from tests.factories import World
from tests.factories_operations import add_approvers, notified_data, operation_data
from tests.factories_sectors import sector_data


@pytest.fixture
def approvers(ctx: ServiceContext, world: World) -> None:
    """fed_approver, krg_approver and un_approver, with tokens."""
    add_approvers(ctx, world)


def _proposed(fed: Caller, **overrides: Any) -> dict[str, Any]:
    created = fed.post("/operations", json=operation_data(**overrides))
    assert created.status_code == 201, created.text
    proposed = fed.post(f"/operations/{created.json()['id']}/propose")
    assert proposed.status_code == 200, proposed.text
    plan: dict[str, Any] = proposed.json()
    assert plan["status"] == "proposed"
    return plan


def _sign(caller: Caller, plan: dict[str, Any], decision: str = "approve", **extra: Any) -> Any:
    body = {"decision": decision, "plan_hash": plan["plan_hash"], **extra}
    return caller.post(f"/operations/{plan['id']}/approvals", json=body)


def _move(caller: Caller, plan: dict[str, Any], status: str) -> Any:
    body = {"status": status}
    if status in ("cancelled", "rejected"):
        body["reason"] = f"{status} in the test"  # final steps say why
    return caller.post(f"/operations/{plan['id']}/transitions", json=body)


def _detail(caller: Caller, plan: dict[str, Any]) -> dict[str, Any]:
    response = caller.get(f"/operations/{plan['id']}")
    assert response.status_code == 200, response.text
    detail: dict[str, Any] = response.json()
    return detail


def test_amending_after_one_signature_voids_it(
    as_user: AsUser, approvers: None, ctx: ServiceContext
) -> None:
    fed = as_user("fed_liaison")
    plan = _proposed(fed)
    assert _sign(as_user("fed_approver"), plan).status_code == 201
    assert _detail(fed, plan)["approval_state"]["parties"] == {
        "fed": "approved",
        "krg": "pending",
    }

    amended = fed.patch(f"/operations/{plan['id']}", json={"ends_at": "2020-03-01T20:00:00Z"})
    assert amended.status_code == 200, amended.text
    new = amended.json()
    assert new["status"] == "proposed"
    assert new["plan_hash"] != plan["plan_hash"] and new["plan_version"] == new["version"]

    detail = _detail(fed, new)
    assert detail["approval_state"] == {
        "status": "pending",
        "parties": {"fed": "pending", "krg": "pending"},
    }
    [old] = detail["approvals"]
    assert old["plan_hash"] == plan["plan_hash"] and old["current"] is False
    # krg signs the old version: refused, the plan changed under it.
    assert_problem(_sign(as_user("krg_approver"), plan), 409, "plan_hash")
    assert_problem(_move(fed, new, "approved"), 422, "status")
    assert_problem(_move(fed, new, "active"), 422, "status")

    assert _sign(as_user("krg_approver"), new).status_code == 201
    assert_problem(_move(fed, new, "approved"), 422, "status")  # fed has not signed v2
    assert _sign(as_user("fed_approver"), new).status_code == 201
    assert _detail(fed, new)["approval_state"]["status"] == "approved"
    approved = _move(fed, new, "approved")
    assert approved.status_code == 200, approved.text
    active = _move(fed, new, "active")
    assert active.status_code == 200 and active.json()["status"] == "active"
    assert _move(fed, new, "completed").json()["status"] == "completed"

    history = _detail(fed, new)["history"]
    assert [h["action"] for h in history] == [
        "create",
        "propose",
        "update",
        "approve",
        "activate",
        "complete",
    ]
    assert_verifies(ctx)


def test_amending_an_approved_plan_returns_it_to_proposed(as_user: AsUser, approvers: None) -> None:
    fed = as_user("fed_liaison")
    plan = _proposed(fed)
    for name in ("fed_approver", "krg_approver"):
        assert _sign(as_user(name), plan).status_code == 201
    assert _move(fed, plan, "approved").status_code == 200
    amended = fed.patch(f"/operations/{plan['id']}", json={"forces": {"fed": "One company"}})
    assert amended.json()["status"] == "proposed"
    assert_problem(_move(fed, amended.json(), "active"), 422, "status")
    assert _detail(fed, plan)["approval_state"]["status"] == "pending"


def test_a_rejection_is_derived_and_the_owner_records_it(as_user: AsUser, approvers: None) -> None:
    fed, krg_approver = as_user("fed_liaison"), as_user("krg_approver")
    plan = _proposed(fed)
    assert_problem(_sign(krg_approver, plan, "reject"), 422, "comment")
    rejected = _sign(krg_approver, plan, "reject", comment="Overlaps our rotation that day.")
    assert rejected.status_code == 201, rejected.text
    assert rejected.json()["decision"] == "reject"
    assert _detail(fed, plan)["approval_state"]["status"] == "rejected"
    # The plan itself stays proposed until its owner moves it (single writer).
    assert _detail(fed, plan)["status"] == "proposed"
    assert _move(fed, plan, "rejected").json()["status"] == "rejected"
    assert_problem(_move(fed, plan, "proposed"), 422, "status")
    assert_problem(fed.patch(f"/operations/{plan['id']}", json={"title": "Again"}), 422, "status")


def test_rejection_can_be_answered_by_an_amendment(as_user: AsUser, approvers: None) -> None:
    fed = as_user("fed_liaison")
    plan = _proposed(fed)
    _sign(as_user("krg_approver"), plan, "reject", comment="Move it a day later.")
    assert_problem(_move(fed, plan, "approved"), 422, "status")
    amended = fed.patch(
        f"/operations/{plan['id']}",
        json={"starts_at": "2020-03-02T06:00:00Z", "ends_at": "2020-03-02T18:00:00Z"},
    ).json()
    assert _detail(fed, amended)["approval_state"]["status"] == "pending"
    assert_problem(_move(fed, amended, "rejected"), 422, "status")


def test_who_may_sign(as_user: AsUser, approvers: None, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    draft = fed.post("/operations", json=operation_data()).json()
    assert_problem(_sign(as_user("krg_approver"), draft), 422, "status")  # not proposed yet
    plan = _proposed(fed)
    before = journal_count(ctx)
    # un can read the plan (releasable to all) but does not take part in it.
    assert as_user("un_observer").get(f"/operations/{plan['id']}").status_code == 200
    assert_problem(_sign(as_user("un_approver"), plan), 403)
    assert_problem(_sign(as_user("krg_liaison"), plan), 403)
    assert_problem(_sign(as_user("krg_admin"), plan), 403)
    assert journal_count(ctx) == before
    assert _sign(as_user("krg_approver"), plan).status_code == 201
    assert_problem(_sign(as_user("krg_approver"), plan), 409)  # one signature per version
    assert_verifies(ctx)


def test_only_the_owner_party_moves_or_amends_its_plan(as_user: AsUser, approvers: None) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    plan = _proposed(fed)
    assert_problem(krg.patch(f"/operations/{plan['id']}", json={"title": "Ours"}), 403)
    assert_problem(_move(krg, plan, "cancelled"), 403)
    assert_problem(as_user("fed_observer").post("/operations", json=operation_data()), 403)
    assert_problem(_move(as_user("fed_approver"), plan, "cancelled"), 403)
    stale = fed.post(
        f"/operations/{plan['id']}/transitions",
        json={"status": "cancelled", "reason": "stale"},
        headers={"If-Match": "1"},
    )
    assert_problem(stale, 409)
    assert _move(fed, plan, "cancelled").json()["status"] == "cancelled"


def test_a_notified_operation_needs_no_approval(
    as_user: AsUser, approvers: None, ctx: ServiceContext
) -> None:
    krg = as_user("krg_liaison")
    created = krg.post("/operations", json=notified_data())
    assert created.status_code == 201, created.text
    plan = krg.post(f"/operations/{created.json()['id']}/propose").json()
    detail = _detail(as_user("fed_observer"), plan)
    assert detail["approval_state"]["status"] == "not_required"
    assert_problem(_sign(as_user("krg_approver"), plan), 422, "decision")
    assert_problem(_move(krg, plan, "approved"), 422, "status")
    assert _move(krg, plan, "active").json()["status"] == "active"
    assert_verifies(ctx)


def test_list_filters_by_status_party_and_center(
    as_user: AsUser, approvers: None, world: World
) -> None:
    fed = as_user("fed_liaison")
    kirkuk = world.centers["kirkuk"]["id"]
    draft = fed.post("/operations", json=operation_data()).json()
    centered = fed.post(
        "/operations", json=operation_data(releasability="center", center_id=kirkuk)
    ).json()
    proposed = _proposed(fed)
    notified = as_user("krg_liaison").post("/operations", json=notified_data()).json()

    def ids(**params: str) -> set[str]:
        response = fed.get("/operations", params=params)
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert ids(status="proposed") == {proposed["id"]}
    assert ids(status="draft") == {draft["id"], centered["id"], notified["id"]}
    assert ids(party="krg") == {draft["id"], centered["id"], proposed["id"], notified["id"]}
    assert ids(party="un") == set()
    assert ids(center_id=kirkuk) == {centered["id"]}
    assert_problem(fed.get("/operations", params={"status": "finished"}), 422, "status")
    assert_problem(fed.get("/operations", params={"cursor": "nonsense"}), 422, "cursor")


def test_openapi_lists_the_operation_endpoints(as_user: AsUser) -> None:
    spec = as_user("fed_liaison").client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert {"post", "get"} <= paths["/api/v1/operations"].keys()
    assert {"get", "patch"} <= paths["/api/v1/operations/{operation_id}"].keys()
    for tail in ("propose", "transitions", "approvals", "findings"):
        assert f"/api/v1/operations/{{operation_id}}/{tail}" in paths


def test_a_sector_overlap_must_be_acknowledged_before_approving(
    as_user: AsUser, approvers: None, ctx: ServiceContext, world: World
) -> None:
    create_sector(ctx, actor=world.actors["krg_liaison"], data=sector_data())
    fed = as_user("fed_liaison")
    plan = _proposed(fed)
    [finding] = _detail(as_user("krg_approver"), plan)["findings"]
    assert finding["kind"] == "sector_overlap" and finding["blocking"] is True
    assert finding["plan_hash"] == plan["plan_hash"]
    assert finding["overlap_km2"] == pytest.approx(36.6, rel=0.02)

    before = journal_count(ctx)
    krg_approver = as_user("krg_approver")
    assert_problem(_sign(krg_approver, plan), 422, "acknowledgements")
    empty = [{"finding_id": finding["id"], "comment": ""}]
    assert_problem(_sign(krg_approver, plan, acknowledgements=empty), 422, "acknowledgements")
    wrong = [{"finding_id": "not-a-finding", "comment": "ok"}]
    assert_problem(_sign(krg_approver, plan, acknowledgements=wrong), 422, "acknowledgements")
    assert journal_count(ctx) == before

    ack = [{"finding_id": finding["id"], "comment": "Our company holds; hand-over at 06:00."}]
    signed = _sign(krg_approver, plan, acknowledgements=ack)
    assert signed.status_code == 201, signed.text
    assert signed.json()["acknowledgements"] == ack
    # A rejection needs no acknowledgement.
    rejected = _sign(as_user("fed_approver"), plan, "reject", comment="Wrong week.")
    assert rejected.status_code == 201, rejected.text
    assert_verifies(ctx)
