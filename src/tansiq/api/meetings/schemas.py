"""Meeting request and response schemas, and the daily digest of a center."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.fields import Instant
from tansiq.api.history import VersionFields
from tansiq.api.meetings.action_schemas import ActionItemPublic
from tansiq.api.meetings.decision_schemas import DecisionPublic
from tansiq.api.received import Received
from tansiq.domain.choices import MeetingStatusChoices, ReleasabilityChoices


class Attendee(BaseModel):
    """One person at the meeting and the party they came for."""

    model_config = ConfigDict(extra="forbid")

    party: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    position: str = Field("", max_length=200)


class MeetingFields(BaseModel):
    """Fields shared by create and update; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    center_id: str | None = Field(None, max_length=64)
    held_at: Instant | None = Field(None, description="When, with a UTC offset")
    place: str | None = Field(None, max_length=200)
    attendees: list[Attendee] | None = Field(None, max_length=200)
    agenda: str | None = Field(None, max_length=10_000)
    minutes: str | None = Field(None, max_length=100_000)
    releasability: ReleasabilityChoices | None = None
    status: MeetingStatusChoices | None = Field(
        None, description="scheduled -> held | cancelled; new meetings default to held"
    )


class MeetingCreate(MeetingFields):
    """A new meeting of a center your party sits on."""

    center_id: str = Field(max_length=64)
    held_at: Instant = Field(description="When, with a UTC offset")


class MeetingUpdate(MeetingFields):
    """A correction: only the fields sent change; a new version is journaled."""


class MeetingRecord(BaseModel):
    """A meeting as journaled (what each ``history`` version holds)."""

    id: str
    version: int
    party: str
    status: MeetingStatusChoices
    center_id: str
    held_at: str
    place: str
    attendees: list[Attendee]
    agenda: str
    minutes: str
    releasability: ReleasabilityChoices
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class MeetingPublic(MeetingRecord, Received):
    """A meeting as the API answers it: the record and where it came from."""


class MeetingVersion(VersionFields):
    """One journaled version of a meeting."""

    record: MeetingRecord


class MeetingDetail(MeetingPublic):
    """A meeting with its versions, decisions and action items (those you may see)."""

    history: list[MeetingVersion]
    decisions: list[DecisionPublic]
    action_items: list[ActionItemPublic]


class MeetingList(BaseModel):
    """One page of meetings; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[MeetingPublic]
    next_cursor: str | None


class DigestCenter(BaseModel):
    """The center the digest is about."""

    id: str
    code: str
    name_en: str
    name_ar: str
    name_ckb: str
    member_parties: list[str]


class DigestCounts(BaseModel):
    """How many of each the digest holds."""

    escalated: int
    overdue: int
    awaiting_endorsement: int
    meetings: int


class Digest(BaseModel):
    """What is late, what awaits endorsement and what met in the last 24 hours."""

    center: DigestCenter
    generated_at: str
    since: str
    timezone: str
    escalate_after_hours: int
    escalated: dict[str, list[ActionItemPublic]] = Field(
        description="Open items past their escalation time, by owing party"
    )
    overdue: dict[str, list[ActionItemPublic]] = Field(
        description="Open items past due but not yet escalated, by owing party"
    )
    awaiting_endorsement: list[DecisionPublic]
    meetings: list[MeetingPublic]
    counts: DigestCounts
