"""API of the incidents concept: incidents, assessments, dispute resolutions, disputes."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.api.incidents import assessment_routes, routes

    return (
        routes.router,
        assessment_routes.router,
    )
