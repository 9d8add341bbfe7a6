"""One FastAPI app per set of build-time settings, pointed at each test's context.

``create_app`` costs 0.2-0.5 s (FastAPI resolves every route's
dependencies when routers are included), paid by each of the ~1,300 API and web
tests. The app keeps no per-request or per-test state: it reads its context from
``app.state.ctx`` on every request, and only two settings are read while it is
built (the body limit and the map tile URL, which goes into the CSP). So the
tests share an app per value of those two settings and swap in their own ``ctx``.
"""

from __future__ import annotations

from fastapi import FastAPI

from tansiq.app import create_app
from tansiq.services.core.context import ServiceContext

_APPS: dict[tuple[int, str], FastAPI] = {}


def app_on(ctx: ServiceContext) -> FastAPI:
    """The whole app (API, web UI, middleware) serving ``ctx`` from now on."""
    # Everything create_app reads from the settings before the first request.
    key = (ctx.settings.max_body_bytes, ctx.settings.tile_url)
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(ctx=ctx)
    app.state.ctx = ctx
    return app
