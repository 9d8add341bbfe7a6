"""Routes: draft, amend, propose, sign and move operation plans; read their findings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query

from tansiq.api.deps import ContextDep, CurrentActor, fields_of, value_of
from tansiq.api.operations.schemas import (
    ApprovalCreate,
    ApprovalListed,
    ApprovalPublic,
    FindingPublic,
    FindingRecheck,
    OperationCreate,
    OperationDetail,
    OperationList,
    OperationPublic,
    OperationUpdate,
    TransitionCreate,
)
from tansiq.api.pages import PageDep, list_page
from tansiq.api.received import written
from tansiq.api.responses import JSONBytes, created, not_found
from tansiq.domain.choices import OperationStatusChoices
from tansiq.services.operations.approval_commands import decide_operation, list_approvals
from tansiq.services.operations.commands import (
    amend_operation,
    create_operation,
    propose_operation,
    transition_operation,
)
from tansiq.services.operations.queries import (
    OperationFilters,
    list_findings,
    list_operations,
    operation_detail,
)
from tansiq.services.operations.rechecks import recheck_findings

router = APIRouter(prefix="/operations", tags=["operations"])

NOT_FOUND = not_found("operation")
IfMatch = Annotated[int | None, Header(description="The version you acted on; 409 if it is stale")]


def _filters(
    status: OperationStatusChoices | None = None,
    center_id: Annotated[str | None, Query(max_length=36)] = None,
    party: Annotated[str | None, Query(max_length=32, description="A participant")] = None,
) -> OperationFilters:
    return OperationFilters(status=value_of(status), center_id=center_id, party=party)


FiltersDep = Annotated[OperationFilters, Depends(_filters)]


@router.post("", status_code=201, response_model=OperationPublic, response_class=JSONBytes)
def create(ctx: ContextDep, actor: CurrentActor, body: OperationCreate) -> JSONBytes:
    """Draft an operation plan for your party (status draft)."""
    return created(written(create_operation(ctx, actor=actor, data=fields_of(body))))


@router.get("", response_model=OperationList, response_class=JSONBytes)
def list_(ctx: ContextDep, actor: CurrentActor, filters: FiltersDep, page: PageDep) -> JSONBytes:
    """Plans released to you, latest start first, one page at a time."""
    return list_page(list_operations, ctx, actor, filters, page)


@router.get("/{operation_id}", response_model=OperationDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, operation_id: str) -> JSONBytes:
    """One plan with its approval state, current findings, approvals and history."""
    return JSONBytes(operation_detail(ctx, actor=actor, operation_id=operation_id))


@router.patch("/{operation_id}", response_model=OperationPublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    operation_id: str,
    body: OperationUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Amend a plan of your party: a new version to sign; earlier approvals no longer count."""
    amended = amend_operation(
        ctx,
        actor=actor,
        operation_id=operation_id,
        changes=fields_of(body),
        expected_version=if_match,
    )
    return JSONBytes(written(amended))


@router.post("/{operation_id}/propose", response_model=OperationPublic, responses=NOT_FOUND)
def propose(
    ctx: ContextDep, actor: CurrentActor, operation_id: str, if_match: IfMatch = None
) -> JSONBytes:
    """Propose a draft (or notify a notified plan); its findings are computed and stored."""
    proposed = propose_operation(
        ctx, actor=actor, operation_id=operation_id, expected_version=if_match
    )
    return JSONBytes(written(proposed))


@router.post("/{operation_id}/transitions", response_model=OperationPublic, responses=NOT_FOUND)
def transition(
    ctx: ContextDep,
    actor: CurrentActor,
    operation_id: str,
    body: TransitionCreate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Move a plan of your party through its lifecycle (approved, active, completed…)."""
    moved = transition_operation(
        ctx,
        actor=actor,
        operation_id=operation_id,
        status=body.status,
        expected_version=if_match,
        reason=body.reason,
    )
    return JSONBytes(written(moved))


@router.post(
    "/{operation_id}/approvals",
    status_code=201,
    response_model=ApprovalPublic,
    responses=NOT_FOUND,
)
def approve(
    ctx: ContextDep, actor: CurrentActor, operation_id: str, body: ApprovalCreate
) -> JSONBytes:
    """Approve or reject the plan version named by plan_hash, for your party."""
    data = body.model_dump()
    return created(
        written(decide_operation(ctx, actor=actor, operation_id=operation_id, data=data))
    )


@router.get("/{operation_id}/approvals", response_model=list[ApprovalListed], responses=NOT_FOUND)
def approvals(ctx: ContextDep, actor: CurrentActor, operation_id: str) -> JSONBytes:
    """Every approval of the plan, each marked current or not (an earlier version)."""
    return JSONBytes(list_approvals(ctx, actor=actor, operation_id=operation_id))


@router.get("/{operation_id}/findings", response_model=list[FindingPublic], responses=NOT_FOUND)
def findings(
    ctx: ContextDep,
    actor: CurrentActor,
    operation_id: str,
    plan_hash: Annotated[
        str | None, Query(pattern=r"^[0-9a-f]{64}$", description="A version; default current")
    ] = None,
) -> JSONBytes:
    """The deconfliction findings of the plan's current version (or of ``plan_hash``)."""
    return JSONBytes(
        list_findings(ctx, actor=actor, operation_id=operation_id, plan_hash=plan_hash)
    )


@router.post("/{operation_id}/recheck", response_model=FindingRecheck, responses=NOT_FOUND)
def recheck(ctx: ContextDep, actor: CurrentActor, operation_id: str) -> JSONBytes:
    """Recheck your party's plan's findings against what they concern now: a finding whose
    subject was withdrawn, retracted, ended or moved away is cleared, a new overlap is
    found, changed figures are updated. A recheck that changes nothing writes nothing."""
    return JSONBytes(recheck_findings(ctx, actor=actor, operation_id=operation_id))
