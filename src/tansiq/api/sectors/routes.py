"""Routes: declare, change, read, list and import sectors (all policy lives in services)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tansiq.api.deps import (
    BBoxQuery,
    ContextDep,
    CurrentActor,
    IfMatch,
    PartyQuery,
    fields_of,
    parse_bbox,
    value_of,
)
from tansiq.api.fields import Instant
from tansiq.api.pages import FeaturePage, GeoJSONPageDep, PageDep, geojson_page, list_page
from tansiq.api.received import written, written_items
from tansiq.api.responses import GeoJSONBytes, JSONBytes, created, not_found
from tansiq.api.sectors.schemas import (
    FeatureCollectionIn,
    SectorCreate,
    SectorDetail,
    SectorImportResult,
    SectorList,
    SectorPublic,
    SectorUpdate,
)
from tansiq.domain.choices import SectorKindChoices, SectorStatusChoices
from tansiq.services.sectors.commands import (
    create_sector,
    get_sector,
    import_sectors,
    sector_history,
    update_sector,
)
from tansiq.services.sectors.queries import (
    SectorFilters,
    list_sectors,
    sectors_geojson,
)

router = APIRouter(prefix="/sectors", tags=["sectors"])

NOT_FOUND = not_found("sector")


def _filters(
    party: PartyQuery = None,
    kind: SectorKindChoices | None = None,
    status: SectorStatusChoices | None = None,
    active_at: Annotated[
        Instant | None, Query(description="Active and in force at this instant")
    ] = None,
    bbox: BBoxQuery = None,
) -> SectorFilters:
    return SectorFilters(
        party=party,
        kind=value_of(kind),
        status=value_of(status),
        active_at=active_at,
        bbox=parse_bbox(bbox),
    )


FiltersDep = Annotated[SectorFilters, Depends(_filters)]


@router.post("", status_code=201, response_model=SectorPublic, response_class=JSONBytes)
def create(ctx: ContextDep, actor: CurrentActor, body: SectorCreate) -> JSONBytes:
    """Declare a sector of your party (area, defensive line, checkpoint or base)."""
    return created(written(create_sector(ctx, actor=actor, data=fields_of(body))))


@router.post(
    "/import", status_code=201, response_model=SectorImportResult, response_class=JSONBytes
)
def import_(ctx: ContextDep, actor: CurrentActor, body: FeatureCollectionIn) -> JSONBytes:
    """Declare the sectors of a GeoJSON FeatureCollection, all or nothing.

    Each feature's properties are the sector fields (kind, unit_name, depth_m,
    radius_m, valid_from, valid_until, releasability, center_id…).
    """
    items = import_sectors(ctx, actor=actor, features=body.features)
    return created(written_items(items))


@router.get("", response_model=SectorList, response_class=JSONBytes)
def list_(ctx: ContextDep, actor: CurrentActor, page: PageDep, filters: FiltersDep) -> JSONBytes:
    """Sectors released to you, newest first, one page at a time."""
    return list_page(list_sectors, ctx, actor, filters, page)


@router.get(".geojson", response_model=FeaturePage, response_class=GeoJSONBytes)
def geojson(
    ctx: ContextDep, actor: CurrentActor, page: GeoJSONPageDep, filters: FiltersDep
) -> GeoJSONBytes:
    """Sectors released to you as a GeoJSON FeatureCollection (RFC 7946)."""
    return geojson_page(sectors_geojson, ctx, actor, filters, page)


@router.get("/{sector_id}", response_model=SectorDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, sector_id: str) -> JSONBytes:
    """One sector with its version history."""
    sector = get_sector(ctx, actor=actor, sector_id=sector_id)
    sector["history"] = sector_history(ctx, actor=actor, sector_id=sector_id)
    return JSONBytes(sector)


@router.patch("/{sector_id}", response_model=SectorPublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    sector_id: str,
    body: SectorUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Change a sector of your party (``status: withdrawn`` withdraws it): a new version."""
    changes = fields_of(body)
    reason = changes.pop("reason", None)  # a withdrawal's, journaled apart from the fields
    updated = update_sector(
        ctx,
        actor=actor,
        sector_id=sector_id,
        changes=changes,
        expected_version=if_match,
        reason=reason,
    )
    return JSONBytes(written(updated))
