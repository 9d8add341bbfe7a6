"""Rechecking stored findings when what they concern changes, and on the plan owner's request.

A finding is owned by its plan's owner party, and only that party's node writes it
(single writer). So a change to a sector, site, operation or incident — its reach, its
status (withdrawn, retracted, cancelled…), its geometry or window — rechecks, in the
same transaction, the findings of the plans *the changing party owns*
(``finding_refresh``); the plans of another party are rechecked by that party
(``recheck_findings``: the API's ``POST /operations/{id}/recheck``, ``tansiq operations
recheck``), and until then the read path (``finding_subjects``) already hides what a
viewer may no longer see. See docs/deconfliction.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    IncidentStatusChoices,
    OperationStatusChoices,
    SectorStatusChoices,
)
from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.domain.operations import LIVE_STATUSES
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.owned import load_owned
from tansiq.services.operations.policy import may_plan
from tansiq.services.operations.queries import findings_of
from tansiq.services.operations.records import OPERATION
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.operations import deconfliction_findings, operations

# A change to one of these may change what a finding says about the record (its reach,
# whether it stands, its figures or its text); any other change leaves findings alone.
CONCERNING_COLUMNS: Final = (
    "releasability",
    "center_id",
    "status",
    "name",
    "title",
    "kind",
    "event_type",
    "sub_event_type",
    "place_name",
    "occurred_at",
)
# A change to one of these may also bring the record into a plan it did not meet.
GEOMETRY_COLUMNS: Final = (
    "geometry",
    "depth_m",
    "radius_m",
    "area",
    "lon",
    "lat",
    "valid_from",
    "valid_until",
    "starts_at",
    "ends_at",
)
# The statuses of a record that is no subject of any new finding.
_OUT: Final = frozenset(
    {
        SectorStatusChoices.WITHDRAWN.value,
        IncidentStatusChoices.DRAFT.value,
        IncidentStatusChoices.RETRACTED.value,
        *(s.value for s in OperationStatusChoices if s not in LIVE_STATUSES),
    }
)
# Metres in a degree of longitude at 37.5°N, the north of Iraq: fewer than anywhere
# south of it, so a margin of buffer/this degrees is never too small there.
_METRES_PER_DEGREE: Final = 88_000.0


def _changed(before: Mapping[str, Any], after: Mapping[str, Any], columns: tuple[str, ...]) -> bool:
    return any(c in after and before.get(c) != after[c] for c in columns)


def _field(record: Mapping[str, Any]) -> str:
    """The input field that places the record: an incident's location, a plan's area."""
    if "area" in record:
        return "area"
    return "location" if "lon" in record else "geometry"


def _box(record: Mapping[str, Any]) -> tuple[float, float, float, float]:
    if "min_lon" in record:
        return record["min_lon"], record["min_lat"], record["max_lon"], record["max_lat"]
    return record["lon"], record["lat"], record["lon"], record["lat"]


def _meets_box(ctx: ServiceContext, record: Mapping[str, Any]) -> ColumnElement[bool]:
    """Live plans whose box meets the record's box widened by the protected-site buffer."""
    o = operations.c
    # The setting is checked (ValidationFailed) when the plan is rechecked.
    margin = max(float(ctx.settings.protected_buffer_m), 0.0) / _METRES_PER_DEGREE
    west, south, east, north = _box(record)
    return and_(
        o.status.in_(sorted(s.value for s in LIVE_STATUSES)),
        o.ends_at > ctx.clock(),
        o.min_lon <= east + margin,
        o.max_lon >= west - margin,
        o.min_lat <= north + margin,
        o.max_lat >= south - margin,
    )


