"""Remote versions: a record another party's node owns, applied here as that node sent it.

The owned-record service's counterpart for sync (``core/owned`` changes this
node's own records). A remote version is the owner's full payload, rebuilt into
the kind's row (``row_from_payload``), checked to serialise back to the very bytes
the owner signed, written and journaled here in the caller's transaction with the
action ``receive``, so ``tansiq verify`` covers received rows like local ones.
Only the owner's node changes a record (single writer): a remote version may
only follow a version of the same owner, never touch a record of this node.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Text, delete, insert, select, update
from sqlalchemy.types import String

from tansiq.domain.errors import TansiqError
from tansiq.domain.fields import parse_instant
from tansiq.journal.canonical import canonical_json, iso_utc
from tansiq.journal.chain import WITHDRAWN_ACTION, EntryDraft
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import append_entries
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.registry import children_of, parents_of
from tansiq.storage.types import UTCDateTime

RECEIVE = "receive"
# The row left the table (``tansiq verify`` expects none); the entry keeps the fact.
WITHDRAWN = WITHDRAWN_ACTION
# The row stays, narrowed to its owner, because records of this node attach to it.
HIDDEN = "hidden"


class RemoteRefused(TansiqError):
    """A remote version cannot be applied: the message says why (it is quarantined)."""

    status = 422
    title = "Remote version refused"


class MissingParent(TansiqError):
    """A remote record attaches to a record not received yet: hold it until it arrives."""

    status = 409
    title = "Parent record not received yet"


def row_from_payload(kind: RecordKind, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The table row whose journaled form is ``payload``.

    Raises RemoteRefused when a column cannot be rebuilt from it.
    """
    restored = dict(kind.restore(payload)) if kind.restore is not None else {}
    row: dict[str, Any] = {}
    try:
        for column in kind.table.c:
            name = column.key
            if name in restored:
                row[name] = restored[name]
                continue
            if name == "party_id" and "party" in payload:
                row[name] = payload["party"]
                continue
            if name not in payload:
                if kind.derived is not None:
                    continue  # recomputed below
                raise RemoteRefused(f"the {kind.noun} payload has no {name}")
            row[name] = _column_value(column.type, payload[name])
        if kind.derived is not None:
            row.update(kind.derived(row))
    except (KeyError, TypeError, ValueError) as exc:
        raise RemoteRefused(f"the {kind.noun} payload cannot be stored: {exc}") from None
    missing = [c.key for c in kind.table.c if c.key not in row]
    if missing:
        raise RemoteRefused(f"the {kind.noun} payload has no {', '.join(missing)}")
    return row


def _column_value(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime):
        return parse_instant(value)
    if isinstance(column_type, (Text, String)) and isinstance(value, (dict, list)):
        # Geometry kept as its JSON text (sectors, sites).
        return canonical_json(value).decode()
    return value


def apply_remote_version(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    payload: Mapping[str, Any],
    *,
    payload_text: str,
    payload_format: int,
    sender_party: str,
    actor: str,
) -> dict[str, Any]:
    """Write the owner's version ``payload`` of a record and journal it, in ``conn``.

    ``payload_text`` is the payload exactly as the owner signed it; the row built
    here must serialise back to it. Raises RemoteRefused (not the sender's record,
    an older or equal version, a record of this node, a payload that does not
    round-trip) and MissingParent (it attaches to a record not here yet).
    """
    row = row_from_payload(kind, payload)
    owner = kind.owner(row)
    if owner != sender_party:
        raise RemoteRefused(
            f"the {kind.noun} is owned by {owner!r}: a {sender_party} node may send only its own"
        )
    try:
        rebuilt = canonical_json(kind.payload_in(payload_format)(row)).decode()
    except (KeyError, TypeError, ValueError) as exc:
        raise RemoteRefused(f"the {kind.noun} payload cannot be rebuilt: {exc}") from None
    if rebuilt != payload_text:
        raise RemoteRefused(f"the {kind.noun} payload does not round-trip to the signed bytes")
    for parent, column in parents_of(kind):
        parent_id = row.get(column)
        if (
            parent_id
            and not conn.execute(
                select(parent.table.c.id).where(parent.table.c.id == parent_id)
            ).first()
        ):
            raise MissingParent(f"{parent.noun} {parent_id} has not been received yet")
    table = kind.table
    current = (
        conn.execute(select(table).where(table.c.id == row["id"]).with_for_update())
        .mappings()
        .first()
    )
    if current is None:
        conn.execute(insert(table).values(row))
    else:
        if kind.owner(current) != sender_party:
            raise RemoteRefused(f"{kind.noun} {row['id']} is a record of {kind.owner(current)}")
        if row["version"] <= current["version"]:
            raise RemoteRefused(
                f"{kind.noun} {row['id']} version {row['version']} is not after "
                f"version {current['version']} held here"
            )
        conn.execute(
            update(table)
            .where(table.c.id == row["id"])
            .values({k: v for k, v in row.items() if k != "id"})
        )
    append_entries(conn, ctx, [_draft(kind, row, payload_format, actor=actor, action=RECEIVE)])
    return row


def _draft(
    kind: RecordKind, row: Mapping[str, Any], payload_format: int, *, actor: str, action: str
) -> EntryDraft:
    # Journaled in the sender's payload format, so verify re-serialises it the same way.
    return EntryDraft(
        actor=actor,
        record_kind=kind.name,
        record_id=str(row["id"]),
        action=action,
        record_version=row["version"],
        owner_party=kind.owner(row),
        releasability=kind.releasability(row),
        center_id=kind.center(row),
        payload=kind.payload_in(payload_format)(row),
        payload_format=payload_format,
    )


def withdraw_remote(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    record_id: str,
    *,
    sender_party: str,
    actor: str,
    at: datetime,
) -> bool:
    """Remove a record the owner took out of this party's reach; True if a row was removed.

    The row leaves the live table and a ``withdrawn`` entry is journaled (the hash of
    every version received stays in ``received_entries``). A row that records of this
    node attach to cannot leave the table: it is narrowed to its owner instead, which
    hides it from every user here by the one releasability rule. Raises RemoteRefused
    when the record is not the sender's.
    """
    table = kind.table
    current = (
        conn.execute(select(table).where(table.c.id == record_id).with_for_update())
        .mappings()
        .first()
    )
    if current is None:
        return False
    if kind.owner(current) != sender_party:
        raise RemoteRefused(f"{kind.noun} {record_id} is a record of {kind.owner(current)}")
    referenced = any(
        conn.execute(select(child.table.c.id).where(child.table.c[column] == record_id)).first()
        for child, column, _label in children_of(kind)
    )
    if referenced:
        hidden = {**current, "releasability": "party", "center_id": None}
        conn.execute(
            update(table)
            .where(table.c.id == record_id)
            .values(releasability="party", center_id=None)
        )
        append_entries(conn, ctx, [kind.draft(hidden, actor=actor, action=HIDDEN)])
        return True
    conn.execute(delete(table).where(table.c.id == record_id))
    tombstone = EntryDraft(
        actor=actor,
        record_kind=kind.name,
        record_id=record_id,
        action=WITHDRAWN,
        record_version=current["version"],
        owner_party=sender_party,
        releasability="party",
        center_id=None,
        payload={"id": record_id, "owner": sender_party, "withdrawn_at": iso_utc(at)},
    )
    append_entries(conn, ctx, [tombstone])
    return True
