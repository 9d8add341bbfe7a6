"""Fast JSON responses: orjson-encoded service answers (already JSON-shaped)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from tansiq.services.core.pagination import Page


class JSONBytes(Response):
    """application/json encoded with orjson; skips a second pydantic pass."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Encode ``content`` with orjson."""
        return orjson.dumps(content)


class GeoJSONBytes(JSONBytes):
    """application/geo+json (RFC 7946)."""

    media_type = "application/geo+json"


def page_answer(page: Page) -> JSONBytes:
    """One page of a list as ``{"items": …, "next_cursor": …}``."""
    return JSONBytes({"items": page.items, "next_cursor": page.next_cursor})


def not_found(what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry of a 404 for ``what`` (``sector``…)."""
    return {404: {"description": f"No such {what}, or not released to you"}}
