"""Protected-site use cases: declare (one, or an import all or nothing), change, read.

Sites default to releasability ``all``: every party should keep clear of them.
:func:`sites_active` and :func:`sites_near` are what deconfliction calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, and_, or_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import SectorStatusChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.protected_sites import check_site, check_site_change, validate_site_input
from tansiq.geo.geometry import from_geojson_texts, to_metric, to_metric_many
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.marks import marked
from tansiq.services.core.pagination import CursorSeal, Page, each, equal_to, visible_page
from tansiq.services.sectors.geo_records import (
    PlacedKind,
    create_placed,
    get_placed,
    import_placed,
    placed_history,
    update_placed,
)
from tansiq.services.sectors.queries import (
    MAX_GEOJSON_FEATURES,
    BBox,
    bounded_collection,
    box_meets,
)
from tansiq.services.sectors.records import PROTECTED_SITE, site_payload
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.sectors import protected_sites
from tansiq.storage.visibility import visible_to

_METRES_PER_DEGREE = 111_320.0
MAX_NEAR_M = 100_000.0

SITES = PlacedKind(
    record=PROTECTED_SITE,
    validate=validate_site_input,
    check=check_site,
    check_change=lambda current, _changes: check_site_change(current),
    noun="site",
    label="protected site",
)


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

    Error names and errors as :func:`tansiq.services.sectors.geo_records.create_placed`.
    """
    return create_placed(ctx, SITES, actor=actor, items=items, field_names=field_names)


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
    return import_placed(ctx, SITES, actor=actor, features=features)


def update_site(
    ctx: ServiceContext,
    *,
    actor: Actor,
    site_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Change a site of the actor's party (a withdrawal with its ``reason``): a new
    version, journaled. Raises as :func:`tansiq.services.sectors.geo_records.update_placed`.
    """
    return update_placed(
        ctx,
        SITES,
        actor=actor,
        record_id=site_id,
        changes=changes,
        expected_version=expected_version,
        reason=reason,
    )


def get_site(ctx: ServiceContext, *, actor: Actor, site_id: str) -> dict[str, Any]:
    """The current version; raises NotFound when absent or not released to the actor."""
    return get_placed(ctx, SITES, actor=actor, record_id=site_id)


def site_history(ctx: ServiceContext, *, actor: Actor, site_id: str) -> list[dict[str, Any]]:
    """Every version of a site the actor may see; raises NotFound like get_site."""
    return placed_history(ctx, SITES, actor=actor, record_id=site_id)


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
    c = protected_sites.c
    where = equal_to((c.kind, kind), (c.party_id, party), (c.status, status))
    if bbox is not None:
        where.append(box_meets(protected_sites, bbox))
    return visible_page(
        ctx,
        protected_sites,
        actor=actor,
        where=where,
        present=marked(PROTECTED_SITE.name, each(site_payload)),
        cursor=cursor,
        limit=limit,
        max_limit=MAX_GEOJSON_FEATURES,
    )


def sites_geojson(
    ctx: ServiceContext,
    *,
    actor: Actor,
    kind: str | None = None,
    bbox: BBox | None = None,
    cursor: str | None = None,
    limit: int = 10_000,
) -> dict[str, Any]:
    """Sites released to the actor as a GeoJSON FeatureCollection; raises as :func:`list_sites`.

    Holds at most ``limit`` features and about MAX_GEOJSON_VERTICES positions.
    """
    return bounded_collection(
        lambda after, n: list_sites(ctx, actor=actor, kind=kind, bbox=bbox, cursor=after, limit=n),
        seal=CursorSeal.for_table(ctx, protected_sites),
        cursor=cursor,
        limit=limit,
    )


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
