"""Probable duplicates: when a candidate describes an incident already in the log. Pure.

A candidate and an incident are probably the same event when they have the same
event type, their times overlap (each widened by how precisely it is known) and
they are in the same place: within a few kilometres when the candidate has a
point, else in the same district, or the same governorate when the article named
only that. The review queue shows the matches with a link; the analyst decides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tansiq.domain.choices import IncidentStatusChoices, TimePrecisionChoices

DUPLICATE_RADIUS_KM = 5.0
MAX_DUPLICATES = 5
_EARTH_RADIUS_KM = 6371.0088
# How far an incident's time may be from the event, by the precision it was filed with:
# an exact time is still a local time of day somewhere in a day of reports.
PRECISION_SLACK: Mapping[str, timedelta] = {
    TimePrecisionChoices.EXACT.value: timedelta(hours=12),
    TimePrecisionChoices.DAY.value: timedelta(days=1),
    TimePrecisionChoices.WEEK.value: timedelta(days=7),
    TimePrecisionChoices.MONTH.value: timedelta(days=31),
}
WIDEST_SLACK = max(PRECISION_SLACK.values())


@dataclass(frozen=True)
class Probe:
    """What a candidate is matched by: type, time range, and a point or an area."""

    event_type: str
    sub_event_type: str
    start: datetime
    end: datetime
    point: tuple[float, float] | None
    admin1: str
    admin2: str

    @property
    def search_start(self) -> datetime:
        """The earliest ``occurred_at`` an incident may have and still match."""
        return self.start - WIDEST_SLACK

    @property
    def search_end(self) -> datetime:
        """The latest ``occurred_at`` an incident may have and still match."""
        return self.end + WIDEST_SLACK

    def box(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) holding every point within the radius (needs a point)."""
        assert self.point is not None
        lon, lat = self.point
        dlat = math.degrees(DUPLICATE_RADIUS_KM / _EARTH_RADIUS_KM)
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def probe_of(candidate: Mapping[str, Any]) -> Probe | None:
    """The probe of a candidate, or None when it has no time or no place to match by."""
    start = candidate["occurred_from"] or candidate["occurred_until"]
    end = candidate["occurred_until"] or candidate["occurred_from"]
    location = candidate["location"]
    if start is None or end is None or (location is None and not candidate["admin1"]):
        return None
    point = tuple(location["coordinates"]) if location is not None else None
    return Probe(
        event_type=candidate["event_type"],
        sub_event_type=candidate["sub_event_type"],
        start=start,
        end=end,
        point=(float(point[0]), float(point[1])) if point is not None else None,
        admin1=candidate["admin1"],
        admin2=candidate["admin2"],
    )


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def matches(probe: Probe, incident: Mapping[str, Any]) -> tuple[bool, float | None]:
    """Whether ``incident`` (a row) is probably the probed event, and how far it is (km,
    None when matched by area)."""
    if incident["event_type"] != probe.event_type:
        return False, None
    if incident["status"] == IncidentStatusChoices.RETRACTED:
        return False, None
    slack = PRECISION_SLACK.get(incident["time_precision"], WIDEST_SLACK)
    when = incident["occurred_at"]
    if when + slack < probe.start or when - slack > probe.end:
        return False, None
    if probe.point is not None:
        distance = km_between(probe.point, (incident["lon"], incident["lat"]))
        return distance <= DUPLICATE_RADIUS_KM, round(distance, 2)
    if probe.admin2:
        same = incident["admin1"] == probe.admin1 and incident["admin2"] == probe.admin2
        return same, None
    return incident["admin1"] == probe.admin1, None
