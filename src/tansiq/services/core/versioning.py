"""Writing versioned records: insert or bump a version and journal it, in one go.

Every service writes through these so that "a change is a new version, journaled
in the same transaction" holds by construction. They also keep the rule that a
record attached to another (its kind is one of the parent kind's ``children``)
never reaches further than that parent: a child insert locks its parents
``FOR SHARE`` and checks their reach, a parent whose reach changes is locked
``FOR UPDATE`` and checked against its children, so the rule holds under
concurrent writers on PostgreSQL too (SQLite writers take the database lock).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, Update, bindparam, select, update

from tansiq.domain.actors import Actor
from tansiq.domain.errors import Conflict, NotFound, ValidationFailed
from tansiq.domain.releasability import reaches_within
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.idempotency import note_created
from tansiq.services.core.ids import new_id
from tansiq.services.core.journaling import append_entries
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.registry import children_of, parents_of
from tansiq.storage.bulk import insert_many
from tansiq.storage.visibility import visible_to


def first_version(values: Mapping[str, Any], *, actor: Actor, now: datetime) -> dict[str, Any]:
    """Version 1 of a record owned by the actor's party: ``values`` plus id, owner,
    authors and stamps."""
    return {
        **values,
        "id": new_id(),
        "party_id": actor.party,
        "created_by": actor.user_id,
        "updated_by": actor.user_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def check_expected_version(
    current: Mapping[str, Any], expected_version: int | None, *, label: str
) -> None:
    """Raise Conflict when the caller changed another version than the current one."""
    if expected_version is not None and expected_version != current["version"]:
        raise Conflict(f"the {label} is at version {current['version']}, not {expected_version}")


def insert_records(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    rows: list[dict[str, Any]],
    *,
    actor_id: str,
    action: str = "create",
) -> list[dict[str, Any]]:
    """Insert new records (version 1 set by the caller) and journal each.

    Returns each record's payload (its journaled, public form), built once.
    """
    if not rows:
        return []
    _refuse_reaching_past_parents(conn, kind, rows)
    insert_many(conn, kind.table, rows)
    # A create retried under an Idempotency-Key finds these rows by the key.
    note_created(conn, kind, rows, clock=ctx.clock)
    payloads = [kind.payload(r) for r in rows]
    drafts = [
        kind.draft(r, actor=actor_id, action=action, payload=p)
        for r, p in zip(rows, payloads, strict=True)
    ]
    append_entries(conn, ctx, drafts)
    return payloads


def new_version(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    current: Mapping[str, Any],
    changes: Mapping[str, Any],
    *,
    actor_id: str,
    now: datetime,
    action: str = "update",
    rewrite: bool = False,
) -> dict[str, Any]:
    """Write ``current`` + ``changes`` as the next version and journal it.

    Returns the new row. An unchanged record is returned as is, with no new
    version, unless ``rewrite`` (journal it again in its kind's current payload
    format). Raises Conflict if another writer bumped the version meanwhile.
    """
    [merged] = new_versions(
        conn, ctx, kind, [(current, changes, action)], actor_id=actor_id, now=now, rewrite=rewrite
    )
    return merged


def new_versions(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    changes: Sequence[tuple[Mapping[str, Any], Mapping[str, Any], str]],
    *,
    actor_id: str,
    now: datetime,
    rewrite: bool = False,
) -> list[dict[str, Any]]:
    """:func:`new_version` of many records of ``kind``, each ``(current, changes, action)``,
    journaled in one append. Returns each new row (or the current one, unchanged) in order.

    Raises Conflict if another writer bumped one of them meanwhile.
    """
    written: list[dict[str, Any]] = []
    drafts = []
    for current, change, action in changes:
        merged = {**current, **change}
        if not rewrite and all(merged[k] == current[k] for k in merged):
            written.append(dict(current))
            continue
        if kind.children and (
            merged.get("releasability") != current.get("releasability")
            or merged.get("center_id") != current.get("center_id")
        ):
            _lock(conn, kind, [current["id"]], share=False)
            _refuse_narrowing_below_children(conn, kind, merged)
        merged["version"] = current["version"] + 1
        merged["updated_at"] = now
        if "updated_by" in kind.table.c:
            merged["updated_by"] = actor_id
        columns = kind.table.c
        values = {k: v for k, v in merged.items() if k != "id" and k in columns}
        params = {f"v_{k}": v for k, v in values.items()}
        params.update(b_id=current["id"], b_version=current["version"])
        result = conn.execute(_update_statement(kind.table, frozenset(values)), params)
        if result.rowcount != 1:
            raise Conflict(f"the {kind.name} changed meanwhile; reload and retry")
        drafts.append(kind.draft(merged, actor=actor_id, action=action))
        written.append(merged)
    append_entries(conn, ctx, drafts)
    return written


@cache
def _update_statement(table: Table, keys: frozenset[str]) -> Update:
    """``UPDATE table SET <keys> WHERE id = :b_id AND version = :b_version``, built once per
    table and column set: building and caching-keying a fresh statement for each version
    cost more than running it (an import correcting thousands of incidents)."""
    return (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values({k: bindparam(f"v_{k}", type_=table.c[k].type) for k in sorted(keys)})
    )


def visible_row(
    conn: Connection,
    table: Table,
    actor: Actor,
    record_id: str,
    *,
    label: str,
    for_update: bool = False,
) -> Mapping[Any, Any]:
    """The row with ``record_id`` if released to ``actor``; raises NotFound otherwise.

    ``for_update`` locks the row until the transaction ends (PostgreSQL), for a
    caller about to write a new version of it.
    """
    query = select(table).where(table.c.id == record_id, visible_to(table, actor))
    if for_update:
        query = query.with_for_update(of=table)
    row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"no {label} {record_id}")
    return row


def _lock(conn: Connection, kind: RecordKind, ids: Sequence[str], *, share: bool) -> list[Any]:
    """Lock rows of ``kind`` (``FOR SHARE`` or ``FOR UPDATE``) and return their reach."""
    table = kind.table
    return list(
        conn.execute(
            select(table.c.id, table.c.releasability, table.c.center_id)
            .where(table.c.id.in_(sorted(set(ids))))
            .with_for_update(read=share)
        )
    )


def _refuse_reaching_past_parents(
    conn: Connection, kind: RecordKind, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Refuse new records of ``kind`` that would reach further than a parent they name.

    Raises ValidationFailed naming ``releasability``.
    """
    for parent, column in parents_of(kind):
        ids = [row[column] for row in rows if row.get(column)]
        if not ids:
            continue
        reach = {r.id: r for r in _lock(conn, parent, ids, share=True)}
        for row in rows:
            found = reach.get(row.get(column))
            if found is not None and not reaches_within(
                child=row["releasability"],
                child_center=row.get("center_id"),
                parent=found.releasability,
                parent_center=found.center_id,
            ):
                raise ValidationFailed.single(
                    "releasability",
                    f"a {kind.noun} cannot reach further than the {parent.noun} it is attached to",
                )


def _refuse_narrowing_below_children(
    conn: Connection, kind: RecordKind, merged: Mapping[str, Any]
) -> None:
    """Refuse a parent's new reach if a record attached to it would reach further.

    Raises ValidationFailed naming ``releasability``.
    """
    for child, column, label in children_of(kind):
        table = child.table
        rows = conn.execute(
            select(table.c.releasability, table.c.center_id).where(table.c[column] == merged["id"])
        )
        wider = sorted(
            {
                r.releasability
                for r in rows
                if not reaches_within(
                    child=r.releasability,
                    child_center=r.center_id,
                    parent=merged["releasability"],
                    parent_center=merged["center_id"],
                )
            }
        )
        if wider:
            raise ValidationFailed.single(
                "releasability",
                f"{label} attached to this record are released to {', '.join(wider)}; "
                "it cannot reach less far than they do",
            )
