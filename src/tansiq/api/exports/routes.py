"""Routes: GET /exports/{incidents,sectors,protected-sites}.{geojson,kml,gpkg}, incidents.csv.

One route a dataset and format, each with its one media type in the OpenAPI
document. The filters are the dataset's list filters; the answer is the whole
selection as one file, streamed (``ingest/export``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from starlette.responses import StreamingResponse

from tansiq.api.deps import BBoxQuery, ContextDep, CurrentActor, PartyQuery, parse_bbox, value_of
from tansiq.api.exports.schemas import ExportCollection, body_schema
from tansiq.api.incidents.routes import FiltersDep as IncidentFiltersDep
from tansiq.api.sectors.routes import FiltersDep as SectorFiltersDep
from tansiq.domain.actors import Actor
from tansiq.domain.choices import ProtectedSiteKindChoices, SectorStatusChoices
from tansiq.ingest.export.produce import Download, prepare_download
from tansiq.ingest.export.request import FORMATS, FORMATS_OF, ExportRequest, Filters, SiteFilters
from tansiq.services.core.context import ServiceContext

router = APIRouter(prefix="/exports", tags=["exports"])

GeometryQuery = Annotated[
    Literal["point", "line", "polygon"] | None,
    Query(description="Only this layer; a GeoJSON file holds one (needed unless kind implies it)"),
]


def site_filters(
    kind: ProtectedSiteKindChoices | None = None,
    party: PartyQuery = None,
    status: SectorStatusChoices | None = None,
    bbox: BBoxQuery = None,
) -> SiteFilters:
    """The protected-site list's filters."""
    return SiteFilters(
        kind=value_of(kind), party=party, status=value_of(status), bbox=parse_bbox(bbox)
    )


SiteFiltersDep = Annotated[SiteFilters, Depends(site_filters)]


def download_response(download: Download) -> StreamingResponse:
    """An export as an attachment, streamed as it is written."""
    headers = {"Content-Disposition": f'attachment; filename="{download.filename}"'}
    if download.length is not None:
        headers["Content-Length"] = str(download.length)
    return StreamingResponse(download.body, media_type=download.media_type, headers=headers)


def _answer(
    ctx: ServiceContext, actor: Actor, dataset: str, format_: str, filters: Filters, geometry: Any
) -> StreamingResponse:
    request = ExportRequest(dataset, format_, filters, geometry)
    return download_response(prepare_download(ctx, actor=actor, request=request))


def _responses(format_: str, what: str) -> dict[int | str, dict[str, Any]]:
    media = FORMATS[format_].media_type
    described = f"The {what} released to you, as one {media} file"
    return {200: {"description": described, "content": {media: {"schema": body_schema(format_)}}}}


def _route(path: str, format_: str, what: str, summary: str) -> Callable[[Any], Any]:
    return router.get(
        f"{path}.{format_}",
        response_class=StreamingResponse,
        responses=_responses(format_, what),
        summary=summary,
        response_model=ExportCollection if format_ == "geojson" else None,
    )


def _add_routes(format_: str) -> None:
    """The routes of ``format_`` (a function, so each keeps its own format)."""

    @_route("/incidents", format_, "incidents", f"Incidents as {format_}")
    def incidents(
        ctx: ContextDep, actor: CurrentActor, filters: IncidentFiltersDep
    ) -> StreamingResponse:
        """The incidents released to you that match the incident list's filters."""
        return _answer(ctx, actor, "incidents", format_, filters, None)

    if format_ not in FORMATS_OF["sectors"]:
        return

    @_route("/sectors", format_, "sectors", f"Sectors as {format_}")
    def sectors(
        ctx: ContextDep,
        actor: CurrentActor,
        filters: SectorFiltersDep,
        geometry: GeometryQuery = None,
    ) -> StreamingResponse:
        """The sectors released to you that match the sector list's filters: a layer
        each for areas (polygon), defensive lines (line) and posts (point)."""
        return _answer(ctx, actor, "sectors", format_, filters, geometry)

    @_route("/protected-sites", format_, "protected sites", f"Protected sites as {format_}")
    def sites(
        ctx: ContextDep,
        actor: CurrentActor,
        filters: SiteFiltersDep,
        geometry: GeometryQuery = None,
    ) -> StreamingResponse:
        """The protected sites released to you that match the site list's filters: a
        layer each for points, areas (polygon) and movement routes (line)."""
        return _answer(ctx, actor, "protected_sites", format_, filters, geometry)


for _format in FORMATS:
    _add_routes(_format)
