"""Route: coverage of an area at a date by each party's sectors, overlaps and gaps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tansiq.api.deps import ContextDep, CurrentActor
from tansiq.api.fields import Instant
from tansiq.api.responses import GeoJSONBytes
from tansiq.api.sectors.coverage_schemas import CoverageCollection, CoverageRequest
from tansiq.services.sectors.coverage import coverage, parse_when

router = APIRouter(prefix="/coverage", tags=["coverage"])

_AREA = (
    "A governorate (any common spelling), a center code, or a GeoJSON Polygon/MultiPolygon "
    "as JSON text"
)
_AT = "A date (read as 00:00 UTC) or a date-time with offset: the sectors in force then count"


@router.get("", response_model=CoverageCollection, response_class=GeoJSONBytes)
def read(
    ctx: ContextDep,
    actor: CurrentActor,
    area: Annotated[str, Query(min_length=1, max_length=100_000, description=_AREA)],
    at: Annotated[str, Query(max_length=64, description=_AT)],
    incidents_since: Annotated[
        Instant | None, Query(description="Default: 30 days before incidents_until")
    ] = None,
    incidents_until: Annotated[Instant | None, Query(description="Default: at")] = None,
    party: Annotated[
        str | None, Query(max_length=32, description="Count only this party's sectors")
    ] = None,
) -> GeoJSONBytes:
    """Who covers the area, where parties overlap, and the gaps with the incidents in them.

    Only sectors released to you count: ground another party has not shared shows as gap.
    """
    answer = coverage(
        ctx,
        actor=actor,
        area=area,
        at=parse_when(at),
        incidents_since=incidents_since,
        incidents_until=incidents_until,
        parties=[party] if party else None,
    )
    return GeoJSONBytes(answer)


@router.post("", response_model=CoverageCollection, response_class=GeoJSONBytes)
def read_posted(ctx: ContextDep, actor: CurrentActor, body: CoverageRequest) -> GeoJSONBytes:
    """As GET, with the area in the body (for drawn polygons too large for a URL)."""
    area = body.area if isinstance(body.area, str) else body.area.model_dump()
    answer = coverage(
        ctx,
        actor=actor,
        area=area,
        at=parse_when(body.at),
        incidents_since=body.incidents_since,
        incidents_until=body.incidents_until,
        parties=[body.party] if body.party else None,
    )
    return GeoJSONBytes(answer)
