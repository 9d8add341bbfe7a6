"""Who may declare and change sectors and protected sites: pure answers for any caller.

The web offers the declare and change buttons from these; the commands
(``geo_records.require_writer`` and the owner check of ``geo_records``' change,
used by ``commands.py`` and ``site_commands.py``) enforce the same rules with
PermissionDenied. A record is a payload (``party``) or a row (``party_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.choices import SECTOR_WRITER_ROLES
from tansiq.services.core.kinds import owner_of


def may_declare_sector(actor: Actor) -> bool:
    """Whether the actor's role may declare or change sectors (an admin, liaison or analyst)."""
    return actor.has_any_role(SECTOR_WRITER_ROLES)


def may_declare_site(actor: Actor) -> bool:
    """Whether the actor's role may declare protected sites (the same roles as sectors)."""
    return actor.has_any_role(SECTOR_WRITER_ROLES)


def may_change_sector(actor: Actor, record: Mapping[str, Any]) -> bool:
    """Whether the actor may change or withdraw ``record`` (a sector or site): a writer of
    its owner party. A withdrawn record is refused by the lifecycle, not here."""
    return may_declare_sector(actor) and owner_of(record) == actor.party
