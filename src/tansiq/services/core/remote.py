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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, Text, delete, select, update
from sqlalchemy.types import String

from tansiq.domain.errors import TansiqError
from tansiq.domain.fields import parse_instant
from tansiq.journal.canonical import canonical_json, iso_utc
from tansiq.journal.chain import WITHDRAWN_ACTION, EntryDraft
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import append_entries
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.registry import children_of, parents_of
from tansiq.storage.bulk import insert_many
from tansiq.storage.types import UTCDateTime

RECEIVE = "receive"
# Attached records only the owner of what they attach to writes (a plan's findings):
# another party attaches its own voice (approvals, assessments…), never these.
OWNER_ONLY_CHILDREN = frozenset({"deconfliction_finding"})
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


# How a payload value becomes a column value, by the column's type.
_AS_IS, _INSTANT, _TEXT = 0, 1, 2
_conversions: dict[Table, tuple[tuple[str, int], ...]] = {}


def _columns(table: Table) -> tuple[tuple[str, int], ...]:
    """(key, conversion) of each column of ``table``, worked out once per table."""
    found = _conversions.get(table)
    if found is None:
        found = tuple(
            (
                column.key,
                _INSTANT
                if isinstance(column.type, UTCDateTime)
                else _TEXT
                if isinstance(column.type, (Text, String))
                else _AS_IS,
            )
            for column in table.c
        )
        _conversions[table] = found
    return found


def row_from_payload(
    kind: RecordKind, payload: Mapping[str, Any], instants: dict[str, datetime] | None = None
) -> dict[str, Any]:
    """The table row whose journaled form is ``payload``.

    ``instants`` keeps the timestamps read so far (a run of versions shares many: the
    records of one batch share their creation time), each parsed once and stored as one
    object, which the bulk insert then formats once. Raises RemoteRefused when a column
    cannot be rebuilt from it.
    """
    if instants is None:
        instants = {}
    restored = dict(kind.restore(payload)) if kind.restore is not None else {}
    row: dict[str, Any] = {}
    try:
        for name, conversion in _columns(kind.table):
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
            value = payload[name]
            if value is None or conversion == _AS_IS:
                row[name] = value
            elif conversion == _INSTANT:
                instant = instants.get(value) if isinstance(value, str) else None
                if instant is None:
                    instant = parse_instant(value)
                    if isinstance(value, str):
                        instants[value] = instant
                row[name] = instant
            else:
                # Geometry kept as its JSON text (sectors, sites).
                row[name] = (
                    canonical_json(value).decode() if isinstance(value, (dict, list)) else value
                )
        if kind.derived is not None:
            row.update(kind.derived(row))
    except (KeyError, TypeError, ValueError) as exc:
        raise RemoteRefused(f"the {kind.noun} payload cannot be stored: {exc}") from None
    missing = [name for name, _conversion in _columns(kind.table) if name not in row]
    if missing:
        raise RemoteRefused(f"the {kind.noun} payload has no {', '.join(missing)}")
    return row


@dataclass
class RemoteVersion:
    """One received version: the payload, its exact signed text and its format."""

    payload: Mapping[str, Any]
    payload_text: str
    payload_format: int


@dataclass
class Planned:
    """What applying one remote version will do: the row to write, or why it waits or fails."""

    row: dict[str, Any]
    version: RemoteVersion
    exists: bool = False
    current: dict[str, Any] | None = None  # the version held here until now
    held: str | None = None  # the missing parent
    refused: str | None = None


def _checked_row(
    kind: RecordKind,
    version: RemoteVersion,
    sender_party: str,
    instants: dict[str, datetime] | None = None,
) -> dict[str, Any]:
    """The row of ``version``, refused unless it is the sender's and round-trips exactly."""
    row = row_from_payload(kind, version.payload, instants)
    owner = kind.owner(row)
    if owner != sender_party:
        raise RemoteRefused(
            f"the {kind.noun} is owned by {owner!r}: a {sender_party} node may send only its own"
        )
    try:
        rebuilt = canonical_json(kind.payload_in(version.payload_format)(row)).decode()
    except (KeyError, TypeError, ValueError) as exc:
        raise RemoteRefused(f"the {kind.noun} payload cannot be rebuilt: {exc}") from None
    if rebuilt != version.payload_text:
        raise RemoteRefused(f"the {kind.noun} payload does not round-trip to the signed bytes")
    return row


