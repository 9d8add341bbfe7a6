"""Protected-site request and response schemas."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.fields import Instant
from tansiq.api.history import VersionFields
from tansiq.api.received import Received
from tansiq.api.sectors.schemas import GeometryIn
from tansiq.domain.choices import (
    ProtectedSiteKindChoices,
    ReleasabilityChoices,
    SectorStatusChoices,
)
from tansiq.domain.reasons import MAX_REASON


class SiteFields(BaseModel):
    """Fields shared by create and update; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    kind: ProtectedSiteKindChoices | None = None
    name: str | None = Field(None, max_length=200)
    name_ar: str | None = Field(None, max_length=200, description="Arabic name")
    name_ckb: str | None = Field(None, max_length=200, description="Kurdish (Sorani) name")
    geometry: GeometryIn | None = Field(
        None, description="humanitarian_movement: the route (LineString); others: Point/Polygon"
    )
    cross_border: bool | None = Field(None, strict=True)
    starts_at: Instant | None = Field(None, description="Movement window start")
    ends_at: Instant | None = Field(None, description="Movement window end (exclusive)")
    description: str | None = Field(None, max_length=2000)
    releasability: ReleasabilityChoices | None = Field(None, description="Default: all")
    center_id: str | None = Field(None, max_length=64)
    status: SectorStatusChoices | None = Field(None, description="withdrawn is final")


class SiteCreate(SiteFields):
    """A new protected site. Omitted optional fields take their defaults."""

    kind: ProtectedSiteKindChoices
    name: str = Field(min_length=1, max_length=200)
    geometry: GeometryIn


class SiteUpdate(SiteFields):
    """A change: only the fields sent change; a new version is journaled."""

    reason: str | None = Field(
        None,
        max_length=MAX_REASON,
        description="Required to withdraw (a final step): why; journaled with the record",
    )


class SiteRecord(BaseModel):
    """A protected site as journaled (what each ``history`` version holds)."""

    id: str
    version: int
    party: str
    status: SectorStatusChoices
    kind: ProtectedSiteKindChoices
    name: str
    name_ar: str
    name_ckb: str
    geometry: dict[str, Any]
    cross_border: bool
    starts_at: str | None
    ends_at: str | None
    description: str
    status_reason: str | None = Field(None, description="Why its owner withdrew it (or null)")
    bbox: list[float]
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class SitePublic(SiteRecord, Received):
    """A protected site as the API answers it: the record and where it came from."""


class SiteVersion(VersionFields):
    """One journaled version of a protected site."""

    record: SiteRecord


class SiteDetail(SitePublic):
    """A site with every version the caller may see, oldest first."""

    history: list[SiteVersion]


class SiteList(BaseModel):
    """One page of protected sites; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[SitePublic]
    next_cursor: str | None


class SiteImportResult(BaseModel):
    """The sites an import declared, in the order of the file."""

    items: list[SitePublic]
