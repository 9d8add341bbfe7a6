"""The incident map, the GeoJSON it loads, and the place search of the incident form."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tansiq.domain.choices import EVENT_TAXONOMY
from tansiq.domain.errors import ValidationFailed
from tansiq.geo.boundaries import boundaries_geojson
from tansiq.geo.gazetteer import search
from tansiq.services.incidents.queries import incidents_geojson
from tansiq.web.common import i18n
from tansiq.web.common.deps import ContextDep, JsonSessionDep, LanguageDep, PageDep
from tansiq.web.common.downloads import download_links
from tansiq.web.common.geo_labels import GeoLabels, geo_labels_for
from tansiq.web.common.i18n import N_
from tansiq.web.common.labels import Labels
from tansiq.web.common.present import labels_for, parse_utc
from tansiq.web.common.received import with_received_text
from tansiq.web.incidents.filters import FILTER_LABELS, parse_filters
from tansiq.web.incidents.map_layers import LAYER_NAMES
from tansiq.web.incidents.routes import filter_context

router = APIRouter()
GEOJSON = "application/geo+json"
MAX_QUERY = 100
PLACE_RESULTS = 8
# Popup, legend, layer and list words for static/map*.js, translated per page.
MAP_LABELS = {
    "event_type": N_("Event type"),
    "occurred_at": N_("Occurred at"),
    "place": N_("Place"),
    "details": N_("Details"),
    "party": N_("Party"),
    "status": N_("Status"),
    "time_precision": N_("Time precision"),
    "geo_precision": N_("Geo precision"),
    "kind": N_("Kind"),
    "name": N_("Name"),
    "when": N_("When"),
    "layer": N_("Layer"),
    "layers": N_("Layers"),
    "legend": N_("Legend"),
    "incidents": N_("Incidents"),
    "boundaries": N_("Governorates and districts"),
    "towns": N_("Towns"),
    "event_shapes": N_("Event type (shape)"),
    "party_outlines": N_("Party (outline colour)"),
    "disputed": N_("Disputed: dashed outline"),
    "retracted": N_("Retracted: faded and struck through"),
    "cluster": N_("A group of {count} incidents; press Enter to zoom in"),
    "list": N_("What the map shows, as a list"),
    "empty": N_("Nothing on the selected layers."),
    "in_force": N_("In force"),
    "gap_area": N_("Coverage gaps are computed for: {area}"),
    **LAYER_NAMES,
}


def _json(body: Any, *, status_code: int = 200, media_type: str = "application/json") -> Response:
    return Response(orjson.dumps(body), status_code=status_code, media_type=media_type)


@router.get("/map")
def map_page(page: PageDep) -> Response:
    """The map of the incidents the user may see, filtered like the log."""
    labels = labels_for(page.ctx, page.lang)
    geo = geo_labels_for(page.ctx, page.lang)
    form = parse_filters(
        page.request.query_params, tz=page.ctx.settings.display_timezone, parties=labels.parties
    )
    context = {
        **filter_context(page, form, labels),
        "incidents_url": "/map/incidents.geojson?" + form.query(),
        "boundaries_url": "/map/boundaries/1.geojson",
        "districts_url": "/map/boundaries/2.geojson",
        "towns_url": "/map/towns.geojson",
        "layers_url": "/map/layers/{layer}.geojson?" + form.query(),
        "layer_choices": [
            (name, page.gettext(MAP_LABELS[name])) for name in ("incidents", "boundaries", "towns")
        ]
        + [(name, page.gettext(text)) for name, text in LAYER_NAMES.items()],
        # Gaps cost an overlay of the whole area: drawn when asked for, not by default.
        "layers_on": (
            "incidents",
            "boundaries",
            "towns",
            "sectors",
            "sites",
            "notices",
            "operations",
        ),
        "legend_event_types": [(name, labels.event(name)) for name in EVENT_TAXONOMY],
        "party_colours": [(labels.party(party), colour) for party, colour in geo.colours().items()],
        "tile_url": page.ctx.settings.tile_url,
        "map_labels": {key: page.gettext(text) for key, text in MAP_LABELS.items()},
        "downloads": download_links(page.gettext, "incidents", form.values),
        "nav": "map",
    }
    return page.render("map.html", context, status_code=422 if form.errors else 200)


@router.get("/map/boundaries/{level:int}.geojson")
def boundaries(_session: JsonSessionDep, level: int) -> Response:
    """Governorates (1) or districts (2) as GeoJSON; other levels are 404."""
    if level not in (1, 2):
        raise HTTPException(status_code=404)
    response = Response(boundaries_geojson(level), media_type=GEOJSON)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


def _label_features(collection: dict[str, Any], labels: GeoLabels, tz: str) -> None:
    with_received_text(collection["features"], labels.lang, tz)
    for feature in collection["features"]:
        props = feature["properties"]
        props["event_type_label"] = labels.event(props["event_type"])
        props["party_label"] = labels.party(props["party"])
        props["colour"] = labels.colour(props["party"])
        # An open dispute outranks the stored status (submitted/verified) on the map.
        shown = "disputed" if props.get("disputed") is True else props["status"]
        props["status_label"] = labels.status(shown)
        if "time_precision" in props:
            props["time_precision_label"] = labels.time_precision(props["time_precision"])
            props["geo_precision_label"] = labels.geo_precision(props["geo_precision"])
        props["occurred_at_label"] = i18n.format_datetime_local(
            parse_utc(props["occurred_at"]), labels.lang, tz
        )


@router.get("/map/incidents.geojson")
def incident_points(
    request: Request, ctx: ContextDep, session: JsonSessionDep, lang: LanguageDep
) -> Response:
    """The incidents the user may see as GeoJSON (same filters as the log); bad ones → 422."""
    labels = geo_labels_for(ctx, lang)
    tz = ctx.settings.display_timezone
    form = parse_filters(request.query_params, tz=tz, parties=labels.parties)
    translate = i18n.translations(lang).gettext
    if form.errors:
        errors = [
            {"field": name, "label": translate(FILTER_LABELS[name]), "message": translate(msg)}
            for name, msg in form.errors.items()
        ]
        return _json({"errors": errors}, status_code=422)
    try:
        collection = incidents_geojson(
            ctx,
            actor=session.actor,
            filters=form.filters,
            cursor=request.query_params.get("cursor"),
        )
    except ValidationFailed as exc:
        errors = [{"field": e.field, "label": e.field, "message": e.message} for e in exc.errors]
        return _json({"errors": errors}, status_code=422)
    _label_features(collection, labels, tz)
    return _json(collection, media_type=GEOJSON)


@router.get("/places")
def places(_session: JsonSessionDep, lang: LanguageDep, q: str = "") -> Response:
    """Gazetteer matches for the form's place search, names in the page's language."""
    query = q.strip()[:MAX_QUERY]
    labels = Labels(lang=lang)
    separator = "، " if lang in i18n.RTL else ", "
    results = []
    for place in search(query, limit=PLACE_RESULTS) if query else []:
        local = {"ar": place.name_ar, "ckb": place.name_ckb}.get(lang)
        area = [labels.admin2(place.admin2), labels.admin1(place.admin1)]
        results.append(
            {
                "name": local or place.name,
                "name_en": place.name,
                "area": separator.join(a for a in area if a),
                "lat": place.lat,
                "lon": place.lon,
                "admin1": place.admin1,
                "admin2": place.admin2,
            }
        )
    return _json(results)
