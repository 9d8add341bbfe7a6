"""One krg record of each kind a fed plan's finding may concern, and how to narrow it.

Each subject is released to all and lies inside the plan area of ``operation_data``, so
proposing that plan finds it; ``narrow`` takes it back to krg alone (``party``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident, update_incident
from tansiq.services.operations.commands import (
    amend_operation,
    create_operation,
    propose_operation,
)
from tansiq.services.sectors.commands import create_sector, update_sector
from tansiq.services.sectors.site_commands import create_site, update_site
from tests.factories import World, incident_data
from tests.factories_operations import FORCES, operation_data
from tests.factories_sectors import sector_data, site_data

INSIDE = {"type": "Point", "coordinates": [44.35, 35.35]}
PARTY = {"releasability": "party"}


@dataclass(frozen=True)
class Subject:
    """A finding kind, how to make its krg subject, how to narrow it, and its telltale text."""

    kind: str
    make: Callable[[ServiceContext, World], dict[str, Any]]
    narrow: Callable[[ServiceContext, World, dict[str, Any]], Any]
    name: str


def _krg_plan(ctx: ServiceContext, world: World) -> dict[str, Any]:
    # A krg-only joint plan, so it may later be kept with its party (a notified one may not).
    krg = world.actors["krg_liaison"]
    data = operation_data(
        title="Peshmerga rotation at the Daquq posts",
        participants=["krg"],
        lead_party="krg",
        forces={"krg": FORCES["krg"]},
    )
    plan = create_operation(ctx, actor=krg, data=data)
    return propose_operation(ctx, actor=krg, operation_id=plan["id"])


SUBJECTS = [
    Subject(
        "sector_overlap",
        lambda ctx, w: create_sector(ctx, actor=w.actors["krg_liaison"], data=sector_data()),
        lambda ctx, w, r: update_sector(
            ctx, actor=w.actors["krg_liaison"], sector_id=r["id"], changes=PARTY
        ),
        "Sector South",
    ),
    Subject(
        "protected_site",
        lambda ctx, w: create_site(
            ctx, actor=w.actors["krg_liaison"], data=site_data(geometry=INSIDE)
        ),
        lambda ctx, w, r: update_site(
            ctx, actor=w.actors["krg_liaison"], site_id=r["id"], changes=PARTY
        ),
        "Al-Noor primary school",
    ),
    Subject(
        "operation_overlap",
        _krg_plan,
        lambda ctx, w, r: amend_operation(
            ctx, actor=w.actors["krg_liaison"], operation_id=r["id"], changes=PARTY
        ),
        "Peshmerga rotation at the Daquq posts",
    ),
    Subject(
        "recent_incident",
        lambda ctx, w: create_incident(
            ctx, actor=w.actors["krg_liaison"], data=incident_data(location=INSIDE)
        ),
        lambda ctx, w, r: update_incident(
            ctx, actor=w.actors["krg_liaison"], incident_id=r["id"], changes=PARTY
        ),
        "Remote explosive/landmine/IED",
    ),
]
