"""Incident use cases: file (one or a batch), correct, read, history.

Releasability is never decided here: reads go through ``visible_to`` (SQL) and
``is_visible`` (history entries), the one rule in two forms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    IncidentStatusChoices,
)
from tansiq.domain.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    PermissionDenied,
    ValidationFailed,
)
from tansiq.domain.fields import check_member_center
from tansiq.domain.incidents import (
    INITIAL_STATUSES,
    check_taxonomy_and_center,
    check_transition,
    inspect_incident_input,
    settle_disorder_type,
    validate_incident_input,
)
from tansiq.geo.boundaries import locate_many, sub_districts
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.owned import Change, change_owned, get_visible, visible_history
from tansiq.services.core.versioning import (
    first_version,
    insert_records,
)
from tansiq.services.incidents.policy import may_file_incident, may_verify_incident
from tansiq.services.incidents.records import INCIDENT, incident_payload
from tansiq.services.operations.rechecks import recheck_concerning
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.incidents import incidents

MAX_BATCH = 1000
OUTSIDE_IRAQ = "is outside Iraq; set cross_border to true to file a cross-border event"
TAKEN_EVENT_ID = "another incident of your party has this event id (a re-import updates it)"


def _require_writer(actor: Actor) -> None:
    if not may_file_incident(actor):
        raise PermissionDenied("your role may not file or correct incident reports")


def place_all(items: Sequence[tuple[str, dict[str, Any]]], errors: ErrorCollector) -> None:
    """Give each (prefix, values) its governorate, district and sub-district from its
    point (``lon``/``lat``), naming ``<prefix>location`` when it lies outside Iraq and
    ``cross_border`` is not set."""
    points = [(v["lon"], v["lat"]) for _, v in items]
    areas = locate_many(points)
    for (prefix, values), area, admin3 in zip(
        items, areas, sub_districts(points, areas), strict=True
    ):
        if area is None and not values.get("cross_border", True):
            errors.add(f"{prefix}location", OUTSIDE_IRAQ)
        values["admin1"] = area.admin1 if area else None
        values["admin2"] = area.admin2 if area else None
        values["admin3"] = admin3


def create_incidents(
    ctx: ServiceContext, *, actor: Actor, items: Sequence[Mapping[str, Any]], batch: bool = True
) -> list[dict[str, Any]]:
    """File incidents for the actor's party, all or nothing.

    Raises PermissionDenied for a role that may not file, ValidationFailed naming
    each bad field (``items[3].event_type`` in a batch), Conflict when a concurrent
    writer took one of their event ids; then nothing is written.
    """
    new = _new_rows(ctx, actor, items, batch=batch)
    try:
        with write_transaction(ctx.engine) as conn:
            return _insert(conn, ctx, actor, new)
    except IntegrityError:
        # Only a concurrent writer filing the same event id gets past the check in _insert.
        raise Conflict(TAKEN_EVENT_ID) from None


def insert_incident(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """File one incident inside the caller's transaction (the review queue accepting a
    candidate writes it with the candidate's new version); raises as :func:`create_incident`."""
    return _insert(conn, ctx, actor, _new_rows(ctx, actor, [data], batch=False))[0]


@dataclass(frozen=True)
class _NewRows:
    """Checked and placed first versions, with what each came from (to check event ids)."""

    accepted: list[tuple[str, dict[str, Any]]]
    rows: list[dict[str, Any]]
    detail: str


def _insert(
    conn: Connection, ctx: ServiceContext, actor: Actor, new: _NewRows
) -> list[dict[str, Any]]:
    errors = ErrorCollector()
    refuse_taken_event_ids(conn, actor, new.accepted, errors)
    errors.raise_if_any(new.detail)
    return insert_records(conn, ctx, INCIDENT, new.rows, actor_id=actor.user_id)


def _new_rows(
    ctx: ServiceContext, actor: Actor, items: Sequence[Mapping[str, Any]], *, batch: bool
) -> _NewRows:
    """Version 1 of each incident, checked and placed; raises as :func:`create_incidents`."""
    _require_writer(actor)
    if batch and not 1 <= len(items) <= MAX_BATCH:
        raise ValidationFailed.single("items", f"must hold between 1 and {MAX_BATCH} incidents")
    now = ctx.clock()
    errors = ErrorCollector()
    accepted: list[tuple[str, dict[str, Any]]] = []
    for index, item in enumerate(items):
        prefix = f"items[{index}]." if batch else ""
        values, problems = inspect_incident_input(item, now=now)
        errors.errors.extend(FieldError(prefix + e.field, e.message) for e in problems)
        if values.get("status", "submitted") not in INITIAL_STATUSES:
            errors.add(f"{prefix}status", "a new incident is draft or submitted")
        check_member_center(
            errors, values.get("center_id"), actor.centers, name=f"{prefix}center_id"
        )
        if "lon" in values:
            # Placed even when other fields are bad, so every problem is named at once.
            accepted.append((prefix, values))
    place_all(accepted, errors)
    rows = [] if errors.errors else [first_version(v, actor=actor, now=now) for _, v in accepted]
    detail = "The incident is invalid" if not batch else "The batch is invalid"
    errors.raise_if_any(detail)
    return _NewRows(accepted, rows, detail)


