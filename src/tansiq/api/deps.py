"""Dependencies shared by the routes: the service context, the acting user, common parameters."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from tansiq.domain.actors import Actor
from tansiq.domain.errors import AuthenticationFailed, FieldError, ValidationFailed
from tansiq.services.accounts.commands import actor_for_token
from tansiq.services.core.context import ServiceContext

AUTHORIZATION = "Authorization"
_bearer = HTTPBearer(auto_error=False, description="A token from `tansiq token create NAME`")


def get_context(request: Request) -> ServiceContext:
    """The node's service context, built once at start-up."""
    ctx: ServiceContext = request.app.state.ctx
    return ctx


ContextDep = Annotated[ServiceContext, Depends(get_context)]


def get_actor(
    ctx: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The user behind ``Authorization: Bearer``; raises AuthenticationFailed (401).

    The problem's ``errors`` names the ``Authorization`` header, like any bad input.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        message = "send Authorization: Bearer <token>"
        raise AuthenticationFailed(message, [FieldError(AUTHORIZATION, message)])
    try:
        return actor_for_token(ctx, token=credentials.credentials)
    except AuthenticationFailed as exc:
        raise AuthenticationFailed(exc.detail, [FieldError(AUTHORIZATION, exc.detail)]) from None


CurrentActor = Annotated[Actor, Depends(get_actor)]

BBox = tuple[float, float, float, float]
IfMatch = Annotated[int | None, Header(description="The version you edited; 409 if it is stale")]
Cursor = Annotated[str | None, Query(max_length=512)]
Limit = Annotated[int, Query(ge=1, le=1000)]
GeoJSONLimit = Annotated[int, Query(ge=1, le=50_000)]
PartyQuery = Annotated[str | None, Query(max_length=32)]
IdQuery = Annotated[str | None, Query(max_length=64)]
BBoxQuery = Annotated[str | None, Query(max_length=200, description="west,south,east,north")]


def parse_bbox(raw: str | None) -> BBox | None:
    """Read ``west,south,east,north``; raises ValidationFailed naming ``bbox``."""
    if raw is None:
        return None
    try:
        west, south, east, north = (float(p) for p in raw.split(","))
    except ValueError:
        raise ValidationFailed.single("bbox", "must be west,south,east,north in degrees") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationFailed.single("bbox", "must satisfy west<=east and south<=north, in range")
    return west, south, east, north


def fields_of(body: BaseModel) -> dict[str, Any]:
    """The fields the client sent (unset ones left out): a service's ``data`` or ``changes``."""
    return body.model_dump(exclude_unset=True)


def value_of(choice: StrEnum | None) -> str | None:
    """The text of a choice query parameter, None when it was not given."""
    return choice.value if choice else None
