"""Reach by center, a two-party plan signed on both nodes, held entries, retraction."""

from __future__ import annotations

import pytest

from tansiq.domain.errors import NotFound
from tansiq.services.core.verification import verify_database
from tansiq.services.federation.status import sync_status
from tansiq.services.incidents.commands import create_incident, get_incident, update_incident
from tansiq.services.operations.approval_commands import decide_operation
from tansiq.services.operations.commands import (
    create_operation,
    get_operation,
    propose_operation,
)
from tansiq.services.operations.queries import list_findings
from tansiq.services.sectors.commands import create_sector
from tests.factories import incident_data
from tests.factories_operations import PLAN_AREA, operation_data
from tests.factories_sectors import sector_data
from tests.federation.nodes import Node


def test_a_center_record_reaches_member_parties_only(nodes: dict[str, Node]) -> None:
    fed, krg, un = nodes["fed"], nodes["krg"], nodes["un"]
    kirkuk = fed.world.centers["kirkuk"]["id"]  # fed and krg sit on it, un does not
    made = create_incident(
        fed.ctx, actor=fed.actor(), data=incident_data(releasability="center", center_id=kirkuk)
    )
    assert krg.pull("fed").applied == 1
    assert get_incident(krg.ctx, actor=krg.actor(), incident_id=made["id"])["party"] == "fed"
    report = un.pull("fed")
    assert report.applied == 0
    with pytest.raises(NotFound):
        get_incident(un.ctx, actor=un.actor(), incident_id=made["id"])
    # No trace either: un's feed from fed is empty, not one entry short.
    assert {r["party"]: r for r in sync_status(un.ctx)}["fed"]["received_up_to"] == 0


def _proposed_plan(fed: Node) -> dict[str, object]:
    plan = create_operation(fed.ctx, actor=fed.actor(), data=operation_data())
    return propose_operation(fed.ctx, actor=fed.actor(), operation_id=plan["id"])


def _sign(node: Node, plan: dict[str, object]) -> None:
    decide_operation(
        node.ctx,
        actor=node.actor("approver"),
        operation_id=str(plan["id"]),
        data={"decision": "approve", "plan_hash": plan["plan_hash"], "comment": "agreed"},
    )


def test_a_joint_plan_signed_on_both_nodes_is_approved_on_both(
    pair: tuple[Node, Node],
) -> None:
    fed, krg = pair
    plan = _proposed_plan(fed)
    _sign(fed, plan)
    krg.pull("fed")
    remote = get_operation(krg.ctx, actor=krg.actor(), operation_id=str(plan["id"]))
    assert remote["status"] == "proposed"
    _sign(krg, remote)
    # krg's approval travels back in krg's feed; its arrival completes the plan on fed.
    fed.pull("krg")
    assert (
        get_operation(fed.ctx, actor=fed.actor(), operation_id=str(plan["id"]))["status"]
        == "approved"
    )
    krg.pull("fed")
    assert (
        get_operation(krg.ctx, actor=krg.actor(), operation_id=str(plan["id"]))["status"]
        == "approved"
    )
    for node in (fed, krg):
        assert verify_database(node.ctx).ok


def test_an_entry_whose_parent_is_missing_is_held_then_applied(nodes: dict[str, Node]) -> None:
    fed, krg, un = nodes["fed"], nodes["krg"], nodes["un"]
    plan = _proposed_plan(fed)
    krg.pull("fed")
    _sign(krg, get_operation(krg.ctx, actor=krg.actor(), operation_id=str(plan["id"])))
    # un hears krg's signature before the plan it signs: held, not rejected.
    report = un.pull("krg")
    assert report.quarantined is None
    assert report.held == 1
    un.pull("fed")
    assert {r["party"]: r for r in sync_status(un.ctx)}["krg"]["held"] == 0
    assert verify_database(un.ctx).ok


def test_a_retraction_crosses(pair: tuple[Node, Node]) -> None:
    fed, krg = pair
    made = create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    krg.pull("fed")
    update_incident(
        fed.ctx,
        actor=fed.actor(),
        incident_id=made["id"],
        changes={"status": "retracted"},
        expected_version=1,
    )
    krg.pull("fed")
    seen = get_incident(krg.ctx, actor=krg.actor(), incident_id=made["id"])
    assert seen["status"] == "retracted"
    assert seen["version"] == 2


def test_a_received_sector_is_deconflicted_against_this_partys_plans(
    pair: tuple[Node, Node],
) -> None:
    fed, krg = pair
    plan = _proposed_plan(fed)
    assert list_findings(fed.ctx, actor=fed.actor(), operation_id=str(plan["id"])) == []
    sector = create_sector(
        krg.ctx, actor=krg.actor(), data=sector_data(name="Peshmerga AOR", geometry=PLAN_AREA)
    )
    fed.pull("krg")
    found = list_findings(fed.ctx, actor=fed.actor(), operation_id=str(plan["id"]))
    assert [f["subject_id"] for f in found] == [sector["id"]]
    assert verify_database(fed.ctx).ok
