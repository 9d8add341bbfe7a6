"""Sync status for this node's admins: where sync stands with each peer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from tansiq.api.deps import ContextDep, CurrentActor
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
