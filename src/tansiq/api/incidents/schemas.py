"""Incident request and response schemas (the wire contract of DESIGN.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.fields import Instant
from tansiq.api.history import VersionFields
from tansiq.api.incidents.assessment_schemas import IncidentDispute
from tansiq.domain.choices import (
    ActorTypeChoices,
    DisorderTypeChoices,
    EventTypeChoices,
    IncidentStatusChoices,
    ReleasabilityChoices,
    SourceReliabilityChoices,
    SubEventTypeChoices,
    TimePrecisionChoices,
)

# Numbers and booleans must arrive as JSON numbers and booleans: lax parsing would
# turn "44.3" or true into coordinates the domain rules never get to refuse.
Degrees = Annotated[float, Field(strict=True)]
# ACLED's actor type of actor1/actor2, or "" when the report does not code one.
ActorType = ActorTypeChoices | Literal[""]


class PointGeometry(BaseModel):
    """A GeoJSON Point in WGS84: ``[longitude, latitude]``."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["Point"]
    coordinates: tuple[Degrees, Degrees] = Field(
        description="[longitude, latitude] in WGS84 degrees"
    )


class IncidentFields(BaseModel):
    """Fields shared by create and update; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    event_id_cnty: str | None = Field(
        None,
        min_length=1,
        max_length=32,
        pattern=r"^\S+$",
        description="The event's id at its source (ACLED's event_id_cnty); one incident a party",
    )
    occurred_at: Instant | None = Field(None, description="When, with a UTC offset")
    time_precision: TimePrecisionChoices | None = None
    location: PointGeometry | None = None
    geo_precision: int | None = Field(
        None, ge=1, le=3, strict=True, description="ACLED geo precision"
    )
    place_name: str | None = Field(None, max_length=200)
    cross_border: bool | None = Field(
        None, strict=True, description="Allow a point outside Iraq"
    )
    disorder_type: DisorderTypeChoices | None = Field(
        None, description="ACLED's disorder type (default: the event type's usual one)"
    )
    event_type: EventTypeChoices | None = None
    sub_event_type: SubEventTypeChoices | None = None
    actor1: str | None = Field(None, max_length=200)
    assoc_actor_1: str | None = Field(None, max_length=2000, description="Associated actors")
    inter1: ActorType | None = Field(None, description="ACLED's actor type of actor1")
    actor2: str | None = Field(None, max_length=200)
    assoc_actor_2: str | None = Field(None, max_length=2000, description="Associated actors")
    inter2: ActorType | None = Field(
        None, description="ACLED's actor type of actor2 (empty without actor2)"
    )
    civilian_targeting: bool | None = Field(
        None, strict=True, description="Civilians were the target (ACLED)"
    )
    fatalities: int | None = Field(None, ge=0, le=100_000, strict=True)
    injured: int | None = Field(None, ge=0, le=100_000, strict=True)
    description: str | None = Field(None, max_length=10_000)
    sources: list[str] | None = Field(None, max_length=20)
    source_scale: str | None = Field(
        None, max_length=100, description="ACLED's source scale, e.g. National-International"
    )
    tags: str | None = Field(None, max_length=2000, description="ACLED's tags")
    source_reliability: SourceReliabilityChoices | None = None
    credibility: int | None = Field(
        None, ge=1, le=6, strict=True, description="Information credibility 1-6"
    )
    releasability: ReleasabilityChoices | None = None
    center_id: str | None = None
    status: IncidentStatusChoices | None = None


class IncidentCreate(IncidentFields):
    """A new incident report. Omitted optional fields take their defaults."""

    occurred_at: Instant
    location: PointGeometry
    event_type: EventTypeChoices
    sub_event_type: SubEventTypeChoices
    actor1: str = Field(max_length=200, min_length=1)


class IncidentUpdate(IncidentFields):
    """A correction: only the fields sent change; a new version is journaled."""


class IncidentBatch(BaseModel):
    """Up to 1,000 incidents, filed all or nothing."""

    model_config = ConfigDict(extra="forbid")

    items: list[IncidentCreate] = Field(min_length=1, max_length=1000)


class IncidentPublic(BaseModel):
    """An incident as the API answers it."""

    id: str
    version: int
    party: str
    status: IncidentStatusChoices
    event_id_cnty: str | None
    occurred_at: str
    time_precision: TimePrecisionChoices
    location: PointGeometry
    geo_precision: int
    place_name: str
    cross_border: bool
    admin1: str | None = Field(description="Governorate (OCHA English name); null outside Iraq")
    admin2: str | None = Field(description="District (OCHA English name); null outside Iraq")
    admin3: str | None = Field(
        description="Sub-district (OCHA English name); null outside Iraq and for incidents "
        "last placed before sub-districts were derived"
    )
    disorder_type: DisorderTypeChoices
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str
    inter1: ActorType
    actor2: str
    assoc_actor_2: str
    inter2: ActorType
    civilian_targeting: bool
    fatalities: int
    injured: int
    description: str
    sources: list[str]
    source_scale: str
    tags: str
    source_reliability: SourceReliabilityChoices
    credibility: int
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class IncidentVersion(VersionFields):
    """One journaled version of an incident."""

    record: IncidentPublic


class IncidentDetail(IncidentPublic):
    """An incident with every version the caller may see, oldest first."""

    history: list[IncidentVersion]
    dispute: IncidentDispute = Field(
        description="Derived: open contests by another party (the record itself is unchanged)"
    )


class IncidentList(BaseModel):
    """One page of incidents; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[IncidentPublic]
    next_cursor: str | None


class IncidentBatchResult(BaseModel):
    """The incidents a batch created, in the order sent."""

    items: list[IncidentPublic]
