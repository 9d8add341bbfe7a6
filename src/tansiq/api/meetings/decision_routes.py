"""Routes: record, amend, endorse, read and list decisions (policy lives in services)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from tansiq.api.deps import ContextDep, CurrentActor, IdQuery, IfMatch, PartyQuery, fields_of
from tansiq.api.meetings.decision_schemas import (
    DecisionCreate,
    DecisionDetail,
    DecisionList,
    DecisionPublic,
    DecisionUpdate,
    EndorsementCreate,
    EndorsementPublic,
)
from tansiq.api.pages import PageDep, list_page
from tansiq.api.received import written
from tansiq.api.responses import JSONBytes, created, not_found
from tansiq.services.meetings.decision_commands import (
    DecisionFilters,
    amend_decision,
    create_decision,
    decision_detail,
    endorse_decision,
    list_decisions,
)

router = APIRouter(prefix="/decisions", tags=["decisions"])

NOT_FOUND = not_found("decision")


def _filters(
    meeting_id: IdQuery = None,
    center_id: IdQuery = None,
    party: PartyQuery = None,
) -> DecisionFilters:
    return DecisionFilters(meeting_id=meeting_id, center_id=center_id, party=party)


FiltersDep = Annotated[DecisionFilters, Depends(_filters)]


@router.post("", status_code=201, response_model=DecisionPublic, response_class=JSONBytes)
def create(ctx: ContextDep, actor: CurrentActor, body: DecisionCreate) -> JSONBytes:
    """Record a decision of a meeting (secretary or admin)."""
    return created(written(create_decision(ctx, actor=actor, data=fields_of(body))))


@router.get("", response_model=DecisionList, response_class=JSONBytes)
def list_(ctx: ContextDep, actor: CurrentActor, filters: FiltersDep, page: PageDep) -> JSONBytes:
    """Decisions released to you, newest first, with their derived status."""
    return list_page(list_decisions, ctx, actor, filters, page)


@router.get("/{decision_id}", response_model=DecisionDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, decision_id: str) -> JSONBytes:
    """One decision with its version history and endorsements."""
    return JSONBytes(decision_detail(ctx, actor=actor, decision_id=decision_id))


@router.patch("/{decision_id}", response_model=DecisionPublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    decision_id: str,
    body: DecisionUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Amend a decision your party recorded; a changed text voids earlier endorsements."""
    amended = amend_decision(
        ctx,
        actor=actor,
        decision_id=decision_id,
        changes=fields_of(body),
        expected_version=if_match,
    )
    return JSONBytes(written(amended))


@router.post(
    "/{decision_id}/endorsements",
    status_code=201,
    response_model=EndorsementPublic,
    response_class=JSONBytes,
    responses={
        **NOT_FOUND,
        409: {"description": "version_hash is not the current one, or already endorsed"},
    },
)
def endorse(
    ctx: ContextDep, actor: CurrentActor, decision_id: str, body: EndorsementCreate
) -> JSONBytes:
    """Endorse the decision's current version for your party (approver or admin)."""
    endorsement = endorse_decision(
        ctx,
        actor=actor,
        decision_id=decision_id,
        version_hash=body.version_hash,
        comment=body.comment,
    )
    return created(written(endorsement))
