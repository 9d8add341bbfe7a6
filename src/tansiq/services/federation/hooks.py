"""What a received record sets off here: a two-party plan whose last signature arrived.

A joint plan is approved on its owner's node by a journaled system action once
every participating party signed its current version; when that last signature
comes from the peer, nobody here is at a keyboard to do it, so the arrival does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import RecordKind
from tansiq.services.operations.approval_commands import complete_if_signed


def after_received(
    conn: Connection, ctx: ServiceContext, kind: RecordKind, payload: Mapping[str, Any]
) -> None:
    """Run the follow-up a received record of ``kind`` sets off, in ``conn``."""
    if kind.name == "operation_approval":
        complete_if_signed(conn, ctx, str(payload["operation_id"]))
