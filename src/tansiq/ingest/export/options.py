"""An export's filters from text (the command line's options), checked as the API checks
its query: each bad value raises ValidationFailed naming the filter, before anything
is read. Filters a dataset's list does not take are refused by name too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Final

from tansiq.domain.choices import (
    EventTypeChoices,
    IncidentStatusChoices,
    ProtectedSiteKindChoices,
    SectorKindChoices,
    SectorStatusChoices,
)
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.geo.boundaries import governorate_names
from tansiq.ingest.export.request import BBox, Filters, SiteFilters
from tansiq.services.incidents.queries import IncidentFilters
from tansiq.services.sectors.coverage import parse_when
from tansiq.services.sectors.queries import SectorFilters

#: The filters each dataset's list takes (the API's query parameters).
FILTER_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "incidents": ("since", "until", "bbox", "admin1", "event_type", "party", "status"),
    "sectors": ("party", "kind", "status", "active_at", "bbox"),
    "protected_sites": ("kind", "party", "status", "bbox"),
}
_CHOICES: Final[Mapping[tuple[str, str], type[StrEnum]]] = {
    ("incidents", "event_type"): EventTypeChoices,
    ("incidents", "status"): IncidentStatusChoices,
    ("sectors", "kind"): SectorKindChoices,
    ("sectors", "status"): SectorStatusChoices,
    ("protected_sites", "kind"): ProtectedSiteKindChoices,
    ("protected_sites", "status"): SectorStatusChoices,
}


def parse_bbox(raw: str) -> BBox:
    """``west,south,east,north`` in degrees; raises ValidationFailed naming ``bbox``."""
    try:
        west, south, east, north = (float(p) for p in raw.split(","))
    except ValueError:
        raise ValidationFailed.single("bbox", "must be west,south,east,north in degrees") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationFailed.single("bbox", "must satisfy west<=east and south<=north, in range")
    return west, south, east, north


def _one_of(allowed: Iterable[str]) -> str:
    return "must be one of " + ", ".join(allowed)


def _checked(dataset: str, values: Mapping[str, str]) -> dict[str, object]:
    errors = ErrorCollector()
    parsed: dict[str, object] = {}
    for name, value in values.items():
        try:
            parsed[name] = _value(dataset, name, value)
        except ValidationFailed as exc:
            errors.errors.extend(exc.errors)
    errors.raise_if_any("The filters are invalid")
    return parsed


def _value(dataset: str, name: str, value: str) -> object:
    if name not in FILTER_NAMES[dataset]:
        label = dataset.replace("_", " ")
        raise ValidationFailed.single(name, f"does not filter {label}")
    choices = _CHOICES.get((dataset, name))
    if choices is not None:
        if value not in {c.value for c in choices}:
            raise ValidationFailed.single(name, _one_of(c.value for c in choices))
        return value
    if name in ("since", "until", "active_at"):
        when: datetime = parse_when(value, field=name)
        return when
    if name == "bbox":
        return parse_bbox(value)
    if name == "admin1" and value not in governorate_names():
        raise ValidationFailed.single(name, "must be a governorate's OCHA name, e.g. Kirkuk")
    return value


def filters_from_text(dataset: str, values: Mapping[str, str | None]) -> Filters:
    """The filters of ``dataset``'s list from text values (None: not given).

    Raises ValidationFailed naming every bad or inapplicable filter at once.
    """
    given = {name: value for name, value in values.items() if value is not None}
    parsed = _checked(dataset, given)
    if dataset == "incidents":
        since, until = parsed.get("since"), parsed.get("until")
        if isinstance(since, datetime) and isinstance(until, datetime) and until < since:
            raise ValidationFailed.single("until", "must not be before since")
        return IncidentFilters(**parsed)  # type: ignore[arg-type]
    if dataset == "sectors":
        return SectorFilters(**parsed)  # type: ignore[arg-type]
    return SiteFilters(**parsed)  # type: ignore[arg-type]
