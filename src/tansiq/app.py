"""The ASGI application: the API under /api/v1 and the web UI at /."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from tansiq import __version__
from tansiq.api.fields import refuse_nul
from tansiq.api.idempotency import IdempotencyKeys
from tansiq.api.limits import BodySizeLimit
from tansiq.api.problems import install_problem_handlers
from tansiq.concepts import concepts_with
from tansiq.config import Settings, load_settings
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.web.mount import mount_web

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, ctx: ServiceContext | None = None) -> FastAPI:
    """Build the app for ``ctx`` (or open one from ``settings``/the environment).

    Raises NodeKeyError when the node has no key (run ``tansiq init``).
    """
    if ctx is None:
        settings = settings or load_settings()
        settings.check_safe()
        ctx = open_context(settings)
    app = FastAPI(
        title="Tansiq API",
        version=__version__,
        description="Incidents shared between the parties of a joint coordination mechanism.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.ctx = ctx
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(refuse_nul)])
    for concept in concepts_with("api"):
        for router in concept.part("api").routers():
            api.include_router(router)
    app.include_router(api)
    install_problem_handlers(app)
    mount_web(app, ctx, api_prefix=API_PREFIX)
    # Added before the size limit, so the limit (outermost) runs first.
    app.add_middleware(IdempotencyKeys, api_prefix=API_PREFIX)
    app.add_middleware(BodySizeLimit, limit=ctx.settings.max_body_bytes)
    return app
