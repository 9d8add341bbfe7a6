"""Routes: health, the current user, parties and centers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tansiq.api.deps import ContextDep, CurrentActor
from tansiq.api.directory.schemas import CenterPublic, Health, Me, PartyPublic
from tansiq.services.accounts.commands import get_user_by_username
from tansiq.services.core.node import database_answers
from tansiq.services.directory.commands import list_centers, list_parties

router = APIRouter(tags=["directory"])


@router.get("/health", response_model=Health)
def health(ctx: ContextDep) -> dict[str, str]:
    """Liveness: the node id and whether the database answers."""
    database = "ok" if database_answers(ctx) else "unavailable"
    return {"status": "ok", "database": database, "node_id": ctx.key.node_id}


@router.get("/me", response_model=Me)
def me(ctx: ContextDep, actor: CurrentActor) -> dict[str, Any]:
    """The authenticated user, their party, roles and centers."""
    user = get_user_by_username(ctx, username=actor.username)
    return {
        "id": user["id"],
        "username": user["username"],
        "display_name": user["display_name"],
        "party": user["party"],
        "roles": user["roles"],
        "language": user["language"],
        "centers": sorted(actor.centers),
    }


@router.get("/parties", response_model=list[PartyPublic])
def parties(ctx: ContextDep, _actor: CurrentActor) -> list[dict[str, Any]]:
    """Every participating party."""
    return list_parties(ctx)


@router.get("/centers", response_model=list[CenterPublic])
def centers(ctx: ContextDep, _actor: CurrentActor) -> list[dict[str, Any]]:
    """The Supreme Committee and the joint coordination centers."""
    return list_centers(ctx)
