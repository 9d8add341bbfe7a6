"""Decision and endorsement request and response schemas."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.history import VersionFields
from tansiq.api.received import Received
from tansiq.domain.choices import DecisionStatusChoices, ReleasabilityChoices

SettableStatus = Literal["draft", "proposed", "withdrawn"]


class DecisionFields(BaseModel):
    """Fields shared by create and amend; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    text_en: str | None = Field(None, max_length=20_000, description="The text in English")
    text_ar: str | None = Field(None, max_length=20_000, description="The text in Arabic")
    text_ckb: str | None = Field(
        None, max_length=20_000, description="The text in Kurdish (Sorani)"
    )
    releasability: ReleasabilityChoices | None = Field(
        None, description="Defaults to the meeting's; never wider than the meeting's"
    )
    status: SettableStatus | None = Field(
        None,
        description="draft, proposed (default unless releasability is party) or withdrawn; "
        "agreed is derived from endorsements",
    )


class DecisionCreate(DecisionFields):
    """A new decision of a meeting: English and Arabic and/or Kurdish text."""

    meeting_id: str = Field(max_length=64)
    text_en: str = Field(min_length=1, max_length=20_000)


class DecisionUpdate(DecisionFields):
    """An amendment: a new version; a changed text voids the earlier endorsements."""


class DecisionRecord(BaseModel):
    """A decision as journaled, with ``status``, ``endorsed_by`` and ``awaiting`` derived when
    read (what each ``history`` version holds)."""

    id: str
    version: int
    party: str
    status: DecisionStatusChoices = Field(
        description="draft | proposed | agreed (every member party endorsed the current "
        "version_hash) | withdrawn"
    )
    meeting_id: str
    center_id: str
    text_en: str
    text_ar: str
    text_ckb: str
    version_hash: str = Field(
        description="SHA-256 of the canonical JSON of id, meeting_id and the three texts; "
        "an endorsement must name it"
    )
    endorsed_by: list[str] = Field(description="Parties that endorsed the current version_hash")
    awaiting: list[str] = Field(description="Member parties still to endorse (while proposed)")
    releasability: ReleasabilityChoices
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class DecisionPublic(DecisionRecord, Received):
    """A decision as the API answers it: the record and where it came from."""


class DecisionVersion(VersionFields):
    """One journaled version of a decision, with the status it has now."""

    record: DecisionRecord


class EndorsementCreate(BaseModel):
    """An endorsement of the decision's current version on behalf of your party."""

    model_config = ConfigDict(extra="forbid")

    version_hash: str = Field(
        pattern="^[0-9a-f]{64}$", description="The version_hash you read; 409 if it changed"
    )
    comment: str = Field("", max_length=2_000)


class EndorsementPublic(Received):
    """One party's endorsement of one version of a decision."""

    id: str
    version: int
    party: str
    decision_id: str
    decision_version: int
    version_hash: str
    comment: str
    releasability: ReleasabilityChoices
    center_id: str
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class EndorsementListed(EndorsementPublic):
    """An endorsement in a decision's detail; ``current`` when it names the current hash."""

    current: bool


class DecisionDetail(DecisionPublic):
    """A decision with its versions and every endorsement you may see."""

    history: list[DecisionVersion]
    endorsements: list[EndorsementListed]


class DecisionList(BaseModel):
    """One page of decisions; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[DecisionPublic]
    next_cursor: str | None
