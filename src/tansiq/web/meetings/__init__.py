"""Web pages of the meetings concept: meetings, decisions, action items and the minutes."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.web.meetings import action_routes, decision_routes, minutes_routes, routes

    return (
        routes.router,
        decision_routes.router,
        action_routes.router,
        minutes_routes.router,
    )
