"""The services' policy functions: for each question, an actor allowed and one refused."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.domain.actors import Actor
from tansiq.domain.choices import RoleChoices as R
from tansiq.services.incidents import policy as incidents
from tansiq.services.meetings import policy as meetings
from tansiq.services.notices import policy as notices
from tansiq.services.operations import policy as operations
from tansiq.services.sectors import policy as sectors


def actor(*roles: R, party: str = "fed") -> Actor:
    """A user of ``party`` holding ``roles``."""
    return Actor(
        user_id=f"u-{party}", username=f"{party}_user", party=party, roles=frozenset(roles)
    )


OBSERVER = actor(R.OBSERVER)


@pytest.mark.parametrize(
    ("question", "allowed", "refused"),
    [
        (incidents.may_file_incident, actor(R.LIAISON), OBSERVER),
        (incidents.may_verify_incident, actor(R.ANALYST), actor(R.LIAISON)),
        (incidents.may_write_assessments, actor(R.ANALYST), actor(R.APPROVER)),
        (meetings.may_keep_minutes, actor(R.SECRETARY), actor(R.LIAISON)),
        (meetings.may_note_action, actor(R.ANALYST), actor(R.APPROVER)),
        (sectors.may_declare_sector, actor(R.ANALYST), actor(R.SECRETARY)),
        (sectors.may_declare_site, actor(R.LIAISON), OBSERVER),
        (notices.may_send_notice, actor(R.LIAISON), actor(R.ANALYST)),
        (operations.may_plan, actor(R.ANALYST), actor(R.APPROVER)),
    ],
)
def test_role_questions(question: Any, allowed: Actor, refused: Actor) -> None:
    assert question(allowed) is True
    assert question(refused) is False


def test_correcting_an_incident_takes_a_writer_of_its_owner() -> None:
    incident = {"party": "fed", "status": "submitted"}
    assert incidents.may_correct_incident(actor(R.ANALYST), incident)
    assert not incidents.may_correct_incident(actor(R.ANALYST, party="krg"), incident)
    assert not incidents.may_correct_incident(OBSERVER, incident)
    # A stored row names its owner party_id.
    assert incidents.may_correct_incident(actor(R.ADMIN), {"party_id": "fed"})


def test_assessing_takes_a_writer_of_another_party() -> None:
    incident = {"party": "krg"}
    assert incidents.may_assess(actor(R.LIAISON), incident)
    assert not incidents.may_assess(actor(R.LIAISON, party="krg"), incident)
    assert not incidents.may_assess(OBSERVER, incident)


def test_withdrawing_an_assessment_takes_the_assessing_party() -> None:
    assessment = {"party": "fed", "status": "active"}
    assert incidents.may_withdraw_assessment(actor(R.ANALYST), assessment)
    assert not incidents.may_withdraw_assessment(actor(R.ANALYST, party="krg"), assessment)
    assert not incidents.may_withdraw_assessment(actor(R.APPROVER), assessment)


def test_resolving_takes_an_awaited_party_of_an_open_dispute() -> None:
    dispute = {"open": True, "awaiting": ["fed"], "resolved_by": ["krg"]}
    assert incidents.may_resolve_dispute(actor(R.LIAISON), dispute)
    assert not incidents.may_resolve_dispute(actor(R.LIAISON, party="krg"), dispute)
    assert not incidents.may_resolve_dispute(OBSERVER, dispute)
    assert not incidents.may_resolve_dispute(actor(R.LIAISON), {**dispute, "open": False})
    assert not incidents.may_resolve_dispute(actor(R.LIAISON), None)


def test_meetings_are_recorded_and_changed_by_a_secretary_of_the_party() -> None:
    members = ["fed", "krg"]
    assert meetings.may_record_meeting(actor(R.SECRETARY), members)
    assert not meetings.may_record_meeting(actor(R.SECRETARY, party="un"), members)
    assert not meetings.may_record_meeting(actor(R.LIAISON), members)
    meeting = {"party": "fed", "status": "held"}
    assert meetings.may_change_meeting(actor(R.ADMIN), meeting)
    assert not meetings.may_change_meeting(actor(R.SECRETARY, party="krg"), meeting)
    assert not meetings.may_change_meeting(actor(R.APPROVER), meeting)


def test_decisions_are_amended_by_their_recording_party() -> None:
    decision = {"party_id": "fed", "status": "proposed"}
    assert meetings.may_amend_decision(actor(R.SECRETARY), decision)
    assert not meetings.may_amend_decision(actor(R.SECRETARY, party="krg"), decision)
    assert not meetings.may_amend_decision(actor(R.ANALYST), decision)


def test_endorsing_takes_an_approver_of_a_member_party_not_yet_endorsed() -> None:
    members = ["fed", "krg"]
    decision = {"party": "krg", "status": "proposed", "endorsed_by": ["krg"]}
    approver = actor(R.APPROVER)
    assert meetings.may_endorse_decisions(approver, members)
    assert not meetings.may_endorse_decisions(actor(R.APPROVER, party="un"), members)
    assert meetings.may_endorse(approver, decision, members)
    assert not meetings.may_endorse(actor(R.APPROVER, party="krg"), decision, members)
    assert not meetings.may_endorse(actor(R.SECRETARY), decision, members)
    assert not meetings.may_endorse(approver, {**decision, "status": "draft"}, members)
    assert not meetings.may_endorse(actor(R.APPROVER, party="un"), decision, members)


def test_action_status_is_set_by_the_owing_party() -> None:
    item = {"party": "fed", "status": "open"}
    assert meetings.may_set_action_status(actor(R.LIAISON), item)
    assert not meetings.may_set_action_status(actor(R.LIAISON, party="krg"), item)
    assert not meetings.may_set_action_status(actor(R.ANALYST), item)


def test_sectors_are_changed_by_a_writer_of_their_owner() -> None:
    sector = {"party": "fed", "status": "active"}
    assert sectors.may_change_sector(actor(R.LIAISON), sector)
    assert not sectors.may_change_sector(actor(R.LIAISON, party="krg"), sector)
    assert not sectors.may_change_sector(OBSERVER, sector)


def test_notices_are_answered_by_the_recipient_and_withdrawn_by_the_sender() -> None:
    notice = {"party": "fed", "to_party": "krg", "status": "sent"}
    assert notices.may_answer_notice(actor(R.LIAISON, party="krg"), notice)
    assert not notices.may_answer_notice(actor(R.LIAISON), notice)
    assert not notices.may_answer_notice(actor(R.ANALYST, party="krg"), notice)
    assert notices.may_withdraw_notice(actor(R.ADMIN), notice)
    assert not notices.may_withdraw_notice(actor(R.ADMIN, party="krg"), notice)
    assert not notices.may_withdraw_notice(actor(R.ANALYST), notice)


def plan(**changes: Any) -> dict[str, Any]:
    """A proposed joint plan of fed with krg."""
    return {
        "party": "fed",
        "kind": "joint",
        "status": "proposed",
        "participants": ["fed", "krg"],
        **changes,
    }


def test_plans_are_changed_and_amended_by_a_planner_of_their_party() -> None:
    planner = actor(R.ANALYST)
    assert operations.may_change_plan(planner, plan())
    assert not operations.may_change_plan(actor(R.ANALYST, party="krg"), plan())
    assert not operations.may_change_plan(actor(R.APPROVER), plan())
    assert operations.may_amend_plan(planner, plan(status="approved"))
    assert not operations.may_amend_plan(planner, plan(status="active"))
    assert not operations.may_amend_plan(actor(R.ANALYST, party="krg"), plan())


def test_plans_are_signed_by_an_approver_of_a_pending_participant() -> None:
    approver = actor(R.APPROVER, party="krg")
    pending = {"parties": {"fed": "approved", "krg": "pending"}}
    assert operations.may_sign_plan(approver, plan())
    assert not operations.may_sign_plan(actor(R.APPROVER, party="un"), plan())
    assert not operations.may_sign_plan(actor(R.LIAISON, party="krg"), plan())
    assert operations.may_sign_version(approver, plan(), pending)
    assert not operations.may_sign_version(actor(R.APPROVER), plan(), pending)
    assert not operations.may_sign_version(approver, plan(status="draft"), pending)
    assert not operations.may_sign_version(approver, plan(kind="notified"), pending)
    assert not operations.may_sign_version(actor(R.ANALYST, party="krg"), plan(), pending)


def test_plan_moves_follow_the_lifecycle_and_the_signatures() -> None:
    S = operations.S
    planner = actor(R.LIAISON)
    assert operations.plan_moves(planner, plan(status="draft"), "pending") == [
        S.PROPOSED,
        S.CANCELLED,
    ]
    assert operations.plan_moves(planner, plan(), "pending") == [S.CANCELLED]
    assert operations.plan_moves(planner, plan(), "approved") == [S.APPROVED, S.CANCELLED]
    assert operations.plan_moves(planner, plan(), "rejected") == [S.REJECTED, S.CANCELLED]
    notified = plan(kind="notified", participants=["fed"])
    assert S.ACTIVE in operations.plan_moves(planner, notified, "not_required")
    assert operations.plan_moves(actor(R.LIAISON, party="krg"), plan(), "approved") == []
    assert operations.plan_moves(actor(R.APPROVER), plan(), "approved") == []
