"""Web pages of the notices concept: the notice inbox and outbox, sending and answering a notice."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> tuple[APIRouter, ...]:
    """The concept's routers, in the order they must be matched."""
    # Imported here, not at the top: a route module may import its package's siblings.
    from tansiq.web.notices import routes

    return (routes.router,)
