"""The Jinja environment of the web UI and the one function that renders a page."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tansiq.web.common import i18n
from tansiq.web.common.received import received_filter

TEMPLATES_DIR = Path(__file__).parents[1] / "templates"


@cache
def environment() -> jinja2.Environment:
    """The shared environment: autoescaping, strict undefined, i18n installed, and the
    ``received_text`` filter (a remote record's "received from … at …")."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    i18n.install_jinja(env)
    env.filters["received_text"] = received_filter
    return env


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    lang: str,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``template`` in ``lang`` as an HTML response.

    ``context`` adds to the page variables every template gets: lang, rtl and request.
    """
    page = {**i18n.page_context(lang), "request": request, **context}
    html = environment().get_template(template).render(page)
    return HTMLResponse(html, status_code=status_code)
