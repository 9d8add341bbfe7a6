"""Deconfliction of one plan version: gather, check, and build its finding rows.

Reads only what is released to the plan's owner party (the acting planner is
of that party), near the plan and in its window, inside the caller's
transaction; ``geo/deconflict.py`` does the geometry. A finding about something
released more narrowly than the plan stays with the owner party
(``finding_reach``), so no finding carries a record further than it was released.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    FindingKindChoices,
    FindingStatusChoices,
    IncidentStatusChoices,
)
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.operation_approvals import finding_reach
from tansiq.domain.operations import LIVE_STATUSES
from tansiq.geo.budget import BudgetExceeded, OverlayBudget
from tansiq.geo.deconflict import DeconflictionIndex, Feature, Finding, Window
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.ids import new_id
from tansiq.services.sectors.queries import sectors_in_force
from tansiq.services.sectors.site_commands import MAX_NEAR_M, sites_near
from tansiq.storage.tables.directory import centers
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.operations import operations
from tansiq.storage.visibility import visible_to

#: Incidents this recent (before the plan is proposed or amended) are reported.
RECENT_INCIDENT_DAYS: Final = 30
#: At most this many recent incidents are reported (newest first): they only inform.
MAX_INCIDENT_FINDINGS: Final = 100
BBox = tuple[float, float, float, float]


def center_members(conn: Connection) -> dict[str, frozenset[str]]:
    """Each center's id and its member parties."""
    rows = conn.execute(select(centers.c.id, centers.c.member_parties))
    return {r.id: frozenset(r.member_parties) for r in rows}


def buffer_m(ctx: ServiceContext) -> float:
    """The protected-site buffer; raises ValidationFailed if the setting is out of range."""
    value = float(ctx.settings.protected_buffer_m)
    if not 0 <= value <= MAX_NEAR_M:
        raise ValidationFailed.single(
            "TANSIQ_PROTECTED_BUFFER_M", f"must be between 0 and {MAX_NEAR_M:.0f} metres"
        )
    return value


def _operations_near(
    conn: Connection, actor: Actor, plan: Mapping[str, Any], bbox: BBox
) -> list[Feature]:
    c = operations.c
    west, south, east, north = bbox
    rows = conn.execute(
        select(operations).where(
            visible_to(operations, actor),
            c.id != plan["id"],
            c.status.in_(sorted(s.value for s in LIVE_STATUSES)),
            c.starts_at < plan["ends_at"],
            c.ends_at > plan["starts_at"],
            c.min_lon <= east,
            c.max_lon >= west,
            c.min_lat <= north,
            c.max_lat >= south,
        )
    ).mappings()
    return [
        Feature(
            r["id"],
            r["party_id"],
            shape(r["area"]),
            r["title"],
            Window(r["starts_at"], r["ends_at"]),
            r["releasability"],
            r["center_id"],
        )
        for r in rows
    ]


def _incidents_near(conn: Connection, actor: Actor, bbox: BBox, since: datetime) -> list[Feature]:
    c = incidents.c
    west, south, east, north = bbox
    rows = conn.execute(
        select(incidents)
        .where(
            visible_to(incidents, actor),
            c.occurred_at >= since,
            c.status.not_in([IncidentStatusChoices.DRAFT.value, IncidentStatusChoices.RETRACTED]),
            c.lon.between(west, east),
            c.lat.between(south, north),
        )
        .order_by(c.occurred_at.desc(), c.id.desc())
    ).mappings()
    return [
        Feature(
            r["id"],
            r["party_id"],
            Point(r["lon"], r["lat"]),
            f"{r['occurred_at']:%Y-%m-%d} {r['event_type']} — {r['sub_event_type']}"
            + (f" ({r['place_name']})" if r["place_name"] else ""),
            Window(r["occurred_at"], r["occurred_at"]),
            r["releasability"],
            r["center_id"],
        )
        for r in rows
    ]


def _placed_feature(payload: Mapping[str, Any], geometry: BaseGeometry) -> Feature:
    """A sector or site payload as a layer feature, named with its name and kind."""
    return Feature(
        payload["id"],
        payload["party"],
        geometry,
        f"{payload['name']} ({payload['kind']})",
        releasability=payload["releasability"],
        center_id=payload["center_id"],
    )


