"""Which records a party's feed has shown, so one leaving the party's reach is withdrawn.

Read once and written once per step of the feed builder (``feeds.py``): the rows of
the journal entries in the step, looked up by kind and id on the table's whole key.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from tansiq.storage.bulk import insert_many
from tansiq.storage.tables.federation import feed_reach


class Reach:
    """Which records a party's feed has shown, for one chunk of journal: read once, written once."""

    def __init__(self, conn: Connection, party: str, rows: list[Any]) -> None:
        self.conn, self.party = conn, party
        r = feed_reach.c
        by_kind: dict[str, set[str]] = {}
        for row in rows:
            by_kind.setdefault(row["record_kind"], set()).add(row["record_id"])
        # One query per kind, so the whole primary key finds the rows (by record id
        # alone it read every record the feed ever showed, for every chunk).
        self.known: dict[tuple[str, str], bool] = {
            (k.record_kind, k.record_id): k.visible
            for kind, ids in by_kind.items()
            for k in conn.execute(
                select(r.record_kind, r.record_id, r.visible).where(
                    r.party_id == party, r.record_kind == kind, r.record_id.in_(sorted(ids))
                )
            )
        }
        self.changed: dict[tuple[str, str], bool] = {}

    def shown(self, kind: str, record_id: str) -> bool:
        """True when the feed last showed the record (not withdrawn)."""
        key = (kind, record_id)
        return self.changed.get(key, self.known.get(key, False))

    def set(self, kind: str, record_id: str, visible: bool) -> None:
        """Remember the record as shown or withdrawn."""
        if self.shown(kind, record_id) != visible or (kind, record_id) not in self.known:
            self.changed[(kind, record_id)] = visible

    def save(self) -> None:
        """Write what changed in this chunk."""
        r = feed_reach.c
        new = [
            {"party_id": self.party, "record_kind": k, "record_id": i, "visible": v}
            for (k, i), v in self.changed.items()
            if (k, i) not in self.known
        ]
        insert_many(self.conn, feed_reach, new)
        for (kind, record_id), visible in self.changed.items():
            if (kind, record_id) in self.known and self.known[(kind, record_id)] != visible:
                self.conn.execute(
                    update(feed_reach)
                    .where(
                        r.party_id == self.party, r.record_kind == kind, r.record_id == record_id
                    )
                    .values(visible=visible)
                )
