"""Protected-site use cases: declare (one, or an import all or nothing), change, read.

Sites default to releasability ``all``: every party should keep clear of them.
:func:`sites_active` and :func:`sites_near` are what deconfliction calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
import orjson
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, and_, or_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import SectorStatusChoices
from tansiq.domain.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    PermissionDenied,
    ValidationFailed,
)
from tansiq.domain.protected_sites import check_site, check_site_change, validate_site_input
from tansiq.geo.geometry import from_geojson_texts, to_metric, to_metric_many
from tansiq.services.context import ServiceContext
from tansiq.services.geo_import import feature_items
from tansiq.services.records_sectors import PROTECTED_SITE, site_payload
from tansiq.services.sector_queries import BBox, Page, box_meets, decode_cursor, encode_cursor
from tansiq.services.sectors import (
    MAX_IMPORT,
    check_center,
    field_name,
    new_row,
    placed_columns,
    record_history,
    require_writer,
)
from tansiq.services.versioning import insert_records, new_version, visible_row
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables_sectors import protected_sites
from tansiq.storage.visibility import visible_to

_METRES_PER_DEGREE = 111_320.0
MAX_NEAR_M = 100_000.0


class ActiveSite(NamedTuple):
    """A protected site and its geometry (WGS84 lon/lat)."""

    site: dict[str, Any]  # the site's payload, as the API answers it
    geometry: BaseGeometry


class SiteNear(NamedTuple):
    """A protected site, its geometry (lon/lat) and its distance in metres (0 if touching)."""

    site: dict[str, Any]
    geometry: BaseGeometry
    distance_m: float


def create_sites(
    ctx: ServiceContext,
    *,
    actor: Actor,
    items: Sequence[Mapping[str, Any]],
    field_names: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Declare protected sites for the actor's party, all or nothing.

    Error names as :func:`tansiq.services.sectors.create_sectors`. Raises
    PermissionDenied, or ValidationFailed naming each bad field.
    """
    require_writer(actor, "protected sites")
    if not 1 <= len(items) <= MAX_IMPORT:
        raise ValidationFailed.single("items", f"must hold between 1 and {MAX_IMPORT} sites")
    prefixes = list(field_names) if field_names else [f"items[{i}]." for i in range(len(items))]
    now = ctx.clock()
    errors = ErrorCollector()
    rows = []
    for prefix, item in zip(prefixes, items, strict=True):
        try:
            values = validate_site_input(item)
            if values["status"] != SectorStatusChoices.ACTIVE:
                raise ValidationFailed.single("status", "a new protected site is active")
            placed = check_site(values)
        except ValidationFailed as exc:
            errors.errors.extend(
                FieldError(field_name(prefix, e.field), e.message) for e in exc.errors
            )
            continue
        check_center(values, actor, errors, prefix)
        rows.append(
            new_row({k: v for k, v in values.items() if k != "geometry"}, placed, actor, now)
        )
    errors.raise_if_any("The sites are invalid" if len(items) > 1 else "The site is invalid")
    with write_transaction(ctx.engine) as conn:
        insert_records(conn, ctx, PROTECTED_SITE, rows, actor_id=actor.user_id)
    return [site_payload(r) for r in rows]


def create_site(ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Declare one site; raises as :func:`create_sites` with unprefixed field names."""
    return create_sites(ctx, actor=actor, items=[data], field_names=[""])[0]


def import_sites(
    ctx: ServiceContext, *, actor: Actor, features: Sequence[Any]
) -> list[dict[str, Any]]:
    """Declare the sites of GeoJSON Features (properties: the site fields), all or nothing.

    Raises ValidationFailed naming e.g. ``features[3].geometry`` or
    ``features[3].properties.kind``; then nothing is written.
    """
    items, prefixes = feature_items(features)
    return create_sites(ctx, actor=actor, items=items, field_names=prefixes)


def update_site(
    ctx: ServiceContext,
    *,
    actor: Actor,
    site_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Change a site of the actor's party: a new version, journaled.

    Raises NotFound, PermissionDenied, Conflict, ValidationFailed as
    :func:`tansiq.services.sectors.update_sector`.
    """
    require_writer(actor, "protected sites")
    values = validate_site_input(changes, partial=True)
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        current = visible_row(conn, protected_sites, actor, site_id, label="protected site")
        if current["party_id"] != actor.party:
            raise PermissionDenied("only the owner party may change its protected sites")
        if expected_version is not None and expected_version != current["version"]:
            raise Conflict(f"the site is at version {current['version']}, not {expected_version}")
        check_site_change(current)
        merged = {**current, "geometry": orjson.loads(current["geometry"]), **values}
        placed = check_site(merged)
        errors = ErrorCollector()
        if "center_id" in values:
            check_center(merged, actor, errors)
        errors.raise_if_any("The change is invalid")
        withdrawn = merged["status"] == SectorStatusChoices.WITHDRAWN
        changed = new_version(
            conn,
            ctx,
            PROTECTED_SITE,
            current,
            {**{k: v for k, v in values.items() if k != "geometry"}, **placed_columns(placed)},
            actor_id=actor.user_id,
            now=now,
            action="withdraw" if withdrawn else "update",
        )
    return site_payload(changed)


def get_site(ctx: ServiceContext, *, actor: Actor, site_id: str) -> dict[str, Any]:
    """The current version; raises NotFound when absent or not released to the actor."""
    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, protected_sites, actor, site_id, label="protected site")
        return site_payload(row)


