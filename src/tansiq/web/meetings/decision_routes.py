"""Decisions of a meeting: recording one, endorsing its current version, amending it.

An endorsement names the version hash the approver saw; when the decision was
amended in between, the service refuses it and the meeting page says so (409).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import DecisionStatusChoices
from tansiq.domain.errors import Conflict, PermissionDenied, ValidationFailed
from tansiq.services.meetings.decision_commands import (
    amend_decision,
    create_decision,
    decision_detail,
    endorse_decision,
    get_decision,
)
from tansiq.services.meetings.policy import may_amend_decision, may_keep_minutes
from tansiq.web.common.coordination_labels import DECISION_STATUSES, coord_labels_for
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.fields import text
from tansiq.web.common.form_errors import expected_version, problem_page, save_form
from tansiq.web.common.forms import ParsedForm
from tansiq.web.common.i18n import N_
from tansiq.web.meetings.forms import parse_decision_form
from tansiq.web.meetings.routes import record_at_meeting, render_meeting
from tansiq.web.meetings.views import endorsement_view

router = APIRouter()
STALE_HASH = N_(
    "The decision was amended since you read it. Read the new version and endorse it again."
)
ALREADY = N_("Your party already endorsed this version.")
CHANGED = N_("The decision changed while you edited it. Reload it and make your change again.")


def _require_writer(page: Page) -> None:
    if not may_keep_minutes(page.actor):
        raise PermissionDenied("only a secretary or admin may record or amend decisions")


@router.post("/meetings/{meeting_id}/decisions")
def record_decision(page: PageDep, form: CheckedFormDep, meeting_id: str) -> Response:
    """Record a decision of the meeting; bad input → the meeting page with 422."""
    _require_writer(page)
    parsed = parse_decision_form(form)
    return record_at_meeting(page, meeting_id, parsed, create_decision, kind="decision")


@router.post("/decisions/{decision_id}/endorse")
def endorse(page: PageDep, form: CheckedFormDep, decision_id: str) -> Response:
    """Endorse the version the approver read (its hash); a stale hash → 409 on the meeting page."""
    decision = get_decision(page.ctx, actor=page.actor, decision_id=decision_id)
    meeting_id = decision["meeting_id"]
    try:
        endorse_decision(
            page.ctx,
            actor=page.actor,
            decision_id=decision_id,
            version_hash=text(form, "version_hash"),
            comment=text(form, "comment"),
        )
    except (ValidationFailed, Conflict) as exc:
        # Whatever was wrong with the posted hash, the approver should read the decision again.
        return problem_page(
            exc,
            partial(render_meeting, page, meeting_id),
            lambda _error: STALE_HASH,
            otherwise=STALE_HASH,
            conflict=_endorse_conflict,
        )
    back = text(form, "next") or f"/meetings/{meeting_id}#decision-{decision_id}"
    return page.redirect(back, flash="decision_endorsed")


def _endorse_conflict(exc: Conflict) -> str:
    """Why an endorsement conflicted: the version was amended, or the party already endorsed."""
    stale = any(e.field == "version_hash" and "current" in e.message for e in exc.errors)
    return STALE_HASH if stale else ALREADY


def _amendable(page: Page, decision_id: str) -> dict[str, Any]:
    detail = decision_detail(page.ctx, actor=page.actor, decision_id=decision_id)
    _require_writer(page)
    if not may_amend_decision(page.actor, detail):
        raise PermissionDenied("only the party that recorded a decision may amend it")
    if detail["status"] == DecisionStatusChoices.WITHDRAWN:
        raise PermissionDenied("a withdrawn decision cannot be changed")
    return detail


def _render_amend(
    page: Page, decision: dict[str, Any], form: ParsedForm, status_code: int = 200
) -> Response:
    """The amendment form of ``decision`` with its messages."""
    stored = "proposed" if decision["status"] == "agreed" else decision["status"]
    statuses = [stored] + [s for s in ("draft", "proposed", "withdrawn") if s != stored]
    context = {
        **form.translated(page.gettext),
        "decision": {
            **decision,
            "endorsements": [endorsement_view(e) for e in decision["endorsements"]],
        },
        "statuses": {s: DECISION_STATUSES[s] for s in statuses},
        "labels": coord_labels_for(page.ctx, page.lang),
        "nav": "centers",
    }
    return page.render("meetings/decision_form.html", context, status_code=status_code)


@router.get("/decisions/{decision_id}/amend")
def amend_form(page: PageDep, decision_id: str) -> Response:
    """The amendment form filled with the current texts; 403 unless the recording party."""
    decision = _amendable(page, decision_id)
    stored = "proposed" if decision["status"] == "agreed" else decision["status"]
    values = {name: str(decision[name]) for name in ("text_en", "text_ar", "text_ckb")}
    values.update(status=stored, version=str(decision["version"]))
    return _render_amend(page, decision, ParsedForm(values=values))


@router.post("/decisions/{decision_id}/amend")
def amend(page: PageDep, form: CheckedFormDep, decision_id: str) -> Response:
    """Save a new version (earlier endorsements stop counting); bad input → 422."""
    decision = _amendable(page, decision_id)
    parsed = parse_decision_form(form)

    def save() -> str:
        amend_decision(
            page.ctx,
            actor=page.actor,
            decision_id=decision_id,
            changes=parsed.data,
            expected_version=expected_version(form),
        )
        return f"/meetings/{decision['meeting_id']}#decision-{decision_id}"

    render = partial(_render_amend, page, decision, parsed)
    return save_form(page, parsed, render, save, flash="decision_saved", conflict=CHANGED)
