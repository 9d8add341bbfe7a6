"""Decision use cases: record, amend, endorse, read and list the understandings of a meeting.

A decision is owned by the party whose secretary recorded it. Each party
represented at the meeting's center endorses it with its own record, naming the
decision's ``version_hash`` (``domain.meetings.decision_hash``). An amendment of
the text changes the hash, so earlier endorsements stop counting; they are kept.
The answer's ``status`` is derived on every read (see ``present_decisions``):

- ``draft`` / ``withdrawn``: as the owner set it;
- ``proposed``: the owner proposed it and some member party has not endorsed the
  current hash (those parties are listed in ``awaiting``);
- ``agreed``: proposed, and every member party of the center endorsed the current hash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    DECISION_ENDORSER_ROLES,
    DecisionStatusChoices,
    MeetingStatusChoices,
    ReleasabilityChoices,
)
from tansiq.domain.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from tansiq.domain.meetings import (
    check_decision_record,
    check_decision_transition,
    decision_hash,
    derive_decision_status,
    not_wider,
    validate_decision_input,
    validate_endorsement_input,
)
from tansiq.services.core.attached import attached_by_parent
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.creation import insert_owned
from tansiq.services.core.history import record_history
from tansiq.services.core.kinds import Row
from tansiq.services.core.owned import Change, change_owned
from tansiq.services.core.pagination import Page, equal_to, visible_page
from tansiq.services.core.versioning import (
    visible_row,
)
from tansiq.services.meetings.centers import require, require_role
from tansiq.services.meetings.policy import may_keep_minutes
from tansiq.services.meetings.records import (
    DECISION,
    ENDORSEMENT,
    decision_payload,
    endorsement_payload,
)
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables.directory import centers
from tansiq.storage.tables.meetings import (
    decision_endorsements,
    decisions,
    meetings,
)
from tansiq.storage.visibility import visible_to

WRITER_ONLY = "only a secretary or admin may record or amend decisions"


@dataclass(frozen=True)
class DecisionFilters:
    """What a decision list may be narrowed by; every field is optional."""

    meeting_id: str | None = None
    center_id: str | None = None
    party: str | None = None


def _members(conn: Connection, center_ids: Sequence[str]) -> dict[str, list[str]]:
    rows = conn.execute(
        select(centers.c.id, centers.c.member_parties).where(centers.c.id.in_(set(center_ids)))
    )
    return {r.id: sorted(r.member_parties) for r in rows}


def _endorsements(
    conn: Connection, actor: Actor, decision_ids: Sequence[str]
) -> dict[str, list[Row]]:
    return attached_by_parent(conn, decision_endorsements, "decision_id", decision_ids, actor=actor)


def present_decision(
    payload: Mapping[str, Any], endorsements: Sequence[Row], members: Sequence[str]
) -> dict[str, Any]:
    """A decision payload with its derived ``status``, ``endorsed_by`` and ``awaiting``.

    ``endorsements`` are those the reader may see; only the ones naming the
    payload's ``version_hash`` count.
    """
    endorsed = sorted(
        {e["party_id"] for e in endorsements if e["version_hash"] == payload["version_hash"]}
    )
    status = derive_decision_status(payload["status"], endorsed, members)
    awaiting = (
        sorted(set(members) - set(endorsed)) if status == DecisionStatusChoices.PROPOSED else []
    )
    return {**payload, "status": status, "endorsed_by": endorsed, "awaiting": awaiting}


def present_decisions(conn: Connection, actor: Actor, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Current decision rows as the actor sees them (derived status, endorsements)."""
    members = _members(conn, [r["center_id"] for r in rows])
    found = _endorsements(conn, actor, [r["id"] for r in rows])
    return [
        present_decision(decision_payload(r), found[r["id"]], members.get(r["center_id"], []))
        for r in rows
    ]


def _meeting_for(conn: Connection, actor: Actor, meeting_id: str) -> Row:
    meeting = (
        conn.execute(
            select(meetings).where(meetings.c.id == meeting_id, visible_to(meetings, actor))
        )
        .mappings()
        .first()
    )
    if meeting is None:
        raise ValidationFailed.single("meeting_id", f"no meeting {meeting_id} that you can see")
    if meeting["status"] == MeetingStatusChoices.CANCELLED:
        raise ValidationFailed.single("meeting_id", "the meeting was cancelled")
    if meeting["center_id"] not in actor.centers:
        raise ValidationFailed.single(
            "meeting_id", "must be a meeting of a center your party is a member of"
        )
    return meeting


