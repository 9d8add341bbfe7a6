"""Web pages of the operations concept: the operations board, the plan form and page, signing."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.web.operations import final_routes, form_routes, routes

    # /operations/new must be matched before /operations/{operation_id}.
    return (
        form_routes.router,
        final_routes.router,
        routes.router,
    )
