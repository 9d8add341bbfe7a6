"""Sectors: the list and map, one sector, declaring, changing and withdrawing one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import SectorKindChoices, SectorStatusChoices
from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.domain.sectors import WIDTH_FIELD
from tansiq.services.accounts.commands import user_labels
from tansiq.services.sectors.commands import (
    create_sector,
    get_sector,
    update_sector,
    withdraw_sector,
)
from tansiq.services.sectors.policy import may_change_sector, may_declare_sector
from tansiq.services.sectors.queries import SectorFilters, list_sectors
from tansiq.web.common.confirm import FinalStep, confirm_page, take_final_step
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.downloads import download_links
from tansiq.web.common.form_errors import expected_version, save_form
from tansiq.web.common.geo_forms import GeoForm
from tansiq.web.common.geo_labels import SECTOR_KINDS, geo_labels_for
from tansiq.web.common.geo_views import collection, party_centers, sector_feature
from tansiq.web.common.i18n import N_
from tansiq.web.common.labels import RELEASABILITY_CHOICES
from tansiq.web.common.present import parse_utc
from tansiq.web.common.surroundings import surroundings
from tansiq.web.sectors.forms import (
    FIELD_LABELS,
    blank_sector_values,
    parse_sector_form,
    sector_values,
)

router = APIRouter()
PAGE_SIZE = 200
BAD_CHOICE = N_("Choose one of the listed options.")
BAD_PAGE = N_("This page link is not valid; start again from the first page.")
CONFLICT = N_("The sector changed while you edited it. Reload it and make your change again.")
WITHDRAW = N_("Withdraw the sector")
STATUS_FILTERS = ("active", "withdrawn", "any")


def sector_filter_values(
    page: Page, parties: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """The sector list's filter values (status ``active`` by default) and their errors."""
    params = page.request.query_params
    values = {name: (params.get(name) or "").strip() for name in ("party", "kind", "status")}
    values["status"] = values["status"] or "active"
    allowed = {"party": parties, "kind": SECTOR_KINDS, "status": STATUS_FILTERS}
    errors = {
        name: page.gettext(BAD_CHOICE)
        for name, value in values.items()
        if value and value not in allowed[name]
    }
    return values, errors


def sector_filters(values: Mapping[str, str]) -> SectorFilters:
    """What checked filter values mean (status ``any`` is no status filter)."""
    return SectorFilters(
        party=values["party"] or None,
        kind=values["kind"] or None,
        status=None if values["status"] == "any" else values["status"],
    )


@router.get("/sectors")
def sector_list(page: PageDep) -> Response:
    """Sectors the user may see, as a table and on the map; bad filters → 422."""
    labels = geo_labels_for(page.ctx, page.lang)
    values, errors = sector_filter_values(page, labels.parties)
    cursor = page.request.query_params.get("cursor") or None
    items: list[dict[str, Any]] = []
    next_cursor = None
    if not errors:
        try:
            found = list_sectors(
                page.ctx,
                actor=page.actor,
                filters=sector_filters(values),
                cursor=cursor,
                limit=PAGE_SIZE,
            )
        except ValidationFailed:
            errors["cursor"] = page.gettext(BAD_PAGE)
        else:
            items, next_cursor = found.items, found.next_cursor
    params = {k: v for k, v in values.items() if v}
    context = {
        "items": [
            {**s, "from": parse_utc(s["valid_from"]), "until": parse_utc(s["valid_until"])}
            for s in items
        ],
        "map_data": collection(sector_feature(s, labels, page) for s in items),
        "filter": values,
        "filter_errors": errors,
        "kinds": SECTOR_KINDS,
        "statuses": STATUS_FILTERS,
        "labels": labels,
        "tile_url": page.ctx.settings.tile_url,
        "can_declare": may_declare_sector(page.actor),
        "downloads": download_links(page.gettext, "sectors", values),
        "next_page_url": "/sectors?" + urlencode({**params, "cursor": next_cursor})
        if next_cursor
        else "",
        "nav": "sectors",
    }
    return page.render("sectors/list.html", context, status_code=422 if errors else 200)


def _render_form(
    page: Page,
    form: GeoForm,
    status_code: int = 200,
    *,
    sector: Mapping[str, Any] | None = None,
) -> Response:
    """The sector form (new, or changing ``sector``) with its messages."""
    labels = geo_labels_for(page.ctx, page.lang)
    context = {
        **form.translated(page.gettext, FIELD_LABELS),
        "sector": sector,
        "action": f"/sectors/{sector['id']}/edit" if sector else "/sectors/new",
        "cancel_url": f"/sectors/{sector['id']}" if sector else "/sectors",
        "kinds": SECTOR_KINDS,
        "kind_types": {
            SectorKindChoices.AOR: "Polygon",
            SectorKindChoices.DEFENSIVE_LINE: "LineString",
            SectorKindChoices.CHECKPOINT: "Point",
            SectorKindChoices.BASE: "Point",
        },
        "releasabilities": RELEASABILITY_CHOICES,
        "centers": party_centers(page.ctx, page.actor.party),
        "labels": labels,
        "tile_url": page.ctx.settings.tile_url,
        "nav": "sectors",
    }
    return page.render("sectors/form.html", context, status_code=status_code)


def _require_declarer(page: Page) -> None:
    if not may_declare_sector(page.actor):
        raise PermissionDenied("your role may not declare or change sectors")


