"""Review queue rules: what a stored article and its candidates hold, and what an edit may change.

Pure (the gazetteer and the shipped boundaries are the only data read). An article
and the candidates read from it (``domain/articles.py``) are checked here before the
services store them; an analyst's edit of a candidate is checked by the same field
rules. Every check names the field it refuses, so nothing is stored half-checked.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tansiq.domain.articles import Article, Candidate, CandidateKindChoices, ProposedRecordChoices
from tansiq.domain.choices import (
    EVENT_TAXONOMY,
    AcceptedRecordChoices,
    TimePrecisionChoices,
)
from tansiq.domain.errors import ErrorCollector, FieldError
from tansiq.domain.fields import check_choice, check_int, check_text, read_instant
from tansiq.domain.incidents import MAX_CASUALTIES, parse_point
from tansiq.geo.boundaries import admin_units, governorate_pcode, locate

MAX_TITLE = 500
MAX_BODY = 200_000
MAX_URL = 2_000
MAX_OUTLET = 200
MAX_CANDIDATES = 100
MAX_PLACE = 200
MAX_LIST = 20
MAX_ITEM = 2_000
MAX_REASON = 2_000
STRATEGIC = "Strategic developments"

# What an analyst may change on a pending candidate; evidence and confidence are the
# reader's and stay as read (the journal keeps every version anyway).
EDITABLE_FIELDS = (
    "kind",
    "proposes",
    "event_type",
    "sub_event_type",
    "occurred_from",
    "occurred_until",
    "time_precision",
    "admin1",
    "admin2",
    "place_name",
    "geo_precision",
    "location",
    "actors",
    "fatalities",
    "injured",
    "deadline",
    "notes",
)
TIMES = ("occurred_from", "occurred_until", "deadline")
# What each kind of proposal may become on accepting it.
TARGETS: Mapping[str, tuple[AcceptedRecordChoices, ...]] = {
    ProposedRecordChoices.INCIDENT.value: (AcceptedRecordChoices.INCIDENT,),
    ProposedRecordChoices.MEETING.value: (
        AcceptedRecordChoices.MEETING,
        AcceptedRecordChoices.DECISION,
        AcceptedRecordChoices.ACTION_ITEM,
    ),
    ProposedRecordChoices.NOTICE.value: (AcceptedRecordChoices.NOTICE,),
}


def content_hash(body: str) -> str:
    """Hex SHA-256 of an article's clean body (what ``Article.content_hash`` holds)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def url_key(url: str) -> str | None:
    """The key an article's address is known by: the hex SHA-256 of the address with its
    scheme and host lowercased, no fragment and no trailing slash; None for an article
    without one (a file, pasted text)."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    normal = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _aware(errors: ErrorCollector, name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.utcoffset() is None:
        errors.add(name, "must include a time zone offset, e.g. Z or +03:00")
        return None
    return read_instant(errors, name, value)


def article_values(article: Article) -> dict[str, Any]:
    """The columns of a stored article; raises ValidationFailed naming ``article.<field>``."""
    errors = ErrorCollector()
    check_text(errors, "article.title", article.title, MAX_TITLE)
    check_text(errors, "article.body", article.body, MAX_BODY, required=True)
    check_text(errors, "article.outlet", article.outlet, MAX_OUTLET)
    check_text(errors, "article.url", article.url, MAX_URL)
    check_text(errors, "article.language", article.language, 8, required=True)
    published = _aware(errors, "article.published_at", article.published_at)
    digest = article.content_hash or (
        content_hash(article.body) if isinstance(article.body, str) else ""
    )
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        errors.add("article.content_hash", "must be the hex SHA-256 of the body")
    errors.raise_if_any("The article is invalid")
    return {
        "title": article.title.strip(),
        "published_at": published,
        "outlet": article.outlet.strip(),
        "body": article.body,
        "url": article.url.strip(),
        "url_key": url_key(article.url),
        "language": article.language,
        "content_hash": digest,
    }


@cache
def _districts() -> dict[tuple[str, str], str]:
    return {(u.admin1, u.name_en.casefold()): u.name_en for u in admin_units(2)}


@cache
def _governorate_names() -> dict[str, str]:
    return {u.pcode: u.name_en for u in admin_units(1)}


def ocha_admin1(name: str) -> str | None:
    """A governorate named in any common spelling, as OCHA spells it; None if unknown."""
    try:
        return _governorate_names()[governorate_pcode(name)]
    except KeyError:
        return None


def _texts(errors: ErrorCollector, name: str, value: Any, limit: int) -> list[str] | None:
    if not isinstance(value, list | tuple) or len(value) > MAX_LIST:
        errors.add(name, f"must be a list of at most {MAX_LIST} texts")
        return None
    before = len(errors.errors)
    for index, item in enumerate(value):
        check_text(errors, f"{name}[{index}]", item, limit, required=True)
    return [str(v).strip() for v in value] if len(errors.errors) == before else None


def check_field(errors: ErrorCollector, name: str, value: Any, field: str) -> Any:
    """``value`` of candidate field ``field`` normalised, or None after naming ``name``."""
    before = len(errors.errors)
    out: Any = value
    if field == "kind":
        check_choice(errors, name, value, CandidateKindChoices)
    elif field == "proposes":
        check_choice(errors, name, value, ProposedRecordChoices)
    elif field == "event_type":
        if value not in EVENT_TAXONOMY:
            errors.add(name, f"must be one of the ACLED event types: {', '.join(EVENT_TAXONOMY)}")
    elif field in ("sub_event_type", "place_name"):
        check_text(errors, name, value, MAX_PLACE, required=field == "sub_event_type")
    elif field in TIMES:
        out = _aware(errors, name, value)
    elif field == "time_precision":
        check_choice(errors, name, value, TimePrecisionChoices)
    elif field == "geo_precision":
        check_int(errors, name, value, 1, 3)
    elif field in ("fatalities", "injured"):
        if value is not None:
            check_int(errors, name, value, 0, MAX_CASUALTIES)
    elif field == "location":
        if value is not None:
            try:
                lon, lat = parse_point(value)
            except ValueError as exc:
                errors.add(name, str(exc))
            else:
                out = {"type": "Point", "coordinates": [lon, lat]}
    elif field == "admin1":
        check_text(errors, name, value, 64)
        if isinstance(value, str) and value.strip():
            out = ocha_admin1(value)
            if out is None:
                errors.add(name, "must be a governorate of Iraq")
        elif isinstance(value, str):
            out = ""
    elif field == "admin2":
        check_text(errors, name, value, 64)
    elif field in ("actors", "evidence", "notes"):
        out = _texts(errors, name, value, MAX_ITEM if field != "actors" else MAX_PLACE)
    elif field == "confidence":
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.add(name, "must be a number between 0 and 1")
        elif not (math.isfinite(value) and 0.0 <= value <= 1.0):
            errors.add(name, "must be a number between 0 and 1")
        else:
            out = round(float(value), 3)
    return out if len(errors.errors) == before else None


def cross_field_errors(record: Mapping[str, Any], prefix: str = "") -> list[FieldError]:
    """Problems with rules spanning a candidate's fields (taxonomy, kind, dates, district)."""
    errors = ErrorCollector()
    subs = EVENT_TAXONOMY.get(record["event_type"], ())
    if record["sub_event_type"] not in subs:
        errors.add(
            f"{prefix}sub_event_type",
            f"must be one of the sub-event types of {record['event_type']}: {', '.join(subs)}",
        )
    strategic = record["event_type"] == STRATEGIC
    if (record["kind"] == CandidateKindChoices.STRATEGIC_DEVELOPMENT) != strategic:
        errors.add(
            f"{prefix}kind",
            f"must be strategic_development exactly when event_type is {STRATEGIC}",
        )
    start, end = record["occurred_from"], record["occurred_until"]
    if start is not None and end is not None and end < start:
        errors.add(f"{prefix}occurred_until", "must not be before occurred_from")
    admin1, admin2 = record["admin1"], record["admin2"]
    if admin2 and not admin1:
        errors.add(f"{prefix}admin1", "is required with admin2")
    elif admin2 and (admin1, admin2.casefold()) not in _districts():
        errors.add(f"{prefix}admin2", f"must be a district of {admin1}")
    return errors.errors


