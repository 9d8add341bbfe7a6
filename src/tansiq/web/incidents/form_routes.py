"""Filing a new incident and correcting one of the user's party's incidents."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import IncidentStatusChoices
from tansiq.domain.errors import PermissionDenied
from tansiq.domain.incidents import ALLOWED_TRANSITIONS, INITIAL_STATUSES
from tansiq.services.directory.commands import list_centers
from tansiq.services.incidents.commands import create_incident, get_incident, update_incident
from tansiq.services.incidents.policy import (
    may_correct_incident,
    may_file_incident,
    may_verify_incident,
)
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.form_errors import expected_version, save_form
from tansiq.web.common.i18n import N_
from tansiq.web.common.labels import (
    CREDIBILITIES,
    GEO_PRECISIONS,
    RELEASABILITY_CHOICES,
    SOURCE_RELIABILITIES,
    TIME_PRECISIONS,
    event_choices,
)
from tansiq.web.common.present import labels_for
from tansiq.web.incidents.forms import (
    FIELD_LABELS,
    IncidentForm,
    blank_values,
    form_values_of,
    parse_incident_form,
)

router = APIRouter()
CONFLICT = N_("The incident changed while you edited it. Reload it and make your change again.")


def _require_writer(page: Page) -> None:
    if not may_file_incident(page.actor):
        raise PermissionDenied("your role may not file or correct incident reports")


def _editable(page: Page, incident_id: str) -> dict[str, Any]:
    """The incident if the user may correct it; raises NotFound or PermissionDenied."""
    _require_writer(page)
    incident = get_incident(page.ctx, actor=page.actor, incident_id=incident_id)
    if not may_correct_incident(page.actor, incident):
        raise PermissionDenied("only the owner party may change its incident reports")
    if incident["status"] == IncidentStatusChoices.RETRACTED:
        raise PermissionDenied("a retracted incident cannot be changed")
    return incident


def _statuses(page: Page, current: str | None) -> list[str]:
    """The statuses the form offers: the current one and those the user may move to."""
    if current is None:
        return [s.value for s in IncidentStatusChoices if s in INITIAL_STATUSES]
    allowed = set(ALLOWED_TRANSITIONS[IncidentStatusChoices(current)])
    if not may_verify_incident(page.actor):
        allowed.discard(IncidentStatusChoices.VERIFIED)
    return [s.value for s in IncidentStatusChoices if s == current or s in allowed]


def _render_form(
    page: Page,
    form: IncidentForm,
    status_code: int = 200,
    *,
    incident: Mapping[str, Any] | None = None,
) -> Response:
    """The incident form (new, or correcting ``incident``) with its messages."""
    party = page.actor.party
    context = {
        **form.translated(page.gettext, FIELD_LABELS),
        "incident": incident,
        "action": f"/incidents/{incident['id']}/edit" if incident else "/incidents/new",
        "cancel_url": f"/incidents/{incident['id']}" if incident else "/incidents",
        "statuses": _statuses(page, incident["status"] if incident else None),
        "centers": [c for c in list_centers(page.ctx) if party in c["member_parties"]],
        "taxonomy": event_choices(),
        "time_precisions": TIME_PRECISIONS,
        "geo_precisions": GEO_PRECISIONS,
        "source_reliabilities": SOURCE_RELIABILITIES,
        "credibilities": CREDIBILITIES,
        "releasabilities": RELEASABILITY_CHOICES,
        "labels": labels_for(page.ctx, page.lang),
        "tile_url": page.ctx.settings.tile_url,
        "nav": "" if incident else "new",
    }
    return page.render("incidents/form.html", context, status_code=status_code)


@router.get("/incidents/new")
def new_incident_form(page: PageDep) -> Response:
    """An empty incident form, the time set to now; raises PermissionDenied for readers."""
    _require_writer(page)
    values = blank_values(now=page.ctx.clock(), tz=page.ctx.settings.display_timezone)
    return _render_form(page, IncidentForm(values=values))


@router.post("/incidents/new")
def file_incident(page: PageDep, form: CheckedFormDep) -> Response:
    """File the incident and show it; on bad input show the form again with 422."""
    _require_writer(page)
    parsed = parse_incident_form(form, tz=page.ctx.settings.display_timezone)

    def save() -> str:
        incident = create_incident(page.ctx, actor=page.actor, data=parsed.data)
        return f"/incidents/{incident['id']}"

    return save_form(page, parsed, partial(_render_form, page, parsed), save, flash="saved")


@router.get("/incidents/{incident_id}/edit")
def edit_incident_form(page: PageDep, incident_id: str) -> Response:
    """The form filled with the current version; 404 when hidden, 403 when not the owner."""
    incident = _editable(page, incident_id)
    values = form_values_of(incident, page.ctx.settings.display_timezone)
    return _render_form(page, IncidentForm(values=values), incident=incident)


@router.post("/incidents/{incident_id}/edit")
def correct_incident(page: PageDep, form: CheckedFormDep, incident_id: str) -> Response:
    """Save a new version; bad input → 422, a concurrent change → 409, both with the form."""
    incident = _editable(page, incident_id)
    parsed = parse_incident_form(form, tz=page.ctx.settings.display_timezone)

    def save() -> str:
        update_incident(
            page.ctx,
            actor=page.actor,
            incident_id=incident_id,
            changes=parsed.data,
            expected_version=expected_version(form),
        )
        return f"/incidents/{incident_id}"

    render = partial(_render_form, page, parsed, incident=incident)
    return save_form(page, parsed, render, save, flash="saved", conflict=CONFLICT)
