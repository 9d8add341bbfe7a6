"""Routes: file, correct, read and list incidents (all policy lives in services)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import WrapValidator

from tansiq.api.deps import (
    ContextDep,
    CurrentActor,
    IfMatch,
    PartyQuery,
    fields_of,
    parse_bbox,
    value_of,
)
from tansiq.api.fields import Instant
from tansiq.api.incidents.batch_body import as_parsed, file_batch
from tansiq.api.incidents.schemas import (
    IncidentBatch,
    IncidentBatchResult,
    IncidentCreate,
    IncidentDetail,
    IncidentList,
    IncidentPublic,
    IncidentUpdate,
)
from tansiq.api.pages import FeaturePage, GeoJSONPageDep, PageDep, geojson_page, list_page
from tansiq.api.received import written, written_items
from tansiq.api.responses import GeoJSONBytes, JSONBytes, created, not_found
from tansiq.domain.choices import EventTypeChoices, IncidentStatusChoices
from tansiq.services.incidents.commands import (
    create_incident,
    create_incidents,
    get_incident,
    incident_history,
    update_incident,
)
from tansiq.services.incidents.dispute_queries import incident_dispute
from tansiq.services.incidents.queries import IncidentFilters, incidents_geojson, list_incidents

router = APIRouter(prefix="/incidents", tags=["incidents"])

NOT_FOUND = not_found("incident")
# Documented as IncidentBatch, received as the parsed JSON: batch_body.py checks it.
RawBatch = Annotated[IncidentBatch, WrapValidator(as_parsed)]


def _filters(
    since: Annotated[Instant | None, Query(description="occurred_at >= since")] = None,
    until: Annotated[Instant | None, Query(description="occurred_at < until")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north")] = None,
    admin1: Annotated[str | None, Query(max_length=64, description="Governorate")] = None,
    event_type: EventTypeChoices | None = None,
    party: PartyQuery = None,
    status: IncidentStatusChoices | None = None,
) -> IncidentFilters:
    return IncidentFilters(
        since=since,
        until=until,
        bbox=parse_bbox(bbox),
        admin1=admin1,
        event_type=value_of(event_type),
        party=party,
        status=value_of(status),
    )


FiltersDep = Annotated[IncidentFilters, Depends(_filters)]


@router.post("", status_code=201, response_model=IncidentPublic, response_class=JSONBytes)
def create(ctx: ContextDep, actor: CurrentActor, body: IncidentCreate) -> JSONBytes:
    """File one incident for your party."""
    return created(written(create_incident(ctx, actor=actor, data=fields_of(body))))


@router.post(
    "/batch", status_code=201, response_model=IncidentBatchResult, response_class=JSONBytes
)
def create_batch(ctx: ContextDep, actor: CurrentActor, body: RawBatch) -> JSONBytes:
    """File up to 1,000 incidents at once, all or nothing."""
    items = file_batch(body, lambda data: create_incidents(ctx, actor=actor, items=data))
    return created(written_items(items))


@router.get("", response_model=IncidentList, response_class=JSONBytes)
def list_(ctx: ContextDep, actor: CurrentActor, page: PageDep, filters: FiltersDep) -> JSONBytes:
    """Incidents released to you, newest first, one page at a time."""
    return list_page(list_incidents, ctx, actor, filters, page)


@router.get(".geojson", response_model=FeaturePage, response_class=GeoJSONBytes)
def geojson(
    ctx: ContextDep, actor: CurrentActor, page: GeoJSONPageDep, filters: FiltersDep
) -> GeoJSONBytes:
    """Incidents released to you as a GeoJSON FeatureCollection (RFC 7946)."""
    return geojson_page(incidents_geojson, ctx, actor, filters, page)


@router.get("/{incident_id}", response_model=IncidentDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, incident_id: str) -> JSONBytes:
    """One incident with its version history and whether another party disputes it."""
    incident = get_incident(ctx, actor=actor, incident_id=incident_id)
    incident["history"] = incident_history(ctx, actor=actor, incident_id=incident_id)
    incident["dispute"] = incident_dispute(ctx, actor=actor, incident_id=incident_id)
    return JSONBytes(incident)


@router.patch("/{incident_id}", response_model=IncidentPublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    incident_id: str,
    body: IncidentUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Correct an incident of your party: a new version, journaled."""
    updated = update_incident(
        ctx,
        actor=actor,
        incident_id=incident_id,
        changes=fields_of(body),
        expected_version=if_match,
    )
    return JSONBytes(written(updated))