def settle_places(record: dict[str, Any]) -> None:
    """Fill admin1/admin2 from the point when the reader or analyst gave none; OCHA
    spelling for a district named in another case."""
    location = record.get("location")
    if location is not None and not record.get("admin1"):
        area = locate(*location["coordinates"])
        record["admin1"] = area.admin1 if area else ""
        record["admin2"] = (area.admin2 or "") if area else ""
    if record.get("admin2"):
        record["admin2"] = _districts().get(
            (record["admin1"], record["admin2"].casefold()), record["admin2"]
        )


def _span_precision(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None or end - start <= timedelta(days=1):
        return TimePrecisionChoices.DAY.value
    if end - start <= timedelta(days=7):
        return TimePrecisionChoices.WEEK.value
    return TimePrecisionChoices.MONTH.value


READ_FIELDS = (*EDITABLE_FIELDS, "evidence", "confidence")


def candidate_values(candidate: Candidate, prefix: str) -> tuple[dict[str, Any], list[FieldError]]:
    """The columns of a candidate as read (status pending), and what is wrong with it.

    Errors are named ``<prefix><field>`` (``candidates[2].event_type``). A time
    precision the incidents do not know is replaced by the one the range spans.
    """
    errors = ErrorCollector()
    raw = {name: getattr(candidate, name) for name in READ_FIELDS}
    for name in ("kind", "proposes"):
        raw[name] = getattr(raw[name], "value", raw[name])
    if raw["time_precision"] not in {c.value for c in TimePrecisionChoices}:
        raw["time_precision"] = _span_precision(candidate.occurred_from, candidate.occurred_until)
    values = {name: check_field(errors, prefix + name, raw[name], name) for name in READ_FIELDS}
    if not errors.errors:
        settle_places(values)
        errors.errors.extend(cross_field_errors(values, prefix))
    return values, errors.errors


def validate_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """An analyst's edit, each field checked; raises ValidationFailed naming every bad one.

    A new ``event_type`` without ``kind`` brings its kind along (strategic or not).
    """
    errors = ErrorCollector()
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            errors.add(name, "is not a field an analyst may change")
            continue
        checked = check_field(errors, name, value, name)
        if checked is not None or value is None:
            values[name] = checked
    for name in ("kind", "proposes", "event_type", "sub_event_type", "time_precision"):
        if name in values and values[name] is None:
            errors.add(name, "must not be null")
    errors.raise_if_any("The change is invalid")
    if "event_type" in values and "kind" not in values:
        strategic = values["event_type"] == STRATEGIC
        values["kind"] = (
            CandidateKindChoices.STRATEGIC_DEVELOPMENT.value
            if strategic
            else CandidateKindChoices.INCIDENT.value
        )
    if "location" in values and values["location"] is not None and "admin1" not in values:
        values["admin1"] = ""  # settle_places then reads it from the new point
    return values


def check_edited(record: dict[str, Any]) -> None:
    """Settle the merged candidate's places and check it; raises ValidationFailed."""
    settle_places(record)
    ErrorCollector(cross_field_errors(record)).raise_if_any("The change is invalid")
