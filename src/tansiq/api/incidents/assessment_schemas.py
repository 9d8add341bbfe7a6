"""Assessment, dispute resolution and dispute request and response schemas."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.notices.schemas import RecordVersion
from tansiq.api.received import Received
from tansiq.domain.assessments import DisputeClosureChoices
from tansiq.domain.choices import (
    AssessmentKindChoices,
    AssessmentStatusChoices,
    ReleasabilityChoices,
    SourceReliabilityChoices,
)
from tansiq.domain.reasons import MAX_REASON


class AssessmentFields(BaseModel):
    """Fields an assessing party may amend; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    comment: str | None = Field(None, max_length=10_000)
    sources: list[str] | None = Field(None, max_length=20)
    source_reliability: SourceReliabilityChoices | None = None
    credibility: int | None = Field(
        None, ge=1, le=6, strict=True, description="Information credibility 1-6"
    )
    releasability: ReleasabilityChoices | None = Field(
        None,
        description="all, or center (a center both parties are members of); never party, "
        "and never further than the incident",
    )
    center_id: str | None = None


class AssessmentCreate(AssessmentFields):
    """A corroboration, contest (comment required) or comment on another party's incident."""

    kind: AssessmentKindChoices
    incident_version: int | None = Field(
        None, ge=1, strict=True, description="The version you assess; 409 if it is not current"
    )


class AssessmentUpdate(AssessmentFields):
    """An amendment (a new version) or ``status: withdrawn``."""

    status: AssessmentStatusChoices | None = None
    reason: str | None = Field(
        None,
        max_length=MAX_REASON,
        description="Required to withdraw (a final step): why; journaled with the assessment",
    )


class DisputeStatePublic(BaseModel):
    """The dispute a contest opens, derived when read."""

    open: bool
    closed_by: DisputeClosureChoices | None = Field(
        description="withdrawn, retracted, corrected or resolved (both parties)"
    )
    resolved_by: list[str] = Field(description="Parties that marked it resolved")
    awaiting: list[str] = Field(description="Parties yet to mark it resolved while open")


class AssessmentPublic(Received):
    """An assessment as the API answers it (owned by the assessing party)."""

    id: str
    version: int
    party: str
    incident_id: str
    incident_party: str
    incident_version: int
    kind: AssessmentKindChoices
    status: AssessmentStatusChoices
    status_reason: str | None = Field(None, description="Why its party withdrew it (or null)")
    comment: str
    sources: list[str]
    source_reliability: SourceReliabilityChoices
    credibility: int
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    dispute: DisputeStatePublic | None = Field(description="Null unless kind is contest")


class ResolutionCreate(BaseModel):
    """Your party marks the dispute resolved."""

    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", max_length=10_000)


class ResolutionPublic(Received):
    """A resolution record (owned by the resolving party) and the dispute after it."""

    id: str
    version: int
    party: str
    assessment_id: str
    incident_id: str
    comment: str
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    dispute: DisputeStatePublic | None = None


class AssessmentDetail(AssessmentPublic):
    """An assessment with its resolutions and every version the caller may see."""

    resolutions: list[ResolutionPublic]
    history: list[RecordVersion]


class AssessmentList(BaseModel):
    """One page of assessments; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[AssessmentPublic]
    next_cursor: str | None


class DisputeItem(BaseModel):
    """An open dispute: the contest, the incident it is about, and its state."""

    assessment: AssessmentPublic
    incident: dict[str, Any] = Field(
        description="The incident's id, party, version, status, time, event types, place, "
        "center and its `received` mark"
    )
    dispute: DisputeStatePublic


class DisputeList(BaseModel):
    """Open disputes, oldest first (the agenda when a center is given)."""

    items: list[DisputeItem]
    next_cursor: str | None


class IncidentDispute(BaseModel):
    """Whether an incident is disputed, for the incident's detail view."""

    disputed: bool
    open_contests: list[str] = Field(description="Ids of the open contest assessments")
