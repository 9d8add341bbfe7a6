"""How precisely each mapped incident is placed and timed, for the map's popups.

The incident GeoJSON carries what a marker needs to be drawn; a popup also says how
far to trust it (ACLED's geo-precision code and the time precision). This reads
those two columns for the features already in a collection, in one query, and only
for rows released to the actor, so it can never widen what the collection shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tansiq.domain.actors import Actor
from tansiq.services.core.context import ServiceContext
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.visibility import visible_to

# Ids per IN (...) clause: well below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500


def precisions(
    ctx: ServiceContext, *, actor: Actor, ids: list[str]
) -> dict[str, Mapping[str, Any]]:
    """``{id: {"time_precision", "geo_precision"}}`` for the ids released to ``actor``.

    Ids the actor may not see (or that do not exist) are left out. Raises nothing of
    its own; database errors propagate.
    """
    c = incidents.c
    found: dict[str, Mapping[str, Any]] = {}
    with read_transaction(ctx.engine) as conn:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            query = select(c.id, c.time_precision, c.geo_precision).where(
                visible_to(incidents, actor), c.id.in_(chunk)
            )
            for row in conn.execute(query).mappings():
                found[row["id"]] = {
                    "time_precision": row["time_precision"],
                    "geo_precision": row["geo_precision"],
                }
    return found


def add_precision(ctx: ServiceContext, *, actor: Actor, collection: dict[str, Any]) -> None:
    """Add ``time_precision`` and ``geo_precision`` to each feature of an incident collection.

    Features the actor may not see get nothing added (they should not be there).
    """
    features = collection["features"]
    known = precisions(ctx, actor=actor, ids=[f["id"] for f in features])
    for feature in features:
        feature["properties"].update(known.get(feature["id"], {}))
