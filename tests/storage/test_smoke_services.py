"""End-to-end service smoke test on both databases: file, read, correct, verify."""

from __future__ import annotations

from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import (
    create_incident,
    get_incident,
    incident_history,
    update_incident,
)
from tansiq.services.incidents.queries import IncidentFilters, list_incidents
from tests.factories import build_world, incident_data


def test_file_correct_and_verify(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    fed = world.actors["fed_liaison"]
    created = create_incident(ctx, actor=fed, data=incident_data())
    assert created["admin1"] == "Kirkuk" and created["version"] == 1
    updated = update_incident(ctx, actor=fed, incident_id=created["id"], changes={"injured": 3})
    assert updated["version"] == 2
    assert (
        get_incident(ctx, actor=world.actors["krg_observer"], incident_id=created["id"])["injured"]
        == 3
    )
    assert [h["version"] for h in incident_history(ctx, actor=fed, incident_id=created["id"])] == [
        1,
        2,
    ]
    page = list_incidents(ctx, actor=fed, filters=IncidentFilters(admin1="Kirkuk"))
    assert [i["id"] for i in page.items] == [created["id"]]
    report = verify_database(ctx)
    assert report.ok, report.problem