def recheck_concerning(
    conn: Connection,
    ctx: ServiceContext,
    *,
    actor: Actor,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    meets_own_plans: bool = True,
) -> None:
    """After the actor's party changed a record, recheck the plans that party owns (the
    only ones its node may write) whose findings name it or, when its geometry or window
    changed, that it may now meet (live, not yet ended, near it) — unless
    ``meets_own_plans`` is False (a party's own sectors never conflict with its plans).

    Raises ValidationFailed naming the record's ``geometry`` (``area``, ``location``) when
    rechecking a plan against the changed record would overlay more than the crossings
    budget; then nothing is written.
    """
    # A record out of the picture (withdrawn, retracted, a draft, an ended plan) meets no
    # plan where it moved: only the findings that already name it are rechecked.
    moved = (
        meets_own_plans
        and _changed(before, after, GEOMETRY_COLUMNS)
        and after["status"] not in _OUT
    )
    if not moved and not _changed(before, after, CONCERNING_COLUMNS):
        return
    f, o = deconfliction_findings.c, operations.c
    names_it = (
        select(f.id)
        .where(f.operation_id == o.id, f.plan_hash == o.plan_hash, f.subject_id == after["id"])
        .exists()
    )
    concerned = or_(names_it, _meets_box(ctx, after)) if moved else names_it
    plans = conn.execute(
        select(operations)
        .where(o.party_id == actor.party, o.id != after["id"], concerned)
        .order_by(o.id)
    ).mappings()
    for plan in [dict(p) for p in plans]:
        try:
            refresh_plan(conn, ctx, actor=actor, plan=plan)
        except ValidationFailed as exc:
            detail = "; ".join(e.message for e in exc.errors)
            raise ValidationFailed.single(
                _field(after) if moved else "status",
                f"rechecking plan {plan['id']} ({plan['title']}) against it fails: {detail}",
            ) from None


def refresh_plan(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, plan: Mapping[str, Any]
) -> int:
    """``finding_refresh.refresh_plan``, imported when first called: deconfliction reads
    sectors and sites, whose commands import this module for their hooks."""
    from tansiq.services.operations import finding_refresh

    return finding_refresh.refresh_plan(conn, ctx, actor=actor, plan=plan)


def _require_planner(actor: Actor) -> None:
    if not may_plan(actor):
        raise PermissionDenied("your role may not recheck operation plans")


def recheck_findings(ctx: ServiceContext, *, actor: Actor, operation_id: str) -> dict[str, Any]:
    """Recheck the findings of a plan of the actor's party against what they concern now.

    Returns ``{"id", "changed", "findings"}``: the plan, how many findings were written
    (0: nothing changed, nothing written) and its current findings as the actor reads
    them. Raises NotFound (absent or not released to the actor), PermissionDenied (a
    role that may not plan, or another party's plan), ValidationFailed naming ``area``
    when the overlay is over the budget; then nothing is written.
    """
    _require_planner(actor)
    with write_transaction(ctx.engine) as conn:
        plan = load_owned(
            conn, OPERATION, actor=actor, record_id=operation_id, expected_version=None
        )
        changed = refresh_plan(conn, ctx, actor=actor, plan=plan)
        return {"id": plan["id"], "changed": changed, "findings": findings_of(conn, actor, plan)}


def recheck_party_plans(ctx: ServiceContext, *, actor: Actor) -> list[dict[str, Any]]:
    """Recheck every live plan of the actor's party, one transaction each, oldest id first.

    Returns ``{"id", "title", "changed"}`` per plan. Raises PermissionDenied for a role
    that may not plan, ValidationFailed as :func:`recheck_findings` (the plans before
    it stay rechecked).
    """
    _require_planner(actor)
    o = operations.c
    with write_transaction(ctx.engine) as conn:
        rows = conn.execute(
            select(o.id, o.title)
            .where(o.party_id == actor.party, o.status.in_(sorted(s.value for s in LIVE_STATUSES)))
            .order_by(o.id)
        ).all()
    done = []
    for row in rows:
        result = recheck_findings(ctx, actor=actor, operation_id=row.id)
        done.append({"id": row.id, "title": row.title, "changed": result["changed"]})
    return done
