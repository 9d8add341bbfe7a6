"""Cancelling or rejecting a plan is final: it needs a reason, journaled with the version
(payload format 2), on both databases; a refused move changes nothing."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select, update

from tansiq.domain.errors import ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.operations.commands import (
    create_operation,
    get_operation,
    transition_operation,
)
from tansiq.services.operations.records import OPERATION
from tansiq.storage.tables.journal import journal
from tansiq.storage.tables.operations import operations
from tests.api.helpers import journal_count
from tests.factories import World, build_world
from tests.factories_operations import operation_data


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