def site_history(ctx: ServiceContext, *, actor: Actor, site_id: str) -> list[dict[str, Any]]:
    """Every version of a site the actor may see; raises NotFound like get_site."""
    with read_transaction(ctx.engine) as conn:
        return record_history(conn, PROTECTED_SITE, actor, site_id, label="protected site")


def list_sites(
    ctx: ServiceContext,
    *,
    actor: Actor,
    kind: str | None = None,
    party: str | None = None,
    status: str | None = None,
    bbox: BBox | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Sites released to the actor, newest first; raises ValidationFailed (cursor, limit)."""
    if not 1 <= limit <= 50_000:
        raise ValidationFailed.single("limit", "must be between 1 and 50000")
    c = protected_sites.c
    query = select(protected_sites).where(visible_to(protected_sites, actor))
    for column, value in ((c.kind, kind), (c.party_id, party), (c.status, status)):
        if value is not None:
            query = query.where(column == value)
    if bbox is not None:
        query = query.where(box_meets(protected_sites, bbox))
    if cursor is not None:
        query = query.where(c.id < decode_cursor(cursor))
    with read_transaction(ctx.engine) as conn:
        found = conn.execute(query.order_by(c.id.desc()).limit(limit + 1)).mappings().all()
    more = len(found) > limit
    found = found[:limit]
    return Page([site_payload(r) for r in found], encode_cursor(found[-1]["id"]) if more else None)


def _active_rows(
    conn: Connection,
    actor: Actor,
    at_from: datetime | None,
    at_until: datetime | None,
    bbox: BBox | None,
) -> Sequence[Mapping[Any, Any]]:
    c = protected_sites.c
    query = select(protected_sites).where(
        visible_to(protected_sites, actor), c.status == SectorStatusChoices.ACTIVE.value
    )
    if at_from is not None and at_until is not None:
        # The SQL twin of domain.protected_sites.active_during.
        meets = (
            and_(c.starts_at <= at_from, c.ends_at > at_from)
            if at_from == at_until
            else and_(c.starts_at < at_until, c.ends_at > at_from)
        )
        query = query.where(or_(c.starts_at.is_(None), meets))
    if bbox is not None:
        query = query.where(box_meets(protected_sites, bbox))
    return conn.execute(query.order_by(c.id)).mappings().all()


def sites_active(
    source: ServiceContext | Connection,
    *,
    actor: Actor,
    at_from: datetime | None = None,
    at_until: datetime | None = None,
    bbox: BBox | None = None,
) -> list[ActiveSite]:
    """Active sites released to ``actor`` as (payload, lon/lat geometry) pairs, in id order.

    Sites without a window always count; a movement counts when its window
    [starts_at, ends_at) meets [at_from, at_until) (``at_from == at_until``: an
    instant). ``bbox`` keeps sites meeting the box. ``source``: context or connection.
    Raises ValidationFailed naming ``at_until`` if it comes before ``at_from``.
    """
    if at_from is not None and at_until is not None and at_until < at_from:
        raise ValidationFailed.single("at_until", "must not be before at_from")
    if isinstance(source, Connection):
        rows = _active_rows(source, actor, at_from, at_until, bbox)
    else:
        with read_transaction(source.engine) as conn:
            rows = _active_rows(conn, actor, at_from, at_until, bbox)
    if not rows:
        return []
    geoms = from_geojson_texts([r["geometry"] for r in rows])
    return [ActiveSite(site_payload(r), g) for r, g in zip(rows, geoms, strict=True)]


def sites_near(
    source: ServiceContext | Connection,
    *,
    actor: Actor,
    geometry: BaseGeometry,
    within_m: float,
    at_from: datetime | None = None,
    at_until: datetime | None = None,
) -> list[SiteNear]:
    """Active sites released to ``actor`` within ``within_m`` metres of a lon/lat geometry.

    Nearest first; distances in metres (UTM 38N), 0 for sites it touches or holds.
    Raises ValidationFailed naming ``within_m`` outside 0..100 km.
    """
    if not 0 <= within_m <= MAX_NEAR_M:
        raise ValidationFailed.single("within_m", f"must be between 0 and {MAX_NEAR_M:.0f} metres")
    west, south, east, north = geometry.bounds
    # A degree of longitude shrinks with latitude; pad generously, the exact test follows.
    pad_lat = within_m / _METRES_PER_DEGREE + 0.01
    pad_lon = pad_lat / max(np.cos(np.radians(max(abs(south), abs(north)))), 0.1)
    bbox = (west - pad_lon, south - pad_lat, east + pad_lon, north + pad_lat)
    found = sites_active(source, actor=actor, at_from=at_from, at_until=at_until, bbox=bbox)
    if not found:
        return []
    distances = shapely.distance(to_metric(geometry), to_metric_many([g for _, g in found]))
    near = [
        SiteNear(site, geom, float(d))
        for (site, geom), d in zip(found, distances, strict=True)
        if d <= within_m
    ]
    return sorted(near, key=lambda s: (s.distance_m, s.site["id"]))
