"""Final steps need a reason, journaled with the version (payload format 2), on both
databases: cancelling or rejecting a plan, withdrawing a notice; a refused step changes
nothing, and a reason edited behind the journal's back is caught."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select, update

from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.assessment_commands import (
    assess_incident,
    get_assessment,
    update_assessment,
)
from tansiq.services.notices.commands import send_notice, withdraw_notice
from tansiq.services.notices.queries import get_notice
from tansiq.services.notices.records import NOTICE
from tansiq.services.operations.commands import (
    create_operation,
    get_operation,
    transition_operation,
)
from tansiq.services.operations.records import OPERATION
from tansiq.services.sectors.commands import create_sector, withdraw_sector
from tansiq.services.sectors.records import SECTOR
from tansiq.services.sectors.site_commands import create_site, update_site
from tansiq.storage.tables.journal import journal
from tansiq.storage.tables.notices import notices
from tansiq.storage.tables.operations import operations
from tansiq.storage.tables.sectors import sectors
from tests.api.helpers import journal_count
from tests.factories import World, build_world
from tests.factories_notices import contest_data, file_incident, notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data, site_data


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    return build_world(ctx)


def _latest_entry(ctx: ServiceContext, record_id: str) -> tuple[int, dict[str, object]]:
    with ctx.engine.connect() as conn:
        row = conn.execute(
            select(journal.c.payload_format, journal.c.payload)
            .where(journal.c.record_id == record_id)
            .order_by(journal.c.seq.desc())
            .limit(1)
        ).one()
    return row.payload_format, orjson.loads(row.payload)


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_cancelling_without_a_reason_is_refused_and_changes_nothing(
    ctx: ServiceContext, world: World, reason: str | None
) -> None:
    fed = world.actors["fed_liaison"]
    plan = create_operation(ctx, actor=fed, data=operation_data())
    before = journal_count(ctx)
    with pytest.raises(ValidationFailed) as refused:
        transition_operation(
            ctx, actor=fed, operation_id=plan["id"], status="cancelled", reason=reason
        )
    assert [e.field for e in refused.value.errors] == ["reason"]
    assert journal_count(ctx) == before
    assert get_operation(ctx, actor=fed, operation_id=plan["id"])["status"] == "draft"


def test_the_reason_is_journaled_with_the_cancelled_version(
    ctx: ServiceContext, world: World
) -> None:
    fed = world.actors["fed_liaison"]
    plan = create_operation(ctx, actor=fed, data=operation_data())
    assert plan["status_reason"] is None
    assert _latest_entry(ctx, plan["id"])[1]["status_reason"] is None  # format 2 names it
    cancelled = transition_operation(
        ctx,
        actor=fed,
        operation_id=plan["id"],
        status="cancelled",
        reason="  The convoy route was closed by flooding.  ",
    )
    assert cancelled["status_reason"] == "The convoy route was closed by flooding."
    fmt, payload = _latest_entry(ctx, plan["id"])
    assert fmt == 2
    assert payload["status"] == "cancelled"
    assert payload["status_reason"] == "The convoy route was closed by flooding."
    assert verify_database(ctx).ok
    # The reason is covered by the journal: an edit in place is caught.
    with ctx.engine.begin() as conn:
        conn.execute(
            update(operations)
            .where(operations.c.id == plan["id"])
            .values(status_reason="It was never planned.")
        )
    report = verify_database(ctx)
    assert not report.ok and plan["id"] in (report.problem or "")


def test_format_1_leaves_the_reason_out_unless_a_row_holds_one(
    ctx: ServiceContext, world: World
) -> None:
    fed = world.actors["fed_liaison"]
    plan = create_operation(ctx, actor=fed, data=operation_data())
    with ctx.engine.connect() as conn:
        row = conn.execute(select(operations).where(operations.c.id == plan["id"])).mappings().one()
    format_1 = OPERATION.earlier_payloads[1]
    assert "status_reason" not in format_1(row)
    assert format_1({**row, "status_reason": "edited"})["status_reason"] == "edited"
    assert OPERATION.payload(row)["status_reason"] is None


@pytest.mark.parametrize("reason", [None, "", " \t"])
def test_withdrawing_a_notice_without_a_reason_changes_nothing(
    ctx: ServiceContext, world: World, reason: str | None
) -> None:
    fed = world.actors["fed_liaison"]
    notice = send_notice(ctx, actor=fed, data=notice_data())
    before = journal_count(ctx)
    with pytest.raises(ValidationFailed) as refused:
        withdraw_notice(ctx, actor=fed, notice_id=notice["id"], reason=reason)
    assert [e.field for e in refused.value.errors] == ["reason"]
    assert journal_count(ctx) == before
    assert get_notice(ctx, actor=fed, notice_id=notice["id"])["status"] == "sent"


def test_a_notice_journals_why_it_was_withdrawn(ctx: ServiceContext, world: World) -> None:
    fed = world.actors["fed_liaison"]
    notice = send_notice(ctx, actor=fed, data=notice_data())
    assert notice["status_reason"] is None
    withdrawn = withdraw_notice(ctx, actor=fed, notice_id=notice["id"], reason=" Postponed. ")
    assert (withdrawn["status"], withdrawn["status_reason"]) == ("withdrawn", "Postponed.")
    fmt, payload = _latest_entry(ctx, notice["id"])
    assert (fmt, payload["status_reason"]) == (2, "Postponed.")
    krg = world.actors["krg_liaison"]
    assert get_notice(ctx, actor=krg, notice_id=notice["id"])["status_reason"] == "Postponed."
    assert verify_database(ctx).ok
    with ctx.engine.begin() as conn:
        conn.execute(
            update(notices).where(notices.c.id == notice["id"]).values(status_reason="Never sent.")
        )
    report = verify_database(ctx)
    assert not report.ok and notice["id"] in (report.problem or "")


def test_a_notice_s_format_1_leaves_the_reason_out(ctx: ServiceContext, world: World) -> None:
    notice = send_notice(ctx, actor=world.actors["fed_liaison"], data=notice_data())
    with ctx.engine.connect() as conn:
        row = conn.execute(select(notices).where(notices.c.id == notice["id"])).mappings().one()
    format_1 = NOTICE.earlier_payloads[1]
    assert "status_reason" not in format_1(row)
    assert format_1({**row, "status_reason": "edited"})["status_reason"] == "edited"


def test_withdrawing_a_sector_or_site_needs_a_reason_and_journals_it(
    ctx: ServiceContext, world: World
) -> None:
    fed = world.actors["fed_liaison"]
    sector = create_sector(ctx, actor=fed, data=sector_data())
    site = create_site(ctx, actor=fed, data=site_data())
    before = journal_count(ctx)
    with pytest.raises(ValidationFailed) as refused:
        withdraw_sector(ctx, actor=fed, sector_id=sector["id"], reason=" ")
    assert [e.field for e in refused.value.errors] == ["reason"]
    with pytest.raises(ValidationFailed) as refused:
        update_site(ctx, actor=fed, site_id=site["id"], changes={"status": "withdrawn"})
    assert [e.field for e in refused.value.errors] == ["reason"]
    with pytest.raises(ValidationFailed) as refused:  # only a withdrawal takes a reason
        update_site(ctx, actor=fed, site_id=site["id"], changes={"name": "x"}, reason="why")
    assert [e.field for e in refused.value.errors] == ["reason"]
    assert journal_count(ctx) == before
    # Another party's record: refused for whose it is, not asked why.
    with pytest.raises(PermissionDenied):
        withdraw_sector(ctx, actor=world.actors["krg_liaison"], sector_id=sector["id"], reason="x")

    gone = withdraw_sector(ctx, actor=fed, sector_id=sector["id"], reason="Handed over to krg.")
    closed = update_site(
        ctx, actor=fed, site_id=site["id"], changes={"status": "withdrawn"}, reason="School shut."
    )
    assert (gone["status_reason"], closed["status_reason"]) == (
        "Handed over to krg.",
        "School shut.",
    )
    assert _latest_entry(ctx, sector["id"])[1]["status_reason"] == "Handed over to krg."
    assert _latest_entry(ctx, site["id"])[0] == 2
    assert verify_database(ctx).ok
    with ctx.engine.connect() as conn:
        row = conn.execute(select(sectors).where(sectors.c.id == sector["id"])).mappings().one()
    assert "status_reason" not in SECTOR.earlier_payloads[1]({**row, "status_reason": None})


def test_withdrawing_a_contest_needs_a_reason_and_journals_it(
    ctx: ServiceContext, world: World
) -> None:
    incident = file_incident(ctx, world.actors["fed_liaison"])
    krg = world.actors["krg_liaison"]
    contest = assess_incident(ctx, actor=krg, incident_id=incident["id"], data=contest_data())
    before = journal_count(ctx)
    for reason in (None, "  "):
        with pytest.raises(ValidationFailed) as refused:
            update_assessment(
                ctx,
                actor=krg,
                assessment_id=contest["id"],
                changes={"status": "withdrawn"},
                reason=reason,
            )
        assert [e.field for e in refused.value.errors] == ["reason"]
    assert journal_count(ctx) == before
    assert get_assessment(ctx, actor=krg, assessment_id=contest["id"])["status"] == "active"
    withdrawn = update_assessment(
        ctx,
        actor=krg,
        assessment_id=contest["id"],
        changes={"status": "withdrawn"},
        reason="The report was right after all.",
    )
    assert withdrawn["status_reason"] == "The report was right after all."
    fmt, payload = _latest_entry(ctx, contest["id"])
    assert (fmt, payload["status_reason"]) == (2, "The report was right after all.")
    assert verify_database(ctx).ok
