"""The filter bar shared by the incident log and the map: query string → IncidentFilters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from tansiq.domain.choices import EVENT_TAXONOMY, IncidentStatusChoices
from tansiq.geo.boundaries import governorate_names
from tansiq.services.incidents.queries import IncidentFilters
from tansiq.web.common.fields import BAD_CHOICE, BAD_DATE, BAD_RANGE
from tansiq.web.common.i18n import N_

FILTER_FIELDS = ("since", "until", "admin1", "event_type", "party", "status")
# Field name → label of the filter bar, for messages that name the field.
FILTER_LABELS: Mapping[str, str] = {
    "since": N_("Since"),
    "until": N_("Until"),
    "admin1": N_("Governorate"),
    "event_type": N_("Event type"),
    "party": N_("Party"),
    "status": N_("Status"),
    "cursor": N_("Page"),
}
BAD_CURSOR = N_("This page link is not valid; start again from the first page.")


@dataclass
class FilterForm:
    """What the user asked for (``values``), what it means (``filters``) and what is wrong."""

    values: dict[str, str]
    filters: IncidentFilters
    errors: dict[str, str] = field(default_factory=dict)

    def query(self, **extra: str) -> str:
        """The filter as a query string (only set fields), plus ``extra`` parameters."""
        params = {k: v for k, v in self.values.items() if v}
        params.update({k: v for k, v in extra.items() if v})
        return urlencode(params)


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


def parse_filters(params: Mapping[str, str], *, tz: str, parties: Iterable[str]) -> FilterForm:
    """Read the filter bar; dates are whole days in ``tz`` and ``until`` is inclusive.

    Never raises: a bad value is left out of ``filters`` and named in ``errors``
    (message ids, translated at render).
    """
    values = {name: (params.get(name) or "").strip() for name in FILTER_FIELDS}
    errors: dict[str, str] = {}
    zone = ZoneInfo(tz)
    bounds: dict[str, datetime | None] = {"since": None, "until": None}
    days: dict[str, date] = {}
    for name in ("since", "until"):
        if not values[name]:
            continue
        try:
            days[name] = date.fromisoformat(values[name])
        except ValueError:
            errors[name] = BAD_DATE
            continue
        # The day after 9998-12-31 is still a date; a later one would overflow.
        if not 1900 <= days[name].year <= 9998:
            errors[name] = BAD_DATE
            continue
        # The "until" day is included: the bound is the next local midnight.
        extra = timedelta(days=1) if name == "until" else timedelta(0)
        bounds[name] = _local_midnight(days[name] + extra, zone)
    if "since" in days and "until" in days and days["until"] < days["since"]:
        errors["until"] = BAD_RANGE
        bounds["until"] = None
    choices: Mapping[str, Iterable[str]] = {
        "admin1": governorate_names(),
        "event_type": EVENT_TAXONOMY,
        "party": parties,
        "status": [s.value for s in IncidentStatusChoices],
    }
    chosen: dict[str, str | None] = {}
    for name, allowed in choices.items():
        value = values[name]
        if value and value not in set(allowed):
            errors[name] = BAD_CHOICE
        chosen[name] = value if value and name not in errors else None
    filters = IncidentFilters(
        since=bounds["since"],
        until=bounds["until"],
        admin1=chosen["admin1"],
        event_type=chosen["event_type"],
        party=chosen["party"],
        status=chosen["status"],
    )
    return FilterForm(values=values, filters=filters, errors=errors)
