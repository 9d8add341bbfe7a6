"""Routes: send, amend, withdraw, acknowledge, read and list notices (policy lives in services)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tansiq.api.deps import ContextDep, CurrentActor, IfMatch, fields_of, value_of
from tansiq.api.notices.schemas import (
    AckCreate,
    AckPublic,
    NoticeCreate,
    NoticeDetail,
    NoticeList,
    NoticePublic,
    NoticeUpdate,
)
from tansiq.api.pages import PageDep, list_page
from tansiq.api.received import written
from tansiq.api.responses import JSONBytes, created, not_found
from tansiq.domain.choices import NoticeKindChoices, NoticeStatusChoices
from tansiq.domain.notices import NOTIFICATION_IS_NOT_PERMISSION
from tansiq.services.notices.commands import acknowledge_notice, send_notice, update_notice
from tansiq.services.notices.queries import NoticeFilters, get_notice, list_notices, notice_detail

router = APIRouter(prefix="/notices", tags=["notices"])

NOT_FOUND = not_found("notice")
DISCLAIMER = f"\n\n**{NOTIFICATION_IS_NOT_PERMISSION}**"


def _filters(
    to_party: Annotated[str | None, Query(max_length=32, description="Receiving party")] = None,
    from_party: Annotated[str | None, Query(max_length=32, description="Sending party")] = None,
    kind: NoticeKindChoices | None = None,
    status: NoticeStatusChoices | None = None,
    pending: Annotated[
        bool | None, Query(description="true: awaiting an answer (escalated included)")
    ] = None,
    escalated: Annotated[
        bool | None, Query(description="true: pending and past ack_deadline")
    ] = None,
) -> NoticeFilters:
    return NoticeFilters(
        to_party=to_party,
        from_party=from_party,
        kind=value_of(kind),
        status=value_of(status),
        pending=pending,
        escalated=escalated,
    )


FiltersDep = Annotated[NoticeFilters, Depends(_filters)]


@router.post(
    "",
    status_code=201,
    response_model=NoticePublic,
    response_class=JSONBytes,
    description="Notify another party of a deployment, movement or incident." + DISCLAIMER,
)
def send(ctx: ContextDep, actor: CurrentActor, body: NoticeCreate) -> JSONBytes:
    """Send a notice from your party; the answer adds its derived ``state`` like a read."""
    sent = send_notice(ctx, actor=actor, data=fields_of(body))
    return created(get_notice(ctx, actor=actor, notice_id=sent["id"]))


@router.get("", response_model=NoticeList, response_class=JSONBytes)
def list_(ctx: ContextDep, actor: CurrentActor, page: PageDep, filters: FiltersDep) -> JSONBytes:
    """Notices released to you, newest first, one page at a time."""
    return list_page(list_notices, ctx, actor, filters, page)


@router.get(
    "/{notice_id}",
    response_model=NoticeDetail,
    responses=NOT_FOUND,
    description="One notice with its answers and version history." + DISCLAIMER,
)
def read(ctx: ContextDep, actor: CurrentActor, notice_id: str) -> JSONBytes:
    """One notice with its acknowledgements and history."""
    return JSONBytes(notice_detail(ctx, actor=actor, notice_id=notice_id))


@router.patch("/{notice_id}", response_model=NoticePublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    notice_id: str,
    body: NoticeUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Amend (a fresh answer is then due) or withdraw a notice your party sent.

    The answer is the notice as read just after the change, with its derived ``state``.
    """
    changes = fields_of(body)
    reason = changes.pop("reason", None)  # a withdrawal's, journaled apart from the fields
    updated = update_notice(
        ctx,
        actor=actor,
        notice_id=notice_id,
        changes=changes,
        expected_version=if_match,
        reason=reason,
    )
    return JSONBytes(get_notice(ctx, actor=actor, notice_id=updated["id"]))


@router.post(
    "/{notice_id}/acknowledgements",
    status_code=201,
    response_model=AckPublic,
    response_class=JSONBytes,
    responses=NOT_FOUND,
    description="Answer a notice addressed to your party: ack, ack_with_concerns or objection."
    + DISCLAIMER,
)
def acknowledge(ctx: ContextDep, actor: CurrentActor, notice_id: str, body: AckCreate) -> JSONBytes:
    """Acknowledge, acknowledge with concerns, or object to a notice's current version."""
    answer = acknowledge_notice(ctx, actor=actor, notice_id=notice_id, data=fields_of(body))
    return created(written(answer))
