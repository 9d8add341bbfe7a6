"""Exports read what the user may see through the services, page by page, all of it once."""

from __future__ import annotations

from typing import Any

import pytest

import tansiq.ingest.export.produce as produce
from tansiq.ingest.export.layers import DATASETS
from tansiq.ingest.export.request import ExportRequest, SiteFilters
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident, update_incident
from tansiq.services.incidents.queries import IncidentFilters
from tansiq.services.sectors.queries import SectorFilters
from tests.factories import build_world, incident_data
from tests.factories_exports import seed_exports

FILTERS: dict[str, Any] = {
    "incidents": IncidentFilters(),
    "sectors": SectorFilters(),
    "protected_sites": SiteFilters(),
}
KINDS = {"incidents": "incidents", "sectors": "sectors", "protected_sites": "sites"}


def _ids(ctx: ServiceContext, actor: Any, dataset: str, filters: Any = None) -> list[str]:
    request = ExportRequest(dataset, "kml", filters or FILTERS[dataset])
    return [r["id"] for r in produce.visible_records(ctx, actor=actor, request=request)]


@pytest.mark.parametrize("dataset", list(FILTERS))
def test_an_export_holds_what_each_party_may_see_and_nothing_else(
    ctx: ServiceContext, dataset: str
) -> None:
    world = build_world(ctx)
    seeded = seed_exports(ctx, world)
    kind = KINDS[dataset]
    krg = _ids(ctx, world.actors["krg_observer"], dataset)
    fed = _ids(ctx, world.actors["fed_observer"], dataset)
    assert len(krg) == len(set(krg)) and set(krg) == seeded.seen_by_krg(kind)
    assert set(fed) == seeded.seen_by_fed(kind)
    un = set(_ids(ctx, world.actors["un_observer"], dataset))
    assert seeded.incidents["fed_hidden_party"] not in un


@pytest.mark.parametrize("dataset", list(FILTERS))
def test_every_payload_field_has_a_column(ctx: ServiceContext, dataset: str) -> None:
    world = build_world(ctx)
    seed_exports(ctx, world)
    request = ExportRequest(dataset, "kml", FILTERS[dataset])
    spec = DATASETS[dataset]
    for record in produce.visible_records(ctx, actor=world.actors["fed_admin"], request=request):
        # A field the JSON API gains must be given a column here too (KML, GeoPackage).
        assert {f.source for f in spec.fields} | {spec.geometry_key} == set(record)


def test_the_walk_pages_by_id_so_a_correction_meanwhile_repeats_or_skips_nothing(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(ctx)
    fed = world.actors["fed_liaison"]
    made = [
        create_incident(ctx, actor=fed, data=incident_data(occurred_at=f"2020-02-1{i}T08:00:00Z"))
        for i in range(5)
    ]
    monkeypatch.setattr(produce, "MAX_PAGE", 2)
    request = ExportRequest("incidents", "geojson", IncidentFilters())
    walk = produce.visible_records(ctx, actor=fed, request=request)
    seen = [next(walk)["id"], next(walk)["id"]]
    # The oldest (by date and by filing) is moved to the newest date before it is read.
    update_incident(
        ctx,
        actor=fed,
        incident_id=made[0]["id"],
        changes={"occurred_at": "2020-02-20T08:00:00Z"},
    )
    seen += [r["id"] for r in walk]
    assert sorted(seen) == sorted(m["id"] for m in made)


def test_filters_narrow_the_export_like_the_list(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    seeded = seed_exports(ctx, world)
    krg = world.actors["krg_analyst"]
    battles = _ids(ctx, krg, "incidents", IncidentFilters(event_type="Battles"))
    assert battles == [seeded.incidents["krg_hidden_battle"]]
    lines = _ids(ctx, krg, "sectors", SectorFilters(kind="defensive_line"))
    assert lines == [seeded.sectors["krg_line"]]
    routes = _ids(ctx, krg, "protected_sites", SiteFilters(kind="humanitarian_movement"))
    assert routes == [seeded.sites["fed_convoy"]]