def plan_remote_versions(
    conn: Connection, kind: RecordKind, versions: list[RemoteVersion], *, sender_party: str
) -> list[Planned]:
    """Check a run of remote versions of ``kind`` (distinct records) against what is here.

    Each planned item says whether it can be written, waits for its parent (held), or
    is refused (not the sender's, not newer, not round-tripping); a few queries for
    the whole run, not per record. Locks the rows it will update.
    """
    planned: list[Planned] = []
    instants: dict[str, datetime] = {}
    for version in versions:
        try:
            planned.append(Planned(_checked_row(kind, version, sender_party, instants), version))
        except RemoteRefused as exc:
            planned.append(Planned({}, version, refused=str(exc)))
    ids = [p.row["id"] for p in planned if p.refused is None]
    table = kind.table
    current = {
        r["id"]: dict(r)
        for r in conn.execute(select(table).where(table.c.id.in_(ids)).with_for_update()).mappings()
    }
    for parent, column in parents_of(kind):
        wanted = {p.row[column] for p in planned if p.refused is None and p.row.get(column)}
        owners = {
            r.id: r.party_id
            for r in conn.execute(
                select(parent.table.c.id, parent.table.c.party_id).where(
                    parent.table.c.id.in_(wanted)
                )
            )
        }
        for p in planned:
            named = p.row.get(column) if p.refused is None else None
            if not named:
                continue
            if named not in owners:
                p.held = p.held or f"{parent.noun} {named} has not been received yet"
            elif kind.name in OWNER_ONLY_CHILDREN and owners[named] != sender_party:
                # Another party's findings on our plan would be a voice we never had.
                p.refused = (
                    f"a {sender_party} node may not send a {kind.noun} on {parent.noun} "
                    f"{named}, a record of {owners[named]}"
                )
    for p in planned:
        here = current.get(p.row.get("id"))
        if p.refused is not None or here is None:
            continue
        p.exists, p.current = True, here
        if here["party_id"] != sender_party:
            p.refused = f"{kind.noun} {p.row['id']} is a record of {here['party_id']}"
        elif p.row["version"] <= here["version"]:
            p.refused = (
                f"{kind.noun} {p.row['id']} version {p.row['version']} is not after "
                f"version {here['version']} held here"
            )
    return planned


def write_remote_versions(
    conn: Connection, ctx: ServiceContext, kind: RecordKind, planned: list[Planned], *, actor: str
) -> None:
    """Write planned versions (none held or refused) and journal them, in ``conn``."""
    table = kind.table
    insert_many(conn, table, [p.row for p in planned if not p.exists])
    for p in planned:
        if p.exists:
            conn.execute(
                update(table)
                .where(table.c.id == p.row["id"])
                .values({k: v for k, v in p.row.items() if k != "id"})
            )
    drafts = [_received_draft(kind, p, actor=actor) for p in planned]
    append_entries(conn, ctx, drafts)


def apply_remote_version(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    version: RemoteVersion,
    *,
    sender_party: str,
    actor: str,
) -> Planned:
    """Write one remote version and journal it (see :func:`plan_remote_versions`).

    Returns what was written. Raises RemoteRefused and MissingParent.
    """
    (planned,) = plan_remote_versions(conn, kind, [version], sender_party=sender_party)
    if planned.refused is not None:
        raise RemoteRefused(planned.refused)
    if planned.held is not None:
        raise MissingParent(planned.held)
    write_remote_versions(conn, ctx, kind, [planned], actor=actor)
    return planned


def _received_draft(kind: RecordKind, planned: Planned, *, actor: str) -> EntryDraft:
    """The journal entry of a written remote version: its payload is the owner's, as signed
    (``_checked_row`` made sure the row serialises to exactly those bytes)."""
    row, version = planned.row, planned.version
    return EntryDraft(
        actor=actor,
        record_kind=kind.name,
        record_id=str(row["id"]),
        action=RECEIVE,
        record_version=row["version"],
        owner_party=kind.owner(row),
        releasability=kind.releasability(row),
        center_id=kind.center(row),
        payload=version.payload,
        payload_format=version.payload_format,
        payload_text=version.payload_text,
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
