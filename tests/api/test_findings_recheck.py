"""Narrowing what a finding concerns rechecks the stored finding, by its plan's owner only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tansiq.domain.errors import PermissionDenied
from tansiq.services.core.context import ServiceContext
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.operations.queries import list_findings
from tansiq.services.operations.rechecks import recheck_findings
from tansiq.services.sectors.site_commands import create_site, update_site
from tansiq.storage.tables.journal import journal
from tansiq.storage.tables.operations import deconfliction_findings
from tests.api.helpers import assert_verifies
from tests.factories import World
from tests.factories_findings import INSIDE
from tests.factories_operations import operation_data
from tests.factories_sectors import site_data


def _plan_with_site(ctx: ServiceContext, world: World, owner: str) -> tuple[str, str]:
    site = create_site(ctx, actor=world.actors[owner], data=site_data(geometry=INSIDE))
    fed = world.actors["fed_liaison"]
    plan = create_operation(ctx, actor=fed, data=operation_data())
    propose_operation(ctx, actor=fed, operation_id=plan["id"])
    return plan["id"], site["id"]


def test_the_owner_narrowing_its_own_site_narrows_its_plans_finding(
    ctx: ServiceContext, world: World
) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    plan_id, site_id = _plan_with_site(ctx, world, "fed_liaison")
    [finding] = list_findings(ctx, actor=fed, operation_id=plan_id)
    assert finding["releasability"] == "all"
    assert len(list_findings(ctx, actor=krg, operation_id=plan_id)) == 1

    update_site(ctx, actor=fed, site_id=site_id, changes={"releasability": "party"})

    [rechecked] = list_findings(ctx, actor=fed, operation_id=plan_id)
    assert (rechecked["id"], rechecked["releasability"]) == (finding["id"], "party")
    assert rechecked["version"] == finding["version"] + 1
    assert list_findings(ctx, actor=krg, operation_id=plan_id) == []
    with ctx.engine.connect() as conn:
        actions = conn.execute(
            select(journal.c.action).where(journal.c.record_id == finding["id"])
        ).scalars()
        assert list(actions)[-1] == "recheck"
    assert_verifies(ctx)


def test_another_partys_change_never_writes_the_plan_owners_findings(
    ctx: ServiceContext, world: World
) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    plan_id, site_id = _plan_with_site(ctx, world, "krg_liaison")
    [finding] = list_findings(ctx, actor=krg, operation_id=plan_id)

    update_site(ctx, actor=krg, site_id=site_id, changes={"releasability": "party"})

    # Single writer: krg does not rewrite fed's finding; the read path hides it from fed.
    [kept] = list_findings(ctx, actor=krg, operation_id=plan_id)
    assert (kept["version"], kept["releasability"]) == (finding["version"], "all")
    assert list_findings(ctx, actor=fed, operation_id=plan_id) == []
    with pytest.raises(PermissionDenied):
        recheck_findings(ctx, actor=krg, operation_id=plan_id)
    # The plan's owner rechecks: the finding stays with fed, which may no longer see it.
    result = recheck_findings(ctx, actor=fed, operation_id=plan_id)
    # fed may no longer read the site, so it is told of no finding about it…
    assert (result["changed"], result["findings"]) == (1, [])
    # …and the stored one stays open (nothing about the site is said), at home.
    with ctx.engine.connect() as conn:
        mine = conn.execute(
            select(deconfliction_findings).where(deconfliction_findings.c.id == finding["id"])
        ).one()
    assert (mine.releasability, mine.status, mine.cleared_reason) == ("party", "open", None)
    assert recheck_findings(ctx, actor=fed, operation_id=plan_id)["changed"] == 0
    assert list_findings(ctx, actor=krg, operation_id=plan_id) == []
    assert_verifies(ctx)
