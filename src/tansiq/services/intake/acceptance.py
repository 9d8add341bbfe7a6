"""Accepting a candidate: the record it becomes, written by that record's own service.

The candidate's draft (``domain/intake_drafts.py``) gets the defaults only this
node knows (the center of the candidate's governorate, the one other party), then
the analyst's corrections; the target service checks the result as it checks any
input and writes it inside the caller's transaction, so the record and the
candidate's new version commit together or not at all. The service's field errors
are named below ``record.`` (``record.actor1``): that is where the caller puts them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import AcceptedRecordChoices
from tansiq.domain.errors import FieldError, ValidationFailed
from tansiq.domain.intake import TARGETS
from tansiq.domain.intake_drafts import draft_for
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import insert_incident
from tansiq.services.meetings.action_commands import insert_action_item
from tansiq.services.meetings.commands import insert_meeting
from tansiq.services.meetings.decision_commands import insert_decision
from tansiq.services.notices.commands import insert_notice
from tansiq.storage.tables.directory import centers, parties

Row = Mapping[Any, Any]
Writer = Callable[..., dict[str, Any]]
WRITERS: Mapping[AcceptedRecordChoices, Writer] = {
    AcceptedRecordChoices.INCIDENT: insert_incident,
    AcceptedRecordChoices.MEETING: insert_meeting,
    AcceptedRecordChoices.DECISION: insert_decision,
    AcceptedRecordChoices.ACTION_ITEM: insert_action_item,
    AcceptedRecordChoices.NOTICE: insert_notice,
}
CENTERED = (AcceptedRecordChoices.MEETING, AcceptedRecordChoices.ACTION_ITEM)
RECORD = "record"


def choose_target(candidate: Row, target: Any) -> AcceptedRecordChoices:
    """The record kind to accept ``candidate`` as: ``target``, or the proposal's default
    (an action item for an announced follow-up with a deadline, a meeting otherwise).

    Raises ValidationFailed naming ``target`` for a kind the proposal cannot become.
    """
    allowed = TARGETS[candidate["proposes"]]
    if target is None:
        if AcceptedRecordChoices.ACTION_ITEM in allowed and candidate["deadline"] is not None:
            return AcceptedRecordChoices.ACTION_ITEM
        return allowed[0]
    if target not in allowed:
        names = ", ".join(t.value for t in allowed)
        raise ValidationFailed.single(
            "target",
            f"a candidate proposing a {candidate['proposes']} becomes one of: {names}; "
            "edit its proposes field to accept it as something else",
        )
    return AcceptedRecordChoices(target)


def _center_of(conn: Connection, actor: Actor, admin1: str) -> str | None:
    """The one center of the actor's party that covers ``admin1``, if there is exactly one."""
    rows = conn.execute(
        select(centers.c.id, centers.c.governorates).where(centers.c.id.in_(sorted(actor.centers)))
    ).all()
    covering = [row.id for row in rows if admin1 and admin1 in (row.governorates or [])]
    return covering[0] if len(covering) == 1 else None


def _other_party(conn: Connection, actor: Actor) -> str | None:
    """The one party other than the actor's on this node, if there is exactly one."""
    others = list(conn.execute(select(parties.c.id).where(parties.c.id != actor.party)).scalars())
    return others[0] if len(others) == 1 else None


def node_defaults(
    conn: Connection, actor: Actor, target: AcceptedRecordChoices, candidate: Row
) -> dict[str, Any]:
    """What the node can fill in that the article cannot: a center, a recipient."""
    if target in CENTERED:
        center = _center_of(conn, actor, candidate["admin1"])
        return {"center_id": center} if center else {}
    if target == AcceptedRecordChoices.NOTICE:
        other = _other_party(conn, actor)
        return {"to_party": other} if other else {}
    return {}


def proposed_record(
    conn: Connection,
    actor: Actor,
    target: AcceptedRecordChoices,
    candidate: Row,
    article: Row,
    *,
    now: datetime,
) -> dict[str, Any]:
    """The body accepting would send to ``target``'s service, before the analyst's corrections."""
    return {
        **node_defaults(conn, actor, target, candidate),
        **draft_for(target, candidate, article, now=now),
    }


def write_record(
    conn: Connection,
    ctx: ServiceContext,
    actor: Actor,
    target: AcceptedRecordChoices,
    body: Mapping[str, Any],
) -> dict[str, Any]:
    """Write ``body`` through ``target``'s service in the caller's transaction.

    Raises PermissionDenied as that service does (a role that may not write it) and
    ValidationFailed naming each bad field as ``record.<field>``.
    """
    try:
        return WRITERS[target](conn, ctx, actor=actor, data=body)
    except ValidationFailed as exc:
        errors = [FieldError(f"{RECORD}.{e.field}", e.message) for e in exc.errors]
        names = ", ".join(e.field for e in errors)
        noun = target.value.replace("_", " ")
        raise ValidationFailed(f"The {noun} is invalid: {names}", errors) from None
