"""What reading a news article yields: the article and the candidates it proposes.

These shapes are shared by ``ingest/reading`` (which produces them), the review queue
in ``services`` (which stores them until an analyst accepts or discards each one) and
the front ends (``tansiq ingest article --json`` prints them with :func:`article_json`
and :func:`candidate_json`). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class CandidateKindChoices(StrEnum):
    """ACLED's split: a violent or demonstration event, or a strategic development."""

    INCIDENT = "incident"
    STRATEGIC_DEVELOPMENT = "strategic_development"


class ProposedRecordChoices(StrEnum):
    """What the analyst may turn a candidate into on accepting it."""

    INCIDENT = "incident"
    MEETING = "meeting"  # a meeting, an agreement or an announced follow-up
    NOTICE = "notice"  # a stated deployment or movement


@dataclass(frozen=True)
class Article:
    """A news article as read: headline, publication time, outlet and clean body.

    ``published_at`` is None when neither the page nor the caller gave a date;
    ``url`` is empty for a file or pasted text. ``content_hash`` (hex SHA-256 of the
    clean body) is what makes re-ingesting the same article propose nothing twice.
    """

    title: str
    published_at: datetime | None
    outlet: str
    body: str
    url: str = ""
    language: str = "en"
    content_hash: str = ""


@dataclass(frozen=True)
class Candidate:
    """One event an article describes, proposed for review; never stored unreviewed.

    ``event_type``/``sub_event_type`` use ACLED's taxonomy (``domain.choices``);
    ``occurred_from``/``occurred_until`` bound when it happened (equal for an exact
    time) and ``time_precision`` says how well; ``location`` is a GeoJSON geometry
    (a point, or None when only a region is known) and ``geo_precision`` follows
    ACLED (1 exact place, 2 near it or a district, 3 a governorate or region).
    ``evidence`` holds the sentence(s) the candidate came from, verbatim.
    ``deadline`` is set for an announced follow-up ("before the end of this month").
    """

    kind: CandidateKindChoices
    event_type: str
    sub_event_type: str
    occurred_from: datetime | None
    occurred_until: datetime | None
    time_precision: str
    admin1: str
    admin2: str
    place_name: str
    geo_precision: int
    location: dict[str, Any] | None
    actors: tuple[str, ...]
    fatalities: int | None
    injured: int | None
    evidence: tuple[str, ...]
    confidence: float
    proposes: ProposedRecordChoices = ProposedRecordChoices.INCIDENT
    deadline: datetime | None = None
    notes: tuple[str, ...] = field(default=())


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def article_json(article: Article) -> dict[str, Any]:
    """The article as ``ingest article --json`` prints it (the issue's field names)."""
    return {
        "title": article.title,
        "published_at": _iso(article.published_at),
        "outlet": article.outlet,
        "body": article.body,
    }


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    """A candidate as ``ingest article --json`` and the API print it."""
    return {
        "kind": candidate.kind.value,
        "event_type": candidate.event_type,
        "sub_event_type": candidate.sub_event_type,
        "occurred_from": _iso(candidate.occurred_from),
        "occurred_until": _iso(candidate.occurred_until),
        "time_precision": candidate.time_precision,
        "admin1": candidate.admin1,
        "admin2": candidate.admin2,
        "place_name": candidate.place_name,
        "geo_precision": candidate.geo_precision,
        "location": candidate.location,
        "actors": list(candidate.actors),
        "fatalities": candidate.fatalities,
        "injured": candidate.injured,
        "evidence": list(candidate.evidence),
        "confidence": round(candidate.confidence, 3),
        "proposes": candidate.proposes.value,
        "deadline": _iso(candidate.deadline),
    }
