"""Federation for this node's users: sync status (admins), release precision (owners)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from tansiq.api.deps import ContextDep, CurrentActor
from tansiq.api.responses import not_found
from tansiq.services.federation.release import set_release_precision
from tansiq.services.federation.status import sync_status_for

router = APIRouter(prefix="/federation", tags=["federation"])


class QuarantinedEntry(BaseModel):
    """An entry that failed a check; sync of its peer stops at it."""

    seq: int
    reason: str | None


class Receipt(BaseModel):
    """The latest receipt a peer signed for this node's feed to it."""

    seq: int
    head: str
    at: str


class PeerStatus(BaseModel):
    """Where sync stands with one peer."""

    peer: str
    party: str
    url: str
    status: str
    fingerprint: str
    received_up_to: int
    behind: int | None
    last_success_at: str | None
    last_attempt_at: str | None
    failures: int
    last_error: str | None
    bytes_in: int
    entries_in: int
    bytes_per_entry: float | None
    held: int
    withdrawn: int
    quarantined: list[QuarantinedEntry]
    feed_size: int
    their_receipt: Receipt | None


@router.get("/status", response_model=list[PeerStatus])
def federation_status(ctx: ContextDep, actor: CurrentActor) -> list[dict[str, Any]]:
    """Per peer: last sync, entries behind, bytes, held and quarantined entries (admins)."""
    return sync_status_for(ctx, actor)


class ReleasePrecisionIn(BaseModel):
    """How exactly one of your records is released to another party."""

    record_kind: Literal["incident"]
    record_id: str = Field(max_length=64)
    party: str = Field(max_length=32)
    precision: str = Field(
        max_length=64,
        description="GEO[,TIME]: exact, district or grid:DEGREES, then day, week or month",
        examples=["district,day"],
    )


class ReleasePrecisionPublic(BaseModel):
    """A record's release precision to one party (journaled)."""

    id: str
    record_kind: str
    record_id: str
    party_id: str
    spec: str
    version: int
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str


@router.put(
    "/release-precision",
    response_model=ReleasePrecisionPublic,
    responses=not_found("record"),
)
def put_release_precision(
    ctx: ContextDep, actor: CurrentActor, body: ReleasePrecisionIn
) -> dict[str, Any]:
    """Release one of your party's records to a peer party at reduced precision (or exact)."""
    return set_release_precision(
        ctx,
        actor=actor,
        record_kind=body.record_kind,
        record_id=body.record_id,
        party=body.party,
        spec=body.precision,
    )
