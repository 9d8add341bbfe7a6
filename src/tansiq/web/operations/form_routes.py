"""Drafting a plan and amending one of the user's party's plans (a new version to sign)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import OperationStatusChoices, SectorStatusChoices
from tansiq.domain.errors import PermissionDenied
from tansiq.domain.operations import AMENDABLE_STATUSES
from tansiq.services.operations.commands import amend_operation, create_operation, get_operation
from tansiq.services.operations.policy import may_change_plan, may_plan
from tansiq.services.sectors.queries import SectorFilters, list_sectors
from tansiq.services.sectors.site_commands import list_sites
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.form_errors import expected_version, save_form
from tansiq.web.common.geo_forms import GeoForm
from tansiq.web.common.geo_labels import PLAN_KINDS, geo_labels_for
from tansiq.web.common.geo_views import collection, feature, party_centers
from tansiq.web.common.i18n import N_
from tansiq.web.common.labels import RELEASABILITY_CHOICES
from tansiq.web.operations.forms import (
    FIELD_LABELS,
    blank_plan_values,
    forces_field,
    parse_plan_form,
    plan_values,
)

router = APIRouter()
CONFLICT = N_("The plan changed while you edited it. Reload it and make your change again.")
MAX_CONTEXT = 1000


def _require_planner(page: Page) -> None:
    if not may_plan(page.actor):
        raise PermissionDenied("your role may not draft or change operation plans")


def _own(page: Page, operation_id: str) -> dict[str, Any]:
    """The plan if the user may amend it; raises NotFound or PermissionDenied."""
    _require_planner(page)
    plan = get_operation(page.ctx, actor=page.actor, operation_id=operation_id)
    if not may_change_plan(page.actor, plan):
        raise PermissionDenied("only the party that drafted the plan may change it")
    if plan["status"] not in AMENDABLE_STATUSES:
        raise PermissionDenied(f"a plan that is {plan['status']} can no longer be amended")
    return plan


def _context_map(page: Page) -> dict[str, Any]:
    """Active sectors and protected sites the user may see, drawn faintly under the drawing."""
    active = SectorStatusChoices.ACTIVE.value
    sectors = list_sectors(
        page.ctx, actor=page.actor, filters=SectorFilters(status=active), limit=MAX_CONTEXT
    )
    sites = list_sites(page.ctx, actor=page.actor, status=active, limit=MAX_CONTEXT)
    return collection(feature(r["geometry"]) for r in [*sectors.items, *sites.items])


def _render_form(
    page: Page,
    form: GeoForm,
    status_code: int = 200,
    *,
    plan: Mapping[str, Any] | None = None,
) -> Response:
    """The plan form (new, or amending ``plan``) with its messages."""
    labels = geo_labels_for(page.ctx, page.lang)
    field_labels = {
        **FIELD_LABELS,
        **{forces_field(p): FIELD_LABELS["forces"] for p in labels.parties},
    }
    chosen = set(form.values.get("participants", "").split(","))
    context = {
        **form.translated(page.gettext, field_labels),
        "plan": plan,
        "resigning": plan is not None and plan["status"] != OperationStatusChoices.DRAFT,
        "action": f"/operations/{plan['id']}/edit" if plan else "/operations/new",
        "cancel_url": f"/operations/{plan['id']}" if plan else "/operations",
        "kinds": PLAN_KINDS,
        "parties": list(labels.parties),
        "chosen": chosen,
        "forces_field": forces_field,
        "releasabilities": RELEASABILITY_CHOICES,
        "centers": party_centers(page.ctx, page.actor.party),
        "context_map": _context_map(page),
        "labels": labels,
        "tile_url": page.ctx.settings.tile_url,
        "nav": "operations",
    }
    return page.render("operations/form.html", context, status_code=status_code)


@router.get("/operations/new")
def new_plan_form(page: PageDep) -> Response:
    """An empty plan form; raises PermissionDenied for roles that may not plan."""
    _require_planner(page)
    values = blank_plan_values(
        now=page.ctx.clock(), tz=page.ctx.settings.display_timezone, party=page.actor.party
    )
    return _render_form(page, GeoForm(values=values))


@router.post("/operations/new")
def draft_plan(page: PageDep, form: CheckedFormDep) -> Response:
    """Draft the plan and show it; bad input → the form again with 422, nothing written."""
    _require_planner(page)
    labels = geo_labels_for(page.ctx, page.lang)
    parsed = parse_plan_form(form, tz=page.ctx.settings.display_timezone, parties=labels.parties)

    def save() -> str:
        plan = create_operation(page.ctx, actor=page.actor, data=parsed.data)
        return f"/operations/{plan['id']}"

    return save_form(page, parsed, partial(_render_form, page, parsed), save, flash="plan_saved")


@router.get("/operations/{operation_id}/edit")
def amend_plan_form(page: PageDep, operation_id: str) -> Response:
    """The form filled with the current version; 404 when hidden, 403 when not the owner."""
    plan = _own(page, operation_id)
    values = plan_values(plan, page.ctx.settings.display_timezone)
    return _render_form(page, GeoForm(values=values), plan=plan)


@router.post("/operations/{operation_id}/edit")
def amend_plan(page: PageDep, form: CheckedFormDep, operation_id: str) -> Response:
    """Save a new version (earlier signatures void); 422 bad input, 409 a concurrent change."""
    plan = _own(page, operation_id)
    labels = geo_labels_for(page.ctx, page.lang)
    parsed = parse_plan_form(
        form, tz=page.ctx.settings.display_timezone, parties=labels.parties, amending=True
    )
    parsed.values["kind"] = plan["kind"]

    def save() -> str:
        amend_operation(
            page.ctx,
            actor=page.actor,
            operation_id=operation_id,
            changes=parsed.data,
            expected_version=expected_version(form),
        )
        return f"/operations/{operation_id}"

    render = partial(_render_form, page, parsed, plan=plan)
    return save_form(page, parsed, render, save, flash="plan_saved", conflict=CONFLICT)
