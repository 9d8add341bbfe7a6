"""Web pages of the intake concept: the review queue of candidates read from news articles."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.web.intake import article_routes, routes

    return (article_routes.router, routes.router)
