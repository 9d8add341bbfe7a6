"""The demo's joint operation plan, February 2020 (illustrative coordination, no real plan).

The federal liaison drafts and proposes a joint fed/krg patrol in the Hamrin foothills
south-west of Qara Tapa, in the gap between the two parties' lines, shared through the
Diyala center. Deconfliction finds one blocking finding: the Qara Tapa mosque, a
protected site, lies within the buffer of the plan's area. Each party's approver must
acknowledge it before signing. Loaded through the services, once: skipped when the
federal party already has a plan with this title.
"""

from __future__ import annotations

from typing import Any, Final

from tansiq.demo.directory_feb2020 import demo_password
from tansiq.services.accounts.commands import authenticate_password
from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import list_centers
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.operations.queries import OperationFilters, list_operations

PLANNER: Final = "fed_liaison"
TITLE: Final = "Joint patrol in the Hamrin foothills (Qara Tapa - Jalawla gap)"
PLAN: Final[dict[str, Any]] = {
    "kind": "joint",
    "title": TITLE,
    "objective": (
        "Patrol the villages south-west of Qara Tapa together, where neither party's "
        "sector reaches, agree a hand-over point with the Peshmerga 70 Forces and report "
        "the road's condition to the Diyala joint coordination center."
    ),
    "area": {
        "type": "Polygon",
        "coordinates": [
            [[44.8, 34.33], [44.935, 34.33], [44.935, 34.415], [44.8, 34.415], [44.8, 34.33]]
        ],
    },
    "starts_at": "2020-02-26T06:00:00+03:00",
    "ends_at": "2020-02-26T18:00:00+03:00",
    "participants": ["fed", "krg"],
    "lead_party": "fed",
    "forces": {
        "fed": "Two companies of the 5th Division (Diyala Operations Command), a liaison officer",
        "krg": "One company of the Peshmerga 70 Forces, a liaison officer",
    },
    "releasability": "center",
}
CENTER_CODE: Final = "jcc-diyala"


def load_operations(ctx: ServiceContext) -> int:
    """Draft and propose the demo plan unless it is there already; returns plans created.

    Raises as the services do.
    """
    actor = authenticate_password(ctx, username=PLANNER, password=demo_password(PLANNER))
    existing = list_operations(
        ctx, actor=actor, filters=OperationFilters(party=actor.party), limit=1000
    )
    if any(plan["title"] == TITLE and plan["party"] == actor.party for plan in existing.items):
        return 0
    center_id = next(c["id"] for c in list_centers(ctx) if c["code"] == CENTER_CODE)
    plan = create_operation(ctx, actor=actor, data={**PLAN, "center_id": center_id})
    propose_operation(ctx, actor=actor, operation_id=plan["id"], expected_version=plan["version"])
    return 1
