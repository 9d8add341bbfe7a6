"""Incident payload format 2 (ACLED's coding) beside format 1: incidents journaled before it
still verify, an in-place edit of a new column on them does not, and a peer's format-1
version is rebuilt exactly."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson
import pytest
from sqlalchemy import select, update

import tansiq.services.incidents.commands as incident_commands
from tansiq.journal.canonical import canonical_json
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.remote import row_from_payload
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import create_incident, update_incident
from tansiq.services.incidents.records import INCIDENT
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tests.factories import World, build_world, incident_data

# The fields of an incident payload before format 2, as journaled since the first release.
FORMAT_1_KEYS = {
    "id", "party", "releasability", "center_id", "created_by", "updated_by", "version",
    "created_at", "updated_at", "status", "occurred_at", "time_precision", "location",
    "geo_precision", "place_name", "cross_border", "admin1", "admin2", "event_type",
    "sub_event_type", "actor1", "actor2", "fatalities", "injured", "description", "sources",
    "source_reliability", "credibility",
}  # fmt: skip
FORMAT_1 = replace(INCIDENT, payload=INCIDENT.earlier_payloads[1], payload_format=1)


def _file_in_format_1(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> tuple[World, dict[str, Any]]:
    """An incident filed as a node before format 2 filed it: journaled in format 1, and
    no sub-district (none was derived then)."""
    world = build_world(ctx)
    with monkeypatch.context() as patched:
        patched.setattr(incident_commands, "INCIDENT", FORMAT_1)
        patched.setattr(
            incident_commands, "sub_districts", lambda points, _areas: [None] * len(points)
        )
        return world, create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())


def test_format_1_has_the_fields_it_always_had(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    created = create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    with ctx.engine.connect() as conn:
        row = conn.execute(select(incidents)).mappings().one()
        entry = conn.execute(
            select(journal.c.payload_format).where(journal.c.record_id == created["id"])
        ).scalar_one()
    assert entry == 2
    assert set(INCIDENT.payload_in(1)({**row, "admin3": None})) == FORMAT_1_KEYS
    assert set(created) > FORMAT_1_KEYS


def test_incidents_journaled_in_format_1_still_verify(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, created = _file_in_format_1(ctx, monkeypatch)
    with ctx.engine.connect() as conn:
        formats = set(
            conn.execute(
                select(journal.c.payload_format).where(journal.c.record_id == created["id"])
            ).scalars()
        )
    assert formats == {1}
    assert verify_database(ctx).ok


@pytest.mark.parametrize(
    "edit",
    [
        {"tags": "edited in place"},
        {"event_id_cnty": "IRQ99999"},
        {"disorder_type": "Political violence; Demonstrations"},
        {"civilian_targeting": True},
        {"admin3": "Markaz Kirkuk"},
    ],
)
def test_a_new_column_edited_in_place_on_a_format_1_incident_is_detected(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, edit: dict[str, Any]
) -> None:
    _, created = _file_in_format_1(ctx, monkeypatch)
    with ctx.engine.begin() as conn:
        conn.execute(update(incidents).where(incidents.c.id == created["id"]).values(**edit))
    report = verify_database(ctx)
    assert not report.ok and f"record incident {created['id']} differs" in str(report.problem)


def test_a_correction_journals_format_2(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    world, created = _file_in_format_1(ctx, monkeypatch)
    changed = update_incident(
        ctx,
        actor=world.actors["fed_liaison"],
        incident_id=created["id"],
        changes={"location": {"type": "Point", "coordinates": [44.4, 35.47]}},
    )
    assert changed["admin3"] == "Markaz Kirkuk"  # placed again, so derived now
    assert verify_database(ctx).ok


def test_a_peers_format_1_version_is_rebuilt_exactly(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, created = _file_in_format_1(ctx, monkeypatch)
    with ctx.engine.connect() as conn:
        text = conn.execute(
            select(journal.c.payload).where(journal.c.record_id == created["id"])
        ).scalar_one()
    payload = orjson.loads(text)
    row = row_from_payload(INCIDENT, payload)
    assert (row["disorder_type"], row["inter1"], row["event_id_cnty"]) == (
        "Political violence",
        "",
        None,
    )
    assert canonical_json(INCIDENT.payload_in(1)(row)).decode() == text
