"""API of the sectors concept: sectors, protected sites and coverage."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.api.sectors import coverage_routes, routes, site_routes

    return (
        routes.router,
        site_routes.router,
        coverage_routes.router,
    )
