"""Meetings, decisions and action items through the services on both databases.

Deadlines and escalation run on the controllable clock; the digest is checked as
data and as the plain text the CLI prints (times in Asia/Baghdad).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tansiq.domain.errors import NotFound, ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.directory.commands import create_center
from tansiq.services.meetings.action_commands import create_action_item, set_action_status
from tansiq.services.meetings.action_queries import (
    ActionFilters,
    list_action_items,
    overdue_actions,
)
from tansiq.services.meetings.centers import actor_by_username, center_by_code
from tansiq.services.meetings.commands import create_meeting, meeting_history, update_meeting
from tansiq.services.meetings.decision_commands import (
    create_decision,
    endorse_decision,
    get_decision,
)
from tansiq.services.meetings.digest import digest, render_digest_text
from tests.factories import SYSTEM, Clock, World, build_world
from tests.factories_meetings import action_data, add_coordinators, decision_data, meeting_data


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """The factory world plus secretaries and approvers."""
    return add_coordinators(ctx, build_world(ctx))


@pytest.fixture
def meeting(ctx: ServiceContext, world: World) -> dict[str, Any]:
    """A fed-recorded JCC Kirkuk meeting held the day before the clock."""
    center_id = world.centers["kirkuk"]["id"]
    return create_meeting(ctx, actor=world.actors["fed_secretary"], data=meeting_data(center_id))


def _item(ctx: ServiceContext, world: World, who: str, **body: Any) -> dict[str, Any]:
    body.setdefault("center_id", world.centers["kirkuk"]["id"])
    return create_action_item(ctx, actor=world.actors[who], data=action_data(**body))


def test_escalation_follows_the_configured_delay(
    ctx: ServiceContext, world: World, clock: Clock
) -> None:
    ctx.settings = replace(ctx.settings, escalate_after_hours=24)
    item = _item(ctx, world, "krg_secretary")
    reader = world.actors["fed_observer"]
    assert overdue_actions(ctx, actor=reader) == []
    clock.now = clock.now.replace(day=29, hour=21)  # 2020-03-01 00:00 in Baghdad
    [late] = overdue_actions(ctx, actor=reader)
    assert (late["id"], late["escalated"]) == (item["id"], False)
    clock.advance(hours=24)
    assert overdue_actions(ctx, actor=reader)[0]["escalated"] is True
    escalated = list_action_items(ctx, actor=reader, filters=ActionFilters(escalated=True))
    assert [i["id"] for i in escalated.items] == [item["id"]]
    set_action_status(
        ctx, actor=world.actors["krg_liaison"], action_item_id=item["id"], status="done"
    )
    assert overdue_actions(ctx, actor=reader) == []


def test_overdue_list_is_most_overdue_first_and_narrows_to_a_center(
    ctx: ServiceContext, world: World, clock: Clock
) -> None:
    later = _item(ctx, world, "fed_secretary", due_at="2020-02-25")
    sooner = _item(ctx, world, "krg_secretary", due_at="2020-02-21")
    elsewhere = _item(
        ctx,
        world,
        "fed_secretary",
        center_id=world.centers["fedun"]["id"],
        due_at="2020-02-21T06:00:00Z",
    )
    _item(ctx, world, "fed_secretary", due_at="2020-03-10")
    clock.advance(days=10)
    fed = world.actors["fed_observer"]
    assert [i["id"] for i in overdue_actions(ctx, actor=fed)] == [
        elsewhere["id"],
        sooner["id"],
        later["id"],
    ]
    kirkuk = world.centers["kirkuk"]["id"]
    assert [i["id"] for i in overdue_actions(ctx, actor=fed, center_id=kirkuk)] == [
        sooner["id"],
        later["id"],
    ]
    # krg does not sit on the fed-un desk, so it never sees that item.
    krg = world.actors["krg_observer"]
    assert elsewhere["id"] not in {i["id"] for i in overdue_actions(ctx, actor=krg)}


def test_digest_lists_late_items_pending_decisions_and_yesterdays_meetings(
    ctx: ServiceContext, world: World, meeting: dict[str, Any], clock: Clock
) -> None:
    secretary = world.actors["fed_secretary"]
    decision = create_decision(ctx, actor=secretary, data=decision_data(meeting["id"]))
    agreed = create_decision(
        ctx, actor=secretary, data=decision_data(meeting["id"], text_en="Joint checkpoints.")
    )
    for approver in ("fed_approver", "krg_approver"):
        endorse_decision(
            ctx,
            actor=world.actors[approver],
            decision_id=agreed["id"],
            version_hash=agreed["version_hash"],
        )
    endorse_decision(
        ctx,
        actor=world.actors["krg_approver"],
        decision_id=decision["id"],
        version_hash=decision["version_hash"],
    )
    _item(ctx, world, "krg_secretary", decision_id=decision["id"], due_at="2020-02-19")
    _item(ctx, world, "fed_secretary", due_at="2020-02-16", owner_person="")

    report = digest(ctx, actor=world.actors["krg_observer"], center_code="kirkuk")
    assert report["counts"] == {
        "escalated": 1,
        "overdue": 1,
        "awaiting_endorsement": 1,
        "meetings": 1,
    }
    assert [d["id"] for d in report["awaiting_endorsement"]] == [decision["id"]]
    assert report["awaiting_endorsement"][0]["awaiting"] == ["fed"]
    assert len(report["escalated"]["fed"]) == 1 and len(report["overdue"]["krg"]) == 1

    text = render_digest_text(report)
    assert text.startswith("Daily digest: JCC Kirkuk (jcc-kirkuk)\n")
    assert "generated 2020-02-20 12:00 Asia/Baghdad" in text
    assert "due 2020-02-19 23:59, late 12 h: krg (Brig. Ali Hassan)" in text
    assert "late 3 d 12 h ESCALATED: fed: Hold a meeting to start work" in text
    assert "(endorsed by krg; awaiting fed)" in text
    assert "  - 2020-02-19 12:00 at JCC Kirkuk, K1 base, held, 2 attendees" in text

    clock.advance(days=3)
    later = digest(ctx, actor=world.actors["krg_observer"], center_code="jcc-kirkuk")
    assert later["counts"]["meetings"] == 0 and later["counts"]["escalated"] == 2


def test_centers_by_code_short_code_or_id(ctx: ServiceContext, world: World) -> None:
    kirkuk = world.centers["kirkuk"]
    for code in ("jcc-kirkuk", "kirkuk", "KIRKUK", kirkuk["id"]):
        assert center_by_code(ctx, code=code)["id"] == kirkuk["id"]
    with pytest.raises(NotFound):
        center_by_code(ctx, code="basra")
    names = {"en": "Ops Kirkuk", "ar": "ع", "ckb": "ک"}
    create_center(
        ctx,
        by=SYSTEM,
        code="ops-kirkuk",
        kind="jcc",
        names=names,
        governorates=["Kirkuk"],
        member_parties=["fed"],
    )
    with pytest.raises(ValidationFailed) as exc:
        center_by_code(ctx, code="kirkuk")
    assert exc.value.errors[0].field == "center"
    assert center_by_code(ctx, code="jcc-kirkuk")["id"] == kirkuk["id"]


def test_acting_as_a_named_user(ctx: ServiceContext, world: World) -> None:
    actor = actor_by_username(ctx, username="krg_approver")
    assert actor == world.actors["krg_approver"]
    with pytest.raises(NotFound):
        actor_by_username(ctx, username="nobody")


def test_every_change_is_journaled_and_verifies(
    ctx: ServiceContext, world: World, meeting: dict[str, Any]
) -> None:
    secretary = world.actors["fed_secretary"]
    update_meeting(ctx, actor=secretary, meeting_id=meeting["id"], changes={"place": "Kirkuk"})
    decision = create_decision(ctx, actor=secretary, data=decision_data(meeting["id"]))
    endorse_decision(
        ctx,
        actor=world.actors["fed_approver"],
        decision_id=decision["id"],
        version_hash=decision["version_hash"],
        comment="For the JOC.",
    )
    item = _item(ctx, world, "fed_secretary", decision_id=decision["id"])
    set_action_status(
        ctx, actor=secretary, action_item_id=item["id"], status="done", note="Held on 26 February."
    )
    history = meeting_history(ctx, actor=world.actors["krg_observer"], meeting_id=meeting["id"])
    assert [h["record"]["place"] for h in history] == ["JCC Kirkuk, K1 base", "Kirkuk"]
    read = get_decision(ctx, actor=world.actors["krg_observer"], decision_id=decision["id"])
    assert read["endorsed_by"] == ["fed"]
    report = verify_database(ctx)
    assert report.ok, report.problem
