"""The operations board, the plan page, and moving and signing a plan.

Operations are coordination plans (who is where, when), never targets or fires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import (
    FindingStatusChoices,
    OperationKindChoices,
    OperationStatusChoices,
)
from tansiq.domain.errors import Conflict, PermissionDenied, ValidationFailed
from tansiq.domain.operations import NEEDS_REASON
from tansiq.services.accounts.commands import user_labels
from tansiq.services.operations.approval_commands import decide_operation
from tansiq.services.operations.commands import transition_operation
from tansiq.services.operations.policy import (
    may_amend_plan,
    may_plan,
    may_recheck_plan,
    may_sign_plan,
    may_sign_version,
)
from tansiq.services.operations.queries import OperationFilters, list_operations, operation_detail
from tansiq.services.operations.rechecks import recheck_findings
from tansiq.web.common.confirm import confirm_page, refused_reason
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.fields import text
from tansiq.web.common.form_errors import expected_version, problem_page, save_form
from tansiq.web.common.geo_forms import GeoForm
from tansiq.web.common.geo_labels import geo_labels_for
from tansiq.web.common.i18n import N_
from tansiq.web.operations.final_routes import final_step
from tansiq.web.operations.forms import FIELD_LABELS, ack_field, parse_signature_form
from tansiq.web.operations.views import (
    findings_view,
    history_rows,
    moves,
    plan_map,
    plan_view,
    signatures,
    with_surroundings,
)

router = APIRouter()
S = OperationStatusChoices
BOARD_COLUMNS = (S.DRAFT, S.PROPOSED, S.APPROVED, S.ACTIVE, S.COMPLETED)
CLOSED = (S.REJECTED, S.CANCELLED)
MAX_PLANS = 1000
STALE = N_("The plan changed while you read it. Read the new version and its findings again.")
NOT_NOW = N_("This change is not possible now.")
ACK_LABEL = N_("Acknowledgement")
NEEDS_SIGNATURES = N_("An approver of every participating party must approve this version first.")
NOT_REJECTED = N_("No participating party rejected this version.")
TOO_COSTLY = N_(
    "The findings could not be rechecked: the area meets geometries too complex to overlay."
)


def _move_problem(service_message: str) -> str:
    """Why a move was refused, in words the plan page's reader knows (a message id)."""
    if service_message.startswith(("cannot become approved", "cannot become active")):
        return NEEDS_SIGNATURES
    if service_message.startswith("cannot become rejected"):
        return NOT_REJECTED
    return NOT_NOW


@router.get("/operations")
def board(page: PageDep) -> Response:
    """Plans the user may see, in one column per status; the closed ones folded away."""
    labels = geo_labels_for(page.ctx, page.lang)
    found = list_operations(page.ctx, actor=page.actor, filters=OperationFilters(), limit=MAX_PLANS)
    columns: dict[str, list[dict[str, Any]]] = {s.value: [] for s in S}
    for plan in found.items:
        card = plan_view(plan, page.lang, page.ctx.settings.display_timezone)
        if plan["status"] == S.PROPOSED and plan["kind"] == OperationKindChoices.JOINT:
            detail = operation_detail(page.ctx, actor=page.actor, operation_id=plan["id"])
            parties = detail["approval_state"]["parties"]
            card["signed"] = sum(1 for state in parties.values() if state == "approved")
            card["refused"] = any(state == "rejected" for state in parties.values())
            card["blocking"] = sum(1 for f in detail["findings"] if f["blocking"] and _open(f))
        columns[plan["status"]].append(card)
    context = {
        "columns": [(s.value, columns[s.value]) for s in BOARD_COLUMNS],
        "closed": [(s.value, columns[s.value]) for s in CLOSED],
        "closed_count": sum(len(columns[s.value]) for s in CLOSED),
        "more": found.next_cursor is not None,
        "labels": labels,
        "can_plan": may_plan(page.actor),
        "nav": "operations",
    }
    return page.render("operations/board.html", context)


