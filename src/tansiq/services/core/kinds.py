"""How each record kind's current row becomes its journaled version.

The same functions serve writing (the payload journaled) and ``tansiq verify``
(the current row re-serialised and compared), so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from tansiq.domain.choices import ReleasabilityChoices
from tansiq.journal.canonical import iso_utc
from tansiq.journal.chain import EntryDraft

Row = Mapping[Any, Any]


def stamps(row: Row) -> dict[str, Any]:
    return {
        "version": row["version"],
        "created_at": iso_utc(row["created_at"]),
        "updated_at": iso_utc(row["updated_at"]),
    }


def owner_of(record: Mapping[str, Any]) -> str:
    """The party that owns a record: ``party`` of a payload, ``party_id`` of a row."""
    return str(record["party"] if "party" in record else record["party_id"])


def copy_fields(row: Row, *names: str) -> dict[str, Any]:
    """The named columns of ``row`` as they are stored."""
    return {name: row[name] for name in names}


def utc_fields(row: Row, *names: str) -> dict[str, Any]:
    """The named datetime columns of ``row`` as ISO 8601 UTC strings (``None`` stays ``None``)."""
    return {name: iso_utc(row[name]) if row[name] is not None else None for name in names}


def restore_status_reason(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The column a payload from before final steps carried a reason leaves out: none.

    For a kind's ``restore`` (plans, notices, sectors, sites, assessments went to a
    format with ``status_reason``; their older journaled versions have no such field).
    """
    return {} if "status_reason" in payload else {"status_reason": None}


def owned_fields(row: Row) -> dict[str, Any]:
    """What every party-owned record journals: id, owner, reach, authors and stamps."""
    # The fields of ``stamps`` written out: this runs for every record written or verified.
    return {
        "id": row["id"],
        "party": row["party_id"],
        "releasability": row["releasability"],
        "center_id": row["center_id"],
        "created_by": row["created_by"],
        "updated_by": row["updated_by"],
        "version": row["version"],
        "created_at": iso_utc(row["created_at"]),
        "updated_at": iso_utc(row["updated_at"]),
    }


@dataclass(frozen=True)
class Child:
    """A kind of record attached to a parent record: its kind name and the column naming the
    parent. Attached records never reach further than their parent (see ``core/versioning``)."""

    kind: str
    column: str
    label: str


@dataclass(frozen=True)
class RecordKind:
    """A journaled record kind: its table, serializer, who may see it, what hangs off it.

    ``label`` names the kind in messages; ``owner_only`` is the refusal a party
    gets for changing another party's record of this kind.
    """

    name: str
    table: Table
    payload: Callable[[Row], dict[str, Any]]
    owner: Callable[[Row], str | None]
    releasability: Callable[[Row], str]
    center: Callable[[Row], str | None]
    label: str = ""
    owner_only: str = ""
    children: tuple[Child, ...] = ()
    # The format ``payload`` writes; when a payload gains or loses a field, bump it and
    # keep the serialiser of each earlier format, so older entries still verify.
    payload_format: int = 1
    earlier_payloads: Mapping[int, Callable[[Row], dict[str, Any]]] = field(default_factory=dict)
    # The columns kept for queries only (a box, a filter key), computed from the row's
    # journaled fields; ``tansiq verify`` recomputes them, as they are in no payload.
    derived: Callable[[Row], Mapping[str, Any]] | None = None
    # The stored columns a payload names in another shape (a point for lon/lat, a box
    # for its four bounds), rebuilt from a received payload (``core/remote``).
    restore: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # A kind goes to a worker process (``tansiq verify``) by its name: the worker's
        # registry holds the same kinds, tables and functions (a lambda cannot be pickled).
        return (_kind_named, (self.name,))

    def derived_mismatch(self, row: Row) -> str | None:
        """The first derived column of ``row`` that differs from its recomputed value, or None."""
        if self.derived is None:
            return None
        for column, value in self.derived(row).items():
            if row[column] != value:
                return column
        return None

    def payload_in(self, payload_format: int) -> Callable[[Row], dict[str, Any]]:
        """The serialiser of ``payload_format``; raises KeyError for a format never had."""
        if payload_format == self.payload_format:
            return self.payload
        return self.earlier_payloads[payload_format]

    @property
    def noun(self) -> str:
        """The kind's name in messages: ``label``, or the name with spaces."""
        return self.label or self.name.replace("_", " ")

    def draft(
        self, row: Row, *, actor: str, action: str, payload: Mapping[str, Any] | None = None
    ) -> EntryDraft:
        """The journal entry recording ``row`` as this kind's new version.

        ``payload`` is ``self.payload(row)`` when the caller already built it.
        """
        return EntryDraft(
            actor=actor,
            record_kind=self.name,
            record_id=str(row["id"]),
            action=action,
            record_version=row["version"],
            owner_party=self.owner(row),
            releasability=self.releasability(row),
            center_id=self.center(row),
            payload=self.payload(row) if payload is None else payload,
            payload_format=self.payload_format,
        )


def _kind_named(name: str) -> RecordKind:
    from tansiq.services.core.registry import kind_named  # the registry imports this module

    return kind_named(name)


def released_to_all(_row: Row) -> str:
    return ReleasabilityChoices.ALL.value


def released_to_own_party(_row: Row) -> str:
    return ReleasabilityChoices.PARTY.value


def no_center(_row: Row) -> None:
    return None


def owner_party(row: Row) -> str | None:
    owner: str | None = row["party_id"]
    return owner


def _row_releasability(row: Row) -> str:
    return str(row["releasability"])


def _row_center(row: Row) -> str | None:
    center: str | None = row["center_id"]
    return center


def owned_kind(
    name: str,
    table: Table,
    payload: Callable[[Row], dict[str, Any]],
    *,
    label: str = "",
    owner_only: str = "",
    children: tuple[Child, ...] = (),
    derived: Callable[[Row], Mapping[str, Any]] | None = None,
    restore: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    payload_format: int = 1,
    earlier_payloads: Mapping[int, Callable[[Row], dict[str, Any]]] | None = None,
) -> RecordKind:
    """A kind owned by its row's ``party_id`` and released as the row says (concept records)."""
    return RecordKind(
        name,
        table,
        payload,
        owner_party,
        _row_releasability,
        _row_center,
        label=label,
        owner_only=owner_only or f"only the owner party may change this {label or name}",
        children=children,
        derived=derived,
        restore=restore,
        payload_format=payload_format,
        earlier_payloads=dict(earlier_payloads or {}),
    )
