"""What of a record a peer party receives: its journaled payload, at the precision released.

The owner keeps the exact record; a peer receives the payload as journaled, or
reduced (district point or grid cell, coarser dates: ``geo/release.py``) when the
owner released the record to that party at reduced precision. Decided here, at
feed time, so the exact coordinates never enter a feed meant to be coarse. A
precision applies to the versions fed after it is set: what already went out
cannot be called back (docs/release-precision.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.geo.precision import ReleasePrecisionError, format_precision, parse_precision
from tansiq.geo.release import reduce_payload
from tansiq.journal.canonical import canonical_json
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.registry import kind_named
from tansiq.services.core.versioning import insert_records, new_version, visible_row
from tansiq.services.federation.records import RELEASE_PRECISION, precision_payload
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.federation import release_precisions

# The kinds whose place and time a reduced release can coarsen (geo/release.py).
REDUCIBLE_KINDS = ("incident",)


def precisions_for(
    conn: Connection, party: str, rows: Sequence[Mapping[Any, Any]]
) -> dict[str, str]:
    """The precision set for ``party`` of each record of the journal ``rows`` that has one."""
    ids = [
        _precision_id(row["record_kind"], row["record_id"], party)
        for row in rows
        if row["record_kind"] in REDUCIBLE_KINDS
    ]
    if not ids:
        return {}
    p = release_precisions.c
    return {
        r.record_id: r.spec for r in conn.execute(select(p.record_id, p.spec).where(p.id.in_(ids)))
    }


def released_payload(row: Mapping[str, Any], spec: str | None) -> tuple[str, str | None]:
    """(payload text, precision or None) of journal entry ``row`` released at ``spec``."""
    text: str = row["payload"]
    if spec is None:
        return text, None
    precision = parse_precision(spec)
    if precision.is_exact:
        return text, None
    reduced = reduce_payload(row["record_kind"], orjson.loads(text), precision)
    return canonical_json(reduced).decode(), spec


def _precision_id(kind: str, record_id: str, party: str) -> str:
    return f"{kind}/{record_id}/{party}"


def set_release_precision(
    ctx: ServiceContext,
    *,
    actor: Actor,
    record_kind: str,
    record_id: str,
    party: str,
    spec: str,
) -> dict[str, Any]:
    """Release a record of the actor's party to ``party`` at ``spec`` (e.g. ``district,day``).

    Journaled; ``exact`` releases it exactly again. Raises ValidationFailed naming
    ``record_kind``, ``party`` or ``precision``, NotFound (absent or not released to
    the actor), PermissionDenied (another party's record).
    """
    if record_kind not in REDUCIBLE_KINDS:
        raise ValidationFailed.single(
            "record_kind", f"only {', '.join(REDUCIBLE_KINDS)} records can be released coarser"
        )
    try:
        precision = parse_precision(spec)
    except ReleasePrecisionError as exc:
        raise ValidationFailed.single("precision", str(exc)) from None
    if party == actor.party:
        raise ValidationFailed.single("party", "a party always sees its own records exactly")
    kind = kind_named(record_kind)
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        record = visible_row(conn, kind.table, actor, record_id, label=kind.noun)
        if record["party_id"] != actor.party:
            raise PermissionDenied("only the owner party decides how exactly a record is released")
        values = {"spec": format_precision(precision)}
        key = _precision_id(record_kind, record_id, party)
        found = (
            conn.execute(select(release_precisions).where(release_precisions.c.id == key))
            .mappings()
            .first()
        )
        if found is not None:
            changed = new_version(
                conn, ctx, RELEASE_PRECISION, dict(found), values, actor_id=actor.user_id, now=now
            )
            return precision_payload(changed)
        row = {
            "id": key,
            "record_kind": record_kind,
            "record_id": record_id,
            "party_id": party,
            **values,
            "created_by": actor.user_id,
            "updated_by": actor.user_id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        insert_records(conn, ctx, RELEASE_PRECISION, [row], actor_id=actor.user_id)
    return precision_payload(row)
