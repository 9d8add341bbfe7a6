"""A finding whose subject is withdrawn, retracted or cancelled is cleared, not a live conflict.

The plan owner's own subjects clear its findings in the same transaction; another
party's subject clears them only when the plan's owner rechecks (single writer), and a
subject the viewer may not see never shows, cleared or not.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.services.core.context import ServiceContext
from tansiq.storage.tables.journal import journal
from tests.api.helpers import AsUser, assert_problem, assert_verifies
from tests.factories import World
from tests.factories_finding_status import KINDS, OWN_KINDS, Kind, fed_plan


def _entries(ctx: ServiceContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(journal)).scalar_one())


def _findings(as_user: AsUser, username: str, plan_id: str) -> list[dict[str, Any]]:
    """The plan's findings as the API answers them, checked equal in the list and the detail."""
    caller = as_user(username)
    listed = caller.get(f"/operations/{plan_id}/findings")
    detail = caller.get(f"/operations/{plan_id}")
    assert listed.status_code == 200 and detail.status_code == 200
    found: list[dict[str, Any]] = listed.json()
    assert detail.json()["findings"] == found
    return found


def _journal_actions(ctx: ServiceContext, record_id: str) -> list[str]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(journal.c.action, journal.c.payload_format)
            .where(journal.c.record_id == record_id)
            .order_by(journal.c.seq)
        ).all()
    assert all(r.payload_format == 2 for r in rows)
    return [r.action for r in rows]


@pytest.mark.parametrize("kind", OWN_KINDS, ids=lambda k: k.kind)
def test_the_owners_own_subject_ending_clears_its_finding_at_once(
    ctx: ServiceContext, world: World, as_user: AsUser, kind: Kind
) -> None:
    fed = world.actors["fed_liaison"]
    record = kind.make(ctx, fed, True)
    plan = fed_plan(ctx, fed)
    [finding] = _findings(as_user, "fed_liaison", plan["id"])
    assert (finding["kind"], finding["status"], finding["cleared_reason"]) == (
        kind.kind,
        "open",
        None,
    )

    kind.end(ctx, fed, record)

    for username in ("fed_liaison", "krg_liaison"):
        [cleared] = _findings(as_user, username, plan["id"])
        assert (cleared["id"], cleared["version"]) == (finding["id"], finding["version"] + 1)
        assert (cleared["status"], cleared["cleared_reason"]) == ("cleared", kind.reason)
    assert _journal_actions(ctx, finding["id"]) == ["create", "recheck"]
    # Rechecking again finds nothing to change and writes nothing.
    before = _entries(ctx)
    answer = as_user("fed_liaison").post(f"/operations/{plan['id']}/recheck")
    assert answer.status_code == 200, answer.text
    assert answer.json()["changed"] == 0 and _entries(ctx) == before
    assert_verifies(ctx)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.kind)
def test_another_partys_subject_ending_clears_the_finding_when_the_owner_rechecks(
    ctx: ServiceContext, world: World, as_user: AsUser, kind: Kind
) -> None:
    krg = world.actors["krg_liaison"]
    record = kind.make(ctx, krg, True)
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    [finding] = _findings(as_user, "fed_liaison", plan["id"])

    kind.end(ctx, krg, record)

    # krg's node does not write fed's finding: it stays as it was until fed rechecks.
    [kept] = _findings(as_user, "fed_liaison", plan["id"])
    assert (kept["version"], kept["status"]) == (finding["version"], "open")
    refused = as_user("krg_liaison").post(f"/operations/{plan['id']}/recheck")
    assert_problem(refused, 403)
    assert _findings(as_user, "fed_liaison", plan["id"]) == [kept]

    answer = as_user("fed_liaison").post(f"/operations/{plan['id']}/recheck")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["id"], body["changed"]) == (plan["id"], 1)
    [cleared] = body["findings"]
    assert (cleared["id"], cleared["status"], cleared["cleared_reason"]) == (
        finding["id"],
        "cleared",
        kind.reason,
    )
    assert _findings(as_user, "krg_liaison", plan["id"]) == [cleared]
    assert _journal_actions(ctx, finding["id"]) == ["create", "recheck"]
    again = as_user("fed_liaison").post(f"/operations/{plan['id']}/recheck")
    assert again.json()["changed"] == 0
    assert_verifies(ctx)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.kind)
def test_a_narrowed_and_ended_subject_never_shows_to_the_plan_owner(
    ctx: ServiceContext, world: World, as_user: AsUser, kind: Kind
) -> None:
    krg = world.actors["krg_liaison"]
    record = kind.make(ctx, krg, True)
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    [finding] = _findings(as_user, "fed_liaison", plan["id"])
    record = kind.narrow(ctx, krg, record)
    kind.end(ctx, krg, record)

    answer = as_user("fed_liaison").post(f"/operations/{plan['id']}/recheck")
    assert answer.status_code == 200, answer.text
    shown = answer.text + str(_findings(as_user, "fed_liaison", plan["id"]))
    for telltale in (record["id"], finding["summary"], kind.reason):
        assert telltale not in shown
    assert answer.json()["findings"] == []
    assert_verifies(ctx)


def test_bad_recheck_requests_change_nothing(
    ctx: ServiceContext, world: World, as_user: AsUser
) -> None:
    krg = world.actors["krg_liaison"]
    record = KINDS[0].make(ctx, krg, True)
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    KINDS[0].end(ctx, krg, record)
    before = _entries(ctx)
    assert_problem(as_user("fed_liaison").post("/operations/no-such-plan/recheck"), 404)
    # krg may read the plan, but it is fed's to recheck; an observer may not plan at all.
    assert_problem(as_user("krg_liaison").post(f"/operations/{plan['id']}/recheck"), 403)
    assert_problem(as_user("fed_observer").post(f"/operations/{plan['id']}/recheck"), 403)
    assert _entries(ctx) == before
    [finding] = _findings(as_user, "fed_liaison", plan["id"])
    assert finding["status"] == "open"
