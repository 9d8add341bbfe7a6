"""API of the operations concept: operation plans, their approvals and findings."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.api.operations import routes

    return (
        routes.router,
    )