def _check_release(record: Row, meeting: Row) -> None:
    if not not_wider(record["releasability"], meeting["releasability"]):
        raise ValidationFailed.single(
            "releasability",
            f"must not reach further than its meeting's ({meeting['releasability']})",
        )


def create_decision(
    ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Record a decision of a meeting the actor can see, at a center the actor's party sits on.

    ``releasability`` defaults to the meeting's; ``status`` to proposed (draft when
    released to the party only). Raises PermissionDenied (not a secretary or
    admin), ValidationFailed naming each bad field; then nothing is written.
    """
    with write_transaction(ctx.engine) as conn:
        return insert_decision(conn, ctx, actor=actor, data=data)


def insert_decision(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Record a decision inside the caller's transaction (the review queue accepting a
    candidate writes it with the candidate's new version); raises as :func:`create_decision`."""
    require(may_keep_minutes(actor), WRITER_ONLY)
    values = validate_decision_input(data)
    now = ctx.clock()
    meeting = _meeting_for(conn, actor, values["meeting_id"])
    values.setdefault("releasability", meeting["releasability"])
    values.setdefault(
        "status",
        DecisionStatusChoices.DRAFT.value
        if values["releasability"] == ReleasabilityChoices.PARTY
        else DecisionStatusChoices.PROPOSED.value,
    )
    _check_release(values, meeting)
    check_decision_record(values)
    values["center_id"] = meeting["center_id"]
    row = insert_owned(conn, ctx, DECISION, values, actor=actor, now=now)
    return present_decisions(conn, actor, [row])[0]


