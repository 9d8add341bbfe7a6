"""Dependencies shared by the routes: the service context and the acting user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tansiq.domain.actors import Actor
from tansiq.domain.errors import AuthenticationFailed, FieldError
from tansiq.services.accounts import actor_for_token
from tansiq.services.context import ServiceContext

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