def refuse_taken_event_ids(
    conn: Connection,
    actor: Actor,
    items: Sequence[tuple[str, Mapping[str, Any]]],
    errors: ErrorCollector,
    *,
    incident_id: str | None = None,
) -> None:
    """Name ``<prefix>event_id_cnty`` of each (prefix, values) whose event id another
    incident of the actor's party (or an earlier item) already has; ``incident_id`` is
    the incident being corrected, which may keep its own."""
    wanted = {v["event_id_cnty"] for _, v in items if v.get("event_id_cnty") is not None}
    if not wanted:
        return
    query = select(incidents.c.event_id_cnty).where(
        incidents.c.party_id == actor.party,
        incidents.c.event_id_cnty.in_(sorted(wanted)),
        incidents.c.id != (incident_id or ""),
    )
    taken = set(conn.execute(query).scalars())
    for prefix, values in items:
        event_id = values.get("event_id_cnty")
        if event_id is None:
            continue
        if event_id in taken:
            errors.add(f"{prefix}event_id_cnty", TAKEN_EVENT_ID)
        taken.add(event_id)


def create_incident(
    ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """File one incident; raises as :func:`create_incidents` with unprefixed field names."""
    return create_incidents(ctx, actor=actor, items=[data], batch=False)[0]


def update_incident(
    ctx: ServiceContext,
    *,
    actor: Actor,
    incident_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Correct an incident: a new version, journaled; nothing is overwritten in the journal.

    Raises NotFound (absent or not visible), PermissionDenied (another party's
    record, or a role that may not do this), Conflict (``expected_version`` is
    stale), ValidationFailed naming each bad field.
    """
    _require_writer(actor)
    values = validate_incident_input(changes, now=ctx.clock(), partial=True)

    read: list[Mapping[str, Any]] = []

    def rules(conn: Connection, current: Mapping[str, Any]) -> Change:
        read.append(current)
        new_status = values.get("status", current["status"])
        check_transition(current["status"], new_status)
        if current["status"] == IncidentStatusChoices.RETRACTED:
            raise ValidationFailed.single("status", "a retracted incident cannot be changed")
        verifying = new_status == IncidentStatusChoices.VERIFIED != current["status"]
        if verifying and not may_verify_incident(actor):
            raise PermissionDenied("only an analyst may verify an incident")
        merged = {**current, **values}
        settle_disorder_type(merged, values.keys())
        check_taxonomy_and_center(merged)
        errors = ErrorCollector()
        if "center_id" in values:
            check_member_center(errors, merged.get("center_id"), actor.centers)
        if {"lon", "cross_border"} & values.keys():
            place_all([("", merged)], errors)
        if "event_id_cnty" in values:
            refuse_taken_event_ids(conn, actor, [("", merged)], errors, incident_id=incident_id)
        errors.raise_if_any("The change is invalid")
        retracted = new_status == IncidentStatusChoices.RETRACTED
        return Change(merged, action="retract" if retracted else "update")

    def after(conn: Connection, changed: dict[str, Any]) -> None:
        recheck_concerning(conn, ctx, actor=actor, before=read[0], after=changed)

    try:
        changed = change_owned(ctx, INCIDENT, actor, incident_id, expected_version, rules, after)
    except IntegrityError:
        raise Conflict(TAKEN_EVENT_ID) from None
    return incident_payload(changed)


def get_incident(ctx: ServiceContext, *, actor: Actor, incident_id: str) -> dict[str, Any]:
    """The current version; raises NotFound when absent or not released to the actor."""
    return get_visible(ctx, INCIDENT, actor=actor, record_id=incident_id)


def incident_history(
    ctx: ServiceContext, *, actor: Actor, incident_id: str
) -> list[dict[str, Any]]:
    """Every version the actor may see, oldest first; raises NotFound like get_incident."""
    return visible_history(ctx, INCIDENT, actor=actor, record_id=incident_id)
