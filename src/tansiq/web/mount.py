"""Attach the web UI to the application: pages at /, assets at /static, HTML errors."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from tansiq.services.core.context import ServiceContext
from tansiq.web.common.errors import install_error_pages
from tansiq.web.common.security import SecurityHeaders, content_security_policy
from tansiq.web.router import build_router

STATIC_DIR = Path(__file__).parent / "static"


def mount_web(app: FastAPI, ctx: ServiceContext, *, api_prefix: str) -> None:
    """Add the pages, /static and the HTML error pages; call after the API's handlers."""
    app.include_router(build_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_pages(app, api_prefix)
    app.add_middleware(SecurityHeaders, csp=content_security_policy(ctx.settings.tile_url))
