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

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.errors import PermissionDenied
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.history import record_history
from tansiq.services.core.kinds import RecordKind, Row
from tansiq.services.core.versioning import check_expected_version, new_versions, visible_row
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.visibility import visible_to


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
        return change_loaded(conn, ctx, kind, actor, current, rules, after, now=now)


def load_owned_by(
    conn: Connection, kind: RecordKind, *, actor: Actor, column: str, keys: Collection[Any]
) -> dict[Any, Row]:
    """The actor's party's records of ``kind`` whose ``column`` is one of ``keys``, locked
    for this transaction like :func:`load_owned`, by their value of ``column``.

    For a caller changing many records in one transaction (an import); another party's
    records are never loaded, so none is changed.
    """
    if not keys:
        return {}
    table = kind.table
    query = (
        select(table)
        .where(
            table.c.party_id == actor.party,
            table.c[column].in_(sorted(keys)),
            visible_to(table, actor),
        )
        .with_for_update(of=table)
    )
    return {row[column]: row for row in conn.execute(query).mappings()}


def change_loaded(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    actor: Actor,
    current: Row,
    rules: Rules,
    after: AfterWrite | None = None,
    *,
    now: datetime,
) -> dict[str, Any]:
    """The second half of :func:`change_owned`, for a record already loaded (and locked)
    with :func:`load_owned` or :func:`load_owned_by` in the caller's transaction.

    Returns the new row, or the current one when ``rules`` changed nothing (then nothing
    is written). Raises as :func:`change_owned`.
    """
    [changed] = change_loaded_many(conn, ctx, kind, actor, [(current, rules)], after, now=now)
    return changed


def change_loaded_many(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    actor: Actor,
    loaded: Sequence[tuple[Row, Rules]],
    after: AfterWrite | None = None,
    *,
    now: datetime,
) -> list[dict[str, Any]]:
    """:func:`change_loaded` of many records, each ``(current, rules)``, their new versions
    journaled in one append; ``after`` runs for each once all are written.

    Returns each new row (or the current one) in order. Raises as :func:`change_owned`.
    """
    changes = []
    for current, rules in loaded:
        change = rules(conn, current)
        changes.append((current, change.values, change.action))
    changed = new_versions(conn, ctx, kind, changes, actor_id=actor.user_id, now=now)
    if after is not None:
        for row in changed:
            after(conn, row)
    return changed


def get_visible(
    ctx: ServiceContext, kind: RecordKind, *, actor: Actor, record_id: str
) -> dict[str, Any]:
    """The current version's payload; raises NotFound when absent or not released."""
    with read_transaction(ctx.engine) as conn:
        return kind.payload(visible_row(conn, kind.table, actor, record_id, label=kind.noun))


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
