"""Notice use cases: send, amend or withdraw (the sender), acknowledge (the recipient).

A notice belongs to the sending party; the receiving party answers with its own
acknowledgement record naming the version it answers. Reads are in
``services/notices/queries.py``. Every call is one transaction with its journal
entry; nothing is written when it raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import NoticeStatusChoices
from tansiq.domain.errors import (
    Conflict,
    ErrorCollector,
    PermissionDenied,
    ValidationFailed,
)
from tansiq.domain.notices import (
    FIXED_FIELDS,
    amended_ack_deadline,
    check_reaches,
    check_response,
    check_transition,
    check_window,
    default_ack_deadline,
    validate_notice_input,
    validate_response,
)
from tansiq.domain.reasons import check_reason
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.creation import insert_owned, write_new
from tansiq.services.core.owned import Change, change_owned
from tansiq.services.core.versioning import (
    first_version,
    insert_records,
    visible_row,
)
from tansiq.services.notices.policy import may_send_notice
from tansiq.services.notices.records import NOTICE, NOTICE_ACK, ack_payload, notice_payload
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.directory import centers, parties
from tansiq.storage.tables.notices import notice_acks, notices


def _require_writer(actor: Actor) -> None:
    if not may_send_notice(actor):
        raise PermissionDenied("your role may not send or acknowledge notices")


def center_members(conn: Connection, center_id: Any) -> list[str] | None:
    """The member parties of a center, or None when there is no such center."""
    if not isinstance(center_id, str):
        return None
    row = conn.execute(select(centers.c.member_parties).where(centers.c.id == center_id)).first()
    return None if row is None else list(row.member_parties)


def _check_parties_and_release(
    conn: Connection, record: Mapping[str, Any], sender: str, errors: ErrorCollector
) -> None:
    recipient = record["to_party"]
    known = conn.execute(select(parties.c.id).where(parties.c.id == recipient)).first()
    if known is None:
        errors.add("to_party", f"unknown party {recipient!r}")
    elif recipient == sender:
        errors.add("to_party", "must be another party than yours")
    check_reaches(
        errors,
        releasability=record["releasability"],
        center_id=record["center_id"],
        center_members=center_members(conn, record["center_id"]),
        parties=(sender, recipient),
    )


def send_notice(ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Send a notice from the actor's party; ``ack_deadline`` defaults from the kind.

    Returns the journaled record (``get_notice`` adds the derived state). Raises
    PermissionDenied for a role that may not send, ValidationFailed naming each
    bad field (``releasability`` when it could not reach the recipient).
    """
    row = _new_notice(ctx, actor, data)
    return notice_payload(
        write_new(ctx, NOTICE, row, actor_id=actor.user_id, check=_checks_of(row, actor))
    )


