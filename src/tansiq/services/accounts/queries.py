"""Reading accounts: the users of a party, for its admins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import RoleChoices
from tansiq.domain.errors import PermissionDenied
from tansiq.services.accounts.records import public_user
from tansiq.services.core.context import ServiceContext
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.accounts import users


def party_users(ctx: ServiceContext, *, actor: Actor) -> list[dict[str, Any]]:
    """Every user of the actor's party, by username, with roles, active and locked state.

    Raises PermissionDenied unless the actor is an admin.
    """
    if RoleChoices.ADMIN not in actor.roles:
        raise PermissionDenied("only an admin may list the party's users")
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(
            select(users).where(users.c.party_id == actor.party).order_by(users.c.username)
        ).mappings()
        return [public_user(row) for row in rows]
