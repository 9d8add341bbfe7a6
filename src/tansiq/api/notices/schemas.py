"""Notice and acknowledgement request and response schemas."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.fields import Instant
from tansiq.api.history import VersionFields
from tansiq.api.received import Received
from tansiq.domain.choices import (
    AckResponseChoices,
    NoticeKindChoices,
    NoticeStatusChoices,
    ReleasabilityChoices,
)
from tansiq.domain.notices import NOTIFICATION_IS_NOT_PERMISSION, NoticeStateChoices
from tansiq.domain.reasons import MAX_REASON

GeometryType = Literal["Point", "LineString", "Polygon", "MultiPolygon"]


class NoticeGeometry(BaseModel):
    """A GeoJSON geometry in WGS84: the point, route or area the notice is about."""

    model_config = ConfigDict(extra="forbid")

    type: GeometryType
    coordinates: list[Any] = Field(description="GeoJSON coordinates, [longitude, latitude]")


class NoticeFields(BaseModel):
    """Fields a sender may amend; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    subject: str | None = Field(None, max_length=200)
    message: str | None = Field(None, max_length=10_000)
    location: NoticeGeometry | None = None
    place_name: str | None = Field(None, max_length=200)
    starts_at: Instant | None = Field(None, description="Start of the time window")
    ends_at: Instant | None = Field(None, description="End of the time window")
    ack_deadline: Instant | None = Field(
        None,
        description="Answer expected by then; default 6 h (deployment, movement) or "
        "1 h (incident_alert) after sending. Unanswered notices escalate at it.",
    )
    releasability: ReleasabilityChoices | None = Field(
        None, description="all, or center (a center both parties are members of); never party"
    )
    center_id: str | None = None


class NoticeCreate(NoticeFields):
    """A new notice to another party."""

    to_party: str = Field(max_length=32, min_length=1, description="The receiving party")
    kind: NoticeKindChoices
    subject: str = Field(max_length=200, min_length=1)
    location: NoticeGeometry
    starts_at: Instant
    ends_at: Instant


class NoticeUpdate(NoticeFields):
    """An amendment (a new version, needing a fresh answer) or ``status: withdrawn``."""

    status: NoticeStatusChoices | None = None
    reason: str | None = Field(
        None,
        max_length=MAX_REASON,
        description="Required to withdraw (a final step): why; journaled with the notice",
    )


class AckCreate(BaseModel):
    """The receiving party's answer to the notice's current version."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    response: AckResponseChoices
    comment: str = Field("", max_length=10_000, description="Required unless response is ack")
    notice_version: int | None = Field(
        None, ge=1, strict=True, description="The version you read; 409 if it is not current"
    )


class AckPublic(Received):
    """An acknowledgement as the API answers it (owned by the receiving party)."""

    id: str
    version: int
    party: str
    notice_id: str
    notice_version: int
    response: AckResponseChoices
    comment: str
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class NoticePublic(Received):
    """A notice: its journaled fields plus what is derived when it is read."""

    id: str
    version: int
    party: str = Field(description="The sending party, which owns the notice")
    to_party: str
    kind: NoticeKindChoices
    status: NoticeStatusChoices
    subject: str
    message: str
    location: NoticeGeometry
    place_name: str
    starts_at: str
    ends_at: str
    ack_deadline: str
    status_reason: str | None = Field(None, description="Why the sender withdrew it (or null)")
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    state: NoticeStateChoices = Field(
        description="Derived: pending, escalated (pending past ack_deadline), acknowledged, "
        "acknowledged_with_concerns, objected (answers to the current version) or withdrawn"
    )
    escalated: bool
    acknowledgements: list[AckPublic] = Field(description="Every answer you may see, oldest first")
    disclaimer: str = Field(
        description="Show with every notice", examples=[NOTIFICATION_IS_NOT_PERMISSION]
    )


class RecordVersion(VersionFields):
    """One journaled version of a record (notice or assessment)."""

    record: dict[str, Any]


class NoticeDetail(NoticePublic):
    """A notice with every version the caller may see, oldest first."""

    history: list[RecordVersion]


class NoticeList(BaseModel):
    """One page of notices; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[NoticePublic]
    next_cursor: str | None
