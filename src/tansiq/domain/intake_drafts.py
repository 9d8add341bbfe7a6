"""What accepting a candidate proposes to each record's own service: the input it would send.

Pure. A candidate (as stored) and its article become the body of an incident, a
meeting, a decision, an action item or a notice, in the shape that service takes
from the API; the analyst's corrections are laid over it and the service checks
the result like any other input, naming each bad field. The article is the source
(outlet, title, date, address) and the evidence is quoted, so the record says where
it came from. Fields nothing in the article gives (a meeting's center, a notice's
recipient) are left for the analyst or the caller's defaults: nothing is invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from tansiq.domain.choices import AcceptedRecordChoices, NoticeKindChoices
from tansiq.domain.fields import MAX_SOURCE_TEXT
from tansiq.domain.incidents import MAX_DESCRIPTION
from tansiq.geo.boundaries import admin_units
from tansiq.journal.canonical import iso_utc

Row = Mapping[Any, Any]
MAX_SUBJECT = 200
MAX_TITLE = 2_000
# A notice names a window; an article that gives one instant gives this much of one.
NOTICE_WINDOW = timedelta(days=1)


@cache
def _region_points() -> dict[tuple[str, str | None], tuple[float, float]]:
    points: dict[tuple[str, str | None], tuple[float, float]] = {}
    for level in (1, 2):
        for unit in admin_units(level):
            point = unit.geometry.representative_point()
            points[(unit.admin1, unit.admin2)] = (round(point.x, 6), round(point.y, 6))
    return points


def region_point(admin1: str, admin2: str = "") -> tuple[float, float] | None:
    """A point inside the district (or, without one, the governorate); None if unknown.

    ACLED's practice for an event known only to a region: the region's point, with
    geo precision 2 (district) or 3 (governorate) saying that it is no exact place.
    """
    return _region_points().get((admin1, admin2 or None))


def placed(candidate: Row) -> tuple[dict[str, Any] | None, int]:
    """The candidate's point and geo precision; a region's point when it gave none."""
    if candidate["location"] is not None:
        return dict(candidate["location"]), int(candidate["geo_precision"])
    point = region_point(candidate["admin1"], candidate["admin2"])
    if point is None:
        return None, int(candidate["geo_precision"])
    floor = 2 if candidate["admin2"] else 3
    return {"type": "Point", "coordinates": list(point)}, max(floor, candidate["geo_precision"])


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value is not None else ""


def source_line(article: Row) -> str:
    """The article as a source: outlet, quoted title, publication date, address."""
    title = f'"{article["title"]}"' if article["title"] else ""
    parts = [article["outlet"], title, _day(article["published_at"]), article["url"]]
    line = ", ".join(p for p in parts if p)
    return line[: MAX_SOURCE_TEXT - 1] + "…" if len(line) > MAX_SOURCE_TEXT else line


def quote(candidate: Row, limit: int) -> str:
    """The evidence sentences verbatim, in quotation marks, cut to ``limit`` characters."""
    text = " ".join(candidate["evidence"])
    quoted = f'"{text}"'
    return quoted if len(quoted) <= limit else f'"{text[: limit - 3]}…"'


def quoted_with_source(candidate: Row, article: Row, limit: int) -> str:
    """The quote followed by the source line, within ``limit`` characters."""
    source = source_line(article)
    return f"{quote(candidate, max(limit - len(source) - 2, 20))}\n\n{source}"


def place_of(candidate: Row) -> str:
    """The place as the candidate names it, else its district or governorate."""
    return str(candidate["place_name"] or candidate["admin2"] or candidate["admin1"])


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    # A field nothing gave is left out: the service then names it if it is required.
    return {name: value for name, value in values.items() if value is not None}


def _when(value: datetime | None) -> str | None:
    return iso_utc(value) if value is not None else None


def incident_draft(candidate: Row, article: Row) -> dict[str, Any]:
    """The incident the candidate describes, with the article as its source."""
    location, precision = placed(candidate)
    occurred = candidate["occurred_from"] or candidate["occurred_until"] or article["published_at"]
    actors = list(candidate["actors"])
    return _present(
        {
            "occurred_at": _when(occurred),
            "time_precision": candidate["time_precision"],
            "location": location,
            "geo_precision": precision,
            "place_name": place_of(candidate)[:200],
            "event_type": candidate["event_type"],
            "sub_event_type": candidate["sub_event_type"],
            "actor1": actors[0] if actors else "",
            "actor2": actors[1] if len(actors) > 1 else "",
            "fatalities": candidate["fatalities"] or 0,
            "injured": candidate["injured"] or 0,
            "description": quoted_with_source(candidate, article, MAX_DESCRIPTION),
            "sources": [source_line(article)],
        }
    )


def meeting_draft(candidate: Row, article: Row, *, now: datetime) -> dict[str, Any]:
    """The meeting the candidate reports (held) or announces (scheduled, by its deadline)."""
    held = candidate["occurred_from"] or candidate["deadline"]
    status = "held" if held is not None and held <= now else "scheduled"
    return _present(
        {
            "held_at": _when(held),
            "status": status,
            "place": place_of(candidate)[:200],
            "agenda": quote(candidate, 10_000),
            "minutes": quoted_with_source(candidate, article, 100_000),
        }
    )


def decision_draft(candidate: Row, article: Row) -> dict[str, Any]:
    """The understanding the candidate quotes, as the text in the article's language."""
    text = quote(candidate, 20_000)
    language = article["language"] if article["language"] in ("ar", "ckb") else "en"
    return {"text_en": "", **{f"text_{language}": text}}


def action_draft(candidate: Row, article: Row) -> dict[str, Any]:
    """The follow-up the candidate announces, due by its deadline (or the end of its range)."""
    due = candidate["deadline"] or candidate["occurred_until"]
    return _present({"title": quote(candidate, MAX_TITLE), "due_at": _when(due)})


def notice_draft(candidate: Row, article: Row, *, now: datetime) -> dict[str, Any]:
    """The deployment the candidate states, over its time range (a day when it gave one time)."""
    location, _precision = placed(candidate)
    starts = candidate["occurred_from"] or now
    ends = candidate["occurred_until"]
    if ends is None or ends <= starts:
        ends = starts + NOTICE_WINDOW
    subject = article["title"] or f"{candidate['sub_event_type']}: {place_of(candidate)}"
    return _present(
        {
            "kind": NoticeKindChoices.DEPLOYMENT.value,
            "subject": subject[:MAX_SUBJECT],
            "message": quoted_with_source(candidate, article, 10_000),
            "location": location,
            "place_name": place_of(candidate)[:200],
            "starts_at": _when(starts),
            "ends_at": _when(ends),
        }
    )


def draft_for(
    target: AcceptedRecordChoices, candidate: Row, article: Row, *, now: datetime
) -> dict[str, Any]:
    """The body ``target``'s service would receive for this candidate, before corrections."""
    if target == AcceptedRecordChoices.INCIDENT:
        return incident_draft(candidate, article)
    if target == AcceptedRecordChoices.MEETING:
        return meeting_draft(candidate, article, now=now)
    if target == AcceptedRecordChoices.DECISION:
        return decision_draft(candidate, article)
    if target == AcceptedRecordChoices.ACTION_ITEM:
        return action_draft(candidate, article)
    return notice_draft(candidate, article, now=now)
