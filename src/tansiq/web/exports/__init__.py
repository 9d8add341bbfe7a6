"""Web pages of the exports concept: the downloads behind the pages' download menus."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.web.exports import routes

    return (routes.router,)
