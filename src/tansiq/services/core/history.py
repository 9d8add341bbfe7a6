"""A record's journaled versions, each shown only if it was itself released to the reader.

Generic over record kinds: any concept's ``…_history`` service calls
:func:`record_history` inside its read transaction after checking the current
row is visible.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import orjson
from sqlalchemy import Connection, and_, select

from tansiq.domain.actors import Actor
from tansiq.domain.releasability import is_visible
from tansiq.storage.tables.journal import journal


def record_history(
    conn: Connection,
    *,
    actor: Actor,
    kind: str,
    record_id: str,
    present: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Every version of one record the actor may see, oldest first.

    Each ``record`` is the journaled payload, passed through ``present`` if given
    (to add the fields derived at read time).
    """
    entries = conn.execute(
        select(journal)
        .where(and_(journal.c.record_kind == kind, journal.c.record_id == record_id))
        .order_by(journal.c.seq)
    ).mappings()
    history = [_version(entry) for entry in entries if _released(entry, actor)]
    if present is not None:
        for version in history:
            version["record"] = present(version["record"])
    return history


def journaled_versions(
    conn: Connection, *, kind: str, wanted: Collection[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """Payloads of the given ``(record_id, version)`` pairs, for derivations only.

    No visibility rule applies: callers use the payloads to compute a state, and
    never hand them out.
    """
    if not wanted:
        return {}
    ids = sorted({record_id for record_id, _ in wanted})
    rows = conn.execute(
        select(journal.c.record_id, journal.c.record_version, journal.c.payload).where(
            journal.c.record_kind == kind, journal.c.record_id.in_(ids)
        )
    )
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for row in rows:
        key = (row.record_id, row.record_version)
        if key in wanted:
            found[key] = orjson.loads(row.payload)
    return found


def _released(entry: Any, actor: Actor) -> bool:
    return is_visible(
        viewer_party=actor.party,
        viewer_centers=actor.centers,
        owner_party=entry["owner_party"] or "",
        releasability=entry["releasability"],
        center_id=entry["center_id"],
    )


def _version(entry: Any) -> dict[str, Any]:
    return {
        "version": entry["record_version"],
        "action": entry["action"],
        "actor": entry["actor"],
        "at": entry["at"],
        "journal_seq": entry["seq"],
        "hash": entry["hash"],
        "record": orjson.loads(entry["payload"]),
    }
