"""Operation plan, approval and finding schemas (coordination plans: who is where, when)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.fields import Instant
from tansiq.api.history import VersionFields
from tansiq.api.received import Received, ReceivedMark
from tansiq.domain.choices import (
    ApprovalDecisionChoices,
    FindingClearedChoices,
    FindingKindChoices,
    FindingStatusChoices,
    OperationKindChoices,
    OperationStatusChoices,
    ReleasabilityChoices,
)
from tansiq.domain.reasons import MAX_REASON

# Numbers must arrive as JSON numbers: lax parsing would let "44.3" past the domain rules.
Degrees = Annotated[float, Field(strict=True)]
PartyId = Annotated[str, Field(min_length=1, max_length=32)]
Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256, 64 hex digits")]


class PolygonGeometry(BaseModel):
    """A GeoJSON Polygon in WGS84: rings of ``[longitude, latitude]``, first ring outer."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["Polygon"]
    coordinates: list[list[tuple[Degrees, Degrees]]] = Field(min_length=1, max_length=100)


class OperationFields(BaseModel):
    """Fields shared by create and amend; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    title: str | None = Field(None, max_length=200)
    objective: str | None = Field(None, max_length=4000, description="What the plan is for")
    center_id: str | None = Field(None, description="The coordination center it runs under")
    area: PolygonGeometry | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    participants: list[PartyId] | None = Field(None, min_length=1, max_length=10)
    lead_party: PartyId | None = None
    forces: dict[str, Annotated[str, Field(max_length=2000)]] | None = Field(
        None, description="Per participating party, free text: who takes part"
    )
    releasability: ReleasabilityChoices | None = Field(
        None, description="Must reach every participant: center (all members) or all"
    )


class OperationCreate(OperationFields):
    """A new plan, drafted for your party. Omitted optional fields take their defaults."""

    kind: OperationKindChoices | None = Field(
        None, description="joint (default; every participant approves) or notified"
    )
    title: str = Field(min_length=1, max_length=200)
    objective: str = Field(min_length=1, max_length=4000)
    area: PolygonGeometry
    starts_at: Instant
    ends_at: Instant
    lead_party: PartyId


class OperationUpdate(OperationFields):
    """An amendment: a new version with a new plan_hash; earlier approvals no longer count."""


class OperationRecord(BaseModel):
    """An operation plan as journaled (what each ``history`` version holds)."""

    id: str
    version: int
    party: str = Field(description="The owner party: it drafted the plan and alone changes it")
    kind: OperationKindChoices
    status: OperationStatusChoices
    title: str
    objective: str
    center_id: str | None
    area: PolygonGeometry
    starts_at: str
    ends_at: str
    participants: list[str]
    lead_party: str
    forces: dict[str, str]
    releasability: ReleasabilityChoices
    plan_version: int = Field(description="The version whose content approvals sign")
    plan_hash: str = Field(description="SHA-256 of the plan's canonical JSON: name it to sign")
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class OperationPublic(OperationRecord, Received):
    """An operation plan as the API answers it: the record and where it came from."""


class OperationList(BaseModel):
    """One page of plans; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[OperationPublic]
    next_cursor: str | None


class FindingPublic(Received):
    """One deconfliction finding of one plan version; ``received`` says where the finding
    came from (the plan's owner writes it), ``subject_received`` where its subject did."""

    id: str
    version: int
    party: str
    operation_id: str
    plan_version: int
    plan_hash: str
    kind: FindingKindChoices
    blocking: bool = Field(description="Must be acknowledged with a comment before approving")
    subject_id: str = Field(description="The sector, protected site, operation or incident")
    subject_party: str
    subject_received: ReceivedMark | None = Field(
        description="The subject's `received` mark: null when it is this node's own record",
        json_schema_extra={"readOnly": True},
    )
    overlap_km2: float | None
    distance_m: float | None
    summary: str
    status: FindingStatusChoices = Field(
        description="open: it stands; cleared: a recheck found it no longer holds"
    )
    cleared_reason: FindingClearedChoices | None = Field(
        description="Why it was cleared (null while open)"
    )
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class FindingRecheck(BaseModel):
    """What a recheck of a plan's findings did, and the findings as you read them now."""

    id: str = Field(description="The plan")
    changed: int = Field(description="Findings written (new, updated or cleared); 0: none")
    findings: list[FindingPublic]


class Acknowledgement(BaseModel):
    """The signer read a finding; the comment says how it is handled."""

    model_config = ConfigDict(extra="forbid")

    finding_id: str = Field(max_length=64)
    comment: str = Field(min_length=1, max_length=2000)


class ApprovalCreate(BaseModel):
    """Your party's decision on the plan version named by ``plan_hash``."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    decision: ApprovalDecisionChoices
    plan_hash: Hash
    comment: str = Field("", max_length=2000, description="Required when rejecting")
    acknowledgements: list[Acknowledgement] = Field(
        default_factory=list,
        max_length=1000,
        description="One per blocking finding of this version, each with a comment",
    )


class ApprovalPublic(Received):
    """A party's approval or rejection of one plan version."""

    id: str
    version: int
    party: str
    operation_id: str
    decision: ApprovalDecisionChoices
    plan_version: int
    plan_hash: str
    comment: str
    acknowledgements: list[Acknowledgement]
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class ApprovalListed(ApprovalPublic):
    """An approval, marked ``current`` when it signs the plan's current version."""

    current: bool


class ApprovalState(BaseModel):
    """Derived: approved when every participant approved the current version."""

    status: Literal["pending", "approved", "rejected", "not_required"]
    parties: dict[str, Literal["pending", "approved", "rejected", "not_required"]]


class TransitionCreate(BaseModel):
    """Move the plan: proposed, approved, rejected, active, completed or cancelled."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    status: OperationStatusChoices
    reason: str | None = Field(
        None,
        max_length=MAX_REASON,
        description="Required to cancel or reject (final steps): why; journaled with the plan",
    )


class OperationVersion(VersionFields):
    """One journaled version of a plan."""

    record: OperationRecord


class OperationDetail(OperationPublic):
    """A plan with its derived approval state, current findings, approvals and history."""

    approval_state: ApprovalState
    findings: list[FindingPublic]
    approvals: list[ApprovalListed]
    history: list[OperationVersion]
