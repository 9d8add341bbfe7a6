"""ACLED's CSV layout, both ways: a row to an incident's input, an incident to a row. Pure.

``parse_acled_row`` reads one row of an ACLED export (the 31 columns of
``ACLED_COLUMNS``, numeric or text actor types) into the incident input the services
take; ``acled_row`` writes an incident as the services answer it back in that layout.
The two round-trip on ``ACLED_FIELDS``, the incident fields an ACLED row carries:
``parse_acled_row(acled_row(record), n)`` gives the record's values of them, except
that an ``exact`` time_precision comes back as ``day`` (ACLED has only dates) and a
source holding ``;`` comes back split. docs/acled-import.md describes every column.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Final
from zoneinfo import ZoneInfo

from tansiq.domain.choices import (
    EVENT_TAXONOMY,
    USUAL_DISORDER_TYPE,
    DisorderTypeChoices,
)
from tansiq.domain.errors import ErrorCollector
from tansiq.ingest.reading.acled_names import (
    ACTOR_TYPE_CODES,
    acled_admin_name,
    actor_type,
    interaction_codes,
    interaction_text,
    ocha_admin1,
    parse_event_date,
)
from tansiq.journal.canonical import iso_utc

#: The columns of an ACLED export since March 2023, in ACLED's order.
ACLED_COLUMNS: Final = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: The incident fields an ACLED row carries, which ``acled_row`` and ``parse_acled_row``
#: carry over unchanged (``injured``, source reliability and credibility have no column).
ACLED_FIELDS: Final = (
    "event_id_cnty",
    "occurred_at",
    "time_precision",
    "location",
    "geo_precision",
    "place_name",
    "cross_border",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "civilian_targeting",
    "fatalities",
    "description",
    "sources",
    "source_scale",
    "tags",
)
#: The ACLED column each incident field comes from, to name it in an error.
COLUMN_OF_FIELD: Final = {
    **{name: name for name in ACLED_FIELDS},
    "occurred_at": "event_date",
    "location": "latitude/longitude",
    "place_name": "location",
    "cross_border": "admin1",
    "description": "notes",
    "sources": "source",
}
#: ACLED names its source ``ACLED`` first among an imported incident's sources.
ACLED_SOURCE: Final = "ACLED"
IRAQ_ISO: Final = "368"
# ACLED's dates are Iraq's calendar days: an event on 20 February is from 00:00 that day
# in Baghdad (Iraq has kept UTC+3 all year since 2008; zoneinfo knows the years before).
IRAQ_TIME: Final = ZoneInfo("Asia/Baghdad")
# ACLED's time_precision: 1 the day is known, 2 only the week (or weekend), 3 only the
# month; ACLED then dates the event in the middle of that week or month.
TIME_PRECISION: Final = {"1": "day", "2": "week", "3": "month"}
ACLED_TIME_PRECISION: Final = {"exact": "1", "day": "1", "week": "2", "month": "3"}
GEO_PRECISION: Final = {"1": 1, "2": 2, "3": 3}
CIVILIAN_TARGETING: Final = "Civilian targeting"
# Older exports spelled these so; casing differs between exports and the API.
_EVENT_TYPES: Final = {name.casefold(): name for name in EVENT_TAXONOMY}
_SUB_EVENT_TYPES: Final = {
    **{sub.casefold(): sub for subs in EVENT_TAXONOMY.values() for sub in subs},
    "excessive force against protestors": "Excessive force against protesters",
}
_DISORDER_TYPES: Final = {choice.value.casefold(): choice.value for choice in DisorderTypeChoices}


def _error(row_number: int, column: str) -> str:
    return f"row {row_number}, column {column}"


def parse_acled_row(row: Mapping[str, str], row_number: int) -> dict[str, Any]:
    """The incident input (the services' wire form) of one ACLED row.

    ``row`` maps each of ``ACLED_COLUMNS`` to its text; ``row_number`` counts rows as a
    spreadsheet does (the header is row 1). Raises ValidationFailed naming each bad
    column as ``row N, column C``.
    """
    errors = ErrorCollector()
    get = row.get
    event_id = get("event_id_cnty", "").strip() or None
    occurred_at = ""
    event_date = get("event_date", "")
    try:
        day = parse_event_date(event_date)
        occurred_at = _local_midnight(day)
    except ValueError as exc:
        day = None
        errors.add(_error(row_number, "event_date"), str(exc))
    year = get("year", "").strip()
    if day is not None and year and year != str(day.year):
        errors.add(_error(row_number, "year"), f"is {year} but event_date is in {day.year}")
    time_precision = TIME_PRECISION.get(get("time_precision", "").strip())
    if time_precision is None:
        errors.add(_error(row_number, "time_precision"), "must be 1 (day), 2 (week) or 3 (month)")
    event_type = get("event_type", "")
    event_type = _EVENT_TYPES.get(event_type.casefold(), event_type)
    sub_event_type = get("sub_event_type", "")
    sub_event_type = _SUB_EVENT_TYPES.get(sub_event_type.casefold(), sub_event_type)
    disorder = get("disorder_type", "")
    disorder = _DISORDER_TYPES.get(disorder.casefold(), disorder)
    inters = []
    for column in ("inter1", "inter2"):
        try:
            inters.append(actor_type(get(column, "")))
        except ValueError as exc:
            errors.add(_error(row_number, column), str(exc))
            inters.append("?")
    interaction = get("interaction", "").strip()
    if "?" not in inters:
        _check_interaction(errors, row_number, interaction, inters[0], inters[1])
    civilian = get("civilian_targeting", "").strip()
    if civilian and civilian.casefold() != CIVILIAN_TARGETING.casefold():
        errors.add(
            _error(row_number, "civilian_targeting"), f"must be empty or {CIVILIAN_TARGETING!r}"
        )
    iso = get("iso", "").strip()
    if iso not in ("", IRAQ_ISO):
        errors.add(_error(row_number, "iso"), "must be 368 (Iraq): Tansiq imports Iraq's events")
    country = get("country", "").strip()
    if country.casefold() not in ("", "iraq"):
        errors.add(_error(row_number, "country"), "must be Iraq: Tansiq imports Iraq's events")
    admin1 = get("admin1", "").strip()
    if admin1 and ocha_admin1(admin1) is None:
        errors.add(
            _error(row_number, "admin1"),
            f"{admin1!r} is not one of Iraq's governorates in ACLED's or OCHA's spelling",
        )
    lon = _coordinate(errors, row_number, "longitude", get("longitude", ""), 180.0)
    lat = _coordinate(errors, row_number, "latitude", get("latitude", ""), 90.0)
    geo_precision = GEO_PRECISION.get(get("geo_precision", "").strip())
    if geo_precision is None:
        errors.add(_error(row_number, "geo_precision"), "must be 1, 2 or 3")
    fatalities = get("fatalities", "").strip()
    if not fatalities.isdigit() or not fatalities.isascii():
        errors.add(_error(row_number, "fatalities"), "must be a whole number, 0 or more")
    timestamp = get("timestamp", "").strip()
    if timestamp and not (timestamp.isdigit() and timestamp.isascii()):
        errors.add(_error(row_number, "timestamp"), "must be empty or a Unix time in seconds")
    errors.raise_if_any(f"row {row_number} is invalid")
    sources = [s for s in (part.strip() for part in get("source", "").split(";")) if s]
    if event_id is not None:
        sources.insert(0, ACLED_SOURCE)
    return {
        "event_id_cnty": event_id,
        "occurred_at": occurred_at,
        "time_precision": time_precision,
        "location": {"type": "Point", "coordinates": [lon, lat]},
        "geo_precision": geo_precision,
        "place_name": get("location", ""),
        # An ACLED row always names its governorate; Tansiq's export leaves admin1 empty
        # for a cross-border incident outside Iraq.
        "cross_border": not admin1,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": get("actor1", ""),
        "assoc_actor_1": get("assoc_actor_1", ""),
        "inter1": inters[0],
        "actor2": get("actor2", ""),
        "assoc_actor_2": get("assoc_actor_2", ""),
        "inter2": inters[1],
        "civilian_targeting": bool(civilian),
        "fatalities": int(fatalities),
        "description": get("notes", ""),
        "sources": sources,
        "source_scale": get("source_scale", ""),
        "tags": get("tags", ""),
    }


@cache
def _local_midnight(day: date) -> str:
    # Many rows share a date: the zone conversion runs once per distinct day.
    return iso_utc(datetime(day.year, day.month, day.day, tzinfo=IRAQ_TIME))


def _coordinate(
    errors: ErrorCollector, row_number: int, column: str, text: str, bound: float
) -> float:
    try:
        value = float(text)
    except ValueError:
        errors.add(_error(row_number, column), "must be a number in decimal degrees")
        return 0.0
    if not -bound <= value <= bound:  # also refuses NaN
        errors.add(_error(row_number, column), f"must be between {-bound:g} and {bound:g}")
        return 0.0
    return value


def _check_interaction(
    errors: ErrorCollector, row_number: int, text: str, inter1: str, inter2: str
) -> None:
    if not text:
        return
    try:
        given = interaction_codes(text)
    except ValueError as exc:
        errors.add(_error(row_number, "interaction"), str(exc))
        return
    expected = sorted(ACTOR_TYPE_CODES[t] for t in (inter1, inter2) if t)
    if sorted(c for c in given if c) != expected:
        errors.add(
            _error(row_number, "interaction"),
            f"is {text!r} but inter1 and inter2 make {interaction_text(inter1, inter2)!r}",
        )


def acled_row(record: Mapping[str, Any]) -> dict[str, str]:
    """One incident, as the services answer it (its payload), as a row of ACLED_COLUMNS.

    Raises KeyError or ValueError for a record without the incident fields.
    """
    occurred = datetime.fromisoformat(str(record["occurred_at"]).replace("Z", "+00:00"))
    day = occurred.astimezone(IRAQ_TIME).date()
    lon, lat = record["location"]["coordinates"]
    event_id = record.get("event_id_cnty") or ""
    sources = list(record.get("sources") or [])
    if event_id and sources[:1] == [ACLED_SOURCE]:
        sources = sources[1:]
    inter1, inter2 = record.get("inter1") or "", record.get("inter2") or ""
    usual = USUAL_DISORDER_TYPE.get(record["event_type"], DisorderTypeChoices.POLITICAL_VIOLENCE)
    updated = record.get("updated_at")
    admin1 = record.get("admin1")
    return {
        "event_id_cnty": event_id,
        "event_date": day.isoformat(),
        "year": str(day.year),
        "time_precision": ACLED_TIME_PRECISION[record.get("time_precision") or "day"],
        "disorder_type": record.get("disorder_type") or usual.value,
        "event_type": record["event_type"],
        "sub_event_type": record["sub_event_type"],
        "actor1": record["actor1"],
        "assoc_actor_1": record.get("assoc_actor_1") or "",
        "inter1": inter1,
        "actor2": record.get("actor2") or "",
        "assoc_actor_2": record.get("assoc_actor_2") or "",
        "inter2": inter2,
        "interaction": interaction_text(inter1, inter2),
        "civilian_targeting": CIVILIAN_TARGETING if record.get("civilian_targeting") else "",
        "iso": IRAQ_ISO,
        "region": "Middle East",
        "country": "Iraq",
        "admin1": acled_admin_name(admin1) if admin1 else "",
        "admin2": acled_admin_name(record.get("admin2") or ""),
        "admin3": acled_admin_name(record.get("admin3") or ""),
        "location": record.get("place_name") or "",
        "latitude": repr(float(lat)),
        "longitude": repr(float(lon)),
        "geo_precision": str(record.get("geo_precision") or 1),
        "source": "; ".join(sources),
        "source_scale": record.get("source_scale") or "",
        "notes": record.get("description") or "",
        "fatalities": str(record.get("fatalities") or 0),
        "tags": record.get("tags") or "",
        "timestamp": _unix_seconds(updated) if updated else "",
    }


def _unix_seconds(value: Any) -> str:
    when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return str(int(when.astimezone(UTC).timestamp()))
