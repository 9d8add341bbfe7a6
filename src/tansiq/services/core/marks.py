"""Where each remote record came from: the "received from krg at …" mark of every answer.

Every read that hands records out (a list page, a detail, a dashboard, a digest)
asks :func:`received_marks` once for the whole set of one kind: a record of this
node has no mark (``None``); a record received from a peer's node has
``{"from": party, "node_id": …, "at": …, "precision": …}``, from the latest
applied entry that carried it (``received_entries``, as kept by sync), so ``at``
is when its current version arrived. The mark says only where a record came
from; the caller has already read the records for its user, by the one
releasability rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final, TypeVar

import orjson
from sqlalchemy import Connection, and_, case, func, select

from tansiq.journal.canonical import iso_utc
from tansiq.services.core.pagination import Present, Rows
from tansiq.storage.tables.federation import peers, received_entries

#: The state sync keeps an applied entry in (``federation/received.APPLIED``).
APPLIED: Final = "applied"
#: Ids asked for in one query: a whole list page (MAX_PAGE) is one query.
CHUNK: Final = 1000
# A reduced release says so in the signed envelope; only those bodies are read. Inside a
# JSON string a quote is escaped, so ``"precision":`` is always a key.
_REDUCED = '%"precision":%'

Mark = dict[str, Any]
R = TypeVar("R", bound=dict[str, Any])


def received_marks(conn: Connection, kind: str, ids: Iterable[str]) -> dict[str, Mark]:
    """The mark of each record of ``kind`` among ``ids`` that a peer's node sent here.

    Records of this node are absent from the answer. One query for up to CHUNK ids.
    """
    wanted = sorted(set(ids))
    found: dict[str, Mark] = {}
    for start in range(0, len(wanted), CHUNK):
        found.update(_marks(conn, kind, wanted[start : start + CHUNK]))
    return found


def _marks(conn: Connection, kind: str, ids: Sequence[str]) -> dict[str, Mark]:
    e = received_entries.c
    latest = (
        select(e.peer_id, e.record_id, func.max(e.seq).label("seq"))
        .where(e.record_kind == kind, e.record_id.in_(ids), e.state == APPLIED)
        .group_by(e.peer_id, e.record_id)
        .subquery()
    )
    reduced = case((e.body.like(_REDUCED), e.body), else_=None).label("reduced")
    query = (
        select(latest.c.record_id, e.received_at, peers.c.party_id, peers.c.id, reduced)
        .select_from(latest)
        .join(received_entries, and_(e.peer_id == latest.c.peer_id, e.seq == latest.c.seq))
        .join(peers, peers.c.id == latest.c.peer_id)
    )
    found: dict[str, Mark] = {}
    for row in conn.execute(query):
        mark = {
            "from": row.party_id,
            "node_id": row.id,
            "at": iso_utc(row.received_at),
            "precision": _precision(row.reduced),
        }
        known = found.get(row.record_id)
        # One owner, one node: two peers never send the same record, but if they did,
        # the later arrival is the version held.
        if known is None or known["at"] < mark["at"]:
            found[row.record_id] = mark
    return found


def _precision(body: str | None) -> str | None:
    if body is None:
        return None
    # ``precision`` sits in the envelope, beside (not inside) the payload.
    precision = orjson.loads(body).get("precision")
    return precision if isinstance(precision, str) else None


def mark_received(conn: Connection, kind: str, records: Sequence[R]) -> list[R]:
    """Set ``received`` on each record of ``kind`` (its mark, or None); returns them."""
    marks = received_marks(conn, kind, (r["id"] for r in records))
    for record in records:
        record["received"] = marks.get(record["id"])
    return list(records)


def mark_one(conn: Connection, kind: str, record: R) -> R:
    """:func:`mark_received` for one record; returns it."""
    mark_received(conn, kind, [record])
    return record


def marked(kind: str, present: Present) -> Present:
    """A ``present`` for ``visible_page`` that also marks each record shown (one query)."""

    def present_marked(conn: Connection, rows: Rows) -> list[dict[str, Any]]:
        return mark_received(conn, kind, present(conn, rows))

    return present_marked


def mark_features(conn: Connection, kind: str, features: Sequence[R]) -> list[R]:
    """Set ``received`` in the ``properties`` of GeoJSON features of ``kind`` records."""
    marks = received_marks(conn, kind, (f["id"] for f in features))
    for feature in features:
        feature["properties"]["received"] = marks.get(str(feature["id"]))
    return list(features)
