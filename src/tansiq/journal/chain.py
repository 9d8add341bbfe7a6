"""Building journal entries: envelope, hash and signature.

Pure: the storage side (``services/core/journaling.py``) reads the head and writes rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from tansiq.journal.canonical import canonical_json, envelope_json
from tansiq.journal.keys import NodeKey

GENESIS_HASH = "0" * 64

# The action of an entry recording that a received record left this node's tables
# (its owner withdrew it from this party's reach): verify expects no row after it.
WITHDRAWN_ACTION = "withdrawn"

# Fields of a journal row covered by its hash, besides the payload and prev_hash.
ENVELOPE_FIELDS = (
    "seq",
    "node_id",
    "actor",
    "at",
    "record_kind",
    "record_id",
    "action",
    "record_version",
    "owner_party",
    "releasability",
    "center_id",
)


@dataclass(frozen=True)
class EntryDraft:
    """One change to journal: the record's full new version and who may see it."""

    actor: str
    record_kind: str
    record_id: str
    action: str
    record_version: int
    owner_party: str | None
    releasability: str
    center_id: str | None
    payload: Mapping[str, Any]
    payload_format: int = 1
    # The payload's canonical JSON when the caller already has it (a received version,
    # checked to be exactly ``canonical_json(payload)``): not encoded twice.
    payload_text: str | None = None


def entry_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical envelope of a journal row.

    ``row["payload"]`` is the canonical JSON text, embedded as is.
    """
    return entry_digest(row).hex()


def entry_digest(row: Mapping[str, Any]) -> bytes:
    """The 32 raw bytes of :func:`entry_hash`: what the node's key signs."""
    return envelope_digest(
        [row[name] for name in ENVELOPE_FIELDS],
        row["prev_hash"],
        row["payload"],
        row.get("payload_format", 1),
    )


def envelope_digest(
    fields: Sequence[Any], prev_hash: str, payload: str, payload_format: int
) -> bytes:
    """:func:`entry_digest` of an entry given as values: ``fields`` in ``ENVELOPE_FIELDS``
    order, then the rest (``tansiq verify`` reads rows as tuples)."""
    envelope: dict[str, Any] = dict(zip(ENVELOPE_FIELDS, fields, strict=True))
    envelope["prev_hash"] = prev_hash
    envelope["payload"] = orjson.Fragment(payload)
    # Format 1 is the form every entry had before formats were named: its envelope
    # leaves the field out, so those entries keep their hashes.
    if payload_format != 1:
        envelope["payload_format"] = payload_format
    return hashlib.sha256(envelope_json(envelope)).digest()


def build_rows(
    drafts: list[EntryDraft], *, key: NodeKey, head_seq: int, head_hash: str, at: str
) -> list[dict[str, Any]]:
    """Chain ``drafts`` after the head and return rows ready to insert."""
    rows = []
    prev = head_hash
    for offset, draft in enumerate(drafts, start=1):
        row: dict[str, Any] = {
            "seq": head_seq + offset,
            "node_id": key.node_id,
            "actor": draft.actor,
            "at": at,
            "record_kind": draft.record_kind,
            "record_id": draft.record_id,
            "action": draft.action,
            "record_version": draft.record_version,
            "owner_party": draft.owner_party,
            "releasability": draft.releasability,
            "center_id": draft.center_id,
            "payload": (
                draft.payload_text
                if draft.payload_text is not None
                else canonical_json(draft.payload).decode()
            ),
            "payload_format": draft.payload_format,
            "prev_hash": prev,
        }
        row["hash"] = entry_hash(row)
        row["signature"] = key.sign(bytes.fromhex(row["hash"]))
        prev = row["hash"]
        rows.append(row)
    return rows
