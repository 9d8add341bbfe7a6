"""Deconfliction findings of real plans: what counts, the buffer, and who may see them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from shapely.geometry import Point

from tansiq.domain.actors import Actor
from tansiq.geo.geometry import to_metric, to_wgs84
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tansiq.services.operations.commands import (
    amend_operation,
    create_operation,
    propose_operation,
    transition_operation,
)
from tansiq.services.operations.queries import list_findings, operation_detail
from tansiq.services.sectors.commands import create_sector
from tansiq.services.sectors.site_commands import create_site
from tests.api.helpers import AsUser, assert_verifies
from tests.factories import World, incident_data
from tests.factories_operations import notified_data, operation_data
from tests.factories_sectors import sector_data, site_data, square


def _propose(ctx: ServiceContext, actor: Actor, **overrides: Any) -> dict[str, Any]:
    plan = create_operation(ctx, actor=actor, data=operation_data(**overrides))
    return propose_operation(ctx, actor=actor, operation_id=plan["id"])


def _kinds(ctx: ServiceContext, actor: Actor, plan: dict[str, Any]) -> list[tuple[str, bool]]:
    found = list_findings(ctx, actor=actor, operation_id=plan["id"])
    return [(f["kind"], f["blocking"]) for f in found]


def _once(ctx: ServiceContext, actor: Actor, **overrides: Any) -> list[dict[str, Any]]:
    """The findings of a plan proposed and then cancelled (so later plans don't meet it)."""
    plan = _propose(ctx, actor, **overrides)
    transition_operation(
        ctx, actor=actor, operation_id=plan["id"], status="cancelled", reason="called off"
    )
    return list_findings(ctx, actor=actor, operation_id=plan["id"])


def _north_of_plan(metres: float) -> dict[str, Any]:
    """A point ``metres`` north of the middle of the plan area's northern edge."""
    x, y = to_metric(Point(44.35, 35.38)).coords[0]
    lon, lat = to_wgs84(Point(x, y + metres)).coords[0]
    return {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}


@pytest.mark.parametrize(("metres", "found"), [(900.0, True), (1100.0, False)])
def test_protected_site_within_the_buffer_is_a_blocking_finding(
    ctx: ServiceContext, world: World, metres: float, found: bool
) -> None:
    site = create_site(
        ctx, actor=world.actors["krg_liaison"], data=site_data(geometry=_north_of_plan(metres))
    )
    fed = world.actors["fed_liaison"]
    plan = _propose(ctx, fed)
    findings = list_findings(ctx, actor=fed, operation_id=plan["id"])
    if not found:
        assert findings == []
        return
    [finding] = findings
    assert finding["kind"] == "protected_site" and finding["blocking"] is True
    assert finding["subject_id"] == site["id"] and finding["subject_party"] == "krg"
    assert finding["distance_m"] == pytest.approx(metres, abs=5)


def test_the_buffer_is_a_setting(ctx: ServiceContext, world: World) -> None:
    create_site(
        ctx, actor=world.actors["un_liaison"], data=site_data(geometry=_north_of_plan(1500))
    )
    fed = world.actors["fed_liaison"]
    assert _once(ctx, fed) == []
    ctx.settings = replace(ctx.settings, protected_buffer_m=2000)
    assert [f["kind"] for f in _once(ctx, fed)] == ["protected_site"]


def test_only_other_parties_sectors_in_force_and_released_count(
    ctx: ServiceContext, world: World
) -> None:
    krg = world.actors["krg_liaison"]
    create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data())  # own
    create_sector(ctx, actor=krg, data=sector_data(releasability="party"))  # not released
    create_sector(  # not in force on 1 March
        ctx,
        actor=krg,
        data=sector_data(valid_from="2020-01-01T00:00:00Z", valid_until="2020-02-01T00:00:00Z"),
    )
    create_sector(ctx, actor=krg, data=sector_data(geometry=square(44.5, 35.5)))  # elsewhere
    fed = world.actors["fed_liaison"]
    assert _once(ctx, fed) == []
    overlapping = create_sector(ctx, actor=krg, data=sector_data())
    [finding] = _once(ctx, fed)
    assert finding["subject_id"] == overlapping["id"]


