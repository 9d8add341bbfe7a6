"""A fed and a krg node holding one record of each kind from each side, synced both ways.

Seen from krg's node, the ``fed`` records were received from fed's node and the ``krg``
ones are its own; fed's attached records on krg's records (an answer, a contest, a
progress note, an endorsement, an approval) were received too, krg's answer to fed's
notice is its own. Built once a module (pulling costs little; the records cost more).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tansiq.services.accounts.commands import create_token
from tansiq.services.federation.identity import describe_node
from tansiq.services.incidents.assessment_commands import assess_incident
from tansiq.services.incidents.commands import create_incident
from tansiq.services.meetings.action_commands import add_action_note, create_action_item
from tansiq.services.meetings.commands import create_meeting
from tansiq.services.meetings.decision_commands import create_decision, endorse_decision
from tansiq.services.notices.commands import acknowledge_notice, send_notice
from tansiq.services.operations.approval_commands import decide_operation
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.operations.queries import list_findings
from tansiq.services.sectors.commands import create_sector
from tansiq.services.sectors.site_commands import create_site
from tests.factories import SYSTEM, Clock, incident_data
from tests.factories_intake import ied_candidate, propose
from tests.factories_meetings import action_data, decision_data, meeting_data
from tests.factories_notices import assessment_data, notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data, site_data, square
from tests.federation.conftest import START
from tests.federation.nodes import Node, Template, copy_nodes

FED_PLACE = [44.392, 35.468]
# Due before the clock, so each party's item is overdue on the dashboard and in the digest.
OVERDUE = "2020-02-19T12:00:00Z"


@dataclass
class Marked:
    """The two nodes, the ids of each side's records (``fed[kind]``, ``krg[kind]``), fed's
    node id as krg knows it, and a bearer token of krg's liaison on krg's node."""

    fed_node: Node
    krg_node: Node
    fed: dict[str, str] = field(default_factory=dict)
    krg: dict[str, str] = field(default_factory=dict)
    fed_node_id: str = ""
    krg_token: str = ""


def _records(
    node: Node, other: str, ids: dict[str, str], *, place: list[float], site: list[float]
) -> None:
    """One incident (at ``place``), site (at ``site``), notice to ``other`` (and one left
    unanswered), meeting, decision and overdue action item of ``node``'s party, in Kirkuk
    and shared with the other party."""
    ctx, party = node.ctx, node.party
    kirkuk = node.world.centers["kirkuk"]["id"]
    liaison, admin = node.actor(), node.actor("admin")
    ids["incident"] = create_incident(
        ctx, actor=liaison, data=incident_data(location={"type": "Point", "coordinates": place})
    )["id"]
    school = site_data(name=f"School of {party}", geometry={"type": "Point", "coordinates": site})
    ids["site"] = create_site(ctx, actor=liaison, data=school)["id"]
    notice = notice_data(to_party=other, subject=f"Deployment of {party}")
    ids["notice"] = send_notice(ctx, actor=liaison, data=notice)["id"]
    unanswered = {**notice, "subject": "Unanswered"}
    ids["pending"] = send_notice(ctx, actor=liaison, data=unanswered)["id"]
    ids["meeting"] = create_meeting(ctx, actor=admin, data=meeting_data(kirkuk))["id"]
    decision = create_decision(ctx, actor=admin, data=decision_data(ids["meeting"]))
    ids["decision"], ids["decision_hash"] = decision["id"], decision["version_hash"]
    item = action_data(meeting_id=ids["meeting"], due_at=OVERDUE, title=f"Item of {party}")
    ids["action"] = create_action_item(ctx, actor=admin, data=item)["id"]


def _plan(node: Node, ids: dict[str, str]) -> dict[str, Any]:
    lead = {"lead_party": node.party, "title": f"Patrol led by {node.party}"}
    plan = create_operation(node.ctx, actor=node.actor(), data=operation_data(**lead))
    proposed = propose_operation(node.ctx, actor=node.actor(), operation_id=plan["id"])
    ids["plan"] = plan["id"]
    return proposed


def build_marked(template: Template, root: Path) -> Marked:
    """The scenario of the module docstring, on fresh copies of the template's nodes."""
    nodes = copy_nodes(template, root, Clock(START))
    fed, krg = nodes["fed"], nodes["krg"]
    marked = Marked(fed, krg)
    # fed's school lies inside the plans' area (tests/factories_operations.PLAN_AREA).
    _records(fed, "krg", marked.fed, place=FED_PLACE, site=[44.35, 35.35])
    # fed's sector covers the square both plans lie in: krg's plan meets it, and fed's plan.
    marked.fed["sector"] = create_sector(fed.ctx, actor=fed.actor(), data=sector_data())["id"]
    _plan(fed, marked.fed)
    krg.pull("fed")
    _records(krg, "fed", marked.krg, place=[44.41, 35.47], site=[44.41, 35.47])
    away = sector_data(name="Peshmerga line", geometry=square(44.6, 35.6))
    marked.krg["sector"] = create_sector(krg.ctx, actor=krg.actor(), data=away)["id"]
    krg_plan = _plan(krg, marked.krg)
    acknowledge_notice(
        krg.ctx, actor=krg.actor(), notice_id=marked.fed["notice"], data={"response": "ack"}
    )
    fed.pull("krg")
    _attach(fed, marked, krg_plan)
    krg.pull("fed")
    # A news report krg's liaison queues for review: it repeats fed's IED and krg's own.
    report = ied_candidate(location={"type": "Point", "coordinates": FED_PLACE}, admin2="Kirkuk")
    proposed = propose(krg.ctx, krg.actor(), report)
    marked.krg["candidate"] = proposed.candidates[0]["id"]
    marked.fed_node_id = describe_node(fed.ctx)["node_id"]
    marked.krg_token, _ = create_token(krg.ctx, by=SYSTEM, username="krg_liaison")
    return marked


def _attach(fed: Node, marked: Marked, krg_plan: dict[str, Any]) -> None:
    """fed's own records on krg's: an answer, a contest, a note, an endorsement, a signature."""
    ctx, krg = fed.ctx, marked.krg
    answer = {"response": "ack_with_concerns", "comment": "Keep us posted."}
    krg["fed_ack"] = acknowledge_notice(
        ctx, actor=fed.actor(), notice_id=krg["notice"], data=answer
    )["id"]
    contest = assessment_data(kind="contest", comment="No blast was heard at our post.")
    krg["fed_contest"] = assess_incident(
        ctx, actor=fed.actor("analyst"), incident_id=krg["incident"], data=contest
    )["id"]
    krg["fed_note"] = add_action_note(
        ctx, actor=fed.actor(), action_item_id=krg["action"], text="We sent our liaison."
    )["id"]
    krg["fed_endorsement"] = endorse_decision(
        ctx,
        actor=fed.actor("approver"),
        decision_id=krg["decision"],
        version_hash=krg["decision_hash"],
    )["id"]
    blocking = [
        f
        for f in list_findings(ctx, actor=fed.actor("approver"), operation_id=krg["plan"])
        if f["blocking"]
    ]
    krg["fed_approval"] = decide_operation(
        ctx,
        actor=fed.actor("approver"),
        operation_id=krg["plan"],
        data={
            "decision": "approve",
            "plan_hash": krg_plan["plan_hash"],
            "comment": "Agreed.",
            "acknowledgements": [{"finding_id": f["id"], "comment": "Noted."} for f in blocking],
        },
    )["id"]
