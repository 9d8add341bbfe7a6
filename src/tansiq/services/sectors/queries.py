"""Reading sectors: filtered lists with a cursor, GeoJSON, and what is in force where.

:func:`sectors_in_force` is the call other services (deconfliction, coverage)
make; like every read here it returns only sectors released to the actor.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from shapely.geometry.base import BaseGeometry
from sqlalchemy import ColumnElement, Connection, Table, and_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import SectorStatusChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.sectors import width_of
from tansiq.geo.geometry import GeometryArray, footprints, footprints_metric, from_geojson_texts
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.marks import marked
from tansiq.services.core.pagination import (
    MAX_PAGE,
    CursorSeal,
    Page,
    check_limit,
    each,
    encode_id_cursor,
    equal_to,
    visible_page,
)
from tansiq.services.sectors.records import SECTOR, sector_payload
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.sectors import sectors
from tansiq.storage.visibility import visible_to

MAX_GEOJSON_FEATURES = 50_000
#: A GeoJSON page stops before this many positions (~25 MB); ``next_cursor`` continues.
MAX_GEOJSON_VERTICES = 1_000_000
# Features read at a time while a GeoJSON page fills: bounds the memory of one read.
_GEOJSON_CHUNK = 200
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class SectorFilters:
    """What a sector list may be narrowed by; every field is optional."""

    party: str | None = None
    kind: str | None = None
    status: str | None = None
    active_at: datetime | None = None  # active and in force at this instant
    bbox: BBox | None = None  # the ground covered meets this box (west, south, east, north)


class InForce(NamedTuple):
    """A sector in force and the ground it covers (WGS84 lon/lat)."""

    sector: dict[str, Any]  # the sector's payload, as the API answers it
    footprint: BaseGeometry


def box_meets(table: Table, bbox: BBox) -> ColumnElement[bool]:
    """Rows whose stored footprint box meets ``bbox`` (west, south, east, north)."""
    west, south, east, north = bbox
    c = table.c
    return and_(c.max_lon >= west, c.min_lon <= east, c.max_lat >= south, c.min_lat <= north)


def _in_force(at_from: datetime, at_until: datetime) -> ColumnElement[bool]:
    # The SQL twin of domain.sectors.in_force.
    c = sectors.c
    if at_from == at_until:
        window = and_(c.valid_from <= at_from, c.valid_until > at_from)
    else:
        window = and_(c.valid_from < at_until, c.valid_until > at_from)
    return and_(c.status == SectorStatusChoices.ACTIVE.value, window)


def _page(
    ctx: ServiceContext,
    actor: Actor,
    filters: SectorFilters,
    cursor: str | None,
    limit: int,
    max_limit: int,
) -> Page:
    c = sectors.c
    where = equal_to(
        (c.party_id, filters.party), (c.kind, filters.kind), (c.status, filters.status)
    )
    if filters.active_at is not None:
        where.append(_in_force(filters.active_at, filters.active_at))
    if filters.bbox is not None:
        where.append(box_meets(sectors, filters.bbox))
    return visible_page(
        ctx,
        sectors,
        actor=actor,
        where=where,
        present=marked(SECTOR.name, each(sector_payload)),
        cursor=cursor,
        limit=limit,
        max_limit=max_limit,
    )


def list_sectors(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: SectorFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Sectors released to the actor, newest first; raises ValidationFailed (cursor, limit)."""
    return _page(ctx, actor, filters, cursor, limit, MAX_PAGE)


