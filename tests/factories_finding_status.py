"""Records of each kind a plan's finding may concern, owned by any party, and how each one
leaves the picture (withdrawn, retracted, cancelled) or moves away from the plan or into it.

``inside`` lies in the area of ``operation_data``'s plan; ``away`` lies ~10 km and more
north of it, beyond the protected-site buffer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident, update_incident
from tansiq.services.operations.commands import (
    amend_operation,
    create_operation,
    propose_operation,
    transition_operation,
)
from tansiq.services.sectors.commands import create_sector, update_sector, withdraw_sector
from tansiq.services.sectors.site_commands import create_site, update_site
from tests.factories import incident_data
from tests.factories_findings import INSIDE
from tests.factories_operations import FORCES, operation_data
from tests.factories_sectors import sector_data, site_data, square

FAR = {"type": "Point", "coordinates": [44.392, 35.468]}
PARTY = {"releasability": "party"}
Make = Callable[[ServiceContext, Actor, bool], dict[str, Any]]
Change = Callable[[ServiceContext, Actor, dict[str, Any]], Any]
Move = Callable[[ServiceContext, Actor, dict[str, Any], bool], Any]


@dataclass(frozen=True)
class Kind:
    """A finding kind: make its subject (inside the plan or away), end it, move it, and why
    the finding is cleared when it ends."""

    kind: str
    make: Make
    end: Change
    move: Move
    narrow: Change
    reason: str
    name: str


def _plan(ctx: ServiceContext, actor: Actor, inside: bool) -> dict[str, Any]:
    party = actor.party
    data = operation_data(
        title=f"{party} rotation at the Daquq posts",
        participants=[party],
        lead_party=party,
        forces={party: FORCES.get(party, "One company")},
        area=square(44.35, 35.35, 0.05) if inside else square(44.6, 35.6, 0.05),
    )
    plan = create_operation(ctx, actor=actor, data=data)
    return propose_operation(ctx, actor=actor, operation_id=plan["id"])


SECTOR = Kind(
    "sector_overlap",
    lambda ctx, a, inside: create_sector(
        ctx, actor=a, data=sector_data(**({} if inside else {"geometry": square(44.6, 35.6)}))
    ),
    lambda ctx, a, r: withdraw_sector(ctx, actor=a, sector_id=r["id"], reason="Pulled back."),
    lambda ctx, a, r, inside: update_sector(
        ctx,
        actor=a,
        sector_id=r["id"],
        changes={"geometry": square(44.3, 35.3) if inside else square(44.6, 35.6)},
    ),
    lambda ctx, a, r: update_sector(ctx, actor=a, sector_id=r["id"], changes=PARTY),
    "subject_withdrawn",
    "Sector South",
)
SITE = Kind(
    "protected_site",
    lambda ctx, a, inside: create_site(
        ctx, actor=a, data=site_data(geometry=INSIDE if inside else FAR)
    ),
    lambda ctx, a, r: update_site(
        ctx, actor=a, site_id=r["id"], changes={"status": "withdrawn"}, reason="Closed."
    ),
    lambda ctx, a, r, inside: update_site(
        ctx, actor=a, site_id=r["id"], changes={"geometry": INSIDE if inside else FAR}
    ),
    lambda ctx, a, r: update_site(ctx, actor=a, site_id=r["id"], changes=PARTY),
    "subject_withdrawn",
    "Al-Noor primary school",
)
OPERATION = Kind(
    "operation_overlap",
    _plan,
    lambda ctx, a, r: transition_operation(
        ctx, actor=a, operation_id=r["id"], status="cancelled", reason="called off"
    ),
    lambda ctx, a, r, inside: amend_operation(
        ctx,
        actor=a,
        operation_id=r["id"],
        changes={"area": square(44.35, 35.35, 0.05) if inside else square(44.6, 35.6, 0.05)},
    ),
    lambda ctx, a, r: amend_operation(ctx, actor=a, operation_id=r["id"], changes=PARTY),
    "subject_ended",
    "rotation at the Daquq posts",
)
INCIDENT = Kind(
    "recent_incident",
    lambda ctx, a, inside: create_incident(
        ctx, actor=a, data=incident_data(location=INSIDE if inside else FAR)
    ),
    lambda ctx, a, r: update_incident(
        ctx, actor=a, incident_id=r["id"], changes={"status": "retracted"}
    ),
    lambda ctx, a, r, inside: update_incident(
        ctx, actor=a, incident_id=r["id"], changes={"location": INSIDE if inside else FAR}
    ),
    lambda ctx, a, r: update_incident(ctx, actor=a, incident_id=r["id"], changes=PARTY),
    "subject_retracted",
    "Remote explosive/landmine/IED",
)
#: Every kind: what another party's plan may meet.
KINDS = [SECTOR, SITE, OPERATION, INCIDENT]
#: The kinds a plan meets of its own party (its own sectors are never a conflict).
OWN_KINDS = [SITE, OPERATION, INCIDENT]


def fed_plan(ctx: ServiceContext, actor: Actor) -> dict[str, Any]:
    """The joint fed+krg plan of ``operation_data``, proposed (its findings stored)."""
    plan = create_operation(ctx, actor=actor, data=operation_data())
    return propose_operation(ctx, actor=actor, operation_id=plan["id"])
