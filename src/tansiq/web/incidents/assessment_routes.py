"""Assessing another party's incident, resolving a dispute, and a center's dispute agenda.

The forms live on the incident page (``incidents/_assessments.html``); a bad
one shows that page again with 422 and writes nothing.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tansiq.services.incidents.assessment_commands import (
    assess_incident,
    get_assessment,
    resolve_dispute,
    update_assessment,
)
from tansiq.services.incidents.commands import get_incident
from tansiq.services.incidents.dispute_queries import list_disputes
from tansiq.services.incidents.policy import (
    may_resolve_dispute,
    may_withdraw_assessment,
    may_write_assessments,
)
from tansiq.web.common.confirm import FinalStep, confirm_page, take_final_step
from tansiq.web.common.coordination_labels import coord_labels_for
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.fields import text
from tansiq.web.common.form_errors import save_form
from tansiq.web.common.forms import ParsedForm
from tansiq.web.common.i18n import N_
from tansiq.web.common.present import parse_utc
from tansiq.web.directory.views import member_center
from tansiq.web.incidents.assessment_forms import parse_assessment_form
from tansiq.web.incidents.assessment_views import blank_assessment
from tansiq.web.incidents.routes import render_incident

router = APIRouter()
STALE = N_("The report changed while you read it. Read it again before assessing it.")
CANNOT_RESOLVE = N_("This dispute cannot be marked resolved by your party now.")
WITHDRAW = N_("Withdraw this assessment")


def _require_writer(page: Page) -> None:
    if not may_write_assessments(page.actor):
        raise PermissionDenied("your role may not assess incidents or resolve disputes")


@router.post("/incidents/{incident_id}/assessments")
def assess(page: PageDep, form: CheckedFormDep, incident_id: str) -> Response:
    """Corroborate, contest or comment on another party's incident; bad input → 422."""
    _require_writer(page)
    parsed = parse_assessment_form(form)

    def save() -> str:
        assess_incident(page.ctx, actor=page.actor, incident_id=incident_id, data=parsed.data)
        return f"/incidents/{incident_id}#assessments"

    return save_form(
        page,
        parsed,
        partial(render_incident, page, incident_id, assessment=parsed),
        save,
        flash="assessment_saved",
        conflict=STALE,
        # The report itself cannot be assessed: no field of the form is at fault.
        problem_fields=("incident_id",),
    )


def _problem(page: Page, incident_id: str, problem: str, status_code: int) -> Response:
    incident = get_incident(page.ctx, actor=page.actor, incident_id=incident_id)
    form = blank_assessment(incident)
    form.problem = problem
    return render_incident(page, incident_id, assessment=form, status_code=status_code)


@router.post("/assessments/{assessment_id}/resolve")
def resolve(page: PageDep, form: CheckedFormDep, assessment_id: str) -> Response:
    """Mark a contest's dispute resolved for the user's party; then back where it came from."""
    _require_writer(page)
    contest = get_assessment(page.ctx, actor=page.actor, assessment_id=assessment_id)
    incident_id = contest["incident_id"]
    try:
        resolve_dispute(
            page.ctx, actor=page.actor, assessment_id=assessment_id, comment=text(form, "comment")
        )
    except (ValidationFailed, Conflict):
        return _problem(page, incident_id, CANNOT_RESOLVE, 422)
    back = text(form, "next") or f"/incidents/{incident_id}#assessments"
    return page.redirect(back, flash="dispute_resolved")


def _withdraw_step(page: Page, assessment_id: str) -> FinalStep:
    """The confirmation of withdrawing the assessment.

    Raises NotFound (hidden, or withdrawn already) or PermissionDenied (not the party's).
    """
    _require_writer(page)
    current = get_assessment(page.ctx, actor=page.actor, assessment_id=assessment_id)
    if not may_withdraw_assessment(page.actor, current):
        raise PermissionDenied("only the assessing party may withdraw its assessment")
    if current["status"] == "withdrawn":
        raise NotFound("the assessment was withdrawn already")
    label = page.gettext(WITHDRAW)
    back = f"/incidents/{current['incident_id']}#assessments"
    return FinalStep(
        heading=label,
        subject=str(current["comment"] or current["kind"]),
        action=f"/assessments/{assessment_id}/withdraw",
        submit=label,
        back=back,
    )


@router.get("/assessments/{assessment_id}/withdraw")
def confirm_withdrawal(page: PageDep, assessment_id: str) -> Response:
    """Ask to confirm withdrawing the assessment, with the reason (403/404 as the step)."""
    return confirm_page(page, _withdraw_step(page, assessment_id))


@router.post("/assessments/{assessment_id}/withdraw")
def withdraw(page: PageDep, form: CheckedFormDep, assessment_id: str) -> Response:
    """Withdraw an assessment of the user's party with the reason (a withdrawn contest
    closes its dispute); without a reason the confirmation page again (422)."""
    step = _withdraw_step(page, assessment_id)  # 403/404 before anything is tried
    return take_final_step(
        page,
        form,
        lambda reason: update_assessment(
            page.ctx,
            actor=page.actor,
            assessment_id=assessment_id,
            changes={"status": "withdrawn"},
            reason=reason,
        ),
        lambda: step,
        done=step.back,
        flash="assessment_withdrawn",
    )


@router.get("/centers/{code}/disputes")
def dispute_agenda(page: PageDep, code: str) -> Response:
    """The open disputes on a center's agenda, oldest first; 404 unless the party sits on it."""
    center = member_center(page, code)
    actor = page.actor
    items = []
    for item in list_disputes(page.ctx, actor=actor, center=center["code"]):
        items.append(
            {
                **item,
                "occurred": parse_utc(item["incident"]["occurred_at"]),
                "contested": parse_utc(item["assessment"]["created_at"]),
                "can_resolve": may_resolve_dispute(actor, item["dispute"]),
            }
        )
    context = {
        "center": center,
        "disputes": items,
        "labels": coord_labels_for(page.ctx, page.lang),
        "nav": "centers",
        **ParsedForm(values={}).translated(page.gettext),
    }
    return page.render("centers/disputes.html", context)