def amend_decision(
    ctx: ServiceContext,
    *,
    actor: Actor,
    decision_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Amend a decision (texts, releasability, status): a new version, journaled.

    Changing a text changes ``version_hash``, so earlier endorsements stop
    counting. Raises NotFound, PermissionDenied (another party's decision, or a
    role that may not), Conflict (stale ``expected_version``), ValidationFailed.
    """
    values = validate_decision_input(changes, partial=True)

    def rules(conn: Connection, current: Mapping[str, Any]) -> Change:
        require(may_keep_minutes(actor), WRITER_ONLY)
        if values.get("meeting_id", current["meeting_id"]) != current["meeting_id"]:
            raise ValidationFailed.single(
                "meeting_id", "cannot be changed; record a new decision at the other meeting"
            )
        if current["status"] == DecisionStatusChoices.WITHDRAWN:
            raise ValidationFailed.single("status", "a withdrawn decision cannot be changed")
        new_status = values.get("status", current["status"])
        check_decision_transition(current["status"], new_status)
        merged = {**current, **values}
        meeting = (
            conn.execute(select(meetings).where(meetings.c.id == current["meeting_id"]))
            .mappings()
            .one()
        )
        _check_release(merged, meeting)
        check_decision_record(merged)
        withdrawn = new_status == DecisionStatusChoices.WITHDRAWN
        return Change(merged, action="withdraw" if withdrawn else "update")

    presented: list[dict[str, Any]] = []

    def present(conn: Connection, changed: dict[str, Any]) -> None:
        presented.extend(present_decisions(conn, actor, [changed]))

    change_owned(ctx, DECISION, actor, decision_id, expected_version, rules, present)
    return presented[0]


def endorse_decision(
    ctx: ServiceContext,
    *,
    actor: Actor,
    decision_id: str,
    version_hash: str,
    comment: str = "",
) -> dict[str, Any]:
    """Endorse the current version of a proposed decision on behalf of the actor's party.

    Returns the endorsement record. Raises NotFound (not visible),
    PermissionDenied (not an approver or admin, or a party not represented at the
    center), Conflict naming ``version_hash`` (not the current hash, or already
    endorsed by the party) or ``status`` (not proposed), ValidationFailed.
    """
    values = validate_endorsement_input({"version_hash": version_hash, "comment": comment})
    now = ctx.clock()
    try:
        with write_transaction(ctx.engine) as conn:
            # Lock the decision so an amendment cannot slip in between check and write.
            conn.execute(
                select(decisions.c.id).where(decisions.c.id == decision_id).with_for_update()
            )
            decision = visible_row(conn, decisions, actor, decision_id, label="decision")
            require_role(
                actor,
                DECISION_ENDORSER_ROLES,
                "only an approver or admin may endorse decisions for their party",
            )
            members = _members(conn, [decision["center_id"]]).get(decision["center_id"], [])
            if actor.party not in members:
                raise PermissionDenied(
                    "only parties represented at the center endorse its decisions"
                )
            if decision["status"] != DecisionStatusChoices.PROPOSED:
                message = f"a {decision['status']} decision cannot be endorsed"
                raise Conflict(message, [FieldError("status", message)])
            current_hash = decision_hash(decision)
            if values["version_hash"] != current_hash:
                message = (
                    f"is not the current version's hash: version {decision['version']} "
                    f"has {current_hash}; read the decision again before endorsing"
                )
                raise Conflict(f"version_hash {message}", [FieldError("version_hash", message)])
            _refuse_repeat(conn, decision_id, actor.party, current_hash)
            row = insert_owned(
                conn,
                ctx,
                ENDORSEMENT,
                {
                    "decision_id": decision_id,
                    "center_id": decision["center_id"],
                    "releasability": decision["releasability"],
                    "decision_version": decision["version"],
                    "version_hash": current_hash,
                    "comment": values["comment"],
                },
                actor=actor,
                now=now,
                action="endorse",
            )
    except IntegrityError:
        # Two approvers of one party raced past the check; the unique index kept one.
        raise _already_endorsed() from None
    return endorsement_payload(row)


def _already_endorsed() -> Conflict:
    message = "your party already endorsed this version"
    return Conflict(message, [FieldError("version_hash", message)])


def _refuse_repeat(conn: Connection, decision_id: str, party: str, version_hash: str) -> None:
    e = decision_endorsements.c
    if conn.execute(
        select(e.id).where(
            e.decision_id == decision_id, e.party_id == party, e.version_hash == version_hash
        )
    ).first():
        raise _already_endorsed()


def get_decision(ctx: ServiceContext, *, actor: Actor, decision_id: str) -> dict[str, Any]:
    """The current version with its derived status; raises NotFound when not visible."""
    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, decisions, actor, decision_id, label="decision")
        return present_decisions(conn, actor, [row])[0]


def decision_detail(ctx: ServiceContext, *, actor: Actor, decision_id: str) -> dict[str, Any]:
    """The decision with ``history`` (each version with the status it has now) and every
    ``endorsement`` the actor may see (``current`` marks those that count); raises NotFound."""
    with read_transaction(ctx.engine) as conn:
        row = visible_row(conn, decisions, actor, decision_id, label="decision")
        members = _members(conn, [row["center_id"]]).get(row["center_id"], [])
        endorsements = _endorsements(conn, actor, [decision_id])[decision_id]
        detail = present_decision(decision_payload(row), endorsements, members)
        detail["history"] = record_history(
            conn,
            actor=actor,
            kind=DECISION.name,
            record_id=decision_id,
            present=lambda payload: present_decision(payload, endorsements, members),
        )
    detail["endorsements"] = [
        {**endorsement_payload(e), "current": e["version_hash"] == detail["version_hash"]}
        for e in endorsements
    ]
    return detail


def list_decisions(
    ctx: ServiceContext,
    *,
    actor: Actor,
    filters: DecisionFilters,
    cursor: str | None = None,
    limit: int = 100,
) -> Page:
    """Decisions the actor may see, newest first; raises ValidationFailed for a bad cursor."""
    c = decisions.c
    return visible_page(
        ctx,
        decisions,
        actor=actor,
        where=equal_to(
            (c.meeting_id, filters.meeting_id),
            (c.center_id, filters.center_id),
            (c.party_id, filters.party),
        ),
        present=lambda conn, rows: present_decisions(conn, actor, rows),
        sort=c.created_at,
        cursor=cursor,
        limit=limit,
    )


def decisions_awaiting(conn: Connection, actor: Actor, center_id: str) -> list[dict[str, Any]]:
    """Proposed decisions of a center not yet agreed, oldest first (for digest and dashboard)."""
    rows = (
        conn.execute(
            select(decisions)
            .where(
                decisions.c.center_id == center_id,
                decisions.c.status == DecisionStatusChoices.PROPOSED.value,
                visible_to(decisions, actor),
            )
            .order_by(decisions.c.created_at, decisions.c.id)
        )
        .mappings()
        .all()
    )
    return [
        d
        for d in present_decisions(conn, actor, rows)
        if d["status"] == DecisionStatusChoices.PROPOSED
    ]
