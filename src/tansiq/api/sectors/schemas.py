"""Sector request and response schemas, and the GeoJSON shapes shared with protected sites."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.fields import Instant
from tansiq.api.history import VersionFields
from tansiq.api.received import Received
from tansiq.domain.choices import ReleasabilityChoices, SectorKindChoices, SectorStatusChoices
from tansiq.domain.reasons import MAX_REASON

# Metres arrive as JSON numbers: lax parsing would let "500" or true through.
Metres = Annotated[float, Field(strict=True)]


class GeometryIn(BaseModel):
    """A GeoJSON geometry in WGS84 lon/lat; the server checks rings, bounds and size."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]
    coordinates: list[Any] = Field(description="GeoJSON coordinates, [longitude, latitude]")


class FeatureCollectionIn(BaseModel):
    """A GeoJSON FeatureCollection to import; each feature's properties are the fields."""

    model_config = ConfigDict(extra="allow")

    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]] = Field(min_length=1, max_length=5000)


class SectorFields(BaseModel):
    """Fields shared by create and update; all optional here."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)

    kind: SectorKindChoices | None = None
    name: str | None = Field(None, max_length=200, description="A label, e.g. 'Sector 3 North'")
    unit_name: str | None = Field(None, max_length=200, description="The unit responsible")
    geometry: GeometryIn | None = Field(
        None,
        description="aor: Polygon/MultiPolygon; defensive_line: LineString/MultiLineString; "
        "checkpoint, base: Point",
    )
    cross_border: bool | None = Field(None, strict=True, description="Allow ground outside Iraq")
    depth_m: Metres | None = Field(None, description="Depth of a defensive line, 10-50,000 m")
    radius_m: Metres | None = Field(None, description="Radius of a checkpoint or base")
    valid_from: Instant | None = Field(None, description="In force from (inclusive)")
    valid_until: Instant | None = Field(None, description="In force until (exclusive)")
    releasability: ReleasabilityChoices | None = None
    center_id: str | None = Field(None, max_length=64)
    status: SectorStatusChoices | None = Field(None, description="withdrawn is final")


class SectorCreate(SectorFields):
    """A new sector of your party. Omitted optional fields take their defaults."""

    kind: SectorKindChoices
    unit_name: str = Field(min_length=1, max_length=200)
    geometry: GeometryIn
    valid_from: Instant
    valid_until: Instant


class SectorUpdate(SectorFields):
    """A change: only the fields sent change; a new version is journaled."""

    reason: str | None = Field(
        None,
        max_length=MAX_REASON,
        description="Required to withdraw (a final step): why; journaled with the record",
    )


class SectorRecord(BaseModel):
    """A sector as journaled (what each ``history`` version holds)."""

    id: str
    version: int
    party: str
    status: SectorStatusChoices
    kind: SectorKindChoices
    name: str
    unit_name: str
    geometry: dict[str, Any]
    cross_border: bool
    depth_m: float | None
    radius_m: float | None
    valid_from: str
    valid_until: str
    status_reason: str | None = Field(None, description="Why its owner withdrew it (or null)")
    bbox: list[float] = Field(description="Box of the ground covered: west, south, east, north")
    releasability: ReleasabilityChoices
    center_id: str | None
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


class SectorPublic(SectorRecord, Received):
    """A sector as the API answers it: the record and where it came from."""


class SectorVersion(VersionFields):
    """One journaled version of a sector."""

    record: SectorRecord


class SectorDetail(SectorPublic):
    """A sector with every version the caller may see, oldest first."""

    history: list[SectorVersion]


class SectorList(BaseModel):
    """One page of sectors; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[SectorPublic]
    next_cursor: str | None


class SectorImportResult(BaseModel):
    """The sectors an import declared, in feature order."""

    items: list[SectorPublic]
