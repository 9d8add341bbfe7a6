"""The web UI's routes: each concept's ``ROUTERS`` (``web/<concept>/``), gathered into one."""

from __future__ import annotations

from fastapi import APIRouter

from tansiq.concepts import concepts_with


def build_router() -> APIRouter:
    """Every page and the JSON the pages fetch; kept out of the API's OpenAPI schema."""
    router = APIRouter(include_in_schema=False)
    for concept in concepts_with("web"):
        for concept_router in concept.part("web").routers():
            router.include_router(concept_router)
    return router
