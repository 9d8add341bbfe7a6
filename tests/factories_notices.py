"""Factory functions for notices and assessments (the world comes from tests/factories.py)."""

from __future__ import annotations

from typing import Any

from tansiq.domain.actors import Actor
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tests.factories import incident_data

KIRKUK_AREA = {
    "type": "Polygon",
    "coordinates": [
        [[44.30, 35.40], [44.50, 35.40], [44.50, 35.55], [44.30, 35.55], [44.30, 35.40]]
    ],
}


def notice_data(**overrides: Any) -> dict[str, Any]:
    """A valid deployment notice from fed to krg near Kirkuk, releasable to all.

    ``occurred_at`` (the contract suite's ordering field) becomes ``starts_at``.
    """
    if "occurred_at" in overrides:
        overrides["starts_at"] = overrides.pop("occurred_at")
    data: dict[str, Any] = {
        "to_party": "krg",
        "kind": "deployment",
        "subject": "Border guard company to Dibis",
        "message": "One company moves to the Dibis checkpoints for a week.",
        "location": KIRKUK_AREA,
        "place_name": "Dibis",
        "starts_at": "2020-02-20T12:00:00Z",
        "ends_at": "2020-02-27T12:00:00Z",
        "releasability": "all",
        "center_id": None,
    }
    data.update(overrides)
    return data


def assessment_data(**overrides: Any) -> dict[str, Any]:
    """A valid corroboration, releasable to all.

    Assessments are listed in creation order, so the contract suite's ``occurred_at``
    is dropped.
    """
    overrides.pop("occurred_at", None)
    data: dict[str, Any] = {
        "kind": "corroborate",
        "comment": "Our checkpoint heard the blast at the same time.",
        "sources": ["Peshmerga checkpoint 4"],
        "source_reliability": "B",
        "credibility": 2,
        "releasability": "all",
        "center_id": None,
    }
    data.update(overrides)
    return data


def contest_data(**overrides: Any) -> dict[str, Any]:
    """A valid contest, releasable to all."""
    return assessment_data(
        kind="contest", comment="No blast there; the road was closed all night.", **overrides
    )


def file_incident(ctx: ServiceContext, actor: Actor, **overrides: Any) -> dict[str, Any]:
    """An incident of the actor's party, releasable to all unless overridden."""
    return create_incident(ctx, actor=actor, data=incident_data(**overrides))
