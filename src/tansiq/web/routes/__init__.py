"""The web UI's routes, one module per concept, gathered into one router."""

from __future__ import annotations

from fastapi import APIRouter

from tansiq.web.routes import (
    action_items,
    assessments,
    auth,
    centers,
    coverage,
    decisions,
    incident_form,
    incidents,
    maps,
    meetings,
    minutes,
    notices,
    operation_form,
    operations,
    protected_sites,
    sectors,
)


def build_router() -> APIRouter:
    """Every page and the JSON the pages fetch; kept out of the API's OpenAPI schema."""
    router = APIRouter(include_in_schema=False)
    router.include_router(auth.router)
    # /incidents/new must be matched before /incidents/{incident_id}.
    router.include_router(incident_form.router)
    router.include_router(incidents.router)
    router.include_router(maps.router)
    router.include_router(sectors.router)
    router.include_router(protected_sites.router)
    router.include_router(coverage.router)
    # /operations/new must be matched before /operations/{operation_id}.
    router.include_router(operation_form.router)
    router.include_router(operations.router)
    router.include_router(notices.router)
    router.include_router(assessments.router)
    router.include_router(centers.router)
    router.include_router(meetings.router)
    router.include_router(decisions.router)
    router.include_router(action_items.router)
    router.include_router(minutes.router)
    return router
