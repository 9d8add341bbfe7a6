"""Journaled forms of users and API tokens.

A credential's hash never enters a payload (the journal travels to peers): the payload
holds a *digest* of the stored hash instead, so ``tansiq verify`` notices a replaced
hash, yet the journal reveals nothing to guess a password or token from. The public
forms (``public_user``, ``public_token``), which the API and web answer, leave the
digest out too.
"""

from __future__ import annotations

import hashlib
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

# Domain-separation labels: a digest of one kind of credential never equals another's.
_PASSWORD_LABEL = b"tansiq password v1\0"
_TOKEN_LABEL = b"tansiq token v1\0"


def credential_digest(label: bytes, stored_hash: str) -> str:
    """Hex SHA-256 of ``label`` + the stored hash: what the journal holds of a credential."""
    return hashlib.sha256(label + stored_hash.encode()).hexdigest()


def _user_payload_format_1(row: Row) -> dict[str, Any]:
    """A user as journaled before lock-outs existed."""
    return {
        **copy_fields(row, "id", "username", "display_name"),
        "party": row["party_id"],
        "roles": sorted(row["roles"]),
        **copy_fields(row, "language", "active"),
        **stamps(row),
    }


def public_user(row: Row) -> dict[str, Any]:
    """A user as the API and web answer it (and as format 2 journaled it): no credential."""
    locked_at = row.get("locked_at")
    return {**_user_payload_format_1(row), "locked_at": iso_utc(locked_at) if locked_at else None}


def user_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a user (format 3): the public form and the password's digest."""
    return {
        **public_user(row),
        "password_digest": credential_digest(_PASSWORD_LABEL, row["password_hash"]),
    }


def public_token(row: Row) -> dict[str, Any]:
    """An API token as answered (and as format 1 journaled it): no hash, no digest."""
    return {
        **copy_fields(row, "id", "user_id", "name"),
        "expires_at": iso_utc(row["expires_at"]),
        "revoked_at": iso_utc(row["revoked_at"]) if row["revoked_at"] else None,
        **stamps(row),
    }


def token_payload(row: Row) -> dict[str, Any]:
    """The journaled form of an API token (format 2): the public form and its hash's digest."""
    return {**public_token(row), "token_digest": credential_digest(_TOKEN_LABEL, row["token_hash"])}


USER = RecordKind(
    "user",
    users,
    user_payload,
    owner_party,
    released_to_own_party,
    no_center,
    payload_format=3,
    earlier_payloads={1: _user_payload_format_1, 2: public_user},
)


# Tokens belong to a user; their party is looked up when journaling (see accounts).
TOKEN = RecordKind(
    "api_token",
    api_tokens,
    token_payload,
    lambda r: r.get("party_id"),
    released_to_own_party,
    no_center,
    payload_format=2,
    earlier_payloads={1: public_token},
)

KINDS: tuple[RecordKind, ...] = (USER, TOKEN)
