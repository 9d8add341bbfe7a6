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
    utc_fields,
)
from tansiq.storage.tables.notices import notice_acks, notices


def notice_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a notice (owned by the sending party)."""
    return {
        **owned_fields(row),
        **copy_fields(
            row, "to_party", "kind", "status", "subject", "message", "location", "place_name"
        ),
        **utc_fields(row, "starts_at", "ends_at", "ack_deadline"),
    }


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
    children=(Child("notice_ack", "notice_id", "acknowledgements"),),
)
NOTICE_ACK = owned_kind("notice_ack", notice_acks, ack_payload, label="acknowledgement")

KINDS: tuple[RecordKind, ...] = (NOTICE, NOTICE_ACK)