def _layers(
    conn: Connection,
    actor: Actor,
    plan: Mapping[str, Any],
    area: Any,
    buffer: float,
    now: datetime,
    budget: OverlayBudget,
) -> tuple[DeconflictionIndex, Window]:
    starts, ends = plan["starts_at"], plan["ends_at"]
    bbox: BBox = area.bounds
    sectors = [
        _placed_feature(s.sector, s.footprint)
        for s in sectors_in_force(conn, actor=actor, at_from=starts, at_until=ends, bbox=bbox)
    ]
    sites = [
        _placed_feature(n.site, n.geometry)
        for n in sites_near(
            conn, actor=actor, geometry=area, within_m=buffer, at_from=starts, at_until=ends
        )
    ]
    since = now - timedelta(days=RECENT_INCIDENT_DAYS)
    index = DeconflictionIndex(
        sectors=sectors,
        sites=sites,
        operations=_operations_near(conn, actor, plan, bbox),
        incidents=_incidents_near(conn, actor, bbox, since),
        budget=budget,
    )
    return index, Window(since, None)


def _capped(findings: list[Finding]) -> list[Finding]:
    recent = [f for f in findings if f.kind == FindingKindChoices.RECENT_INCIDENT]
    if len(recent) <= MAX_INCIDENT_FINDINGS:
        return findings
    recent.sort(key=lambda f: (f.subject.window.starts_at, f.subject.id), reverse=True)
    keep = {f.subject.id for f in recent[:MAX_INCIDENT_FINDINGS]}
    return [
        f for f in findings if f.kind != FindingKindChoices.RECENT_INCIDENT or f.subject.id in keep
    ]


def finding_rows(
    conn: Connection,
    ctx: ServiceContext,
    *,
    actor: Actor,
    plan: Mapping[str, Any],
    checked_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The finding rows (version 1, not yet written) of the plan's current version.

    ``plan`` is the operation row as it will be stored; ``actor`` is of its owner
    party; recent incidents are those of the days before ``checked_at`` (default now:
    a recheck passes the time the version was first checked). Raises ValidationFailed
    if the buffer setting is out of range, or naming ``area`` when overlaying it would
    cost more than ``TANSIQ_MAX_CROSSINGS``.
    """
    now = ctx.clock()
    buffer = buffer_m(ctx)
    area = shape(plan["area"])
    budget = OverlayBudget(max_crossings=ctx.settings.max_crossings)
    index, recent = _layers(conn, actor, plan, area, buffer, checked_at or now, budget)
    window = Window(plan["starts_at"], plan["ends_at"])
    try:
        found = index.check(
            area,
            window,
            plan["party_id"],
            buffer,
            exclude_ids={plan["id"]},
            incidents_window=recent,
        )
    except BudgetExceeded as exc:
        raise ValidationFailed.single("area", str(exc)) from None
    findings = _capped(found)
    members = center_members(conn)
    rows = []
    for finding in findings:
        releasability, center_id = finding_reach(
            plan_owner=plan["party_id"],
            plan_releasability=plan["releasability"],
            plan_center=plan["center_id"],
            subject_party=finding.subject.party,
            subject_releasability=finding.subject.releasability,
            subject_center=finding.subject.center_id,
            center_members=members,
        )
        rows.append(
            {
                "id": new_id(),
                "operation_id": plan["id"],
                "party_id": plan["party_id"],
                "plan_version": plan["plan_version"],
                "plan_hash": plan["plan_hash"],
                "kind": finding.kind.value,
                "blocking": finding.blocking,
                "subject_id": finding.subject.id,
                "subject_party": finding.subject.party,
                "overlap_km2": finding.overlap_km2,
                "distance_m": finding.distance_m,
                "summary": finding.summary,
                "status": FindingStatusChoices.OPEN.value,
                "cleared_reason": None,
                "releasability": releasability,
                "center_id": center_id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "created_by": actor.user_id,
                "updated_by": actor.user_id,
            }
        )
    return rows
