"""How each record kind's current row becomes its journaled version.

The same functions serve writing (the payload journaled) and ``tansiq verify``
(the current row re-serialised and compared), so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from tansiq.domain.choices import ReleasabilityChoices
from tansiq.journal.canonical import iso_utc
from tansiq.journal.chain import EntryDraft
from tansiq.storage.tables import api_tokens, centers, incidents, parties, users

Row = Mapping[Any, Any]


def _stamps(row: Row) -> dict[str, Any]:
    return {
        "version": row["version"],
        "created_at": iso_utc(row["created_at"]),
        "updated_at": iso_utc(row["updated_at"]),
    }


def owned_fields(row: Row) -> dict[str, Any]:
    """What every party-owned record journals: id, owner, reach, authors and stamps."""
    return {
        "id": row["id"],
        "party": row["party_id"],
        "releasability": row["releasability"],
        "center_id": row["center_id"],
        "created_by": row["created_by"],
        "updated_by": row["updated_by"],
        **_stamps(row),
    }


def party_payload(row: Row) -> dict[str, Any]:
    """The journaled (and public) form of a party."""
    return {
        "id": row["id"],
        "name_en": row["name_en"],
        "name_ar": row["name_ar"],
        "name_ckb": row["name_ckb"],
        **_stamps(row),
    }


def center_payload(row: Row) -> dict[str, Any]:
    """The journaled (and public) form of a center."""
    return {
        "id": row["id"],
        "code": row["code"],
        "kind": row["kind"],
        "name_en": row["name_en"],
        "name_ar": row["name_ar"],
        "name_ckb": row["name_ckb"],
        "governorates": list(row["governorates"]),
        "member_parties": sorted(row["member_parties"]),
        **_stamps(row),
    }


def user_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a user; the password hash never leaves the table."""
    return {
        "id": row["id"],
        "username": row["username"],
        "display_name": row["display_name"],
        "party": row["party_id"],
        "roles": sorted(row["roles"]),
        "language": row["language"],
        "active": row["active"],
        **_stamps(row),
    }


def token_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an API token; its hash stays in the table."""
    return {
        "id": row["id"],
        "user_id": row["user_id"],
        "name": row["name"],
        "expires_at": iso_utc(row["expires_at"]),
        "revoked_at": iso_utc(row["revoked_at"]) if row["revoked_at"] else None,
        **_stamps(row),
    }


def incident_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an incident, which is also the API's answer."""
    return {
        **owned_fields(row),
        "status": row["status"],
        "occurred_at": iso_utc(row["occurred_at"]),
        "time_precision": row["time_precision"],
        "location": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
        "geo_precision": row["geo_precision"],
        "place_name": row["place_name"],
        "cross_border": row["cross_border"],
        "admin1": row["admin1"],
        "admin2": row["admin2"],
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "actor1": row["actor1"],
        "actor2": row["actor2"],
        "fatalities": row["fatalities"],
        "injured": row["injured"],
        "description": row["description"],
        "sources": list(row["sources"]),
        "source_reliability": row["source_reliability"],
        "credibility": row["credibility"],
    }


@dataclass(frozen=True)
class RecordKind:
    """A journaled record kind: its table, serializer and who may see it."""

    name: str
    table: Table
    payload: Callable[[Row], dict[str, Any]]
    owner: Callable[[Row], str | None]
    releasability: Callable[[Row], str]
    center: Callable[[Row], str | None]

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
        )


def _shared(_row: Row) -> str:
    return ReleasabilityChoices.ALL.value


def _own_party(_row: Row) -> str:
    return ReleasabilityChoices.PARTY.value


def _no_center(_row: Row) -> None:
    return None


def _owner_party(row: Row) -> str | None:
    owner: str | None = row["party_id"]
    return owner


def _row_releasability(row: Row) -> str:
    return str(row["releasability"])


def _row_center(row: Row) -> str | None:
    center: str | None = row["center_id"]
    return center


def owned_kind(name: str, table: Table, payload: Callable[[Row], dict[str, Any]]) -> RecordKind:
    """A kind owned by its row's ``party_id`` and released as the row says (concept records)."""
    return RecordKind(name, table, payload, _owner_party, _row_releasability, _row_center)


PARTY = RecordKind("party", parties, party_payload, lambda r: r["id"], _shared, _no_center)
CENTER = RecordKind("center", centers, center_payload, lambda r: None, _shared, _no_center)
USER = RecordKind("user", users, user_payload, _owner_party, _own_party, _no_center)
# Tokens belong to a user; their party is looked up when journaling (see accounts).
TOKEN = RecordKind(
    "api_token", api_tokens, token_payload, lambda r: r.get("party_id"), _own_party, _no_center
)
INCIDENT = owned_kind("incident", incidents, incident_payload)

CORE_KINDS: tuple[RecordKind, ...] = (PARTY, CENTER, USER, TOKEN, INCIDENT)
