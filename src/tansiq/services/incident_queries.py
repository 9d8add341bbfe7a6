"""Listing incidents: filters, cursor pagination, GeoJSON. Visibility via ``visible_to``."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Select, and_, or_, select

from tansiq.domain.actors import Actor
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.incidents import parse_occurred_at
from tansiq.journal.canonical import iso_utc
from tansiq.services.context import ServiceContext
from tansiq.services.records import incident_payload
from tansiq.storage.db import read_transaction
from tansiq.storage.tables import incidents
from tansiq.storage.visibility import visible_to

MAX_PAGE = 1000
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


@dataclass(frozen=True)
class Page:
    """One page of a list and the cursor of the next (None at the end)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def encode_cursor(occurred_at: datetime, record_id: str) -> str:
    """An opaque cursor pointing just after the given row."""
    raw = orjson.dumps([iso_utc(occurred_at), record_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Read a cursor back; raises ValidationFailed naming ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, record_id = orjson.loads(raw)
        return parse_occurred_at(when), str(record_id)
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise ValidationFailed.single("cursor", "is not a cursor this server issued") from None


def _filtered(query: Select[Any], actor: Actor, filters: IncidentFilters) -> Select[Any]:
    c = incidents.c
    query = query.where(visible_to(incidents, actor))
    if filters.since is not None:
        query = query.where(c.occurred_at >= filters.since)
    if filters.until is not None:
        query = query.where(c.occurred_at < filters.until)
    if filters.bbox is not None:
        west, south, east, north = filters.bbox
        query = query.where(c.lon.between(west, east), c.lat.between(south, north))
    for column, value in (
        (c.admin1, filters.admin1),
        (c.event_type, filters.event_type),
        (c.party_id, filters.party),
        (c.status, filters.status),
    ):
        if value is not None:
            query = query.where(column == value)
    return query


def _page(query: Select[Any], cursor: str | None, limit: int) -> Select[Any]:
    c = incidents.c
    if cursor is not None:
        when, record_id = decode_cursor(cursor)
        query = query.where(
            or_(c.occurred_at < when, and_(c.occurred_at == when, c.id < record_id))
        )
    return query.order_by(c.occurred_at.desc(), c.id.desc()).limit(limit + 1)


def list_incidents(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: IncidentFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Incidents the actor may see, newest first; raises ValidationFailed for a bad cursor."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed.single("limit", f"must be between 1 and {MAX_PAGE}")
    query = _page(_filtered(select(incidents), actor, filters), cursor, limit)
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(query).mappings().all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1]["occurred_at"], rows[-1]["id"]) if more else None
    return Page([incident_payload(r) for r in rows], next_cursor)


_GEOJSON_COLUMNS = (
    incidents.c.id,
    incidents.c.lon,
    incidents.c.lat,
    incidents.c.occurred_at,
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
    if not 1 <= limit <= MAX_GEOJSON_FEATURES:
        raise ValidationFailed.single("limit", f"must be between 1 and {MAX_GEOJSON_FEATURES}")
    query = _page(_filtered(select(*_GEOJSON_COLUMNS), actor, filters), cursor, limit)
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    features = [
        {
            "type": "Feature",
            "id": r.id,
            "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
            "properties": {
                "id": r.id,
                "occurred_at": iso_utc(r.occurred_at),
                "event_type": r.event_type,
                "sub_event_type": r.sub_event_type,
                "place_name": r.place_name,
                "admin1": r.admin1,
                "admin2": r.admin2,
                "party": r.party_id,
                "status": r.status,
                "fatalities": r.fatalities,
                "cross_border": r.cross_border,
                "releasability": r.releasability,
            },
        }
        for r in rows
    ]
    next_cursor = encode_cursor(rows[-1].occurred_at, rows[-1].id) if more else None
    return {"type": "FeatureCollection", "features": features, "next_cursor": next_cursor}
