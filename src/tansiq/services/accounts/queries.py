"""Reading accounts: the users of a party, for its admins; who signed, for documents."""

from __future__ import annotations

from collections.abc import Sequence
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


def signatories(
    ctx: ServiceContext, *, actor: Actor, user_ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Who each of ``user_ids`` is, for a signed document: ``party``, ``name``, ``roles``.

    The directory keeps a display name and roles, no job title. The release rule is
    that of ``user_labels``: a user record stays with its party (it never leaves its
    node), so another party's user gives its ``party`` with an empty ``name`` and no
    ``roles``, and an id this node does not know (a remote or system actor) gives
    ``party`` None. Never raises.
    """
    wanted = sorted(set(user_ids))
    found: dict[str, dict[str, Any]] = {
        user_id: {"party": None, "name": "", "roles": []} for user_id in wanted
    }
    with read_transaction(ctx.engine) as conn:
        rows = conn.execute(
            select(users.c.id, users.c.display_name, users.c.party_id, users.c.roles).where(
                users.c.id.in_(wanted)
            )
        )
        for row in rows:
            own = row.party_id == actor.party
            found[row.id] = {
                "party": row.party_id,
                "name": row.display_name if own else "",
                "roles": sorted(row.roles) if own else [],
            }
    return found
