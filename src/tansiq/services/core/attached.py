"""Reading the records attached to others: answers, endorsements, notes, approvals.

A record attached to another names it in one column (``notice_id``,
``decision_id``…). Readers get only the attached records released to them, by
the one rule ``visible_to``, whatever they may see of the parent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, select

from tansiq.domain.actors import Actor
from tansiq.storage.visibility import visible_to

Row = Mapping[Any, Any]
OLDEST_FIRST = ("created_at", "id")


def attached_rows(
    conn: Connection,
    table: Table,
    column: str,
    parent_ids: Iterable[str],
    *,
    actor: Actor,
    order_by: Sequence[str] = OLDEST_FIRST,
) -> Sequence[Row]:
    """Rows of ``table`` whose ``column`` names one of ``parent_ids``, released to ``actor``.

    Ordered by the ``order_by`` columns (default: oldest first, then by id).
    """
    ids = sorted(set(parent_ids))
    if not ids:
        return []
    c = table.c
    query = (
        select(table)
        .where(c[column].in_(ids), visible_to(table, actor))
        .order_by(*(c[name] for name in order_by))
    )
    return conn.execute(query).mappings().all()


def attached_by_parent(
    conn: Connection, table: Table, column: str, parent_ids: Iterable[str], *, actor: Actor
) -> defaultdict[str, list[Row]]:
    """:func:`attached_rows` grouped by the parent they name, each group oldest first."""
    found: defaultdict[str, list[Row]] = defaultdict(list)
    for row in attached_rows(conn, table, column, parent_ids, actor=actor):
        found[row[column]].append(row)
    return found
