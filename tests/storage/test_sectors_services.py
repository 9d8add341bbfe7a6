"""Sector and protected-site services on both databases: versions, in-force queries, imports."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import shapely

from tansiq.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.sectors.commands import (
    create_sector,
    get_sector,
    import_sectors,
    sector_history,
    update_sector,
    withdraw_sector,
)
from tansiq.services.sectors.queries import SectorFilters, list_sectors, sectors_in_force
from tansiq.services.sectors.site_commands import (
    create_site,
    import_sites,
    sites_active,
    sites_near,
)
from tansiq.storage.db import read_transaction
from tests.api.helpers import journal_count
from tests.factories import World, build_world
from tests.factories_sectors import (
    checkpoint_data,
    line_data,
    movement_data,
    sector_data,
    site_data,
    square,
)

AT = datetime(2020, 2, 20, tzinfo=UTC)


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """Parties fed, krg, un with users."""
    return build_world(ctx)


def _feature(data: dict[str, object]) -> dict[str, object]:
    properties = {k: v for k, v in data.items() if k != "geometry"}
    return {"type": "Feature", "geometry": data["geometry"], "properties": properties}


def test_change_withdraw_and_history(ctx: ServiceContext, world: World) -> None:
    fed = world.actors["fed_liaison"]
    created = create_sector(ctx, actor=fed, data=line_data())
    assert created["depth_m"] == 500.0 and created["bbox"][0] < 44.2
    moved = update_sector(
        ctx, actor=fed, sector_id=created["id"], changes={"depth_m": 1000}, expected_version=1
    )
    assert moved["version"] == 2 and moved["bbox"][0] < created["bbox"][0]
    with pytest.raises(Conflict):
        update_sector(
            ctx, actor=fed, sector_id=created["id"], changes={"name": "x"}, expected_version=1
        )
    withdrawn = withdraw_sector(ctx, actor=fed, sector_id=created["id"], reason="Handed over.")
    assert withdrawn["status"] == "withdrawn"
    with pytest.raises(ValidationFailed, match="withdrawn"):
        update_sector(ctx, actor=fed, sector_id=created["id"], changes={"status": "active"})
    history = sector_history(ctx, actor=fed, sector_id=created["id"])
    assert [(h["version"], h["action"]) for h in history] == [
        (1, "create"),
        (2, "update"),
        (3, "withdraw"),
    ]
    assert get_sector(ctx, actor=fed, sector_id=created["id"])["status"] == "withdrawn"
    assert verify_database(ctx).ok


def test_an_unchanged_patch_makes_no_version(ctx: ServiceContext, world: World) -> None:
    fed = world.actors["fed_liaison"]
    created = create_sector(ctx, actor=fed, data=sector_data())
    same = update_sector(ctx, actor=fed, sector_id=created["id"], changes={"kind": "aor"})
    assert same["version"] == 1


def test_only_the_owner_party_and_writer_roles_change_a_sector(
    ctx: ServiceContext, world: World
) -> None:
    created = create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data())
    with pytest.raises(PermissionDenied):
        update_sector(
            ctx,
            actor=world.actors["krg_liaison"],
            sector_id=created["id"],
            changes={"name": "ours now"},
        )
    with pytest.raises(PermissionDenied):
        create_sector(ctx, actor=world.actors["fed_observer"], data=sector_data())


def test_a_party_sector_is_hidden_from_the_other_party(ctx: ServiceContext, world: World) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    private = create_sector(ctx, actor=fed, data=sector_data(releasability="party"))
    with pytest.raises(NotFound):
        get_sector(ctx, actor=krg, sector_id=private["id"])
    assert list_sectors(ctx, actor=krg, filters=SectorFilters()).items == []
    assert sectors_in_force(ctx, actor=krg, at_from=AT, at_until=AT) == []
    assert len(sectors_in_force(ctx, actor=fed, at_from=AT, at_until=AT)) == 1


def test_in_force_honours_window_status_box_and_parties(ctx: ServiceContext, world: World) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    now = create_sector(ctx, actor=fed, data=sector_data())
    create_sector(ctx, actor=fed, data=sector_data(valid_from="2020-03-01T00:00:00Z"))
    gone = create_sector(ctx, actor=fed, data=sector_data(geometry=square(44.0, 35.0)))
    withdraw_sector(ctx, actor=fed, sector_id=gone["id"], reason="Handed over.")
    post = create_sector(ctx, actor=krg, data=checkpoint_data())

    found = sectors_in_force(ctx, actor=krg, at_from=AT, at_until=AT)
    assert {f.sector["id"] for f in found} == {now["id"], post["id"]}
    circle = next(f.footprint for f in found if f.sector["id"] == post["id"])
    assert circle.contains(shapely.Point(44.45, 35.2)) and circle.area > 0
    # Only the checkpoint's 1 km circle reaches this box south of the square.
    box = (44.44, 35.19, 44.46, 35.21)
    assert [
        f.sector["id"] for f in sectors_in_force(ctx, actor=krg, at_from=AT, at_until=AT, bbox=box)
    ] == [post["id"]]
    assert [
        f.sector["id"]
        for f in sectors_in_force(ctx, actor=krg, at_from=AT, at_until=AT, parties=["fed"])
    ] == [now["id"]]
    march = datetime(2020, 3, 15, tzinfo=UTC)
    assert len(sectors_in_force(ctx, actor=fed, at_from=AT, at_until=march)) == 3
    with read_transaction(ctx.engine) as conn:
        assert len(sectors_in_force(conn, actor=fed, at_from=AT, at_until=AT)) == 2
    with pytest.raises(ValidationFailed):
        sectors_in_force(ctx, actor=fed, at_from=march, at_until=AT)


def test_list_filters(ctx: ServiceContext, world: World) -> None:
    fed = world.actors["fed_liaison"]
    line = create_sector(ctx, actor=fed, data=line_data())
    create_sector(ctx, actor=fed, data=sector_data())
    by_kind = list_sectors(ctx, actor=fed, filters=SectorFilters(kind="defensive_line"))
    assert [s["id"] for s in by_kind.items] == [line["id"]]
    later = list_sectors(
        ctx, actor=fed, filters=SectorFilters(active_at=datetime(2020, 7, 1, tzinfo=UTC))
    )
    assert later.items == []


def test_import_is_all_or_nothing_naming_the_feature(ctx: ServiceContext, world: World) -> None:
    fed = world.actors["fed_liaison"]
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[44.0, 35.0], [44.1, 35.1], [44.1, 35.0], [44.0, 35.1], [44.0, 35.0]]],
    }
    features = [_feature(sector_data()) for _ in range(3)]
    features.append(_feature(sector_data(geometry=bowtie)))
    features.append(_feature(line_data(depth_m=None)))
    before = journal_count(ctx)
    with pytest.raises(ValidationFailed) as exc:
        import_sectors(ctx, actor=fed, features=features)
    assert [e.field for e in exc.value.errors] == [
        "features[3].geometry",
        "features[4].properties.depth_m",
    ]
    assert journal_count(ctx) == before
    created = import_sectors(ctx, actor=fed, features=features[:3])
    assert len(created) == 3 and journal_count(ctx) == before + 3


def test_sites_import_active_and_near(ctx: ServiceContext, world: World) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    school = create_site(ctx, actor=fed, data=site_data())
    convoy = create_site(ctx, actor=fed, data=movement_data())
    hidden = create_site(ctx, actor=fed, data=site_data(releasability="party"))
    with pytest.raises(ValidationFailed) as exc:
        import_sites(ctx, actor=fed, features=[_feature(site_data()), {"type": "Point"}])
    assert [e.field for e in exc.value.errors] == ["features[1]"]
    camps = import_sites(ctx, actor=krg, features=[_feature(site_data(kind="idp_camp"))])
    assert camps[0]["party"] == "krg"

    near = sites_near(ctx, actor=krg, geometry=shapely.Point(44.392, 35.47), within_m=500)
    assert [s.site["id"] for s in near] == [school["id"], camps[0]["id"]]
    assert near[0].distance_m == pytest.approx(222, abs=5)
    on_21st = datetime(2020, 2, 21, 8, tzinfo=UTC)
    route = shapely.LineString([(44.5, 35.2), (44.6, 35.2)])
    assert [
        s.site["id"]
        for s in sites_near(
            ctx, actor=krg, geometry=route, within_m=5000, at_from=on_21st, at_until=on_21st
        )
    ] == [convoy["id"]]
    assert sites_near(ctx, actor=krg, geometry=route, within_m=5000, at_from=AT, at_until=AT) == []
    ids = {s.site["id"] for s in sites_active(ctx, actor=fed)}
    assert hidden["id"] in ids and hidden["id"] not in {
        s.site["id"] for s in sites_active(ctx, actor=krg)
    }
