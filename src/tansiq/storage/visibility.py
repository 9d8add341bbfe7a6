"""The releasability rule of ``domain/releasability.py`` as a SQL condition.

Every query that reads records for a user goes through :func:`visible_to`.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, and_, false, or_

from tansiq.domain.actors import Actor
from tansiq.domain.choices import ReleasabilityChoices


def visible_to(
    table: Table, actor: Actor, *, owner_column: str = "party_id"
) -> ColumnElement[bool]:
    """Rows of ``table`` the actor's party may see (owner, ``all``, or member ``center``)."""
    owner = table.c[owner_column]
    rel = table.c.releasability
    center_clause = (
        and_(rel == ReleasabilityChoices.CENTER.value, table.c.center_id.in_(sorted(actor.centers)))
        if actor.centers
        else false()
    )
    return or_(owner == actor.party, rel == ReleasabilityChoices.ALL.value, center_clause)
