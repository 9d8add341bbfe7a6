"""Disputes, derived at read time from contests, incidents and resolution records.

The rule (see ``domain/assessments.py``): a ``contest`` assessment opens a
dispute on another party's incident; it closes when the contest is withdrawn,
the owner retracts or corrects the incident, or both parties attach a
resolution. Nothing about a dispute is stored on the incident (single writer).

A dispute is on a center's agenda when both parties are members of the center
and the contest or the incident is linked to the center, or the incident lies
in one of the center's governorates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.assessments import DisputeState, dispute_state
from tansiq.domain.choices import (
    AssessmentKindChoices,
    AssessmentStatusChoices,
    IncidentStatusChoices,
)
from tansiq.domain.errors import ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.history import journaled_versions
from tansiq.services.core.marks import mark_received
from tansiq.services.core.versioning import visible_row
from tansiq.services.incidents.records import (
    ASSESSMENT,
    INCIDENT,
    assessment_payload,
    incident_payload,
)
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.directory import centers
from tansiq.storage.tables.incidents import assessments, dispute_resolutions, incidents
from tansiq.storage.visibility import visible_to

Row = Mapping[Any, Any]


def dispute_states(
    conn: Connection, rows: Sequence[Row]
) -> dict[str, tuple[DisputeState, dict[str, Any]]]:
    """For each contest among assessment ``rows``: (its dispute state, the incident payload).

    Incidents, resolutions and contested versions are read without a visibility
    rule, to derive the state only; callers show the incident to readers of the
    contest, who may see it (an assessment never reaches further than its incident).
    """
    contests = [r for r in rows if r["kind"] == AssessmentKindChoices.CONTEST]
    if not contests:
        return {}
    incident_ids = sorted({r["incident_id"] for r in contests})
    found = conn.execute(select(incidents).where(incidents.c.id.in_(incident_ids))).mappings()
    current = {r["id"]: incident_payload(r) for r in found}
    resolved: dict[str, set[str]] = defaultdict(set)
    for res in conn.execute(
        select(dispute_resolutions.c.assessment_id, dispute_resolutions.c.party_id).where(
            dispute_resolutions.c.assessment_id.in_([r["id"] for r in contests])
        )
    ):
        resolved[res.assessment_id].add(res.party_id)
    wanted = {
        (r["incident_id"], r["incident_version"])
        for r in contests
        if current[r["incident_id"]]["version"] > r["incident_version"]
    }
    contested = journaled_versions(conn, kind=INCIDENT.name, wanted=wanted)
    states = {}
    for row in contests:
        incident = current[row["incident_id"]]
        state = dispute_state(
            contest=assessment_payload(row),
            incident=incident,
            contested_version=contested.get((row["incident_id"], row["incident_version"])),
            resolved_by=resolved[row["id"]],
        )
        assert state is not None  # a contest always has a dispute state
        states[row["id"]] = (state, incident)
    return states


def present_assessment(row: Row, state: DisputeState | None) -> dict[str, Any]:
    """An assessment's answer: its payload and ``dispute`` (null unless a contest)."""
    return {**assessment_payload(row), "dispute": state.as_dict() if state else None}


def _open_contests(conn: Connection, actor: Actor, *extra: Any) -> list[Row]:
    query = (
        select(assessments)
        .join(incidents, incidents.c.id == assessments.c.incident_id)
        .where(
            assessments.c.kind == AssessmentKindChoices.CONTEST.value,
            assessments.c.status == AssessmentStatusChoices.ACTIVE.value,
            visible_to(assessments, actor),
            visible_to(incidents, actor),
            *extra,
        )
        .order_by(assessments.c.created_at, assessments.c.id)
    )
    return list(conn.execute(query).mappings().all())


def disputed_incident_ids(conn: Connection, actor: Actor) -> frozenset[str]:
    """Ids of the incidents the actor sees that have an open dispute the actor sees."""
    states = dispute_states(conn, _open_contests(conn, actor))
    return frozenset(incident["id"] for state, incident in states.values() if state.open)


def open_dispute_ids(ctx: ServiceContext, *, actor: Actor) -> frozenset[str]:
    """Ids of the incidents with an open dispute the actor sees (one read transaction)."""
    with read_transaction(ctx.engine) as conn:
        return disputed_incident_ids(conn, actor)


def shows_disputed(incident: Mapping[str, Any], open_ids: frozenset[str]) -> bool:
    """The one rule for "disputed" in lists, filters and maps.

    An incident is disputed when its owner set the status ``disputed`` or another
    party's contest keeps a dispute open on it (``open_ids``, from
    :func:`open_dispute_ids`); :func:`tansiq.services.incidents.queries.disputed_clause`
    is the same rule in SQL.
    """
    return incident["status"] == IncidentStatusChoices.DISPUTED or incident["id"] in open_ids


def incident_dispute(ctx: ServiceContext, *, actor: Actor, incident_id: str) -> dict[str, Any]:
    """``{"disputed": bool, "open_contests": [assessment ids]}`` for one incident.

    Raises NotFound when the incident is absent or not released to the actor.
    """
    with read_transaction(ctx.engine) as conn:
        visible_row(conn, incidents, actor, incident_id, label="incident")
        rows = _open_contests(conn, actor, assessments.c.incident_id == incident_id)
        states = dispute_states(conn, rows)
    open_ids = [r["id"] for r in rows if states[r["id"]][0].open]
    return {"disputed": bool(open_ids), "open_contests": open_ids}


def _on_agenda(center: Row, contest: Row, incident: Mapping[str, Any]) -> bool:
    members = set(center["member_parties"])
    if not {contest["party_id"], contest["incident_party"]} <= members:
        return False
    return (
        center["id"] in (contest["center_id"], incident["center_id"])
        or incident["admin1"] in center["governorates"]
    )


def list_disputes(
    ctx: ServiceContext, *, actor: Actor, center: str | None = None
) -> list[dict[str, Any]]:
    """Open disputes the actor sees, oldest first; with ``center`` (a code), its agenda.

    Each item is ``{"assessment", "incident", "dispute"}``. Raises
    ValidationFailed naming ``center`` for an unknown center code.
    """
    with read_transaction(ctx.engine) as conn:
        center_row: Row | None = None
        if center is not None:
            query = select(centers).where(centers.c.code == center)
            center_row = conn.execute(query).mappings().first()
            if center_row is None:
                raise ValidationFailed.single("center", f"unknown center code {center!r}")
        rows = _open_contests(conn, actor)
        states = dispute_states(conn, rows)
        items = []
        for row in rows:
            state, incident = states[row["id"]]
            if not state.open or (center_row and not _on_agenda(center_row, row, incident)):
                continue
            items.append(
                {
                    "assessment": present_assessment(row, state),
                    "incident": _incident_summary(incident),
                    "dispute": state.as_dict(),
                }
            )
        mark_received(conn, ASSESSMENT.name, [item["assessment"] for item in items])
        mark_received(conn, INCIDENT.name, [item["incident"] for item in items])
    return items


def _incident_summary(incident: Mapping[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "party",
        "version",
        "status",
        "occurred_at",
        "event_type",
        "sub_event_type",
        "place_name",
        "admin1",
        "admin2",
        "center_id",
    )
    return {key: incident[key] for key in keys}
