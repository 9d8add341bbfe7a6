"""What a received record sets off here: the follow-ups a local change would have had.

- A joint plan is approved on its owner's node by a journaled system action once
  every participating party signed its current version; when that last signature
  comes from the peer, nobody here is at a keyboard to do it, so the arrival does.
- A received sector, site, incident or plan that moved, ended or changed its reach
  rechecks the deconfliction findings of this party's plans that it concerns, as the
  same change made here would (``operations/rechecks``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.operations import LIVE_STATUSES
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import RecordKind
from tansiq.services.directory.commands import center_ids_of_party
from tansiq.services.federation.identity import node_party
from tansiq.services.operations.approval_commands import complete_if_signed
from tansiq.services.operations.rechecks import recheck_concerning
from tansiq.storage.tables.operations import operations

SUBJECT_KINDS = frozenset({"sector", "protected_site", "incident", "operation"})
FEDERATION_ACTOR = "system:federation"
log = logging.getLogger("tansiq.sync")


def _node_actor(conn: Connection) -> Actor | None:
    """This node's party acting on its own plans (the recheck's author), or None."""
    party = node_party(conn)
    if party is None:
        return None
    sits_on = center_ids_of_party(conn, party)
    return Actor(FEDERATION_ACTOR, FEDERATION_ACTOR, party, frozenset(), sits_on)


def after_received(
    conn: Connection,
    ctx: ServiceContext,
    kind: RecordKind,
    written: Sequence[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
) -> None:
    """Run the follow-ups that received versions of ``kind`` set off, in ``conn``.

    ``written`` holds each version's row and the version held here until now (None
    for a new record).
    """
    if not written:
        return
    if kind.name == "operation_approval":
        for row, _before in written:
            complete_if_signed(conn, ctx, str(row["operation_id"]))
    elif kind.name in SUBJECT_KINDS:
        actor = _node_actor(conn)
        # Most batches meet no plan of this party at all: one query says so.
        if actor is None or not _has_live_plans(conn, actor.party):
            return
        for row, before in written:
            _recheck(conn, ctx, actor, kind, row, before)


def _has_live_plans(conn: Connection, party: str) -> bool:
    o = operations.c
    found = conn.execute(
        select(o.id)
        .where(o.party_id == party, o.status.in_(sorted(s.value for s in LIVE_STATUSES)))
        .limit(1)
    ).first()
    return found is not None


def _recheck(
    conn: Connection,
    ctx: ServiceContext,
    actor: Actor,
    kind: RecordKind,
    row: Mapping[str, Any],
    before: Mapping[str, Any] | None,
) -> None:
    try:
        recheck_concerning(conn, ctx, actor=actor, before=before or {}, after=row)
    except ValidationFailed as exc:
        # A plan of ours over the overlay budget must not stop the peer's feed: its
        # findings stay as they were until its owner rechecks it by hand.
        log.warning("recheck after a received %s skipped: %s", kind.name, exc.detail)