def test_a_finding_never_shows_a_sector_beyond_its_release(
    ctx: ServiceContext, world: World, as_user: AsUser
) -> None:
    kirkuk = world.centers["kirkuk"]["id"]
    fed = world.actors["fed_liaison"]
    # Released to the Kirkuk JCC (fed+krg) only, while the plan is released to all.
    create_sector(
        ctx,
        actor=world.actors["krg_liaison"],
        data=sector_data(releasability="center", center_id=kirkuk),
    )
    shared = _propose(ctx, fed)
    [finding] = list_findings(ctx, actor=fed, operation_id=shared["id"])
    transition_operation(
        ctx, actor=fed, operation_id=shared["id"], status="cancelled", reason="called off"
    )
    assert (finding["releasability"], finding["center_id"]) == ("party", None)
    assert list_findings(ctx, actor=world.actors["un_observer"], operation_id=shared["id"]) == []
    response = as_user("un_observer").get(f"/operations/{shared['id']}/findings")
    assert response.status_code == 200 and response.json() == []

    # A plan released to the same center carries the finding to its members.
    centered = _propose(ctx, fed, releasability="center", center_id=kirkuk)
    [finding] = list_findings(ctx, actor=world.actors["krg_observer"], operation_id=centered["id"])
    assert (finding["releasability"], finding["center_id"]) == ("center", kirkuk)
    assert_verifies(ctx)


def test_other_live_operations_overlapping_in_space_and_time(
    ctx: ServiceContext, world: World
) -> None:
    krg = world.actors["krg_liaison"]
    notified = create_operation(ctx, actor=krg, data=notified_data())
    fed = world.actors["fed_liaison"]
    assert _once(ctx, fed) == []  # a draft puts nobody on the ground
    propose_operation(ctx, actor=krg, operation_id=notified["id"])
    [finding] = _once(ctx, fed)
    assert finding["kind"] == "operation_overlap" and finding["blocking"] is True
    assert finding["subject_id"] == notified["id"]
    assert _once(ctx, fed, starts_at="2020-03-05T06:00:00Z", ends_at="2020-03-05T18:00:00Z") == []
    transition_operation(
        ctx, actor=krg, operation_id=notified["id"], status="cancelled", reason="called off"
    )
    assert _once(ctx, fed) == []
    # The fed plans above were cancelled: a live one is found by the next.
    _propose(ctx, fed)
    assert [f["kind"] for f in _once(ctx, fed)] == ["operation_overlap"]


def test_recent_incidents_in_the_area_inform(ctx: ServiceContext, world: World) -> None:
    krg = world.actors["krg_liaison"]
    inside = {"type": "Point", "coordinates": [44.35, 35.35]}
    recent = create_incident(ctx, actor=krg, data=incident_data(location=inside))
    create_incident(
        ctx, actor=krg, data=incident_data(location=inside, occurred_at="2020-01-10T08:00:00Z")
    )
    create_incident(ctx, actor=krg, data=incident_data())  # in Kirkuk city, outside the area
    fed = world.actors["fed_liaison"]
    plan = _propose(ctx, fed)
    [finding] = list_findings(ctx, actor=fed, operation_id=plan["id"])
    assert (finding["kind"], finding["blocking"]) == ("recent_incident", False)
    assert finding["subject_id"] == recent["id"]


def test_amending_recomputes_findings_for_the_new_version(
    ctx: ServiceContext, world: World
) -> None:
    create_sector(ctx, actor=world.actors["krg_liaison"], data=sector_data())
    fed = world.actors["fed_liaison"]
    plan = _propose(ctx, fed)
    assert _kinds(ctx, fed, plan) == [("sector_overlap", True)]
    moved = amend_operation(
        ctx, actor=fed, operation_id=plan["id"], changes={"area": square(44.6, 35.6, 0.05)}
    )
    assert _kinds(ctx, fed, moved) == []
    old = list_findings(ctx, actor=fed, operation_id=plan["id"], plan_hash=plan["plan_hash"])
    assert [f["kind"] for f in old] == ["sector_overlap"]
    detail = operation_detail(ctx, actor=fed, operation_id=plan["id"])
    assert detail["findings"] == [] and detail["plan_version"] == moved["version"]
    assert_verifies(ctx)


def test_a_draft_has_no_findings_until_proposed(ctx: ServiceContext, world: World) -> None:
    create_sector(ctx, actor=world.actors["krg_liaison"], data=sector_data())
    fed = world.actors["fed_liaison"]
    draft = create_operation(ctx, actor=fed, data=operation_data())
    amend_operation(ctx, actor=fed, operation_id=draft["id"], changes={"title": "Patrol 2"})
    assert list_findings(ctx, actor=fed, operation_id=draft["id"]) == []
    propose_operation(ctx, actor=fed, operation_id=draft["id"])
    assert _kinds(ctx, fed, draft) == [("sector_overlap", True)]
