"""The owned-record service: read, change and list the history of any party-owned record.

Every concept's update follows one skeleton — load the row the actor may see
(locked), check that the actor's party owns it and that the caller changed the
version it read, apply the concept's own rules, write the next version and
journal it (``core/versioning`` refuses narrowing a record below the reach of
the records attached to it). A concept supplies only the rules, as a function
``rules(conn, current) -> Change``; federation will apply remote versions
through the same kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from tansiq.domain.actors import Actor
from tansiq.domain.errors import PermissionDenied
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.history import record_history
from tansiq.services.core.kinds import RecordKind, Row
from tansiq.services.core.marks import mark_one
from tansiq.services.core.versioning import check_expected_version, new_version, visible_row
from tansiq.storage.db import read_transaction, write_transaction


@dataclass
class Change:
    """What a concept's rules decided: the merged next version and the journal action.

    ``values`` equal to the current row write nothing (no new version).
    """

    values: Mapping[str, Any]
    action: str = "update"


Rules = Callable[[Connection, Row], Change]
AfterWrite = Callable[[Connection, dict[str, Any]], None]


def load_owned(
    conn: Connection,
    kind: RecordKind,
    *,
    actor: Actor,
    record_id: str,
    expected_version: int | None,
) -> Row:
    """The record, locked for this transaction, if the actor's party owns it.

    Raises NotFound (absent or not released to the actor), PermissionDenied
    (another party's record, with the kind's ``owner_only`` message), Conflict
    (``expected_version`` is not the current version).
    """
    current = visible_row(conn, kind.table, actor, record_id, label=kind.noun, for_update=True)
    if current["party_id"] != actor.party:
        raise PermissionDenied(kind.owner_only.format(party=current["party_id"]))
    check_expected_version(current, expected_version, label=kind.noun)
    return current


def change_owned(
    ctx: ServiceContext,
    kind: RecordKind,
    actor: Actor,
    record_id: str,
    expected_version: int | None,
    rules: Rules,
    after: AfterWrite | None = None,
) -> dict[str, Any]:
    """Write the next version of an owned record as ``rules`` decide, in one transaction.

    Positional, unlike the services: every concept calls it the same way, in one line.

    ``rules`` raises the concept's errors (ValidationFailed naming each bad field,
    PermissionDenied for a role or state that forbids it); ``after`` runs in the
    same transaction with the written row (e.g. to store derived records).
    Returns the new row (the current one when nothing changed). Raises as
    :func:`load_owned`, and ValidationFailed naming ``releasability`` when the
    change would narrow the record below the reach of records attached to it.
    """
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        current = load_owned(
            conn, kind, actor=actor, record_id=record_id, expected_version=expected_version
        )
        change = rules(conn, current)
        changed = new_version(
            conn,
            ctx,
            kind,
            current,
            change.values,
            actor_id=actor.user_id,
            now=now,
            action=change.action,
        )
        if after is not None:
            after(conn, changed)
    return changed


def get_visible(
    ctx: ServiceContext, kind: RecordKind, *, actor: Actor, record_id: str
) -> dict[str, Any]:
    """The current version's payload and its ``received`` mark (None for this node's own
    records); raises NotFound when absent or not released."""
    with read_transaction(ctx.engine) as conn:
        payload = kind.payload(visible_row(conn, kind.table, actor, record_id, label=kind.noun))
        return mark_one(conn, kind.name, payload)


def visible_history(
    ctx: ServiceContext,
    kind: RecordKind,
    *,
    actor: Actor,
    record_id: str,
    present: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Every version the actor may see, oldest first; raises NotFound like :func:`get_visible`.

    ``present`` adds the fields derived at read time to each journaled payload.
    """
    with read_transaction(ctx.engine) as conn:
        visible_row(conn, kind.table, actor, record_id, label=kind.noun)
        return record_history(
            conn, actor=actor, kind=kind.name, record_id=record_id, present=present
        )
