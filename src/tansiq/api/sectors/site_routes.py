"""Routes: declare, change, read, list and bulk-import protected sites."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Request
from starlette.concurrency import run_in_threadpool

from tansiq.api.deps import (
    BBoxQuery,
    ContextDep,
    CurrentActor,
    IfMatch,
    PartyQuery,
    fields_of,
    parse_bbox,
    value_of,
)
from tansiq.api.pages import FeaturePage, GeoJSONPageDep, PageDep, page_answer
from tansiq.api.received import written, written_items
from tansiq.api.responses import GeoJSONBytes, JSONBytes, created, not_found
from tansiq.api.sectors.schemas import FeatureCollectionIn
from tansiq.api.sectors.site_schemas import (
    SiteCreate,
    SiteDetail,
    SiteImportResult,
    SiteList,
    SitePublic,
    SiteUpdate,
)
from tansiq.domain.choices import ProtectedSiteKindChoices, SectorStatusChoices
from tansiq.domain.errors import FieldError, TansiqError
from tansiq.services.sectors.imports import csv_items, features_of
from tansiq.services.sectors.site_commands import (
    create_site,
    create_sites,
    get_site,
    import_sites,
    list_sites,
    site_history,
    sites_geojson,
    update_site,
)

router = APIRouter(prefix="/protected-sites", tags=["protected sites"])

NOT_FOUND = not_found("protected site")
CSV_TYPES = ("text/csv",)
JSON_TYPES = ("application/json", "application/geo+json")
_COLLECTION = FeatureCollectionIn.model_json_schema()
_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/geo+json": {"schema": _COLLECTION},
            "application/json": {"schema": _COLLECTION},
            "text/csv": {
                "schema": {"type": "string"},
                "example": "kind,name,lon,lat\nschool,Al-Noor primary school,44.39,35.47\n",
            },
        },
    }
}


class UnsupportedMediaType(TansiqError):
    """The body is neither GeoJSON nor CSV."""

    status = 415
    title = "Unsupported media type"


class MalformedBody(TansiqError):
    """The body cannot be decoded at all."""

    status = 400
    title = "Malformed request"


def _import(ctx: ContextDep, actor: CurrentActor, media: str, raw: bytes) -> list[dict[str, Any]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBody(
            "The body is not UTF-8", [FieldError("body", "must be UTF-8")]
        ) from None
    if media in CSV_TYPES:
        items, prefixes = csv_items(text)
        return create_sites(ctx, actor=actor, items=items, field_names=prefixes)
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise MalformedBody(
            "The body is not valid JSON", [FieldError("body", "is not valid JSON")]
        ) from None
    return import_sites(ctx, actor=actor, features=features_of(document))


@router.post("", status_code=201, response_model=SitePublic, response_class=JSONBytes)
def create(ctx: ContextDep, actor: CurrentActor, body: SiteCreate) -> JSONBytes:
    """Declare a protected site (shared with every party unless you say otherwise)."""
    return created(written(create_site(ctx, actor=actor, data=fields_of(body))))


@router.post(
    "/import",
    status_code=201,
    response_model=SiteImportResult,
    response_class=JSONBytes,
    responses={415: {"description": "The body is neither GeoJSON nor CSV"}},
    openapi_extra=_IMPORT_BODY,
)
async def import_(
    request: Request,
    ctx: ContextDep,
    actor: CurrentActor,
    content_type: Annotated[str, Header()] = "",
) -> JSONBytes:
    """Declare many sites at once, all or nothing: a GeoJSON FeatureCollection (each
    feature's properties are the site fields) or CSV with columns kind,name,lon,lat
    and any other site field (or a ``geometry`` column holding GeoJSON)."""
    media = content_type.split(";")[0].strip().lower()
    if media not in CSV_TYPES + JSON_TYPES:
        message = f"must be one of {', '.join(JSON_TYPES + CSV_TYPES)}"
        raise UnsupportedMediaType(f"Content-Type {message}", [FieldError("Content-Type", message)])
    raw = await request.body()
    items = await run_in_threadpool(_import, ctx, actor, media, raw)
    return created(written_items(items))


@router.get("", response_model=SiteList, response_class=JSONBytes)
def list_(
    ctx: ContextDep,
    actor: CurrentActor,
    *,
    kind: ProtectedSiteKindChoices | None = None,
    party: PartyQuery = None,
    status: SectorStatusChoices | None = None,
    bbox: BBoxQuery = None,
    page: PageDep,
) -> JSONBytes:
    """Protected sites released to you, newest first, one page at a time."""
    answer = list_sites(
        ctx,
        actor=actor,
        kind=value_of(kind),
        party=party,
        status=value_of(status),
        bbox=parse_bbox(bbox),
        cursor=page.cursor,
        limit=page.limit,
    )
    return page_answer(answer)


@router.get(".geojson", response_model=FeaturePage, response_class=GeoJSONBytes)
def geojson(
    ctx: ContextDep,
    actor: CurrentActor,
    *,
    kind: ProtectedSiteKindChoices | None = None,
    bbox: BBoxQuery = None,
    page: GeoJSONPageDep,
) -> GeoJSONBytes:
    """Protected sites released to you as a GeoJSON FeatureCollection (RFC 7946)."""
    collection = sites_geojson(
        ctx,
        actor=actor,
        kind=value_of(kind),
        bbox=parse_bbox(bbox),
        cursor=page.cursor,
        limit=page.limit,
    )
    return GeoJSONBytes(collection)


@router.get("/{site_id}", response_model=SiteDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, site_id: str) -> JSONBytes:
    """One protected site with its version history."""
    site = get_site(ctx, actor=actor, site_id=site_id)
    site["history"] = site_history(ctx, actor=actor, site_id=site_id)
    return JSONBytes(site)


@router.patch("/{site_id}", response_model=SitePublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    site_id: str,
    body: SiteUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Change a protected site of your party (``status: withdrawn`` withdraws it)."""
    changes = fields_of(body)
    reason = changes.pop("reason", None)  # a withdrawal's, journaled apart from the fields
    updated = update_site(
        ctx,
        actor=actor,
        site_id=site_id,
        changes=changes,
        expected_version=if_match,
        reason=reason,
    )
    return JSONBytes(written(updated))
