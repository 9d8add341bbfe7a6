"""Journaled forms of notices and their acknowledgements.

Each payload is the full version that is journaled and the core of the API's
answer (services add derived fields such as a notice's ``state`` on top).
"""

from __future__ import annotations

from typing import Any

from tansiq.journal.canonical import iso_utc
from tansiq.services.core.kinds import Child, RecordKind, Row, owned_fields, owned_kind
from tansiq.storage.tables.notices import notice_acks, notices


def notice_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a notice (owned by the sending party)."""
    return {
        **owned_fields(row),
        "to_party": row["to_party"],
        "kind": row["kind"],
        "status": row["status"],
        "subject": row["subject"],
        "message": row["message"],
        "location": row["location"],
        "place_name": row["place_name"],
        "starts_at": iso_utc(row["starts_at"]),
        "ends_at": iso_utc(row["ends_at"]),
        "ack_deadline": iso_utc(row["ack_deadline"]),
    }


def ack_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an acknowledgement (owned by the receiving party)."""
    return {
        **owned_fields(row),
        "notice_id": row["notice_id"],
        "notice_version": row["notice_version"],
        "response": row["response"],
        "comment": row["comment"],
    }


NOTICE = owned_kind(
    "notice",
    notices,
    notice_payload,
    owner_only="only the sending party may change its notice",
    children=(Child("notice_ack", "notice_id", "acknowledgements"),),
)
NOTICE_ACK = owned_kind("notice_ack", notice_acks, ack_payload, label="acknowledgement")

KINDS: tuple[RecordKind, ...] = (NOTICE, NOTICE_ACK)
