"""Coordination notices: the inbox and outbox, sending one, and answering one.

A notice is owned by the sending party; the receiving party answers it
(acknowledge, acknowledge with concerns, object). Notification is not
permission: the form and the notice page say so.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.choices import NoticeKindChoices, NoticeStatusChoices
from tansiq.domain.errors import NotFound, PermissionDenied
from tansiq.domain.notices import DEFAULT_ACK_WINDOWS, NOTIFICATION_IS_NOT_PERMISSION
from tansiq.services.directory.commands import list_centers
from tansiq.services.notices.commands import acknowledge_notice, send_notice, withdraw_notice
from tansiq.services.notices.policy import (
    may_answer_notice,
    may_send_notice,
    may_withdraw_notice,
)
from tansiq.services.notices.queries import (
    NoticeFilters,
    list_notices,
    notice_detail,
    pending_notices,
)
from tansiq.web.common.confirm import FinalStep, confirm_page, take_final_step
from tansiq.web.common.coordination_labels import ACK_RESPONSES, NOTICE_KINDS, coord_labels_for
from tansiq.web.common.deps import CheckedFormDep, Page, PageDep
from tansiq.web.common.fields import local_input_value
from tansiq.web.common.form_errors import expected_version, save_form
from tansiq.web.common.forms import ParsedForm
from tansiq.web.common.geo_labels import geo_labels_for
from tansiq.web.common.i18n import N_
from tansiq.web.notices.forms import NOTICE_FIELDS, parse_ack_form, parse_notice_form
from tansiq.web.notices.views import notice_map, notice_view

router = APIRouter()
LIST_SIZE = 100
WITHDRAW = N_("Withdraw notice")
CHANGED = N_("The notice changed while you read it. Read it again and answer the new version.")


def _require_writer(page: Page) -> None:
    if not may_send_notice(page.actor):
        raise PermissionDenied("your role may not send or acknowledge notices")


@router.get("/notices")
def notice_list(page: PageDep) -> Response:
    """Incoming notices awaiting the user's party (earliest deadline first), then the rest."""
    actor, now = page.actor, page.ctx.clock()
    labels = coord_labels_for(page.ctx, page.lang)

    def views(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [notice_view(item, labels, now) for item in items]

    answered = NoticeFilters(to_party=actor.party, pending=False)
    context = {
        "pending": views(pending_notices(page.ctx, actor=actor)),
        "answered": views(list_notices(page.ctx, actor=actor, filters=answered).items),
        "outgoing": views(
            list_notices(
                page.ctx,
                actor=actor,
                filters=NoticeFilters(from_party=actor.party),
                limit=LIST_SIZE,
            ).items
        ),
        "labels": labels,
        "can_send": may_send_notice(actor),
        "nav": "notices",
    }
    return page.render("notices/list.html", context)


def _render_form(page: Page, form: ParsedForm, status_code: int = 200) -> Response:
    """The notice form with its messages."""
    party = page.actor.party
    labels = coord_labels_for(page.ctx, page.lang)
    windows = {kind.value: labels.duration(window) for kind, window in DEFAULT_ACK_WINDOWS.items()}
    context = {
        **form.translated(page.gettext),
        "kinds": NOTICE_KINDS,
        "recipients": [p for p in labels.parties if p != party],
        "centers": [c for c in list_centers(page.ctx) if party in c["member_parties"]],
        "default_windows": windows,
        "deployment_window": windows[NoticeKindChoices.DEPLOYMENT.value],
        "alert_window": windows[NoticeKindChoices.INCIDENT_ALERT.value],
        "disclaimer": NOTIFICATION_IS_NOT_PERMISSION,
        "labels": labels,
        "tile_url": page.ctx.settings.tile_url,
        "nav": "notices",
    }
    return page.render("notices/form.html", context, status_code=status_code)


@router.get("/notices/new")
def new_notice_form(page: PageDep) -> Response:
    """An empty notice form; raises PermissionDenied for roles that may not send."""
    _require_writer(page)
    values = dict.fromkeys(NOTICE_FIELDS, "")
    now, tz = page.ctx.clock(), page.ctx.settings.display_timezone
    values.update(
        kind="deployment",
        releasability="all",
        starts_at=local_input_value(now + timedelta(hours=1), tz),
        ends_at=local_input_value(now + timedelta(days=1), tz),
    )
    return _render_form(page, ParsedForm(values=values))


@router.post("/notices/new")
def send(page: PageDep, form: CheckedFormDep) -> Response:
    """Send the notice and show it; bad input → the form again with 422, nothing sent."""
    _require_writer(page)
    parsed = parse_notice_form(form, tz=page.ctx.settings.display_timezone)

    def save() -> str:
        notice = send_notice(page.ctx, actor=page.actor, data=parsed.data)
        return f"/notices/{notice['id']}"

    return save_form(page, parsed, partial(_render_form, page, parsed), save, flash="notice_sent")


def render_notice(
    page: Page, notice_id: str, status_code: int = 200, *, ack: ParsedForm | None = None
) -> Response:
    """The notice page, with the answer form (and its errors) when the user may answer."""
    actor = page.actor
    labels = coord_labels_for(page.ctx, page.lang)
    notice = notice_view(
        notice_detail(page.ctx, actor=actor, notice_id=notice_id), labels, page.ctx.clock()
    )
    live = notice["status"] == NoticeStatusChoices.SENT
    form = ack or ParsedForm(values={"response": "", "comment": ""})
    context = {
        **form.translated(page.gettext),
        "notice": notice,
        "responses": ACK_RESPONSES,
        "can_answer": may_answer_notice(actor, notice) and live and not notice["answer_final"],
        "can_withdraw": may_withdraw_notice(actor, notice) and live,
        "labels": labels,
        "map_data": notice_map(page, notice),
        "map_colours": geo_labels_for(page.ctx, page.lang).colours(),
        "tile_url": page.ctx.settings.tile_url,
        "nav": "notices",
    }
    return page.render("notices/detail.html", context, status_code=status_code)


@router.get("/notices/{notice_id}")
def notice_page(page: PageDep, notice_id: str) -> Response:
    """One notice with its answers; unknown or not released → 404."""
    return render_notice(page, notice_id)


@router.post("/notices/{notice_id}/acknowledge")
def answer(page: PageDep, form: CheckedFormDep, notice_id: str) -> Response:
    """Answer a notice for the user's party; bad input → 422, a newer version → 409."""
    _require_writer(page)
    parsed = parse_ack_form(form)

    def save() -> str:
        acknowledge_notice(page.ctx, actor=page.actor, notice_id=notice_id, data=parsed.data)
        return f"/notices/{notice_id}"

    return save_form(
        page,
        parsed,
        partial(render_notice, page, notice_id, ack=parsed),
        save,
        flash="notice_answered",
        conflict=CHANGED,
    )


def _withdraw_step(page: Page, notice_id: str) -> FinalStep:
    """The confirmation of withdrawing the notice.

    Raises NotFound (hidden, or withdrawn already) or PermissionDenied (not the sender's).
    """
    notice = notice_detail(page.ctx, actor=page.actor, notice_id=notice_id)
    if not may_withdraw_notice(page.actor, notice):
        raise PermissionDenied("only the sending party may withdraw its notice")
    if notice["status"] != NoticeStatusChoices.SENT:
        raise NotFound("the notice was withdrawn already")
    label = page.gettext(WITHDRAW)
    return FinalStep(
        heading=label,
        subject=str(notice["subject"]),
        action=f"/notices/{notice_id}/withdraw",
        submit=label,
        back=f"/notices/{notice_id}",
        hidden={"version": str(notice["version"])},
    )


@router.get("/notices/{notice_id}/withdraw")
def confirm_withdrawal(page: PageDep, notice_id: str) -> Response:
    """Ask to confirm withdrawing the notice, with the reason (403/404 as the step)."""
    return confirm_page(page, _withdraw_step(page, notice_id))


@router.post("/notices/{notice_id}/withdraw")
def withdraw(page: PageDep, form: CheckedFormDep, notice_id: str) -> Response:
    """Withdraw a notice the user's party sent, with the reason (422 on the confirmation
    page without one); raises PermissionDenied for anyone else."""
    _require_writer(page)
    return take_final_step(
        page,
        form,
        lambda reason: withdraw_notice(
            page.ctx,
            actor=page.actor,
            notice_id=notice_id,
            reason=reason,
            expected_version=expected_version(form),
        ),
        lambda: _withdraw_step(page, notice_id),
        done=f"/notices/{notice_id}",
        flash="notice_withdrawn",
    )
