"""Journaled (and public) forms of parties and centers."""

from __future__ import annotations

from typing import Any

from tansiq.services.core.kinds import (
    RecordKind,
    Row,
    copy_fields,
    no_center,
    released_to_all,
    stamps,
)
from tansiq.storage.tables.directory import centers, parties


def party_payload(row: Row) -> dict[str, Any]:
    """The journaled (and public) form of a party."""
    return {
        **copy_fields(row, "id", "name_en", "name_ar", "name_ckb"),
        **stamps(row),
    }


def center_payload(row: Row) -> dict[str, Any]:
    """The journaled (and public) form of a center."""
    return {
        **copy_fields(row, "id", "code", "kind", "name_en", "name_ar", "name_ckb"),
        "governorates": list(row["governorates"]),
        "member_parties": sorted(row["member_parties"]),
        **stamps(row),
    }


PARTY = RecordKind("party", parties, party_payload, lambda r: r["id"], released_to_all, no_center)


CENTER = RecordKind("center", centers, center_payload, lambda r: None, released_to_all, no_center)

KINDS: tuple[RecordKind, ...] = (PARTY, CENTER)
