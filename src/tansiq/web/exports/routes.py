"""Downloads for the logged-in user: /exports/{incidents,sectors,protected-sites}.{format}.

Each takes the filters of the page its menu is on (the incident log's and the map's
filter bar, the sector list's, the protected sites' active list), so the file holds
what the page shows, every page of it. Filters the page would refuse send the user
back to that page, which names them; an unknown format is a 404 page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException
from starlette.responses import Response, StreamingResponse

from tansiq.domain.choices import SectorStatusChoices
from tansiq.ingest.export.produce import prepare_download
from tansiq.ingest.export.request import FORMATS_OF, ExportRequest, Filters, SiteFilters
from tansiq.web.common.deps import Page, PageDep
from tansiq.web.common.geo_labels import geo_labels_for
from tansiq.web.common.present import labels_for
from tansiq.web.incidents.filters import parse_filters
from tansiq.web.sectors.routes import sector_filter_values, sector_filters

router = APIRouter()


def _download(page: Page, dataset: str, format_: str, filters: Filters) -> Response:
    if format_ not in FORMATS_OF[dataset]:
        raise HTTPException(status_code=404)
    geometry = page.request.query_params.get("geometry") or None
    request = ExportRequest(dataset, format_, filters, geometry)
    download = prepare_download(page.ctx, actor=page.actor, request=request)
    headers = {"Content-Disposition": f'attachment; filename="{download.filename}"'}
    if download.length is not None:
        headers["Content-Length"] = str(download.length)
    return StreamingResponse(download.body, media_type=download.media_type, headers=headers)


@router.get("/exports/incidents.{format_}")
def incidents(page: PageDep, format_: str) -> Response:
    """The incidents the user may see that match the log's filter bar."""
    labels = labels_for(page.ctx, page.lang)
    params = page.request.query_params
    form = parse_filters(params, tz=page.ctx.settings.display_timezone, parties=labels.parties)
    if form.errors:
        return page.redirect("/incidents?" + form.query())
    return _download(page, "incidents", format_, form.filters)


@router.get("/exports/sectors.{format_}")
def sectors(page: PageDep, format_: str) -> Response:
    """The sectors the user may see that match the sector list's filters."""
    values, errors = sector_filter_values(page, geo_labels_for(page.ctx, page.lang).parties)
    if errors:
        return page.redirect("/sectors?" + urlencode(values))
    return _download(page, "sectors", format_, sector_filters(values))


@router.get("/exports/protected-sites.{format_}")
def sites(page: PageDep, format_: str) -> Response:
    """The active protected sites the user may see, as the protected-sites page lists them."""
    filters = SiteFilters(status=SectorStatusChoices.ACTIVE.value)
    return _download(page, "protected_sites", format_, filters)
