"""Protected sites: the list and map, and importing a GeoJSON or CSV file of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import orjson
from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import SectorStatusChoices
from tansiq.domain.errors import FieldError, PermissionDenied, ValidationFailed
from tansiq.services.sectors.imports import csv_items, features_of
from tansiq.services.sectors.policy import may_declare_site
from tansiq.services.sectors.site_commands import create_sites, import_sites, list_sites
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.downloads import download_links
from tansiq.web.common.form_errors import refusal_page
from tansiq.web.common.geo_forms import NOT_GEOJSON, NOT_UTF8, GeoForm, upload_bytes
from tansiq.web.common.geo_labels import geo_labels_for
from tansiq.web.common.geo_views import collection, site_feature, site_name
from tansiq.web.common.i18n import N_

router = APIRouter()
MAX_SITES_SHOWN = 2000
CHOOSE_FILE = N_("Choose a GeoJSON or CSV file.")


class ImportProblems(GeoForm):
    """The import form's messages, each under the service's own path (``items[2].kind``)."""

    def add_service_errors(
        self, errors: Sequence[FieldError], renames: Mapping[str, str] | None = None
    ) -> None:
        """Attach a service's errors as written: the page names the row or feature at fault."""
        for error in errors:
            self.add(error.field, self.service_message(error.field, error.message))


@router.get("/protected-sites")
def site_list(page: PageDep) -> Response:
    """Active protected sites the user may see, as a table and on the map."""
    labels = geo_labels_for(page.ctx, page.lang)
    found = list_sites(
        page.ctx,
        actor=page.actor,
        status=SectorStatusChoices.ACTIVE.value,
        limit=MAX_SITES_SHOWN,
    )
    items = [{**site, "shown_name": site_name(site, page.lang)} for site in found.items]
    context = {
        "items": items,
        "more": found.next_cursor is not None,
        "map_data": collection(
            site_feature(site, labels, page.ctx.settings.display_timezone) for site in found.items
        ),
        "labels": labels,
        "tile_url": page.ctx.settings.tile_url,
        "can_declare": may_declare_site(page.actor),
        "downloads": download_links(page.gettext, "protected-sites", {}),
        "nav": "sectors",
    }
    return page.render("sites/list.html", context)


def _require_declarer(page: Page) -> None:
    if not may_declare_site(page.actor):
        raise PermissionDenied("your role may not declare protected sites")


def _render_import(page: Page, form: GeoForm, status_code: int = 200) -> Response:
    """The import form with the problems found in the file."""
    problems = [
        (name, page.gettext(message))
        for name, messages in form.errors.items()
        for message in messages
    ]
    context = {"problems": problems, "nav": "sectors"}
    return page.render("sites/import.html", context, status_code=status_code)


@router.get("/protected-sites/import")
def import_form(page: PageDep) -> Response:
    """The import form; raises PermissionDenied for roles that may not declare sites."""
    _require_declarer(page)
    return _render_import(page, GeoForm(values={}))


def _items(raw: bytes, filename: str) -> tuple[str, Any]:
    """("csv", text) or ("geojson", document); raises ValueError (message id)."""
    try:
        body = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(NOT_UTF8) from None
    if filename.lower().endswith(".csv") or not body.lstrip().startswith(("{", "[")):
        return "csv", body
    try:
        return "geojson", orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ValueError(NOT_GEOJSON) from None


@router.post("/protected-sites/import")
def import_file(page: PageDep, form: CheckedFormDep) -> Response:
    """Declare every site in the file, all or nothing; problems → the form again with 422."""
    _require_declarer(page)
    result = ImportProblems(values={})
    upload = form.get("file")
    try:
        raw = upload_bytes(form, "file")
        if raw is None:
            raise ValueError(CHOOSE_FILE)
        kind, body = _items(raw, str(getattr(upload, "filename", "")))
    except ValueError as exc:
        result.add("file", str(exc))
        return _render_import(page, result, status_code=422)
    try:
        if kind == "csv":
            items, prefixes = csv_items(body)
            made = create_sites(page.ctx, actor=page.actor, items=items, field_names=prefixes)
        else:
            made = import_sites(page.ctx, actor=page.actor, features=features_of(body))
    except ValidationFailed as exc:
        return refusal_page(exc, result, partial(_render_import, page, result))
    return page.redirect("/protected-sites", flash="sites_imported" if made else None)
