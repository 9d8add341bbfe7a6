"""Web pages of the incidents concept: log, form, page, map, assessments and disputes."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.web.incidents import (
        assessment_routes,
        form_routes,
        map_layers,
        map_routes,
        place_routes,
        routes,
    )

    # /incidents/new must be matched before /incidents/{incident_id}.
    return (
        form_routes.router,
        routes.router,
        map_routes.router,
        map_layers.router,
        place_routes.router,
        assessment_routes.router,
    )
