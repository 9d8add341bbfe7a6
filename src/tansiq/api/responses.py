"""Fast JSON responses: orjson-encoded service answers (already JSON-shaped).

Both classes are ``JSONResponse`` subclasses so that FastAPI declares each route's
``response_model`` in the OpenAPI document; a route that returns one of them
directly still skips FastAPI's second pydantic pass and is encoded by orjson.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class JSONBytes(JSONResponse):
    """application/json encoded with orjson; skips a second pydantic pass."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Encode ``content`` with orjson."""
        return orjson.dumps(content)


class GeoJSONBytes(JSONBytes):
    """application/geo+json (RFC 7946)."""

    media_type = "application/geo+json"


def created(content: Any) -> JSONBytes:
    """A 201 Created answer of ``content`` (the new record, or ``{"items": …}``)."""
    return JSONBytes(content, status_code=201)


def not_found(what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry of a 404 for ``what`` (``sector``…)."""
    return {404: {"description": f"No such {what}, or not released to you"}}
