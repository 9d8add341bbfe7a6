"""Web pages of the accounts concept: logging in and out, the UI language, the users admin page."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.web.accounts import admin_routes, routes

    return (
        routes.router,
        admin_routes.router,
    )
