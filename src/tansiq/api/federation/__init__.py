"""API of federation: the signed node-to-node sync routes and the admins' status."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.api.federation import routes, status_routes

    return (routes.router, status_routes.router)
