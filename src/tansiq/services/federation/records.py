"""Journaled forms of this node's identity and of its peers (neither ever leaves the node)."""

from __future__ import annotations

from typing import Any

from tansiq.services.core.kinds import (
    RecordKind,
    Row,
    copy_fields,
    no_center,
    released_to_own_party,
    stamps,
)
from tansiq.storage.tables.federation import node_identity, peers, release_precisions


def node_payload(row: Row) -> dict[str, Any]:
    """The journaled form of this node's identity: its id and its party."""
    return {**copy_fields(row, "id", "party_id", "created_by", "updated_by"), **stamps(row)}


def peer_payload(row: Row) -> dict[str, Any]:
    """The journaled (and admin-facing) form of a peer node."""
    return {
        **copy_fields(row, "id", "party_id", "url", "public_key", "status"),
        **copy_fields(row, "created_by", "updated_by"),
        **stamps(row),
    }


def precision_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a record's release precision to one party."""
    return {
        **copy_fields(row, "id", "record_kind", "record_id", "party_id", "spec"),
        **copy_fields(row, "created_by", "updated_by"),
        **stamps(row),
    }


NODE = RecordKind(
    "node", node_identity, node_payload, lambda r: None, released_to_own_party, no_center
)
PEER = RecordKind("peer", peers, peer_payload, lambda r: None, released_to_own_party, no_center)

RELEASE_PRECISION = RecordKind(
    "release_precision",
    release_precisions,
    precision_payload,
    lambda r: None,
    released_to_own_party,
    no_center,
    label="release precision",
)

KINDS: tuple[RecordKind, ...] = (NODE, PEER, RELEASE_PRECISION)

# The kinds that never travel to a peer: the directory, accounts and federation itself.
LOCAL_ONLY_KINDS = frozenset({"party", "center", "user", "api_token", "node", "peer", "node_key"})
