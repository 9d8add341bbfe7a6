"""A subject that moves away clears its finding; one that moves in gets a new finding; a
changed overlap updates the finding's figures and text — for the owner's own subjects in
the same transaction, for another party's when the plan's owner rechecks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.services.core.context import ServiceContext
from tansiq.services.operations import finding_refresh
from tansiq.services.operations.commands import (
    amend_operation,
    create_operation,
    propose_operation,
)
from tansiq.services.operations.queries import list_findings
from tansiq.services.sectors.commands import create_sector, update_sector
from tansiq.storage.tables.journal import journal
from tests.api.helpers import AsUser, assert_problem, assert_verifies
from tests.factories import World
from tests.factories_finding_status import (
    KINDS,
    OPERATION,
    OWN_KINDS,
    SECTOR,
    SITE,
    Kind,
    fed_plan,
)
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data, square


def _one(ctx: ServiceContext, world: World, plan_id: str) -> dict[str, Any]:
    [finding] = list_findings(ctx, actor=world.actors["fed_liaison"], operation_id=plan_id)
    return finding


def _recheck(as_user: AsUser, plan_id: str) -> dict[str, Any]:
    answer = as_user("fed_liaison").post(f"/operations/{plan_id}/recheck")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize("kind", OWN_KINDS, ids=lambda k: k.kind)
def test_the_owners_subject_moving_away_and_back_clears_and_reopens_at_once(
    ctx: ServiceContext, world: World, kind: Kind
) -> None:
    fed = world.actors["fed_liaison"]
    record = kind.make(ctx, fed, True)
    plan = fed_plan(ctx, fed)
    finding = _one(ctx, world, plan["id"])

    kind.move(ctx, fed, record, False)
    cleared = _one(ctx, world, plan["id"])
    assert (cleared["id"], cleared["status"], cleared["cleared_reason"]) == (
        finding["id"],
        "cleared",
        "no_longer_meets",
    )

    kind.move(ctx, fed, record, True)
    back = _one(ctx, world, plan["id"])
    assert (back["id"], back["status"], back["cleared_reason"]) == (finding["id"], "open", None)
    assert back["summary"] == finding["summary"]
    assert_verifies(ctx)


@pytest.mark.parametrize("kind", OWN_KINDS, ids=lambda k: k.kind)
def test_the_owners_subject_moving_into_the_plan_is_a_new_finding_at_once(
    ctx: ServiceContext, world: World, kind: Kind
) -> None:
    fed = world.actors["fed_liaison"]
    record = kind.make(ctx, fed, False)
    plan = fed_plan(ctx, fed)
    assert list_findings(ctx, actor=fed, operation_id=plan["id"]) == []

    kind.move(ctx, fed, record, True)

    found = _one(ctx, world, plan["id"])
    assert (found["kind"], found["subject_id"], found["status"]) == (
        kind.kind,
        record["id"],
        "open",
    )
    with ctx.engine.connect() as conn:
        action = conn.execute(select(journal.c.action).where(journal.c.record_id == found["id"]))
        assert action.scalar_one() == "recheck"
    assert_verifies(ctx)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.kind)
def test_another_partys_subject_moving_is_rechecked_by_the_plan_owner(
    ctx: ServiceContext, world: World, as_user: AsUser, kind: Kind
) -> None:
    krg = world.actors["krg_liaison"]
    inside = kind.make(ctx, krg, True)
    outside = kind.make(ctx, krg, False)
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    finding = _one(ctx, world, plan["id"])

    kind.move(ctx, krg, inside, False)
    kind.move(ctx, krg, outside, True)
    # Nothing changes on fed's plan until fed rechecks it.
    assert _one(ctx, world, plan["id"]) == finding

    body = _recheck(as_user, plan["id"])
    assert body["changed"] == 2
    by_subject = {f["subject_id"]: f for f in body["findings"]}
    assert by_subject[inside["id"]]["status"] == "cleared"
    assert by_subject[inside["id"]]["cleared_reason"] == "no_longer_meets"
    assert by_subject[outside["id"]]["status"] == "open"
    # Open findings are listed first.
    assert [f["status"] for f in body["findings"]] == ["open", "cleared"]
    assert _recheck(as_user, plan["id"])["changed"] == 0
    assert_verifies(ctx)


def test_a_changed_overlap_updates_the_figures_and_the_text(
    ctx: ServiceContext, world: World, as_user: AsUser
) -> None:
    krg = world.actors["krg_liaison"]
    sector = create_sector(ctx, actor=krg, data=sector_data())
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    finding = _one(ctx, world, plan["id"])

    # Half the plan's area now, instead of all of it.
    update_sector(ctx, actor=krg, sector_id=sector["id"], changes={"geometry": square(44.35, 35.3)})
    _recheck(as_user, plan["id"])

    updated = _one(ctx, world, plan["id"])
    assert (updated["id"], updated["version"]) == (finding["id"], finding["version"] + 1)
    assert updated["overlap_km2"] == pytest.approx(finding["overlap_km2"] / 2, rel=0.02)
    assert updated["summary"] != finding["summary"]
    assert f"{updated['overlap_km2']:.1f}" in updated["summary"]
    assert_verifies(ctx)


def test_a_recheck_over_the_overlay_budget_changes_nothing(
    ctx: ServiceContext, world: World, as_user: AsUser
) -> None:
    krg = world.actors["krg_liaison"]
    sector = create_sector(ctx, actor=krg, data=sector_data())
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    finding = _one(ctx, world, plan["id"])
    update_sector(ctx, actor=krg, sector_id=sector["id"], changes={"geometry": square(44.35, 35.3)})
    with ctx.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(journal)).scalar_one()

    ctx.settings = replace(ctx.settings, max_crossings=1)
    refused = as_user("fed_liaison").post(f"/operations/{plan['id']}/recheck")

    assert_problem(refused, 422, "area")
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(journal)).scalar_one() == before
    assert _one(ctx, world, plan["id"]) == finding


def test_a_record_out_of_the_picture_moving_rechecks_no_plan_near_it(
    ctx: ServiceContext, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    fed = world.actors["fed_liaison"]
    fed_plan(ctx, fed)
    draft = create_operation(ctx, actor=fed, data=operation_data(area=square(44.6, 35.6, 0.05)))
    calls: list[str] = []
    real = finding_refresh.refresh_plan

    def counted(*args: Any, **kwargs: Any) -> int:
        calls.append(kwargs["plan"]["id"])
        return real(*args, **kwargs)

    monkeypatch.setattr(finding_refresh, "refresh_plan", counted)
    # A draft moved onto a live plan is no subject of its findings: nothing to recheck.
    amend_operation(
        ctx, actor=fed, operation_id=draft["id"], changes={"area": square(44.35, 35.35, 0.05)}
    )
    assert calls == []
    # Proposed, and moved again: now the live plan under it is rechecked.
    propose_operation(ctx, actor=fed, operation_id=draft["id"])
    amend_operation(
        ctx, actor=fed, operation_id=draft["id"], changes={"area": square(44.34, 35.34, 0.05)}
    )
    assert len(calls) == 1


def test_an_own_sector_moving_rechecks_no_plan_but_an_own_site_does(
    ctx: ServiceContext, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    krg = world.actors["krg_liaison"]
    plan = OPERATION.make(ctx, krg, True)
    sector, site = SECTOR.make(ctx, krg, False), SITE.make(ctx, krg, False)
    calls: list[str] = []
    real = finding_refresh.refresh_plan

    def counted(*args: Any, **kwargs: Any) -> int:
        calls.append(kwargs["plan"]["id"])
        return real(*args, **kwargs)

    monkeypatch.setattr(finding_refresh, "refresh_plan", counted)
    # krg's own sector never conflicts with krg's plan: moving it there rechecks nothing.
    SECTOR.move(ctx, krg, sector, True)
    assert calls == []
    SITE.move(ctx, krg, site, True)
    assert calls == [plan["id"]]
    [finding] = list_findings(ctx, actor=krg, operation_id=plan["id"])
    assert (finding["kind"], finding["subject_id"]) == ("protected_site", site["id"])
