"""The incident log (filters, pages) and the incident detail page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import EVENT_TAXONOMY, IncidentStatusChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.geo.boundaries import governorate_names
from tansiq.services.accounts.commands import user_labels
from tansiq.services.incidents.commands import get_incident, incident_history
from tansiq.services.incidents.dispute_queries import open_dispute_ids, shows_disputed
from tansiq.services.incidents.policy import may_correct_incident
from tansiq.services.incidents.queries import list_incidents
from tansiq.web.common.deps import Page, PageDep
from tansiq.web.common.downloads import download_links
from tansiq.web.common.forms import ParsedForm
from tansiq.web.common.geo_labels import geo_labels_for
from tansiq.web.common.geo_views import collection, feature
from tansiq.web.common.labels import Labels
from tansiq.web.common.present import history_view, incident_view, labels_for
from tansiq.web.common.surroundings import surroundings
from tansiq.web.incidents.assessment_views import assessment_context
from tansiq.web.incidents.filters import BAD_CURSOR, FILTER_LABELS, FilterForm, parse_filters

router = APIRouter()
PAGE_SIZE = 50


def filter_context(page: Page, form: FilterForm, labels: Labels) -> dict[str, object]:
    """What the filter bar template needs: values, choices and translated errors."""
    errors = [
        (name, page.gettext(FILTER_LABELS[name]), page.gettext(message))
        for name, message in form.errors.items()
    ]
    return {
        "filter": form.values,
        "filter_errors": errors,
        "filter_error_fields": set(form.errors),
        "governorates": governorate_names(),
        "event_types": list(EVENT_TAXONOMY),
        "parties": list(labels.parties),
        "statuses": [s.value for s in IncidentStatusChoices],
        "labels": labels,
    }


@router.get("/incidents")
def incident_log(page: PageDep) -> Response:
    """The incidents the user may see, newest first, with a filter bar; bad filters → 422."""
    params = page.request.query_params
    labels = labels_for(page.ctx, page.lang)
    form = parse_filters(params, tz=page.ctx.settings.display_timezone, parties=labels.parties)
    cursor = params.get("cursor") or None
    items: list[dict[str, object]] = []
    next_url = ""
    if not form.errors:
        try:
            result = list_incidents(
                page.ctx, actor=page.actor, filters=form.filters, cursor=cursor, limit=PAGE_SIZE
            )
        except ValidationFailed:
            form.errors["cursor"] = BAD_CURSOR
        else:
            open_ids = open_dispute_ids(page.ctx, actor=page.actor)
            items = [
                {**incident_view(item), "disputed": shows_disputed(item, open_ids)}
                for item in result.items
            ]
            if result.next_cursor:
                next_url = "/incidents?" + form.query(cursor=result.next_cursor)
    context = {
        **filter_context(page, form, labels),
        "items": items,
        "next_page_url": next_url,
        "first_page_url": "/incidents?" + form.query() if cursor else "",
        "downloads": download_links(page.gettext, "incidents", form.values),
        "nav": "incidents",
    }
    return page.render("incidents/list.html", context, status_code=422 if form.errors else 200)


@router.get("/incidents/{incident_id}")
def incident_detail(page: PageDep, incident_id: str) -> Response:
    """One incident and its version history; unknown or hidden → the same 404 page."""
    return render_incident(page, incident_id)


def incident_map(page: Page, incident: Mapping[str, Any], labels: Labels) -> dict[str, Any]:
    """The incident's point and what surrounded it when it happened (see surroundings)."""
    own = feature(
        incident["location"],
        layer="incident",
        id=incident["id"],
        party=incident["party"],
        label=labels.event(incident["sub_event_type"]),
        detail=incident["place_name"] or None,
    )
    nearby = surroundings(
        page, incident["location"], at=incident["occurred"], skip={incident["id"]}
    )
    return collection([*nearby, own])


def render_incident(
    page: Page, incident_id: str, status_code: int = 200, *, assessment: ParsedForm | None = None
) -> Response:
    """The incident page, with the assessment form (and its errors) when given."""
    actor = page.actor
    labels = geo_labels_for(page.ctx, page.lang)  # with the map's party colours
    incident = incident_view(get_incident(page.ctx, actor=actor, incident_id=incident_id))
    history = incident_history(page.ctx, actor=actor, incident_id=incident_id)
    can_edit = (
        may_correct_incident(actor, incident)
        and incident["status"] != IncidentStatusChoices.RETRACTED
    )
    names = user_labels(
        page.ctx, actor=actor, user_ids=[incident["created_by"], *(e["actor"] for e in history)]
    )
    context = {
        "incident": incident,
        "names": names,
        "history": [history_view(entry) for entry in history],
        "labels": labels,
        "can_edit": can_edit,
        "map_data": incident_map(page, incident, labels),
        "tile_url": page.ctx.settings.tile_url,
        **assessment_context(page, incident, assessment),
    }
    return page.render("incidents/detail.html", context, status_code=status_code)
