"""API of the exports concept: what a user may see as one GeoJSON, KML, GeoPackage or CSV file."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.api.exports import routes

    return (routes.router,)
