"""The batch route's body: the domain's checks first, pydantic's only to name a refusal.

A batch of 1,000 incidents used to be read three times (JSON into dicts, the dicts
into pydantic models, the models back into dicts) before the domain checked every
field again. ``IncidentBatch`` stays the route's documented body, but the route
receives the parsed JSON as is (:func:`as_parsed`) and hands plain items straight
to the service, whose checks are at least as strict as the schema's for every field
(strict numbers and booleans, choices, lengths, required fields, unknown fields).

What the domain does not look at — the body's own shape, an item that is not an
object, a ``location`` with members besides ``type`` and ``coordinates`` — is
checked here, and such a body goes through pydantic as before. When the service
refuses a batch, the schema is checked first, so a client gets the answer it got
before: pydantic's errors if the schema refuses the body, else the service's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from tansiq.api.deps import fields_of
from tansiq.api.incidents.schemas import IncidentBatch

MAX_ITEMS = 1000
_LOCATION_KEYS = frozenset({"type", "coordinates"})

Items = list[dict[str, Any]]


def as_parsed(value: Any, _schema: Any) -> Any:
    """A wrap validator that keeps the parsed JSON as is (the schema still documents the body)."""
    return value


def plain_items(body: Any) -> Items | None:
    """The items of ``{"items": [...]}`` when the domain's checks cover the rest; else None."""
    if type(body) is not dict or body.keys() != {"items"}:
        return None
    items = body["items"]
    if type(items) is not list or not 1 <= len(items) <= MAX_ITEMS:
        return None
    for item in items:
        if type(item) is not dict:
            return None
        location = item.get("location")
        if type(location) is dict and not location.keys() <= _LOCATION_KEYS:
            return None
    return items


def schema_items(body: Any) -> Items:
    """The items as the schema reads them (unset fields left out).

    Raises RequestValidationError, the answer FastAPI gives for a body the schema refuses.
    """
    try:
        batch = IncidentBatch.model_validate(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)],
            body=body,
        ) from None
    return [fields_of(item) for item in batch.items]


def file_batch(body: Any, create: Callable[[Items], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run ``create`` on the batch's items, refusing it as the schema and the service would.

    Raises RequestValidationError (the schema refuses the body), else whatever
    ``create`` raises (ValidationFailed, PermissionDenied, …).
    """
    items = plain_items(body)
    if items is None:
        return create(schema_items(body))
    try:
        return create(items)
    except Exception:
        # Before this fast path the schema answered first: keep that answer. That
        # covers a refusal (ValidationFailed, PermissionDenied) and a value of a type
        # the domain's checks never expect (``{"event_type": {}}``), which the schema
        # refuses before them; nothing was written (the transaction rolled back).
        schema_items(body)
        raise
