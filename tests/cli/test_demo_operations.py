"""The demo's sectors, coverage gaps and proposed joint plan (loaded through the services)."""

from __future__ import annotations

from datetime import UTC, datetime

from tansiq.demo import load_demo
from tansiq.demo.directory_feb2020 import demo_password
from tansiq.demo.operations_feb2020 import TITLE
from tansiq.services.accounts.commands import authenticate_password
from tansiq.services.core.context import ServiceContext
from tansiq.services.operations.queries import OperationFilters, list_operations, operation_detail
from tansiq.services.sectors.coverage import coverage
from tests.factories import Clock

AFTER_THE_DEMO = datetime(2020, 2, 25, 9, 0, tzinfo=UTC)
FEB_20 = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)


def test_the_demo_proposes_one_joint_plan_with_one_finding_to_acknowledge(
    ctx: ServiceContext, clock: Clock
) -> None:
    clock.now = AFTER_THE_DEMO
    load_demo(ctx)
    load_demo(ctx)  # idempotent: still one plan
    approver = authenticate_password(
        ctx, username="krg_approver", password=demo_password("krg_approver")
    )
    plans = list_operations(ctx, actor=approver, filters=OperationFilters()).items
    assert [(p["title"], p["status"], p["kind"]) for p in plans] == [(TITLE, "proposed", "joint")]
    detail = operation_detail(ctx, actor=approver, operation_id=plans[0]["id"])
    assert detail["approval_state"] == {
        "status": "pending",
        "parties": {"fed": "pending", "krg": "pending"},
    }
    blocking = [f for f in detail["findings"] if f["blocking"]]
    assert [(f["kind"], f["summary"].split("”")[0]) for f in blocking] == [
        ("protected_site", "Protected site “Qara Tapa mosque (place_of_worship)")
    ]


def test_the_demo_leaves_gaps_in_diyala_kirkuk_and_nineveh(
    ctx: ServiceContext, clock: Clock
) -> None:
    clock.now = AFTER_THE_DEMO
    load_demo(ctx)
    analyst = authenticate_password(
        ctx, username="fed_analyst", password=demo_password("fed_analyst")
    )
    for area in ("Diyala", "Kirkuk", "Ninewa"):
        answer = coverage(ctx, actor=analyst, area=area, at=FEB_20)
        rows = {(r["layer"], r["party"]): r for r in answer["summary"]}
        assert rows[("coverage", "fed")]["area_km2"] > 0, area
        assert rows[("coverage", "krg")]["area_km2"] > 0, area
        assert rows[("gap", None)]["area_km2"] > 0, area
    nineveh = coverage(ctx, actor=analyst, area="Ninewa", at=FEB_20)
    in_gaps = {
        f["properties"]["id"] for f in nineveh["features"] if f["properties"]["layer"] == "incident"
    }
    assert in_gaps, "the Nineveh plains gap holds incidents"
