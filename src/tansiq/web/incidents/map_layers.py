"""The common operating picture's other layers: towns, sectors, sites, gaps, notices, plans.

``/map/towns.geojson`` is the gazetteer's populated places with their name in the
page's language (shipped data, the same for everyone). ``/map/layers/<layer>.geojson``
answers one layer of :func:`tansiq.services.sectors.picture.picture_layer` for the
period of the map's filter bar, with labels, colours and links in the page's language.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

import orjson
from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from tansiq.domain.errors import ValidationFailed
from tansiq.geo.boundaries import admin_units
from tansiq.geo.gazetteer import Place, fold, places
from tansiq.services.sectors.picture import LAYERS, picture_layer
from tansiq.web.common import i18n
from tansiq.web.common.coordination_labels import NOTICE_KINDS
from tansiq.web.common.deps import ContextDep, JsonSessionDep, LanguageDep
from tansiq.web.common.geo_labels import GeoLabels, geo_labels_for
from tansiq.web.common.geo_views import party_centers
from tansiq.web.common.i18n import N_
from tansiq.web.common.present import parse_utc
from tansiq.web.incidents.filters import FILTER_LABELS, parse_filters

router = APIRouter()
GEOJSON = "application/geo+json"
# Where each layer's record is shown; sites have no page of their own, only the list.
_HREFS = {
    "sectors": "/sectors/{id}",
    "sites": "/protected-sites",
    "notices": "/notices/{id}",
    "operations": "/operations/{id}",
}
LAYER_NAMES = {
    "sectors": N_("Sectors by party"),
    "sites": N_("Protected sites"),
    "gaps": N_("Coverage gaps"),
    "notices": N_("Active notices"),
    "operations": N_("Operations"),
}
UNKNOWN_LAYER = N_("This map layer does not exist.")


def _json(body: Any, *, status_code: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type=GEOJSON)


def town_name(place: Place, lang: str) -> str:
    """The place's name in ``lang``: Kurdish falls back to the Arabic script, then English."""
    if lang == "ar":
        return place.name_ar or place.name
    if lang == "ckb":
        return place.name_ckb or place.name_ar or place.name
    return place.name


@cache
def _seat_names() -> frozenset[str]:
    """OCHA governorate and district names (Arabic, folded): the towns that seat them."""
    return frozenset(fold(unit.name_ar) for level in (1, 2) for unit in admin_units(level))


def rank(place: Place) -> int:
    """How much room a town's name gets: its population, ten times over for a seat.

    GeoNames counts some city quarters ("Al Mawşil al Jadīdah", New Mosul) as bigger
    than the city itself; a governorate or district seat goes first so the map writes
    "Mosul", not the quarter, when there is room for one name only.
    """
    seat = bool(place.name_ar) and fold(place.name_ar or "") in _seat_names()
    return place.population * (10 if seat else 1)


@cache
def towns_geojson(lang: str) -> bytes:
    """The gazetteer's populated places (GeoNames, population > 0), by ``rank``."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": {
                "name": town_name(place, lang),
                "name_en": place.name,
                "population": place.population,
                "rank": rank(place),
                "admin1": place.admin1,
            },
        }
        for place in sorted(places(), key=rank, reverse=True)
        if place.population > 0
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features})


@router.get("/map/towns.geojson")
def towns(_session: JsonSessionDep, lang: LanguageDep) -> Response:
    """Towns with their names in the page's language (shipped data, cached a day)."""
    response = Response(towns_geojson(lang), media_type=GEOJSON)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


def period(since: datetime | None, until: datetime | None, now: datetime) -> tuple[datetime, ...]:
    """The layers' period (from, to, gaps instant) for the filter bar's since/until.

    No dates: this instant. ``until`` is the exclusive midnight after the last day, so
    gaps are computed at midday of that day.
    """
    at_until = until or max(now, since or now)
    at_from = since or at_until
    gaps_at = until - timedelta(hours=12) if until else at_until
    return at_from, at_until, max(at_from, gaps_at)


def _text(props: dict[str, Any], layer: str, labels: GeoLabels) -> tuple[str, str]:
    """The kind and status of a layer's feature, in the page's language."""
    kind, status = props.get("kind") or "", props.get("status") or ""
    if layer == "sectors":
        return labels.sector_kind(kind), labels.record_status(status)
    if layer == "sites":
        return labels.site_kind(kind), labels.record_status(status)
    if layer == "notices":
        return labels._pick(NOTICE_KINDS, kind), ""
    if layer == "operations":
        return labels.plan_kind(kind), labels.plan_status(status)
    return labels.layer("gap"), ""


def area_name(collection: dict[str, Any], labels: GeoLabels) -> str:
    """The name of the area the gaps were computed for, in the page's language."""
    area = collection.get("area") or {}
    if area.get("kind") == "center":
        found = [cid for cid, c in labels.centers.items() if c.get("code") == area.get("code")]
        return labels.center(found[0]) if found else str(area.get("name") or "")
    return labels.admin1(area.get("name"))


def _label_layer(collection: dict[str, Any], layer: str, labels: GeoLabels, tz: str) -> None:
    for feature in collection["features"]:
        props = feature["properties"]
        kind, status = _text(props, layer, labels)
        props["kind_label"], props["status_label"] = kind, status
        if props.get("party"):
            props["party_label"] = labels.party(props["party"])
            props["colour"] = labels.colour(props["party"])
        if layer == "sites":
            props["name"] = props.get(f"name_{labels.lang}") or props["name"]
        if layer == "gaps":
            props["name"] = area_name(collection, labels)
        for name in ("valid_from", "valid_until", "starts_at", "ends_at"):
            if props.get(name):
                moment = parse_utc(props[name])
                props[f"{name}_label"] = i18n.format_datetime_local(moment, labels.lang, tz)
        if layer in _HREFS:
            props["href"] = _HREFS[layer].format(id=props["id"])


@router.get("/map/layers/{layer}.geojson")
def layer_features(
    request: Request, ctx: ContextDep, session: JsonSessionDep, lang: LanguageDep, layer: str
) -> Response:
    """One layer of the picture for the filter bar's period; bad filters → 422, unknown → 404."""
    translate = i18n.translations(lang).gettext
    if layer not in LAYERS:
        return _json(
            {"errors": [{"field": "layer", "message": translate(UNKNOWN_LAYER)}]}, status_code=404
        )
    labels = geo_labels_for(ctx, lang)
    tz = ctx.settings.display_timezone
    form = parse_filters(request.query_params, tz=tz, parties=labels.parties)
    if form.errors:
        errors = [
            {"field": name, "label": translate(FILTER_LABELS[name]), "message": translate(msg)}
            for name, msg in form.errors.items()
        ]
        return _json({"errors": errors}, status_code=422)
    at_from, at_until, gaps_at = period(form.filters.since, form.filters.until, ctx.clock())
    own = party_centers(ctx, session.actor.party)
    area = form.filters.admin1 or (own[0]["code"] if own else "Kirkuk")
    try:
        collection = picture_layer(
            ctx,
            actor=session.actor,
            layer=layer,
            at_from=at_from,
            at_until=gaps_at if layer == "gaps" else at_until,
            area=area,
        )
    except ValidationFailed as exc:
        errors = [{"field": e.field, "label": e.field, "message": e.message} for e in exc.errors]
        return _json({"errors": errors}, status_code=422)
    _label_layer(collection, layer, labels, tz)
    if layer == "gaps":
        collection["area"] = area_name(collection, labels)
    return _json(collection)
