"""Factory functions for meetings, decisions and action items (the world is tests/factories.py).

``tests/factories.build_world`` has no secretaries or approvers; :func:`add_coordinators`
adds ``{party}_secretary`` and ``{party}_approver`` for fed, krg and un.
"""

from __future__ import annotations

import copy
from typing import Any

from tansiq.services.accounts.commands import authenticate_password, create_token, create_user
from tansiq.services.core.context import ServiceContext
from tests import snapshots
from tests.factories import PASSWORD, SYSTEM, World, replay_key

COORDINATOR_ROLES = ("secretary", "approver")
# The founding article's example: "a meeting before the end of this month to start work".
FOUNDING_DUE = "2020-02-29"


def add_coordinators(ctx: ServiceContext, world: World, *, with_tokens: bool = False) -> World:
    """Add a secretary and an approver to each party of ``world`` (and tokens if asked).

    Updates ``world`` in place and returns it. Replayed like ``build_world`` on a
    session database (tests/snapshots.py).
    """
    added = snapshots.replay(
        ctx.engine,
        replay_key(ctx, "add_coordinators", repr(world), with_tokens),
        lambda: _add_coordinators(ctx, copy.deepcopy(world), with_tokens=with_tokens),
    )
    vars(world).update(vars(added))
    return world


def _add_coordinators(ctx: ServiceContext, world: World, *, with_tokens: bool) -> World:
    # Through the services, as a node would add them.
    for party in ("fed", "krg", "un"):
        for role in COORDINATOR_ROLES:
            username = f"{party}_{role}"
            create_user(
                ctx, by=SYSTEM, username=username, party=party, roles=[role], password=PASSWORD
            )
            world.actors[username] = authenticate_password(
                ctx, username=username, password=PASSWORD
            )
            if with_tokens:
                world.tokens[username], _ = create_token(ctx, by=SYSTEM, username=username)
    return world


def meeting_data(center_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid, held meeting of ``center_id`` the day before the clock, releasable to the center."""
    data: dict[str, Any] = {
        "center_id": center_id,
        "held_at": "2020-02-19T09:00:00.000000Z",
        "place": "JCC Kirkuk, K1 base",
        "attendees": [
            {"party": "fed", "name": "Brig. Ali Hassan", "position": "JOC liaison"},
            {"party": "krg", "name": "Col. Karwan Aziz", "position": "Peshmerga liaison"},
        ],
        "agenda": "1. Security gap south of Kirkuk\n2. Joint checkpoints",
        "minutes": "Both sides agreed to meet again before the end of the month.",
        "releasability": "center",
        "status": "held",
    }
    data.update(overrides)
    return data


def decision_data(meeting_id: str, **overrides: Any) -> dict[str, Any]:
    """A valid decision of ``meeting_id`` in English, Arabic and Kurdish."""
    data: dict[str, Any] = {
        "meeting_id": meeting_id,
        "text_en": "Hold a meeting before the end of this month to start work.",
        "text_ar": "عقد اجتماع قبل نهاية هذا الشهر لبدء العمل.",
        "text_ckb": "کۆبوونەوەیەک پێش کۆتایی ئەم مانگە بۆ دەستپێکردنی کار.",
    }
    data.update(overrides)
    return data


def action_data(**overrides: Any) -> dict[str, Any]:
    """A valid action item body (give ``center_id``, ``meeting_id`` or ``decision_id``)."""
    data: dict[str, Any] = {
        "title": "Hold a meeting to start work",
        "due_at": FOUNDING_DUE,
        "owner_person": "Brig. Ali Hassan",
    }
    data.update(overrides)
    return data


# --- bodies and set-ups for the shared contract suite (tests/api/test_contract.py) ----------
# The suite lists records with ``occurred_at`` overrides; each kind maps it to its own time.
CONTRACT_OWNER = "fed_secretary"


def meeting_body(
    center_id: str, occurred_at: str | None = None, **overrides: Any
) -> dict[str, Any]:
    """A meeting body as the API takes it (``occurred_at`` becomes ``held_at``)."""
    if occurred_at is not None:
        overrides["held_at"] = occurred_at
    return meeting_data(center_id, **overrides)


def decision_body(
    meeting_id: str,
    center_id: str | None = None,
    occurred_at: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A decision body; a decision takes its meeting's center, so ``center_id`` is dropped."""
    del center_id, occurred_at  # the meeting is at JCC Kirkuk; decisions list by creation
    return decision_data(meeting_id, **{"releasability": "center", **overrides})


def action_body(center_id: str, occurred_at: str | None = None, **overrides: Any) -> dict[str, Any]:
    """An action item body due by 2020-02-29 in Baghdad (``occurred_at`` becomes ``due_at``)."""
    data = action_data(
        center_id=center_id,
        due_at="2020-02-29T20:59:59.000000Z",
        releasability="center",
    )
    if occurred_at is not None:
        data["due_at"] = occurred_at
    data.update(overrides)
    return data


def contract_center(ctx: ServiceContext, world: World, as_user: Any) -> dict[str, Any]:
    """Contract set-up: secretaries and approvers with tokens; bodies point at JCC Kirkuk."""
    add_coordinators(ctx, world, with_tokens=True)
    return {"center_id": world.centers["kirkuk"]["id"]}


def contract_meeting(ctx: ServiceContext, world: World, as_user: Any) -> dict[str, Any]:
    """Contract set-up: coordinators and a Kirkuk meeting released to all to hang decisions on."""
    add_coordinators(ctx, world, with_tokens=True)
    body = meeting_data(world.centers["kirkuk"]["id"], releasability="all")
    response = as_user(CONTRACT_OWNER).post("/meetings", json=body)
    assert response.status_code == 201, response.text
    return {"meeting_id": response.json()["id"]}
