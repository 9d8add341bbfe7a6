"""Findings journaled before they had a status (payload format 1) still verify; format 2
covers the status, and a status edited behind the journal's back is caught in either."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, update

from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.core.versioning import first_version, insert_records
from tansiq.services.operations.records import DECONFLICTION_FINDING
from tansiq.storage.db import write_transaction
from tansiq.storage.tables.journal import journal
from tansiq.storage.tables.operations import deconfliction_findings
from tests.factories import World, build_world
from tests.factories_finding_status import SITE, fed_plan

# The finding kind as it was before statuses: format 1 only.
FORMAT_1 = replace(
    DECONFLICTION_FINDING,
    payload=DECONFLICTION_FINDING.earlier_payloads[1],
    payload_format=1,
    earlier_payloads={},
)


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    return build_world(ctx)


def _old_finding(ctx: ServiceContext, world: World) -> str:
    """A finding written (and journaled) the way a node before statuses wrote it."""
    fed = world.actors["fed_liaison"]
    plan = fed_plan(ctx, fed)
    values = {
        "operation_id": plan["id"],
        "party_id": "fed",
        "plan_version": plan["plan_version"],
        "plan_hash": plan["plan_hash"],
        "kind": "protected_site",
        "blocking": True,
        "subject_id": "a-site-of-long-ago",
        "subject_party": "krg",
        "overlap_km2": None,
        "distance_m": 120.0,
        "summary": "Protected school within 120 m",
        "status": "open",
        "cleared_reason": None,
        "releasability": "party",
        "center_id": None,
    }
    row = first_version(values, actor=fed, now=ctx.clock())
    with write_transaction(ctx.engine) as conn:
        insert_records(conn, ctx, FORMAT_1, [row], actor_id=fed.user_id)
    return str(row["id"])


def _set_status(ctx: ServiceContext, finding_id: str, status: str) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(
            update(deconfliction_findings)
            .where(deconfliction_findings.c.id == finding_id)
            .values(status=status, cleared_reason="subject_withdrawn")
        )


def test_a_format_1_finding_verifies_and_its_status_cannot_be_edited(
    ctx: ServiceContext, world: World
) -> None:
    finding_id = _old_finding(ctx, world)
    with ctx.engine.connect() as conn:
        written = conn.execute(
            select(journal.c.payload_format, journal.c.payload).where(
                journal.c.record_id == finding_id
            )
        ).one()
    assert written.payload_format == 1 and '"status"' not in written.payload
    assert verify_database(ctx).ok

    _set_status(ctx, finding_id, "cleared")
    report = verify_database(ctx)
    assert not report.ok and finding_id in (report.problem or "")


def test_a_format_2_finding_journals_its_status_and_catches_an_edit(
    ctx: ServiceContext, world: World
) -> None:
    fed = world.actors["fed_liaison"]
    SITE.make(ctx, fed, True)
    plan = fed_plan(ctx, fed)
    with ctx.engine.connect() as conn:
        finding = conn.execute(
            select(deconfliction_findings.c.id).where(
                deconfliction_findings.c.operation_id == plan["id"]
            )
        ).scalar_one()
        written = conn.execute(
            select(journal.c.payload_format, journal.c.payload).where(
                journal.c.record_id == finding
            )
        ).one()
    assert written.payload_format == 2 and '"status":"open"' in written.payload
    assert verify_database(ctx).ok

    _set_status(ctx, finding, "cleared")
    report = verify_database(ctx)
    assert not report.ok and finding in (report.problem or "")