def insert_notice(
    conn: Connection, ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Send a notice inside the caller's transaction (the review queue accepting a
    candidate writes it with the candidate's new version); raises as :func:`send_notice`."""
    row = _new_notice(ctx, actor, data)
    _checks_of(row, actor)(conn)
    insert_records(conn, ctx, NOTICE, [row], actor_id=actor.user_id)
    return notice_payload(row)


def _new_notice(ctx: ServiceContext, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Version 1 of a notice from ``data``; raises as :func:`send_notice` (no database check)."""
    _require_writer(actor)
    now = ctx.clock()
    values = validate_notice_input(data, now=now)
    check_window(values)
    if values["status"] != NoticeStatusChoices.SENT:
        raise ValidationFailed.single("status", "a new notice is sent")
    values.setdefault("ack_deadline", default_ack_deadline(values["kind"], now))
    return first_version(values, actor=actor, now=now)


def _checks_of(row: Mapping[str, Any], actor: Actor) -> Callable[[Connection], None]:
    def check(conn: Connection) -> None:
        errors = ErrorCollector()
        _check_parties_and_release(conn, row, actor.party, errors)
        errors.raise_if_any("The notice is invalid")

    return check


def update_notice(
    ctx: ServiceContext,
    *,
    actor: Actor,
    notice_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Amend or withdraw (``status: withdrawn``) a notice of the actor's party: a new version.

    An amendment needs a fresh answer; without a new ``ack_deadline`` the
    deadline moves to at least a fresh window from now. Withdrawing is final and
    needs a ``reason``, journaled as ``status_reason``. Returns the journaled
    record. Raises NotFound,
    PermissionDenied (another party's notice or a role that may not), Conflict
    (stale ``expected_version``), ValidationFailed naming each bad field
    (``reason`` when a withdrawal has none, or an amendment gives one).
    """
    _require_writer(actor)
    now = ctx.clock()
    fixed = ErrorCollector()
    for name in FIXED_FIELDS & changes.keys():
        fixed.add(name, "cannot be changed; send a new notice instead")
    fixed.raise_if_any("The change is invalid")
    values = validate_notice_input(changes, now=now, partial=True)
    if values.get("status") != NoticeStatusChoices.WITHDRAWN and reason is not None:
        raise ValidationFailed.single("reason", "only a withdrawal takes a reason")

    def rules(conn: Connection, current: Mapping[str, Any]) -> Change:
        if current["status"] == NoticeStatusChoices.WITHDRAWN:
            raise ValidationFailed.single("status", "a withdrawn notice cannot be changed")
        new_status = values.get("status", current["status"])
        check_transition(current["status"], new_status)
        merged = {**current, **values}
        if new_status == NoticeStatusChoices.WITHDRAWN:
            # Once the sender is known to own it: a stranger is refused, not asked why.
            merged["status_reason"] = check_reason(reason)
        check_window(merged)
        errors = ErrorCollector()
        _check_parties_and_release(conn, merged, actor.party, errors)
        errors.raise_if_any("The change is invalid")
        amended = any(merged[k] != current[k] for k in values if k != "status")
        if amended and "ack_deadline" not in values:
            merged["ack_deadline"] = amended_ack_deadline(
                current["kind"], current["ack_deadline"], now
            )
        withdrawn = new_status == NoticeStatusChoices.WITHDRAWN
        return Change(merged, action="withdraw" if withdrawn else "update")

    changed = change_owned(ctx, NOTICE, actor, notice_id, expected_version, rules)
    return notice_payload(changed)


def withdraw_notice(
    ctx: ServiceContext,
    *,
    actor: Actor,
    notice_id: str,
    reason: str | None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Withdraw a notice of the actor's party, saying why; raises as :func:`update_notice`."""
    return update_notice(
        ctx,
        actor=actor,
        notice_id=notice_id,
        changes={"status": NoticeStatusChoices.WITHDRAWN.value},
        expected_version=expected_version,
        reason=reason,
    )


def acknowledge_notice(
    ctx: ServiceContext, *, actor: Actor, notice_id: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Answer a notice addressed to the actor's party: ack, ack_with_concerns or objection.

    ``data`` holds ``response``, ``comment`` (required unless ``ack``) and
    optionally ``notice_version`` (the version read; Conflict if it is stale).
    Returns the acknowledgement record. Raises NotFound, PermissionDenied (not
    the recipient, or a role that may not), ValidationFailed naming ``response``
    (withdrawn notice, or an answer that may not follow the previous one).
    """
    _require_writer(actor)
    response, comment = validate_response(data)
    version = data.get("notice_version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise ValidationFailed.single("notice_version", "must be an integer")
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        # Two answers at once must queue, or both could pass the checks below (PostgreSQL).
        conn.execute(select(notices.c.id).where(notices.c.id == notice_id).with_for_update())
        notice = visible_row(conn, notices, actor, notice_id, label="notice")
        if notice["to_party"] != actor.party:
            raise PermissionDenied("only the receiving party answers a notice")
        if version is not None and version != notice["version"]:
            raise Conflict(f"the notice is at version {notice['version']}, not {version}")
        if notice["status"] == NoticeStatusChoices.WITHDRAWN:
            raise ValidationFailed.single("response", "the notice was withdrawn")
        previous = conn.execute(
            select(notice_acks.c.response)
            .where(
                notice_acks.c.notice_id == notice_id,
                notice_acks.c.notice_version == notice["version"],
                notice_acks.c.party_id == actor.party,
            )
            .order_by(notice_acks.c.created_at.desc(), notice_acks.c.id.desc())
            .limit(1)
        ).scalar()
        check_response(previous, response)
        row = insert_owned(
            conn,
            ctx,
            NOTICE_ACK,
            {
                "notice_id": notice_id,
                "notice_version": notice["version"],
                "response": response,
                "comment": comment,
                # The answer travels as far as the notice did: both parties, or their center.
                "releasability": notice["releasability"],
                "center_id": notice["center_id"],
            },
            actor=actor,
            now=now,
            action=response,
        )
    return ack_payload(row)
