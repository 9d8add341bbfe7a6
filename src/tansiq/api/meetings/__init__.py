"""API of the meetings concept: meetings, the digest, decisions, endorsements, action items."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.api.meetings import action_routes, decision_routes, routes

    return (
        routes.router,
        decision_routes.router,
        action_routes.router,
        routes.digest_router,
    )
