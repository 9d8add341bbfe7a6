"""Routes: health, the current user, parties and centers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from tansiq.api.deps import ContextDep, CurrentActor
from tansiq.api.schemas.directory import CenterPublic, Health, Me, PartyPublic
from tansiq.services.accounts import get_user_by_username
from tansiq.services.directory import list_centers, list_parties
from tansiq.storage.db import read_transaction

router = APIRouter(tags=["directory"])


@router.get("/health", response_model=Health)
def health(ctx: ContextDep) -> dict[str, str]:
    """Liveness: the node id and whether the database answers."""
    try:
        with read_transaction(ctx.engine) as conn:
            conn.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - health reports, it does not raise
        database = "unavailable"
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
