"""Input rules every route shares: the instant type and the NUL guard.

``Instant`` replaces pydantic's ``AwareDatetime`` in bodies and queries: it reads
only ISO 8601 text with an offset (never a number as a Unix time) and refuses an
instant outside the range the domain accepts, so no date overflows downstream.
``refuse_nul`` runs before every API route: PostgreSQL text cannot hold NUL, so a
NUL anywhere in the path, the query or a JSON body is named before any lookup.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import Request
from pydantic import PlainValidator, WithJsonSchema

from tansiq.domain.errors import FieldError, ValidationFailed
from tansiq.domain.fields import parse_instant

Instant = Annotated[
    datetime,
    PlainValidator(parse_instant),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

NUL_MESSAGE = "must not contain NUL characters"
# JSON can carry NUL only as this escape (a raw NUL byte is not valid JSON).
_ESCAPED_NUL = b"\\u0000"


def _nul_fields(document: Any) -> Iterator[str]:
    """The names (``items[3].actor1``) of every string or key in ``document`` holding NUL."""
    # A loop, not recursion: orjson reads JSON 1,024 levels deep, past Python's stack.
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        name, value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                yield name or "body"
        elif isinstance(value, list):
            stack.extend((f"{name}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                field = f"{name}.{key}" if name else key
                if "\x00" in key:
                    yield field
                else:
                    stack.append((field, item))


async def refuse_nul(request: Request) -> None:
    """Raise ValidationFailed (422) naming each path, query or body field holding NUL."""
    names = [name for name, value in request.path_params.items() if "\x00" in str(value)]
    names += [name for name, value in request.query_params.multi_items() if "\x00" in value]
    if request.method in {"POST", "PUT", "PATCH"}:
        body = await request.body()  # Starlette keeps it for the route's own parsing.
        if _ESCAPED_NUL in body:
            try:
                names += sorted(_nul_fields(orjson.loads(body)))
            except orjson.JSONDecodeError:
                pass  # the route's parsing answers 400 for a body that is not JSON
    if names:
        raise ValidationFailed(
            "The input holds NUL characters", [FieldError(n, NUL_MESSAGE) for n in names]
        )