def _own(page: Page, sector_id: str) -> dict[str, Any]:
    """The sector if the user may change it; raises NotFound or PermissionDenied."""
    _require_declarer(page)
    sector = get_sector(page.ctx, actor=page.actor, sector_id=sector_id)
    if not may_change_sector(page.actor, sector):
        raise PermissionDenied("only the owner party may change its sectors")
    if sector["status"] == SectorStatusChoices.WITHDRAWN:
        raise PermissionDenied("a withdrawn sector cannot be changed")
    return sector


@router.get("/sectors/new")
def new_sector_form(page: PageDep) -> Response:
    """An empty sector form; raises PermissionDenied for roles that may not declare."""
    _require_declarer(page)
    values = blank_sector_values(now=page.ctx.clock(), tz=page.ctx.settings.display_timezone)
    return _render_form(page, GeoForm(values=values))


@router.post("/sectors/new")
def declare_sector(page: PageDep, form: CheckedFormDep) -> Response:
    """Declare the sector and show it; bad input → the form again with 422."""
    _require_declarer(page)
    parsed = parse_sector_form(form, tz=page.ctx.settings.display_timezone)

    def save() -> str:
        sector = create_sector(page.ctx, actor=page.actor, data=parsed.data)
        return f"/sectors/{sector['id']}"

    return save_form(page, parsed, partial(_render_form, page, parsed), save, flash="sector_saved")


def _in_window(page: Page, sector: Mapping[str, Any]) -> datetime:
    """Now, or the nearest instant of the sector's validity when now lies outside it."""
    start, end = parse_utc(sector["valid_from"]), parse_utc(sector["valid_until"])
    return min(max(page.ctx.clock(), start), end - timedelta(seconds=1))


@router.get("/sectors/{sector_id}")
def sector_detail(page: PageDep, sector_id: str) -> Response:
    """One sector on the map; unknown or not released → the same 404 page."""
    sector = get_sector(page.ctx, actor=page.actor, sector_id=sector_id)
    labels = geo_labels_for(page.ctx, page.lang)
    actor = page.actor
    context = {
        "sector": {
            **sector,
            "from": parse_utc(sector["valid_from"]),
            "until": parse_utc(sector["valid_until"]),
            "updated": parse_utc(sector["updated_at"]),
        },
        "width_field": WIDTH_FIELD[sector["kind"]],
        "names": user_labels(page.ctx, actor=actor, user_ids=[sector["updated_by"]]),
        "map_data": collection(
            [
                *surroundings(
                    page, sector["geometry"], at=_in_window(page, sector), skip={sector["id"]}
                ),
                sector_feature(sector, labels, page),
            ]
        ),
        "labels": labels,
        "tile_url": page.ctx.settings.tile_url,
        "can_change": may_change_sector(actor, sector)
        and sector["status"] == SectorStatusChoices.ACTIVE,
        "nav": "sectors",
    }
    return page.render("sectors/detail.html", context)


@router.get("/sectors/{sector_id}/edit")
def edit_sector_form(page: PageDep, sector_id: str) -> Response:
    """The form filled with the current version; 404 when hidden, 403 when not the owner."""
    sector = _own(page, sector_id)
    values = sector_values(sector, page.ctx.settings.display_timezone)
    return _render_form(page, GeoForm(values=values), sector=sector)


@router.post("/sectors/{sector_id}/edit")
def change_sector(page: PageDep, form: CheckedFormDep, sector_id: str) -> Response:
    """Save a new version; bad input → 422, a concurrent change → 409, both with the form."""
    sector = _own(page, sector_id)
    tz = page.ctx.settings.display_timezone
    parsed = parse_sector_form(form, tz=tz, kind=sector["kind"])

    def save() -> str:
        update_sector(
            page.ctx,
            actor=page.actor,
            sector_id=sector_id,
            changes=parsed.data,
            expected_version=expected_version(form),
        )
        return f"/sectors/{sector_id}"

    render = partial(_render_form, page, parsed, sector=sector)
    return save_form(page, parsed, render, save, flash="sector_saved", conflict=CONFLICT)


def _withdraw_step(page: Page, sector_id: str) -> FinalStep:
    """The confirmation of withdrawing the sector; raises as :func:`_own`."""
    sector = _own(page, sector_id)
    label = page.gettext(WITHDRAW)
    return FinalStep(
        heading=label,
        subject=str(sector["name"] or sector["unit_name"]),
        action=f"/sectors/{sector_id}/withdraw",
        submit=label,
        back=f"/sectors/{sector_id}",
        hidden={"version": str(sector["version"])},
    )


@router.get("/sectors/{sector_id}/withdraw")
def confirm_withdrawal(page: PageDep, sector_id: str) -> Response:
    """Ask to confirm withdrawing the sector, with the reason (403/404 as :func:`_own`)."""
    return confirm_page(page, _withdraw_step(page, sector_id))


@router.post("/sectors/{sector_id}/withdraw")
def withdraw(page: PageDep, form: CheckedFormDep, sector_id: str) -> Response:
    """Withdraw the sector with the reason (final; it stays on record); without a reason
    the confirmation page again (422); a stale page → 409."""
    step = _withdraw_step(page, sector_id)  # 403/404 before anything is tried
    return take_final_step(
        page,
        form,
        lambda reason: withdraw_sector(
            page.ctx,
            actor=page.actor,
            sector_id=sector_id,
            reason=reason,
            expected_version=expected_version(form),
        ),
        lambda: step,
        done=f"/sectors/{sector_id}",
        flash="sector_withdrawn",
    )
