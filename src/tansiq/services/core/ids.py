"""Record ids: UUIDv7, so records from different nodes never collide and index well."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> str:
    """A new UUIDv7 as its canonical 36-character string."""
    return str(uuid6.uuid7())


# Names shared by every node (a center's code) map to the same id on each node.
_SHARED_NAMESPACE = uuid.UUID("5d7a1c1e-3b0f-4a55-9a53-7a6e5f1b7c20")


def shared_id(kind: str, name: str) -> str:
    """The id every node gives the shared record ``kind``/``name`` (a UUIDv5).

    Centers are agreed between the parties and registered on each party's node;
    deriving their id from their code lets records released to a center name the
    same center on every node.
    """
    return str(uuid.uuid5(_SHARED_NAMESPACE, f"{kind}:{name}"))
