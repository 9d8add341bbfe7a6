"""Journaled forms of notices and their acknowledgements.

Each payload is the full version that is journaled and the core of the API's
answer (services add derived fields such as a notice's ``state`` on top).
"""

from __future__ import annotations

from typing import Any

from tansiq.services.core.kinds import (
    Child,
    RecordKind,
    Row,
    copy_fields,
    owned_fields,
    owned_kind,
    restore_status_reason,
    utc_fields,
)
from tansiq.storage.tables.notices import notice_acks, notices


def _notice_payload_format_1(row: Row) -> dict[str, Any]:
    """A notice as journaled before a withdrawal carried its reason (format 1).

    A row that holds a reason keeps it in the payload, so such a row never matches a
    format-1 entry: ``tansiq verify`` catches a reason written in place.
    """
    payload = {
        **owned_fields(row),
        **copy_fields(
            row, "to_party", "kind", "status", "subject", "message", "location", "place_name"
        ),
        **utc_fields(row, "starts_at", "ends_at", "ack_deadline"),
    }
    if row.get("status_reason") is not None:
        payload["status_reason"] = row["status_reason"]
    return payload


def notice_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a notice, owned by the sending party (format 2, with
    ``status_reason``: why it was withdrawn)."""
    return {**_notice_payload_format_1(row), "status_reason": row.get("status_reason")}



def ack_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an acknowledgement (owned by the receiving party)."""
    return {
        **owned_fields(row),
        **copy_fields(row, "notice_id", "notice_version", "response", "comment"),
    }


NOTICE = owned_kind(
    "notice",
    notices,
    notice_payload,
    owner_only="only the sending party may change its notice",
    restore=restore_status_reason,
    payload_format=2,
    earlier_payloads={1: _notice_payload_format_1},
    children=(Child("notice_ack", "notice_id", "acknowledgements"),),
)
NOTICE_ACK = owned_kind("notice_ack", notice_acks, ack_payload, label="acknowledgement")

KINDS: tuple[RecordKind, ...] = (NOTICE, NOTICE_ACK)
