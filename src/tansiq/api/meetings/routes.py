"""Routes: record, correct, read and list center meetings; a center's daily digest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tansiq.api.deps import (
    ContextDep,
    CurrentActor,
    IdQuery,
    IfMatch,
    PartyQuery,
    fields_of,
    value_of,
)
from tansiq.api.fields import Instant
from tansiq.api.meetings.schemas import (
    Digest,
    MeetingCreate,
    MeetingDetail,
    MeetingList,
    MeetingPublic,
    MeetingUpdate,
)
from tansiq.api.pages import PageDep, list_page
from tansiq.api.received import written
from tansiq.api.responses import JSONBytes, created, not_found
from tansiq.domain.choices import MeetingStatusChoices
from tansiq.services.meetings.commands import (
    MeetingFilters,
    create_meeting,
    list_meetings,
    meeting_detail,
    update_meeting,
)
from tansiq.services.meetings.digest import digest

router = APIRouter(prefix="/meetings", tags=["meetings"])
digest_router = APIRouter(tags=["meetings"])

NOT_FOUND = not_found("meeting")


def _filters(
    center_id: IdQuery = None,
    party: PartyQuery = None,
    status: MeetingStatusChoices | None = None,
    since: Annotated[Instant | None, Query(description="held_at >= since")] = None,
    until: Annotated[Instant | None, Query(description="held_at < until")] = None,
) -> MeetingFilters:
    return MeetingFilters(
        center_id=center_id, party=party, status=value_of(status), since=since, until=until
    )


FiltersDep = Annotated[MeetingFilters, Depends(_filters)]


@router.post("", status_code=201, response_model=MeetingPublic, response_class=JSONBytes)
def create(ctx: ContextDep, actor: CurrentActor, body: MeetingCreate) -> JSONBytes:
    """Record a meeting of a center your party sits on (secretary or admin)."""
    return created(written(create_meeting(ctx, actor=actor, data=fields_of(body))))


@router.get("", response_model=MeetingList, response_class=JSONBytes)
def list_(ctx: ContextDep, actor: CurrentActor, filters: FiltersDep, page: PageDep) -> JSONBytes:
    """Meetings released to you, latest first, one page at a time."""
    return list_page(list_meetings, ctx, actor, filters, page)


@router.get("/{meeting_id}", response_model=MeetingDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, meeting_id: str) -> JSONBytes:
    """One meeting with its version history, decisions and action items."""
    return JSONBytes(meeting_detail(ctx, actor=actor, meeting_id=meeting_id))


@router.patch("/{meeting_id}", response_model=MeetingPublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    meeting_id: str,
    body: MeetingUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Correct a meeting your party recorded, or move its status: a new version, journaled."""
    updated = update_meeting(
        ctx,
        actor=actor,
        meeting_id=meeting_id,
        changes=fields_of(body),
        expected_version=if_match,
    )
    return JSONBytes(written(updated))


@digest_router.get(
    "/centers/{code}/digest",
    response_model=Digest,
    responses={404: {"description": "No such center"}},
)
def center_digest(ctx: ContextDep, actor: CurrentActor, code: str) -> JSONBytes:
    """The daily digest of a center (code ``jcc-kirkuk`` or short ``kirkuk``), as you see it:
    escalated and overdue action items by party, decisions awaiting endorsement, and the
    meetings of the last 24 hours."""
    return JSONBytes(digest(ctx, actor=actor, center_code=code))
