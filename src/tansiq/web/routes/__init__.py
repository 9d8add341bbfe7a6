"""The web UI's routes, one module per concept, gathered into one router."""

from __future__ import annotations

from fastapi import APIRouter

from tansiq.web.routes import auth, incident_form, incidents, maps


def build_router() -> APIRouter:
    """Every page and the JSON the pages fetch; kept out of the API's OpenAPI schema."""
    router = APIRouter(include_in_schema=False)
    router.include_router(auth.router)
    # /incidents/new must be matched before /incidents/{incident_id}.
    router.include_router(incident_form.router)
    router.include_router(incidents.router)
    router.include_router(maps.router)
    return router
