"""The "security vacuum" view: who covers an area at a date, where they overlap, the gaps.

Only sectors released to the actor count (the releasability rule): ground held
by a sector the actor may not see shows as a gap in their answer. The API, the
CLI and the web map all answer with :func:`coverage`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Final

import orjson
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import IncidentStatusChoices, SectorStatusChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.fields import parse_instant
from tansiq.geo.boundaries import governorate_pcode, governorate_shape, governorates
from tansiq.geo.budget import BudgetExceeded, OverlayBudget
from tansiq.geo.coverage import IncidentPoint, compute_coverage_metric, coverage_geojson
from tansiq.geo.geometry import GeometryError, parse_geometry, to_metric
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.marks import received_marks
from tansiq.services.incidents.records import INCIDENT
from tansiq.services.sectors.queries import box_meets, footprints_of, in_force_rows
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.directory import centers
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.sectors import sectors
from tansiq.storage.visibility import visible_to

#: Without a period, the incidents of the 30 days up to ``at`` are placed.
DEFAULT_INCIDENT_DAYS: Final = 30
MAX_INCIDENTS: Final = 100_000
# Sectors :func:`latest_day_in_force` weighs, latest-ending first (enough to find the day).
_LATEST_CANDIDATES: Final = 200
_AREA_HELP: Final = "must be a governorate, a center code, or a GeoJSON Polygon/MultiPolygon"
# Incidents that were never filed or were taken back do not show in the vacuum.
_LEFT_OUT: Final = (IncidentStatusChoices.DRAFT.value, IncidentStatusChoices.RETRACTED.value)


def parse_when(value: str | datetime, *, field: str = "at") -> datetime:
    """A date (``2020-02-20``, read as 00:00 UTC) or a date-time with an offset, in UTC.

    Raises ValidationFailed naming ``field``.
    """
    candidate: str | datetime = value
    if isinstance(value, str):
        try:
            candidate = datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        except ValueError:
            pass
    try:
        # parse_instant also refuses a date too near year 1 or 9999 to count back from.
        return parse_instant(candidate)
    except ValueError as exc:
        raise ValidationFailed.single(
            field, f"{exc} (or a date such as 2020-02-20, read as 00:00 UTC)"
        ) from None


def _center_area(conn: Connection, name: str) -> tuple[dict[str, Any], BaseGeometry] | None:
    row = conn.execute(
        select(centers).where((centers.c.code == name) | (centers.c.id == name))
    ).first()
    if row is None:
        return None
    if not row.governorates:
        raise ValidationFailed.single("area", f"center {row.code} has no governorates")
    shape = shapely.union_all([governorate_shape(g) for g in row.governorates])
    return {"kind": "center", "code": row.code, "name": row.name_en}, shape


def resolve_area(
    conn: Connection, area: str | Mapping[str, Any]
) -> tuple[dict[str, Any], BaseGeometry]:
    """The area named by a governorate, a center code (or id), or a GeoJSON polygon.

    Returns ({kind, code, name}, lon/lat geometry). Raises ValidationFailed naming ``area``.
    """
    if isinstance(area, str) and area.lstrip().startswith("{"):
        try:
            area = orjson.loads(area)
        except orjson.JSONDecodeError:
            raise ValidationFailed.single("area", "is not valid JSON") from None
    if isinstance(area, Mapping):
        try:
            shape = parse_geometry(area, allowed=("Polygon", "MultiPolygon"), cross_border=True)
        except GeometryError as exc:
            raise ValidationFailed.single("area", str(exc)) from None
        return {"kind": "polygon", "code": None, "name": "drawn area"}, shape
    if not isinstance(area, str) or not area.strip() or len(area) > 200:
        raise ValidationFailed.single("area", _AREA_HELP)
    try:
        pcode = governorate_pcode(area)
    except KeyError:
        found = _center_area(conn, area.strip())
        if found is None:
            raise ValidationFailed.single("area", f"{area!r} is unknown; {_AREA_HELP}") from None
        return found
    name = next(g["name_en"] for g in governorates() if g["pcode"] == pcode)
    return {"kind": "governorate", "code": pcode, "name": name}, governorate_shape(pcode)


def _incident_rows(
    conn: Connection, actor: Actor, shape: BaseGeometry, since: datetime, until: datetime
) -> list[Any]:
    west, south, east, north = shape.bounds
    c = incidents.c
    query = (
        select(c.id, c.lon, c.lat, c.occurred_at, c.event_type, c.sub_event_type, c.party_id)
        .where(
            visible_to(incidents, actor),
            c.occurred_at >= since,
            c.occurred_at < until,
            c.lon.between(west, east),
            c.lat.between(south, north),
            c.status.not_in(_LEFT_OUT),
        )
        .order_by(c.occurred_at, c.id)
        .limit(MAX_INCIDENTS)
    )
    return list(conn.execute(query))


def coverage(
    ctx: ServiceContext,
    *,
    actor: Actor,
    area: str | Mapping[str, Any],
    at: datetime,
    incidents_since: datetime | None = None,
    incidents_until: datetime | None = None,
    parties: Collection[str] | None = None,
) -> dict[str, Any]:
    """Coverage of ``area`` at instant ``at`` by the sectors released to ``actor``.

    ``area`` is a governorate (any spelling), a center code or id (its governorates),
    or a GeoJSON Polygon/MultiPolygon (dict or JSON text). ``parties`` limits the
    sectors counted. Incidents released to the actor from ``incidents_since``
    (default 30 days before ``incidents_until``) to ``incidents_until`` (default
    ``at``) are placed in the gaps. Answers a GeoJSON FeatureCollection whose
    features are the area, each party's coverage, the overlap, each gap part and the
    incidents in gaps, with a ``summary`` member of rows {layer, party, area_km2,
    incident_count}. Raises ValidationFailed naming ``area`` or ``incidents_until``,
    naming ``area`` too when the overlay would cost more than ``TANSIQ_MAX_CROSSINGS``.
    """
    until = incidents_until or at
    since = incidents_since or until - timedelta(days=DEFAULT_INCIDENT_DAYS)
    if since >= until:
        raise ValidationFailed.single("incidents_until", "must be after incidents_since")
    with read_transaction(ctx.engine) as conn:
        label, shape = resolve_area(conn, area)
        rows = in_force_rows(
            conn, actor=actor, at_from=at, at_until=at, bbox=shape.bounds, parties=parties
        )
        found = _incident_rows(conn, actor, shape, since, until)
    points = [IncidentPoint(r.id, r.lon, r.lat) for r in found]
    try:
        result = compute_coverage_metric(
            to_metric(shape),
            [r["party_id"] for r in rows],
            footprints_of(rows, metric=True) if rows else [],
            points,
            budget=OverlayBudget(max_crossings=ctx.settings.max_crossings),
        )
    except BudgetExceeded as exc:
        raise ValidationFailed.single("area", str(exc)) from None
    in_gaps = {i for part in result.gap_parts for i in part.incident_ids}
    with read_transaction(ctx.engine) as conn:
        marks = received_marks(conn, INCIDENT.name, in_gaps)
    details = {
        r.id: {
            "occurred_at": iso_utc(r.occurred_at),
            "event_type": r.event_type,
            "sub_event_type": r.sub_event_type,
            "party": r.party_id,
            "received": marks.get(r.id),
        }
        for r in found
        if r.id in in_gaps
    }
    collection = coverage_geojson(
        result, incidents=details, points={r.id: (r.lon, r.lat) for r in found}
    )
    return {
        **collection,
        "area": label,
        "at": iso_utc(at),
        "incidents_since": iso_utc(since),
        "incidents_until": iso_utc(until),
        "parties": sorted({r["party_id"] for r in rows}),
        "sector_count": len(rows),
    }


def latest_day_in_force(
    ctx: ServiceContext,
    *,
    actor: Actor,
    area: str | Mapping[str, Any],
    on_or_before: date,
    at: time,
    zone: tzinfo,
) -> date | None:
    """The latest day, up to ``on_or_before``, at whose ``at`` (in ``zone``) a sector counts.

    A sector counts as in :func:`coverage`: active, released to ``actor`` and meeting
    the box of ``area``. None when no such day exists. Lets a page opened on a date
    with nothing in force say which date has something. Raises ValidationFailed
    naming ``area`` as :func:`coverage` does.
    """
    latest_instant = datetime.combine(on_or_before, at, tzinfo=zone).astimezone(UTC)
    c = sectors.c
    with read_transaction(ctx.engine) as conn:
        _label, shape = resolve_area(conn, area)
        rows = conn.execute(
            select(c.valid_from, c.valid_until)
            .where(
                visible_to(sectors, actor),
                c.status == SectorStatusChoices.ACTIVE.value,
                c.valid_from <= latest_instant,
                box_meets(sectors, shape.bounds),
            )
            # The latest ends first: a day inside one of them is close to the answer.
            .order_by(c.valid_until.desc())
            .limit(_LATEST_CANDIDATES)
        ).all()
    best: date | None = None
    for valid_from, valid_until in rows:
        day = _last_day_within(valid_from, valid_until, on_or_before, at, zone)
        if day is not None and (best is None or day > best):
            best = day
    return best


def _last_day_within(
    valid_from: datetime, valid_until: datetime, on_or_before: date, at: time, zone: tzinfo
) -> date | None:
    """The latest day <= ``on_or_before`` whose ``at`` lies in [valid_from, valid_until)."""
    last = min(valid_until - timedelta(microseconds=1), _instant(on_or_before, at, zone))
    day = last.astimezone(zone).date()
    if _instant(day, at, zone) > last:
        day -= timedelta(days=1)
    return day if _instant(day, at, zone) >= valid_from else None


def _instant(day: date, at: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