def render_plan(
    page: Page,
    operation_id: str,
    status_code: int = 200,
    *,
    form: GeoForm | None = None,
    problem: str = "",
) -> Response:
    """The plan page, optionally with a signing form that came back with errors."""
    actor = page.actor
    detail = operation_detail(page.ctx, actor=actor, operation_id=operation_id)
    labels = geo_labels_for(page.ctx, page.lang)
    state = detail["approval_state"]
    shown = findings_view(page.ctx, actor, detail["findings"], labels, page.gettext)
    # What stands is what a staff officer deconflicts and signs; the cleared ones are
    # kept apart, as the record of what the plan once met.
    findings = [f for f in shown if _open(f)]
    rows, void = signatures(detail, state, detail["approvals"])
    history = history_rows(detail["history"])
    people = [detail["created_by"], *(a["created_by"] for a in detail["approvals"])]
    form_shown = (form or GeoForm(values={})).translated(
        page.gettext, {**FIELD_LABELS, **_ack_labels(findings)}
    )
    context = {
        **form_shown,
        "plan": plan_view(detail, page.lang, page.ctx.settings.display_timezone),
        "state": state,
        "findings": findings,
        "cleared": [f for f in shown if not _open(f)],
        "blocking": [f for f in findings if f["blocking"]],
        "signatures": rows,
        "void": void,
        "history": history,
        "names": user_labels(
            page.ctx, actor=actor, user_ids=[*people, *(h["actor"] for h in history)]
        ),
        "map_data": with_surroundings(
            page,
            plan_map(detail, findings, page.lang, page.ctx.settings.display_timezone),
            detail,
            findings,
        ),
        "moves": moves(actor, detail, state["status"]),
        "can_amend": may_amend_plan(actor, detail),
        "can_recheck": may_recheck_plan(actor, detail) and detail["status"] != S.DRAFT,
        "can_sign": may_sign_version(actor, detail, state),
        "signer_party": actor.party,
        "ack_field": ack_field,
        "problem": page.gettext(problem) if problem else "",
        "labels": labels,
        "tile_url": page.ctx.settings.tile_url,
        "nav": "operations",
    }
    return page.render("operations/detail.html", context, status_code=status_code)


def _open(finding: Mapping[str, Any]) -> bool:
    return bool(finding["status"] == FindingStatusChoices.OPEN)


def _ack_labels(findings: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return {ack_field(f["id"]): ACK_LABEL for f in findings}


@router.get("/operations/{operation_id}")
def plan_page(page: PageDep, operation_id: str) -> Response:
    """One plan: details, map, findings, signatures, history; hidden or unknown → 404."""
    return render_plan(page, operation_id)


@router.post("/operations/{operation_id}/status")
def move_plan(page: PageDep, form: CheckedFormDep, operation_id: str) -> Response:
    """Propose, approve, start, complete, reject or cancel a plan of the user's party.

    Rejecting and cancelling are final: posted from their confirmation page with a
    reason, which comes back there (422) when refused.
    """
    status, reason = text(form, "status"), text(form, "reason")
    try:
        transition_operation(
            page.ctx,
            actor=page.actor,
            operation_id=operation_id,
            status=status,
            expected_version=expected_version(form),
            reason=reason if status in NEEDS_REASON else None,
        )
    except ValidationFailed as exc:
        if status in NEEDS_REASON and refused_reason(exc):
            step = final_step(page, operation_id, status)
            return confirm_page(page, step, reason=reason, refused=exc)
        return _refused_move(page, operation_id, exc)
    except Conflict as exc:
        return _refused_move(page, operation_id, exc)
    return page.redirect(f"/operations/{operation_id}", flash="plan_moved")


def _refused_move(page: Page, operation_id: str, exc: ValidationFailed | Conflict) -> Response:
    """The plan page saying why the move was refused (422), or that it was stale (409)."""
    return problem_page(
        exc,
        partial(render_plan, page, operation_id),
        lambda error: _move_problem(error.message),
        otherwise=NOT_NOW,
        conflict=STALE,
    )


@router.post("/operations/{operation_id}/sign")
def sign_plan(page: PageDep, form: CheckedFormDep, operation_id: str) -> Response:
    """Approve or reject the plan's current version for the user's party.

    An approval must acknowledge every blocking finding with a comment (422 otherwise);
    a version amended meanwhile is a 409. Nothing is written unless all is well.
    """
    actor = page.actor
    detail = operation_detail(page.ctx, actor=actor, operation_id=operation_id)
    if not may_sign_plan(actor, detail):
        raise PermissionDenied("only an approver of a participating party may sign this plan")
    parsed = parse_signature_form(form, findings=[f for f in detail["findings"] if _open(f)])

    def save() -> str:
        decide_operation(page.ctx, actor=page.actor, operation_id=operation_id, data=parsed.data)
        return f"/operations/{operation_id}"

    return save_form(
        page,
        parsed,
        lambda status: render_plan(
            page, operation_id, form=parsed, problem=parsed.problem, status_code=status
        ),
        save,
        flash="plan_approved" if parsed.data.get("decision") == "approve" else "plan_rejected",
        conflict=STALE,
    )


@router.post("/operations/{operation_id}/recheck")
def recheck_plan(page: PageDep, form: CheckedFormDep, operation_id: str) -> Response:
    """Recheck the findings of a plan of the user's party (the owner's planners only)."""
    del form  # checked for its CSRF token; it carries nothing else
    try:
        recheck_findings(page.ctx, actor=page.actor, operation_id=operation_id)
    except ValidationFailed as exc:
        return problem_page(
            exc, partial(render_plan, page, operation_id), lambda _error: TOO_COSTLY
        )
    return page.redirect(f"/operations/{operation_id}", flash="plan_rechecked")
