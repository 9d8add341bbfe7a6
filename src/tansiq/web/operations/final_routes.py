"""Cancelling or rejecting a plan: final steps, confirmed on their own page with a reason.

The plan page links each final move here; the form posts to ``/operations/{id}/status``
(:func:`~tansiq.web.operations.routes.move_plan`) with the reason, which the service
journals with the plan's version.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.errors import NotFound
from tansiq.domain.operations import NEEDS_REASON
from tansiq.services.operations.queries import operation_detail
from tansiq.web.common.confirm import FinalStep, confirm_page
from tansiq.web.common.deps import Page, PageDep
from tansiq.web.operations.views import MOVE_LABELS, moves

router = APIRouter()


def final_step(page: Page, operation_id: str, status: str) -> FinalStep:
    """The confirmation of moving the plan to a final ``status``.

    Raises NotFound when the plan is hidden or the user may not make that move now.
    """
    detail = operation_detail(page.ctx, actor=page.actor, operation_id=operation_id)
    offered = {
        target for target, _label in moves(page.actor, detail, detail["approval_state"]["status"])
    }
    if status not in NEEDS_REASON or status not in offered:
        raise NotFound(f"no {status} step for this plan")
    label = page.gettext(MOVE_LABELS[status])
    return FinalStep(
        heading=label,
        subject=str(detail["title"]),
        action=f"/operations/{operation_id}/status",
        submit=label,
        back=f"/operations/{operation_id}",
        hidden={"status": status, "version": str(detail["version"])},
    )


@router.get("/operations/{operation_id}/final/{status}")
def confirm_move(page: PageDep, operation_id: str, status: str) -> Response:
    """Ask to confirm cancelling or rejecting the plan, with the reason; 404 if not offered."""
    return confirm_page(page, final_step(page, operation_id, status))
