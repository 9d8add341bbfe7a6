"""Action items: recording one at a meeting, its page, status changes and progress notes.

The party that owes an item records it and alone changes its status; any party
that sees it may add progress notes. Overdue and escalated are derived from the
clock by the services.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.errors import Conflict, PermissionDenied, ValidationFailed
from tansiq.services.meetings.action_commands import (
    action_item_detail,
    add_action_note,
    create_action_item,
    set_action_status,
)
from tansiq.services.meetings.policy import may_keep_minutes, may_note_action, may_set_action_status
from tansiq.web.common.coordination_labels import coord_labels_for
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.fields import MISSING, text
from tansiq.web.common.form_errors import expected_version, problem_page
from tansiq.web.common.forms import ParsedForm, coord_message
from tansiq.web.common.i18n import N_
from tansiq.web.meetings.forms import parse_action_form, parse_status_form
from tansiq.web.meetings.routes import record_at_meeting
from tansiq.web.meetings.views import action_view

router = APIRouter()
CHANGED = N_("The action item changed in the meantime. Read it again and retry.")


@router.post("/meetings/{meeting_id}/actions")
def record_action(page: PageDep, form: CheckedFormDep, meeting_id: str) -> Response:
    """Record an item the user's party owes, linked to the meeting; bad input → 422."""
    if not may_keep_minutes(page.actor):
        raise PermissionDenied("only a secretary or admin may record action items")
    parsed = parse_action_form(form)
    return record_at_meeting(page, meeting_id, parsed, create_action_item, kind="action")


def render_action(
    page: Page, action_item_id: str, status_code: int = 200, *, problem: str = ""
) -> Response:
    """The action item page: the item, its notes and the forms the user may use."""
    actor = page.actor
    labels = coord_labels_for(page.ctx, page.lang)
    detail = action_item_detail(page.ctx, actor=actor, action_item_id=action_item_id)
    item = action_view(detail, labels, page.ctx.clock())
    item["can_set_status"] = may_set_action_status(actor, item)
    item["can_note"] = may_note_action(actor)
    context = {
        "item": item,
        "problem": page.gettext(problem) if problem else "",
        "labels": labels,
        "nav": "centers",
    }
    return page.render("meetings/action.html", context, status_code=status_code)


@router.get("/actions/{action_item_id}")
def action_page(page: PageDep, action_item_id: str) -> Response:
    """One action item with its progress notes; unknown or not released → 404."""
    return render_action(page, action_item_id)


def _back(form: CheckedFormDep, action_item_id: str) -> str:
    return text(form, "next") or f"/actions/{action_item_id}"


@router.post("/actions/{action_item_id}/status")
def change_status(page: PageDep, form: CheckedFormDep, action_item_id: str) -> Response:
    """Mark done, cancel or reopen (the owing party only); a refused move → 422."""
    parsed: ParsedForm = parse_status_form(form)
    if parsed.errors:
        return render_action(page, action_item_id, problem=MISSING, status_code=422)
    try:
        set_action_status(
            page.ctx,
            actor=page.actor,
            action_item_id=action_item_id,
            status=parsed.data["status"],
            note=parsed.data["note"],
            expected_version=expected_version(form),
        )
    except (ValidationFailed, Conflict) as exc:
        return problem_page(
            exc,
            partial(render_action, page, action_item_id),
            lambda error: coord_message(error.field, error.message),
            conflict=CHANGED,
        )
    return page.redirect(_back(form, action_item_id), flash="action_updated")


@router.post("/actions/{action_item_id}/notes")
def add_note(page: PageDep, form: CheckedFormDep, action_item_id: str) -> Response:
    """Attach a progress note of the user's party; an empty note → 422, nothing written."""
    note = text(form, "text")
    if not note:
        return render_action(page, action_item_id, problem=MISSING, status_code=422)
    try:
        add_action_note(page.ctx, actor=page.actor, action_item_id=action_item_id, text=note)
    except ValidationFailed as exc:
        return problem_page(
            exc,
            partial(render_action, page, action_item_id),
            lambda error: coord_message("text", error.message),
        )
    return page.redirect(_back(form, action_item_id), flash="note_saved")
