"""Listing incidents: filters, cursor pagination, GeoJSON. Visibility via ``visible_to``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, or_

from tansiq.domain.actors import Actor
from tansiq.domain.choices import IncidentStatusChoices
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.marks import mark_features, marked

# MAX_PAGE stays importable from here (the demo reads it).
from tansiq.services.core.pagination import MAX_PAGE as MAX_PAGE
from tansiq.services.core.pagination import Page, Rows, each, equal_to, in_window, visible_page
from tansiq.services.incidents.dispute_queries import (
    disputed_incident_ids,
    open_dispute_ids,
    shows_disputed,
)
from tansiq.services.incidents.records import INCIDENT, incident_payload
from tansiq.storage.tables.incidents import incidents

MAX_GEOJSON_FEATURES = 50_000


@dataclass(frozen=True)
class IncidentFilters:
    """What a list may be narrowed by; every field is optional."""

    since: datetime | None = None
    until: datetime | None = None
    bbox: tuple[float, float, float, float] | None = None
    admin1: str | None = None
    event_type: str | None = None
    party: str | None = None
    status: str | None = None


def disputed_clause(open_ids: frozenset[str]) -> ColumnElement[bool]:
    """:func:`~tansiq.services.incidents.dispute_queries.shows_disputed` in SQL."""
    c = incidents.c
    return or_(c.status == IncidentStatusChoices.DISPUTED.value, c.id.in_(sorted(open_ids)))


def _filters(
    ctx: ServiceContext, actor: Actor, filters: IncidentFilters
) -> list[ColumnElement[bool]]:
    c = incidents.c
    clauses = in_window(c.occurred_at, filters.since, filters.until)
    if filters.bbox is not None:
        west, south, east, north = filters.bbox
        clauses += [c.lon.between(west, east), c.lat.between(south, north)]
    status = filters.status
    if status == IncidentStatusChoices.DISPUTED:
        # Open disputes are derived (contests, corrections, resolutions), not stored:
        # they are read first, so the page reflects them as of just before its query.
        clauses.append(disputed_clause(open_dispute_ids(ctx, actor=actor)))
        status = None
    return clauses + equal_to(
        (c.admin1, filters.admin1),
        (c.event_type, filters.event_type),
        (c.party_id, filters.party),
        (c.status, status),
    )


def list_incidents(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: IncidentFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Incidents the actor may see, newest first; raises ValidationFailed for a bad cursor."""
    return visible_page(
        ctx,
        incidents,
        actor=actor,
        where=_filters(ctx, actor, filters),
        present=marked(INCIDENT.name, each(incident_payload)),
        sort=incidents.c.occurred_at,
        cursor=cursor,
        limit=limit,
    )


def list_incidents_by_id(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: IncidentFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Incidents the actor may see, latest filed first (by id, never by a corrected field).

    A walk over every page (an export) so never repeats or skips an incident whose
    ``occurred_at`` is corrected meanwhile. Raises ValidationFailed for a bad cursor.
    """
    return visible_page(
        ctx,
        incidents,
        actor=actor,
        where=_filters(ctx, actor, filters),
        present=marked(INCIDENT.name, each(incident_payload)),
        cursor=cursor,
        limit=limit,
    )


_GEOJSON_COLUMNS = (
    incidents.c.id,
    incidents.c.lon,
    incidents.c.lat,
    incidents.c.occurred_at,
    incidents.c.time_precision,
    incidents.c.geo_precision,
    incidents.c.event_type,
    incidents.c.sub_event_type,
    incidents.c.place_name,
    incidents.c.admin1,
    incidents.c.admin2,
    incidents.c.party_id,
    incidents.c.status,
    incidents.c.fatalities,
    incidents.c.cross_border,
    incidents.c.releasability,
)


def incidents_geojson(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: IncidentFilters,
    cursor: str | None = None,
    limit: int = 10_000,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the incidents the actor may see.

    Holds at most ``limit`` features; ``next_cursor`` continues. Raises
    ValidationFailed for a bad cursor or limit.
    """
    page = visible_page(
        ctx,
        incidents,
        actor=actor,
        where=_filters(ctx, actor, filters),
        present=lambda conn, rows: _features(conn, rows, actor),
        sort=incidents.c.occurred_at,
        cursor=cursor,
        limit=limit,
        max_limit=MAX_GEOJSON_FEATURES,
        columns=_GEOJSON_COLUMNS,
    )
    return {"type": "FeatureCollection", "features": page.items, "next_cursor": page.next_cursor}


def _features(conn: Connection, rows: Rows, actor: Actor) -> list[dict[str, Any]]:
    open_ids = disputed_incident_ids(conn, actor)
    return mark_features(conn, INCIDENT.name, [_feature(r, open_ids) for r in rows])


def _feature(r: Mapping[Any, Any], open_ids: frozenset[str]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": r["id"],
        "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
        "properties": {
            "id": r["id"],
            "occurred_at": iso_utc(r["occurred_at"]),
            "time_precision": r["time_precision"],
            "geo_precision": r["geo_precision"],
            "event_type": r["event_type"],
            "sub_event_type": r["sub_event_type"],
            "place_name": r["place_name"],
            "admin1": r["admin1"],
            "admin2": r["admin2"],
            "party": r["party_id"],
            "status": r["status"],
            "disputed": shows_disputed(r, open_ids),
            "fatalities": r["fatalities"],
            "cross_border": r["cross_border"],
            "releasability": r["releasability"],
        },
    }
