"""Probable duplicates of pending candidates among the incidents the reviewer may see.

The rule is ``domain/intake_matching.py``; this module asks the database for the
incidents that could match (same event type, time within the widest slack, inside
the radius's box or the same district or governorate, released to the reviewer)
and keeps those the rule accepts, best first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import CandidateStatusChoices, IncidentStatusChoices
from tansiq.domain.intake_matching import MAX_DUPLICATES, Probe, matches, probe_of
from tansiq.journal.canonical import iso_utc
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.visibility import visible_to

Row = Mapping[Any, Any]
# More rows than this near one candidate are not read: a few best are all that is shown.
SCAN_LIMIT = 200


def _nearby(conn: Connection, actor: Actor, probe: Probe) -> Sequence[Row]:
    c = incidents.c
    where = [
        visible_to(incidents, actor),
        c.event_type == probe.event_type,
        c.status != IncidentStatusChoices.RETRACTED.value,
        c.occurred_at >= probe.search_start,
        c.occurred_at <= probe.search_end,
    ]
    if probe.point is not None:
        west, south, east, north = probe.box()
        where += [c.lon >= west, c.lon <= east, c.lat >= south, c.lat <= north]
    else:
        where.append(c.admin1 == probe.admin1)
        if probe.admin2:
            where.append(c.admin2 == probe.admin2)
    query = select(incidents).where(*where).order_by(c.occurred_at.desc(), c.id).limit(SCAN_LIMIT)
    return conn.execute(query).mappings().all()


def _link(incident: Row, distance_km: float | None) -> dict[str, Any]:
    return {
        "id": incident["id"],
        "party": incident["party_id"],
        "status": incident["status"],
        "occurred_at": iso_utc(incident["occurred_at"]),
        "time_precision": incident["time_precision"],
        "event_type": incident["event_type"],
        "sub_event_type": incident["sub_event_type"],
        "place_name": incident["place_name"],
        "admin1": incident["admin1"],
        "admin2": incident["admin2"],
        "distance_km": distance_km,
    }


def duplicates_of(conn: Connection, actor: Actor, candidate: Row) -> list[dict[str, Any]]:
    """The incidents ``candidate`` (a row) probably repeats, best first; none once reviewed."""
    if candidate["status"] != CandidateStatusChoices.PENDING:
        return []
    probe = probe_of(candidate)
    if probe is None:
        return []
    found = []
    for incident in _nearby(conn, actor, probe):
        same, distance = matches(probe, incident)
        if same:
            found.append(
                (
                    incident["sub_event_type"] != probe.sub_event_type,
                    distance or 0.0,
                    -incident["occurred_at"].timestamp(),
                    incident,
                    distance,
                )
            )
    found.sort(key=lambda m: m[:3])
    return [_link(m[3], m[4]) for m in found[:MAX_DUPLICATES]]
