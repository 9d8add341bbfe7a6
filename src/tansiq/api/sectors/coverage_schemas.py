"""Coverage request and response schemas (the answer is GeoJSON with a summary)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tansiq.api.fields import Instant
from tansiq.api.sectors.schemas import GeometryIn


class CoverageRequest(BaseModel):
    """Coverage of an area: the POST form, for drawn polygons too large for a URL."""

    model_config = ConfigDict(extra="forbid")

    area: str | GeometryIn = Field(
        description="A governorate, a center code, or a GeoJSON Polygon/MultiPolygon"
    )
    at: str = Field(max_length=64, description="A date (00:00 UTC) or a date-time with offset")
    incidents_since: Instant | None = None
    incidents_until: Instant | None = None
    party: str | None = Field(None, max_length=32, description="Count only this party's sectors")


class SummaryRow(BaseModel):
    """One row of the summary table."""

    layer: Literal["area", "coverage", "overlap", "gap"]
    party: str | None
    area_km2: float
    incident_count: int


class AreaLabel(BaseModel):
    """What area was analysed."""

    kind: Literal["governorate", "center", "polygon"]
    code: str | None
    name: str


class CoverageCollection(BaseModel):
    """A GeoJSON FeatureCollection: features with ``properties.layer`` of ``area``,
    ``coverage`` (one per party), ``overlap``, ``gap`` (one per part, with its
    ``incident_ids``) and ``incident`` (incidents inside gaps, each with its ``received``
    mark); plus the summary."""

    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]
    summary: list[SummaryRow]
    area: AreaLabel
    at: str
    incidents_since: str
    incidents_until: str
    parties: list[str]
    sector_count: int
