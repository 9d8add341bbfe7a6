"""Dependencies shared by the routes: the service context and the acting user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tansiq.domain.actors import Actor
from tansiq.domain.errors import AuthenticationFailed
from tansiq.services.accounts import actor_for_token
from tansiq.services.context import ServiceContext

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
    """The user behind ``Authorization: Bearer``; raises AuthenticationFailed (401)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationFailed("send Authorization: Bearer <token>")
    return actor_for_token(ctx, token=credentials.credentials)


CurrentActor = Annotated[Actor, Depends(get_actor)]
