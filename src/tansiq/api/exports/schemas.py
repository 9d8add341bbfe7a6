"""Export answer schemas: a whole GeoJSON layer, and the bodies of the other formats."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from tansiq.api.pages import FeaturePublic
from tansiq.ingest.export.request import FORMATS


class ExportCollection(BaseModel):
    """One whole layer as a GeoJSON FeatureCollection (RFC 7946): WGS84 lon/lat, no
    ``crs``, each feature's properties every field the JSON API answers."""

    type: Literal["FeatureCollection"]
    name: str = Field(description="The layer: incidents, sectors_polygons…")
    features: list[FeaturePublic]


def body_schema(format_: str) -> dict[str, Any]:
    """The OpenAPI schema of an export's body in ``format_``."""
    media = FORMATS[format_].media_type
    if format_ == "geojson":
        return {"$ref": "#/components/schemas/ExportCollection"}
    if format_ == "gpkg":
        return {"type": "string", "format": "binary", "contentMediaType": media}
    return {"type": "string", "contentMediaType": media}