def feature_collection(
    items: Iterable[Mapping[str, Any]], next_cursor: str | None
) -> dict[str, Any]:
    """Payloads with a ``geometry`` as a GeoJSON FeatureCollection (the rest are properties)."""
    features = []
    for item in items:
        properties = dict(item)
        geometry = properties.pop("geometry")
        features.append(
            {"type": "Feature", "id": item["id"], "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features, "next_cursor": next_cursor}


def _positions(coordinates: Any) -> int:
    """How many positions a GeoJSON coordinates array holds."""
    if not isinstance(coordinates, list) or not coordinates:
        return 0
    if not isinstance(coordinates[0], list):
        return 1
    return sum(_positions(part) for part in coordinates)


def bounded_collection(
    fetch: Callable[[str | None, int], Page],
    *,
    seal: CursorSeal,
    cursor: str | None,
    limit: int,
    max_vertices: int | None = None,
) -> dict[str, Any]:
    """A FeatureCollection of at most ``limit`` features and about ``max_vertices`` positions.

    ``fetch(cursor, n)`` reads the next ``n`` payloads of an id-ordered list whose
    cursors ``seal`` signs (the list's table); the
    page stops early (with a ``next_cursor``) once the positions would pass the
    limit (default MAX_GEOJSON_VERTICES), though it always holds one feature.
    Raises ValidationFailed naming ``limit``.
    """
    check_limit(limit, MAX_GEOJSON_FEATURES)
    most = MAX_GEOJSON_VERTICES if max_vertices is None else max_vertices
    items: list[Mapping[str, Any]] = []
    held, next_cursor = 0, cursor
    while len(items) < limit:
        page = fetch(next_cursor, min(_GEOJSON_CHUNK, limit - len(items)))
        for item in page.items:
            size = _positions((item.get("geometry") or {}).get("coordinates"))
            if items and held + size > most:
                return feature_collection(items, encode_id_cursor(seal, items[-1]["id"]))
            items.append(item)
            held += size
        next_cursor = page.next_cursor
        if next_cursor is None:
            break
    return feature_collection(items, next_cursor)


def sectors_geojson(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: SectorFilters,
    cursor: str | None = None,
    limit: int = 10_000,
) -> dict[str, Any]:
    """Sectors released to the actor as a GeoJSON FeatureCollection (declared geometry).

    Holds at most ``limit`` features and about MAX_GEOJSON_VERTICES positions;
    ``next_cursor`` continues. Raises ValidationFailed.
    """
    return bounded_collection(
        lambda after, n: _page(ctx, actor, filters, after, n, MAX_GEOJSON_FEATURES),
        seal=CursorSeal.for_table(ctx, sectors),
        cursor=cursor,
        limit=limit,
    )


def in_force_rows(
    conn: Connection,
    *,
    actor: Actor,
    at_from: datetime,
    at_until: datetime,
    bbox: BBox | None = None,
    parties: Collection[str] | None = None,
) -> Sequence[Mapping[Any, Any]]:
    """The rows of :func:`sectors_in_force`, read inside the caller's transaction."""
    query = select(sectors).where(visible_to(sectors, actor), _in_force(at_from, at_until))
    if bbox is not None:
        query = query.where(box_meets(sectors, bbox))
    if parties is not None:
        query = query.where(sectors.c.party_id.in_(sorted(parties)))
    return conn.execute(query.order_by(sectors.c.id)).mappings().all()


def footprints_of(rows: Sequence[Mapping[Any, Any]], *, metric: bool = False) -> GeometryArray:
    """The ground covered by each sector row, vectorised (lon/lat, or UTM 38N if ``metric``)."""
    geoms = from_geojson_texts([r["geometry"] for r in rows])
    widths = [width_of(r) for r in rows]
    return footprints_metric(geoms, widths) if metric else footprints(geoms, widths)


def sectors_in_force(
    source: ServiceContext | Connection,
    *,
    actor: Actor,
    at_from: datetime,
    at_until: datetime,
    bbox: BBox | None = None,
    parties: Collection[str] | None = None,
) -> list[InForce]:
    """Active sectors released to ``actor`` whose validity meets [at_from, at_until).

    Pass ``at_from == at_until`` for one instant (valid_from <= t < valid_until).
    ``bbox`` (west, south, east, north) keeps sectors whose ground covered meets
    the box; ``parties`` keeps those parties' sectors. ``source`` is a service
    context or an open connection (to read inside the caller's transaction).
    Returns (payload, footprint) pairs in id order; footprints are lon/lat, with
    lines grown by their depth and posts by their radius. Raises ValidationFailed
    naming ``at_until`` if it comes before ``at_from``.
    """
    if at_until < at_from:
        raise ValidationFailed.single("at_until", "must not be before at_from")
    if isinstance(source, Connection):
        rows = in_force_rows(
            source, actor=actor, at_from=at_from, at_until=at_until, bbox=bbox, parties=parties
        )
    else:
        with read_transaction(source.engine) as conn:
            rows = in_force_rows(
                conn, actor=actor, at_from=at_from, at_until=at_until, bbox=bbox, parties=parties
            )
    if not rows:
        return []
    return [InForce(sector_payload(r), fp) for r, fp in zip(rows, footprints_of(rows), strict=True)]
