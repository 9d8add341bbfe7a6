"""The latest day with a sector in force (what coverage opens on when today has none),
on both databases: the midday rule, the area's box and releasability."""

from __future__ import annotations

from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tansiq.domain.errors import ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.sectors.commands import create_sector
from tansiq.services.sectors.coverage import latest_day_in_force
from tests.factories import World, build_world
from tests.factories_sectors import sector_data

BAGHDAD = ZoneInfo("Asia/Baghdad")
MIDDAY = time(12, 0)


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """Parties fed, krg, un with users; fed holds one party-only sector, Feb-May 2020."""
    world = build_world(ctx)
    create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data(releasability="party"))
    return world


def _latest(ctx: ServiceContext, world: World, user: str, day: date, area: str = "Kirkuk") -> Any:
    return latest_day_in_force(
        ctx, actor=world.actors[user], area=area, on_or_before=day, at=MIDDAY, zone=BAGHDAD
    )


def test_the_last_midday_inside_the_validity_is_the_answer(
    ctx: ServiceContext, world: World
) -> None:
    # Valid until 2020-06-01 00:00 UTC (03:00 Baghdad): 31 May is the last midday in force.
    assert _latest(ctx, world, "fed_liaison", date(2026, 12, 8)) == date(2020, 5, 31)
    assert _latest(ctx, world, "fed_liaison", date(2020, 3, 10)) == date(2020, 3, 10)
    # Valid from 2020-02-01 00:00 UTC: the midday of 31 January comes before it.
    assert _latest(ctx, world, "fed_liaison", date(2020, 1, 31)) is None


def test_an_end_before_midday_leaves_that_day_out(ctx: ServiceContext, world: World) -> None:
    create_sector(
        ctx,
        actor=world.actors["fed_liaison"],
        data=sector_data(
            name="Sector Morning",
            valid_from="2020-07-01T00:00:00.000000Z",
            valid_until="2020-07-10T08:00:00.000000Z",  # 11:00 in Baghdad
        ),
    )
    assert _latest(ctx, world, "fed_liaison", date(2026, 12, 8)) == date(2020, 7, 9)
    # Released to all: the other party sees this one, not fed's party-only sector.
    assert _latest(ctx, world, "krg_liaison", date(2026, 12, 8)) == date(2020, 7, 9)
    assert _latest(ctx, world, "krg_liaison", date(2020, 6, 30)) is None


def test_only_sectors_released_to_the_user_and_in_the_area_count(
    ctx: ServiceContext, world: World
) -> None:
    assert _latest(ctx, world, "krg_liaison", date(2026, 12, 8)) is None
    assert _latest(ctx, world, "fed_liaison", date(2026, 12, 8), area="Basra") is None
    assert _latest(ctx, world, "fed_liaison", date(2026, 12, 8), area="jcc-kirkuk") == date(
        2020, 5, 31
    )


def test_an_unknown_area_names_area(ctx: ServiceContext, world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _latest(ctx, world, "fed_liaison", date(2026, 12, 8), area="Atlantis")
    assert [e.field for e in refused.value.errors] == ["area"]
