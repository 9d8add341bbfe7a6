"""Coordination records as pages show them: times as datetimes, deadlines as countdowns.

The services answer ISO 8601 UTC strings; templates format aware datetimes in the
display time zone with the ``local_time`` filter, so each view adds the parsed
times next to the stored strings. Centers are looked up here for the pages that
hang off a center (``/centers/{code}/…``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from tansiq.domain.errors import NotFound
from tansiq.geo.boundaries import governorate_shape
from tansiq.services.meetings.centers import center_by_code
from tansiq.web.common.deps import Page


def member_center(page: Page, code: str) -> dict[str, Any]:
    """The center with this code (or id) if the user's party sits on it; raises NotFound."""
    center = center_by_code(page.ctx, code=code)
    if page.actor.party not in center["member_parties"]:
        raise NotFound(f"no center {code}")
    return center


@cache
def _area(governorates: tuple[str, ...]) -> BaseGeometry | None:
    shapes = []
    for name in governorates:
        try:
            shapes.append(governorate_shape(name))
        except (KeyError, ValueError):
            continue
    if not shapes:
        return None
    area = shapes[0]
    for more in shapes[1:]:
        area = area.union(more)
    return area


def in_center_area(center: Mapping[str, Any], geometry: Mapping[str, Any]) -> bool:
    """True when a GeoJSON geometry touches one of the center's governorates."""
    area = _area(tuple(center["governorates"]))
    if area is None:
        return False
    try:
        return bool(area.intersects(shape(geometry)))
    except (ValueError, TypeError, AttributeError):
        return False


def concern_center(
    center: Mapping[str, Any], records: Iterable[Mapping[str, Any]], geometry: str
) -> list[Mapping[str, Any]]:
    """The records linked to the center, or unlinked and lying in its area."""
    members = set(center["member_parties"])
    found = []
    for record in records:
        if record.get("center_id") == center["id"]:
            found.append(record)
        elif record.get("center_id") is None and in_center_area(center, record[geometry]):
            parties = {record["party"], *record.get("participants", [record.get("to_party")])}
            if parties <= members | {None}:
                found.append(record)
    return found


def by_party(items: Sequence[Mapping[str, Any]], parties: Sequence[str]) -> dict[str, list[Any]]:
    """Items grouped by owning party, every party of ``parties`` present."""
    grouped: dict[str, list[Any]] = {party: [] for party in parties}
    for item in items:
        grouped.setdefault(item["party"], []).append(item)
    return grouped
