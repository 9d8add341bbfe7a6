"""Assessment use cases: assess another party's incident, amend or withdraw, resolve a dispute.

An assessment is owned by the assessing party and names the incident version it
assesses; a resolution is owned by the party marking a contest's dispute
resolved. Disputes themselves are derived (``services/incidents/dispute_queries.py``). Every
write is one transaction with its journal entry; nothing is written when it raises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from tansiq.domain.actors import Actor
from tansiq.domain.assessments import (
    check_contest_reason,
    check_may_resolve,
    check_transition,
    validate_assessment_input,
)
from tansiq.domain.choices import (
    AssessmentStatusChoices,
    IncidentStatusChoices,
    ReleasabilityChoices,
)
from tansiq.domain.errors import Conflict, ErrorCollector, PermissionDenied, ValidationFailed
from tansiq.domain.fields import check_text
from tansiq.domain.notices import MAX_TEXT, check_reaches
from tansiq.domain.reasons import check_reason
from tansiq.services.core.attached import attached_rows
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.creation import insert_owned
from tansiq.services.core.history import record_history
from tansiq.services.core.marks import mark_one, mark_received, marked
from tansiq.services.core.owned import Change, change_owned
from tansiq.services.core.pagination import Page, visible_page
from tansiq.services.core.versioning import (
    visible_row,
)
from tansiq.services.incidents.dispute_queries import dispute_states, present_assessment
from tansiq.services.incidents.policy import may_write_assessments
from tansiq.services.incidents.records import (
    ASSESSMENT,
    DISPUTE_RESOLUTION,
    assessment_payload,
    resolution_payload,
)
from tansiq.services.notices.commands import center_members
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.incidents import assessments, dispute_resolutions, incidents

Row = Mapping[Any, Any]


def _require_writer(actor: Actor) -> None:
    if not may_write_assessments(actor):
        raise PermissionDenied("your role may not assess incidents or resolve disputes")


def _check_release(
    conn: Connection, record: Mapping[str, Any], incident: Row, assessor: str
) -> None:
    """The assessment must reach the incident's owner, and go no further than the incident."""
    errors = ErrorCollector()
    check_reaches(
        errors,
        releasability=record["releasability"],
        center_id=record["center_id"],
        center_members=center_members(conn, record["center_id"]),
        parties=(assessor, incident["party_id"]),
    )
    if (
        not errors.errors
        and incident["releasability"] == ReleasabilityChoices.CENTER
        and (
            record["releasability"] != ReleasabilityChoices.CENTER
            or record["center_id"] != incident["center_id"]
        )
    ):
        errors.add(
            "releasability",
            f"must not reach further than the incident: center with center_id "
            f"{incident['center_id']}",
        )
    errors.raise_if_any("The assessment is invalid")


def _present_one(conn: Connection, row: Row) -> dict[str, Any]:
    state = dispute_states(conn, [row]).get(row["id"])
    return mark_one(conn, ASSESSMENT.name, present_assessment(row, state[0] if state else None))


