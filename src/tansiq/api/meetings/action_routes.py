"""Routes: action items, their status and progress notes (policy lives in services)."""

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
from tansiq.api.meetings.action_schemas import (
    ActionItemCreate,
    ActionItemDetail,
    ActionItemList,
    ActionItemPublic,
    ActionItemUpdate,
    ActionStatusChange,
    NoteCreate,
    NotePublic,
)
from tansiq.api.pages import PageDep, list_page
from tansiq.api.received import written
from tansiq.api.responses import JSONBytes, created, not_found
from tansiq.domain.choices import ActionStatusChoices
from tansiq.services.meetings.action_commands import (
    action_item_detail,
    add_action_note,
    create_action_item,
    set_action_status,
    update_action_item,
)
from tansiq.services.meetings.action_queries import ActionFilters, list_action_items

router = APIRouter(prefix="/action-items", tags=["action items"])

NOT_FOUND = not_found("action item")


def _filters(
    overdue: Annotated[bool | None, Query(description="Open and past due")] = None,
    escalated: Annotated[bool | None, Query(description="Open and past escalation")] = None,
    owner_party: PartyQuery = None,
    center_id: IdQuery = None,
    status: ActionStatusChoices | None = None,
    meeting_id: IdQuery = None,
    decision_id: IdQuery = None,
) -> ActionFilters:
    return ActionFilters(
        center_id=center_id,
        owner_party=owner_party,
        status=value_of(status),
        meeting_id=meeting_id,
        decision_id=decision_id,
        overdue=overdue,
        escalated=escalated,
    )


FiltersDep = Annotated[ActionFilters, Depends(_filters)]


@router.post("", status_code=201, response_model=ActionItemPublic, response_class=JSONBytes)
def create(ctx: ContextDep, actor: CurrentActor, body: ActionItemCreate) -> JSONBytes:
    """Record an action item your party owes (secretary or admin)."""
    return created(written(create_action_item(ctx, actor=actor, data=fields_of(body))))


@router.get("", response_model=ActionItemList, response_class=JSONBytes)
def list_(ctx: ContextDep, actor: CurrentActor, filters: FiltersDep, page: PageDep) -> JSONBytes:
    """Action items released to you, soonest due first, one page at a time."""
    return list_page(list_action_items, ctx, actor, filters, page)


@router.get("/{action_item_id}", response_model=ActionItemDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, action_item_id: str) -> JSONBytes:
    """One action item with its version history and progress notes."""
    return JSONBytes(action_item_detail(ctx, actor=actor, action_item_id=action_item_id))


@router.patch("/{action_item_id}", response_model=ActionItemPublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    action_item_id: str,
    body: ActionItemUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Change an open action item your party owes: a new version, journaled."""
    updated = update_action_item(
        ctx,
        actor=actor,
        action_item_id=action_item_id,
        changes=fields_of(body),
        expected_version=if_match,
    )
    return JSONBytes(written(updated))


@router.post("/{action_item_id}/status", response_model=ActionItemPublic, responses=NOT_FOUND)
def change_status(
    ctx: ContextDep,
    actor: CurrentActor,
    action_item_id: str,
    body: ActionStatusChange,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Mark an item your party owes done or cancelled, or open again."""
    changed = set_action_status(
        ctx,
        actor=actor,
        action_item_id=action_item_id,
        status=body.status,
        note=body.note,
        expected_version=if_match,
    )
    return JSONBytes(written(changed))


@router.post(
    "/{action_item_id}/notes",
    status_code=201,
    response_model=NotePublic,
    response_class=JSONBytes,
    responses=NOT_FOUND,
)
def add_note(
    ctx: ContextDep, actor: CurrentActor, action_item_id: str, body: NoteCreate
) -> JSONBytes:
    """Attach a progress note of your party to an action item you can see."""
    note = add_action_note(ctx, actor=actor, action_item_id=action_item_id, text=body.text)
    return created(written(note))
