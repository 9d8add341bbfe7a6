"""Factory functions for operation plans and the approvers who sign them."""

from __future__ import annotations

from typing import Any

from tansiq.domain.actors import Actor
from tansiq.services.accounts.commands import authenticate_password, create_token, create_user
from tansiq.services.core.context import ServiceContext
from tests.factories import PASSWORD, SYSTEM, World

# ~5.5 x 6.7 km inside the sectors' Kirkuk square (tests/factories_sectors.py).
PLAN_AREA: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [
        [[44.32, 35.32], [44.38, 35.32], [44.38, 35.38], [44.32, 35.38], [44.32, 35.32]]
    ],
}
FORCES = {
    "fed": "Two companies of the 8th Division with liaison officers",
    "krg": "One Peshmerga company with liaison officers",
}


def operation_data(**overrides: Any) -> dict[str, Any]:
    """A joint fed+krg patrol plan south of Kirkuk on 1 March 2020, releasable to all.

    ``occurred_at`` (the contract suite's ordering field) becomes ``starts_at``; a
    ``party`` releasability without participants makes it a fed-only plan, the only
    kind of plan that may stay with its party.
    """
    data: dict[str, Any] = {
        "title": "Joint patrol on the Kirkuk-Daquq road",
        "objective": "Reassure the villages along the road and agree checkpoint hand-overs.",
        "area": PLAN_AREA,
        "starts_at": "2020-03-01T06:00:00Z",
        "ends_at": "2020-03-01T18:00:00Z",
        "participants": ["fed", "krg"],
        "lead_party": "fed",
        "forces": dict(FORCES),
        "releasability": "all",
        "center_id": None,
    }
    if "occurred_at" in overrides:
        data["starts_at"] = overrides.pop("occurred_at")
        data["ends_at"] = data["starts_at"].replace("T08:", "T20:")
    if overrides.get("releasability") == "party" and "participants" not in overrides:
        data["participants"] = ["fed"]
        data["forces"] = {"fed": FORCES["fed"]}
    data.update(overrides)
    return data


def notified_data(**overrides: Any) -> dict[str, Any]:
    """A krg-only notified deployment plan (no approval needed), shown to all."""
    return operation_data(
        **{
            "kind": "notified",
            "title": "Peshmerga rotation at the Daquq posts",
            "participants": ["krg"],
            "lead_party": "krg",
            "forces": {"krg": FORCES["krg"]},
            **overrides,
        }
    )


def add_approvers(
    ctx: ServiceContext, world: World, *, parties: tuple[str, ...] = ("fed", "krg", "un")
) -> dict[str, Actor]:
    """Create ``{party}_approver`` users (with API tokens in ``world.tokens``)."""
    approvers: dict[str, Actor] = {}
    for party in parties:
        username = f"{party}_approver"
        create_user(
            ctx, by=SYSTEM, username=username, party=party, roles=["approver"], password=PASSWORD
        )
        actor = authenticate_password(ctx, username=username, password=PASSWORD)
        world.actors[username] = approvers[party] = actor
        world.tokens[username], _ = create_token(ctx, by=SYSTEM, username=username)
    return approvers
