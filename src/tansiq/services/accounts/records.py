"""Journaled forms of users and API tokens; credentials never enter a payload."""

from __future__ import annotations

from typing import Any

from tansiq.journal.canonical import iso_utc
from tansiq.services.core.kinds import (
    RecordKind,
    Row,
    copy_fields,
    no_center,
    owner_party,
    released_to_own_party,
    stamps,
)
from tansiq.storage.tables.accounts import api_tokens, users


def _user_payload_format_1(row: Row) -> dict[str, Any]:
    """A user as journaled before lock-outs existed."""
    return {
        **copy_fields(row, "id", "username", "display_name"),
        "party": row["party_id"],
        "roles": sorted(row["roles"]),
        **copy_fields(row, "language", "active"),
        **stamps(row),
    }


def user_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a user; the password hash never leaves the table."""
    locked_at = row.get("locked_at")
    return {**_user_payload_format_1(row), "locked_at": iso_utc(locked_at) if locked_at else None}


def token_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an API token; its hash stays in the table."""
    return {
        **copy_fields(row, "id", "user_id", "name"),
        "expires_at": iso_utc(row["expires_at"]),
        "revoked_at": iso_utc(row["revoked_at"]) if row["revoked_at"] else None,
        **stamps(row),
    }


USER = RecordKind(
    "user",
    users,
    user_payload,
    owner_party,
    released_to_own_party,
    no_center,
    payload_format=2,
    earlier_payloads={1: _user_payload_format_1},
)


# Tokens belong to a user; their party is looked up when journaling (see accounts).
TOKEN = RecordKind(
    "api_token",
    api_tokens,
    token_payload,
    lambda r: r.get("party_id"),
    released_to_own_party,
    no_center,
)

KINDS: tuple[RecordKind, ...] = (USER, TOKEN)
