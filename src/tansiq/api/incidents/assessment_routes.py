"""Routes: assessments of incidents, dispute resolutions and the disputes agenda.

Paths sit below ``/incidents/{incident_id}/assessments``, ``/assessments`` and
``/disputes``; all policy lives in the services.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tansiq.api.deps import ContextDep, CurrentActor, IfMatch, fields_of
from tansiq.api.incidents.assessment_schemas import (
    AssessmentCreate,
    AssessmentDetail,
    AssessmentList,
    AssessmentPublic,
    AssessmentUpdate,
    DisputeList,
    ResolutionCreate,
    ResolutionPublic,
)
from tansiq.api.pages import PageDep, page_answer
from tansiq.api.received import written
from tansiq.api.responses import JSONBytes, created, not_found
from tansiq.services.incidents.assessment_commands import (
    assess_incident,
    assessment_detail,
    get_assessment,
    list_assessments,
    resolve_dispute,
    update_assessment,
)
from tansiq.services.incidents.dispute_queries import list_disputes

router = APIRouter(tags=["assessments"])

NOT_FOUND = not_found("record")


@router.post(
    "/incidents/{incident_id}/assessments",
    status_code=201,
    response_model=AssessmentPublic,
    response_class=JSONBytes,
    responses=NOT_FOUND,
)
def assess(
    ctx: ContextDep, actor: CurrentActor, incident_id: str, body: AssessmentCreate
) -> JSONBytes:
    """Corroborate, contest or comment on another party's incident; answered with its dispute."""
    made = assess_incident(ctx, actor=actor, incident_id=incident_id, data=fields_of(body))
    return created(get_assessment(ctx, actor=actor, assessment_id=made["id"]))


@router.get(
    "/incidents/{incident_id}/assessments",
    response_model=AssessmentList,
    response_class=JSONBytes,
    responses=NOT_FOUND,
)
def list_(ctx: ContextDep, actor: CurrentActor, incident_id: str, page: PageDep) -> JSONBytes:
    """Assessments of one incident released to you, newest first."""
    answer = list_assessments(
        ctx, actor=actor, incident_id=incident_id, cursor=page.cursor, limit=page.limit
    )
    return page_answer(answer)


@router.get("/assessments/{assessment_id}", response_model=AssessmentDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, assessment_id: str) -> JSONBytes:
    """One assessment with its dispute, resolutions and history."""
    return JSONBytes(assessment_detail(ctx, actor=actor, assessment_id=assessment_id))


@router.patch("/assessments/{assessment_id}", response_model=AssessmentPublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    assessment_id: str,
    body: AssessmentUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Amend or withdraw an assessment your party made: a new version, journaled.

    The answer is the assessment as read just after the change, with its ``dispute``.
    """
    changes = fields_of(body)
    reason = changes.pop("reason", None)  # a withdrawal's, journaled apart from the fields
    updated = update_assessment(
        ctx,
        actor=actor,
        assessment_id=assessment_id,
        changes=changes,
        expected_version=if_match,
        reason=reason,
    )
    return JSONBytes(get_assessment(ctx, actor=actor, assessment_id=updated["id"]))


@router.post(
    "/assessments/{assessment_id}/resolution",
    status_code=201,
    response_model=ResolutionPublic,
    response_class=JSONBytes,
    responses=NOT_FOUND,
)
def resolve(
    ctx: ContextDep, actor: CurrentActor, assessment_id: str, body: ResolutionCreate
) -> JSONBytes:
    """Mark a contest's dispute resolved for your party; it closes once both parties have."""
    resolution = resolve_dispute(
        ctx, actor=actor, assessment_id=assessment_id, comment=body.comment
    )
    return created(written(resolution))


@router.get("/disputes", response_model=DisputeList, response_class=JSONBytes)
def disputes(
    ctx: ContextDep,
    actor: CurrentActor,
    center: Annotated[
        str | None, Query(max_length=64, description="A center code: that center's agenda")
    ] = None,
) -> JSONBytes:
    """Open disputes released to you, oldest first; with ``center``, that center's agenda."""
    items = list_disputes(ctx, actor=actor, center=center)
    return JSONBytes({"items": items, "next_cursor": None})