def assess_incident(
    ctx: ServiceContext, *, actor: Actor, incident_id: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Corroborate, contest or comment on another party's incident, as the actor's party.

    Returns the journaled record (``get_assessment`` adds the derived dispute).
    Raises NotFound (incident absent or not released to the actor),
    PermissionDenied (role), Conflict (``incident_version`` is not the current
    one), ValidationFailed naming each bad field (``incident_id`` for the
    actor's own party's or a retracted incident; ``releasability`` when it
    would not reach the owner or would reach further than the incident).
    """
    _require_writer(actor)
    values = validate_assessment_input(data)
    check_contest_reason(values)
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        incident = visible_row(conn, incidents, actor, incident_id, label="incident")
        if incident["party_id"] == actor.party:
            raise ValidationFailed.single(
                "incident_id", "is your own party's incident; assess another party's"
            )
        if incident["status"] == IncidentStatusChoices.RETRACTED:
            raise ValidationFailed.single("incident_id", "is retracted; there is nothing to assess")
        wanted = values.get("incident_version")
        if wanted is not None and wanted != incident["version"]:
            raise Conflict(f"the incident is at version {incident['version']}, not {wanted}")
        _check_release(conn, values, incident, actor.party)
        row = insert_owned(
            conn,
            ctx,
            ASSESSMENT,
            {
                **values,
                "incident_id": incident_id,
                "incident_party": incident["party_id"],
                "incident_version": incident["version"],
            },
            actor=actor,
            now=now,
        )
    return assessment_payload(row)


def update_assessment(
    ctx: ServiceContext,
    *,
    actor: Actor,
    assessment_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Amend or withdraw (``status: withdrawn``) an assessment of the actor's party.

    ``kind`` and ``incident_version`` are fixed; withdrawing is final and needs a
    ``reason``, journaled as ``status_reason``. Returns the journaled record.
    Raises NotFound,
    PermissionDenied (another party's assessment, or role), Conflict (stale
    ``expected_version``), ValidationFailed naming each bad field (``reason`` when
    a withdrawal has none, or an amendment gives one).
    """
    _require_writer(actor)
    values = validate_assessment_input(changes, partial=True)
    if values.get("status") != AssessmentStatusChoices.WITHDRAWN and reason is not None:
        raise ValidationFailed.single("reason", "only a withdrawal takes a reason")

    def rules(conn: Connection, current: Mapping[str, Any]) -> Change:
        if current["status"] == AssessmentStatusChoices.WITHDRAWN:
            raise ValidationFailed.single("status", "a withdrawn assessment cannot be changed")
        new_status = values.get("status", current["status"])
        check_transition(current["status"], new_status)
        merged = {**current, **values}
        if new_status == AssessmentStatusChoices.WITHDRAWN:
            # Once the owner is known: a stranger is refused, not asked why.
            merged["status_reason"] = check_reason(reason)
        check_contest_reason(merged)
        incident = (
            conn.execute(select(incidents).where(incidents.c.id == current["incident_id"]))
            .mappings()
            .one()
        )
        _check_release(conn, merged, incident, actor.party)
        withdrawn = new_status == AssessmentStatusChoices.WITHDRAWN
        return Change(merged, action="withdraw" if withdrawn else "update")

    changed = change_owned(ctx, ASSESSMENT, actor, assessment_id, expected_version, rules)
    return assessment_payload(changed)


def resolve_dispute(
    ctx: ServiceContext, *, actor: Actor, assessment_id: str, comment: str = ""
) -> dict[str, Any]:
    """Mark a contest's dispute resolved for the actor's party (one of its two parties).

    The dispute closes once both the contesting party and the incident's owner
    have done so. Returns the resolution record with the ``dispute`` after it.
    Raises NotFound, PermissionDenied (a third party, or role), Conflict (the
    party already did, concurrently), ValidationFailed naming ``assessment``
    (not a contest, already closed or already marked) or ``comment``.
    """
    _require_writer(actor)
    errors = ErrorCollector()
    check_text(errors, "comment", comment, MAX_TEXT)
    errors.raise_if_any("The resolution is invalid")
    now = ctx.clock()
    try:
        with write_transaction(ctx.engine) as conn:
            contest = visible_row(conn, assessments, actor, assessment_id, label="assessment")
            parties = (contest["party_id"], contest["incident_party"])
            if actor.party not in parties:
                raise PermissionDenied("only the two parties to a dispute resolve it")
            state = dispute_states(conn, [contest]).get(assessment_id)
            check_may_resolve(
                actor_party=actor.party, state=state[0] if state else None, parties=parties
            )
            row = insert_owned(
                conn,
                ctx,
                DISPUTE_RESOLUTION,
                {
                    "assessment_id": assessment_id,
                    "incident_id": contest["incident_id"],
                    "comment": comment,
                    # Travels exactly as far as the contest: both parties see it.
                    "releasability": contest["releasability"],
                    "center_id": contest["center_id"],
                },
                actor=actor,
                now=now,
            )
            after = dispute_states(conn, [contest])[assessment_id][0]
    except IntegrityError:
        raise Conflict(f"{actor.party} already marked this dispute resolved") from None
    return {**resolution_payload(row), "dispute": after.as_dict()}


def get_assessment(ctx: ServiceContext, *, actor: Actor, assessment_id: str) -> dict[str, Any]:
    """The current version with its ``dispute``; raises NotFound when absent or not released."""
    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, assessments, actor, assessment_id, label="assessment")
        return _present_one(conn, row)


def assessment_detail(ctx: ServiceContext, *, actor: Actor, assessment_id: str) -> dict[str, Any]:
    """:func:`get_assessment` plus ``resolutions`` and ``history`` (what the actor may see)."""
    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, assessments, actor, assessment_id, label="assessment")
        found = attached_rows(
            conn, dispute_resolutions, "assessment_id", [assessment_id], actor=actor
        )
        resolutions = mark_received(
            conn, DISPUTE_RESOLUTION.name, [resolution_payload(r) for r in found]
        )
        history = record_history(conn, actor=actor, kind=ASSESSMENT.name, record_id=assessment_id)
        return {**_present_one(conn, row), "resolutions": resolutions, "history": history}


def list_assessments(
    ctx: ServiceContext,
    *,
    actor: Actor,
    incident_id: str,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Assessments of one incident the actor may see, newest first.

    Raises NotFound when the incident is not released to the actor,
    ValidationFailed for a bad cursor or limit.
    """

    def present(conn: Connection, rows: Sequence[Row]) -> list[dict[str, Any]]:
        states = dispute_states(conn, rows)
        return [
            present_assessment(r, states[r["id"]][0] if r["id"] in states else None) for r in rows
        ]

    return visible_page(
        ctx,
        assessments,
        actor=actor,
        where=[assessments.c.incident_id == incident_id],
        guard=lambda conn: visible_row(conn, incidents, actor, incident_id, label="incident"),
        present=marked(ASSESSMENT.name, present),
        sort=assessments.c.created_at,
        cursor=cursor,
        limit=limit,
    )
