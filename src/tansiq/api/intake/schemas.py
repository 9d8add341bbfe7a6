"""Review queue request and response schemas: candidates, their articles, accepting one."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.fields import Instant
from tansiq.api.history import VersionFields
from tansiq.api.incidents.schemas import PointGeometry
from tansiq.api.received import Received
from tansiq.domain.articles import CandidateKindChoices, ProposedRecordChoices
from tansiq.domain.choices import (
    AcceptedRecordChoices,
    CandidateStatusChoices,
    EventTypeChoices,
    ReleasabilityChoices,
    TimePrecisionChoices,
)


class ArticleSummary(BaseModel):
    """What a candidate shows of the article it was read from."""

    id: str
    title: str
    outlet: str
    url: str = Field(description="Empty for a file or pasted text")
    published_at: str | None
    language: str


class DuplicatePublic(Received):
    """An incident the candidate probably repeats: same event type, overlapping dates, near."""

    id: str = Field(description="The incident's id: GET /incidents/{id}")
    party: str
    status: str
    occurred_at: str
    time_precision: str
    event_type: str
    sub_event_type: str
    place_name: str
    admin1: str | None
    admin2: str | None
    distance_km: float | None = Field(
        description="From the candidate's point; null when matched by district or governorate"
    )


class CandidateFields(BaseModel):
    """What an analyst may correct on a pending candidate; all optional."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    kind: CandidateKindChoices | None = Field(
        None, description="Follows event_type when left out (strategic developments or not)"
    )
    proposes: ProposedRecordChoices | None = Field(
        None, description="What it may become: incident, meeting (item) or notice"
    )
    event_type: EventTypeChoices | None = None
    sub_event_type: str | None = Field(None, max_length=200)
    occurred_from: Instant | None = None
    occurred_until: Instant | None = None
    time_precision: TimePrecisionChoices | None = None
    admin1: str | None = Field(None, max_length=64, description="Governorate, any spelling")
    admin2: str | None = Field(None, max_length=64, description="District of admin1")
    place_name: str | None = Field(None, max_length=200)
    geo_precision: int | None = Field(None, ge=1, le=3, strict=True)
    location: PointGeometry | None = Field(
        None, description="A point; null when only a region is known"
    )
    actors: list[str] | None = Field(None, max_length=20)
    fatalities: int | None = Field(None, ge=0, le=100_000, strict=True)
    injured: int | None = Field(None, ge=0, le=100_000, strict=True)
    deadline: Instant | None = None
    notes: list[str] | None = Field(None, max_length=20)


class CandidateUpdate(CandidateFields):
    """A correction of a pending candidate: only the fields sent change; a new version."""


class AcceptCreate(BaseModel):
    """Accept a pending candidate as a record written by that record's own service."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    target: AcceptedRecordChoices | None = Field(
        None,
        description="incident (proposes=incident); meeting, decision or action_item "
        "(proposes=meeting); notice (proposes=notice). Default: what it proposes (an "
        "action item for a follow-up with a deadline)",
    )
    record: dict[str, Any] | None = Field(
        None,
        description="Corrections of the record's fields, named as its own create takes them "
        "(POST /incidents, /meetings, /decisions, /action-items, /notices); errors name "
        "them record.<field>",
    )


class DiscardCreate(BaseModel):
    """Discard a pending candidate; it is kept, with the reason."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=2_000)


class CandidatePublic(BaseModel):
    """A candidate read from an article, as corrected, and what became of it."""

    id: str
    version: int
    party: str = Field(description="The party that ingested the article (its own queue)")
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    article_id: str
    position: int = Field(description="Its place among its article's candidates, 0 first")
    status: CandidateStatusChoices
    kind: CandidateKindChoices
    proposes: ProposedRecordChoices
    event_type: str
    sub_event_type: str
    occurred_from: str | None
    occurred_until: str | None
    time_precision: str
    admin1: str
    admin2: str
    place_name: str
    geo_precision: int
    location: PointGeometry | None
    actors: list[str]
    fatalities: int | None
    injured: int | None
    evidence: list[str] = Field(description="The sentences it was read from, verbatim")
    confidence: float
    deadline: str | None
    notes: list[str]
    discard_reason: str
    accepted_kind: AcceptedRecordChoices | None
    accepted_id: str | None = Field(description="The record it became, once accepted")
    article: ArticleSummary
    duplicates: list[DuplicatePublic] = Field(
        description="While pending: incidents you can see that it probably repeats"
    )


class CandidateVersion(VersionFields):
    """One journaled version of a candidate."""

    record: dict[str, Any]


class CandidateDetail(CandidatePublic):
    """A candidate with every version, the reader's first."""

    history: list[CandidateVersion]


class CandidateList(BaseModel):
    """One page of the queue (pending first); pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[CandidatePublic]
    next_cursor: str | None


class ArticleCreate(BaseModel):
    """A news article to read for the review queue: its page as HTML or as text copied
    from it, or only its address for the node to fetch (if TANSIQ_ARTICLE_FETCH allows)."""

    model_config = ConfigDict(extra="forbid")

    html: str | None = Field(
        None, description="The page's raw HTML (share buttons, comments and all)"
    )
    text: str | None = Field(
        None, description="Text copied from the page, clutter included; not with html"
    )
    url: str | None = Field(
        None,
        max_length=2_000,
        description="The article's http(s) address. Alone, the node fetches the page from "
        "it: public addresses on ports 80 and 443 only, unless the node says otherwise "
        "(TANSIQ_ARTICLE_FETCH); a refused or unreachable address is a 422 naming url",
    )
    published: str | None = Field(
        None,
        max_length=40,
        description="Publication date (2020-02-20) or date-time (Baghdad time without an "
        "offset), used when the page gives none; relative dates are read against it",
        examples=["2020-02-20"],
    )


class ArticleRecord(BaseModel):
    """An ingested article as journaled."""

    id: str
    version: int
    party: str
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    title: str
    outlet: str
    url: str
    language: str
    content_hash: str = Field(description="Hex SHA-256 of the body")
    body: str
    published_at: str | None


class ArticlePublic(ArticleRecord):
    """An ingested article with the candidates read from it, in reading order."""

    candidates: list[CandidatePublic]


class ArticleSubmitted(BaseModel):
    """What submitting an article did: 201 with the candidates queued for review, or 200
    when your party ingested the same article before (then nothing was proposed again)."""

    article: ArticleRecord = Field(description="The stored article (the earlier one if repeated)")
    candidates: list[CandidatePublic] = Field(
        description="The candidates this submission queued, in reading order (none if repeated)"
    )
    already_ingested: bool
    matched_by: Literal["content_hash", "url"] | None = Field(
        description="How the earlier article was recognised: the same body or the same address"
    )
