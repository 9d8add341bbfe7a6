"""Creating records: version 1 written and journaled in one transaction.

Every concept's create follows one of two skeletons. A record that answers or
attaches to another is written inside the caller's transaction, after the caller
has read and checked what it attaches to (:func:`insert_owned`). A record that
stands alone is built first and written in a transaction of its own, after the
checks that need the database (:func:`write_new`). Both go through
``core/versioning.insert_records``, so a record never reaches further than the
records it is attached to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from tansiq.domain.actors import Actor
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.versioning import first_version, insert_records
from tansiq.storage.db import write_transaction

Check = Callable[[Connection], object]


def insert_owned(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    values: Mapping[str, Any],
    *,
    actor: Actor,
    now: datetime,
    action: str = "create",
) -> dict[str, Any]:
    """Insert version 1 of ``values`` owned by the actor's party and journal it as ``action``.

    Runs inside the caller's transaction; returns the row written. Raises
    ValidationFailed naming ``releasability`` when it would reach further than a
    record it is attached to.
    """
    row = first_version(values, actor=actor, now=now)
    insert_records(conn, ctx, kind, [row], actor_id=actor.user_id, action=action)
    return row


def write_new(
    ctx: ServiceContext,
    kind: RecordKind,
    row: dict[str, Any],
    *,
    actor_id: str,
    check: Check | None = None,
) -> dict[str, Any]:
    """Insert and journal ``row`` (version 1, built by the caller) in a transaction of its own.

    ``check`` runs first in the same transaction and raises the concept's errors
    (ValidationFailed naming each bad field); then nothing is written. Returns ``row``.
    """
    with write_transaction(ctx.engine) as conn:
        if check is not None:
            check(conn)
        insert_records(conn, ctx, kind, [row], actor_id=actor_id)
    return row
