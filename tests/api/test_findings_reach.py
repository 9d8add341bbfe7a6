"""Stored findings never show a subject beyond what the viewer may see now.

A finding names its subject (text and figures) when the plan is proposed; when the
subject is later narrowed to its party, the plan's other readers must lose it from
every read: the findings list, the plan detail, and what an approver must acknowledge.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.operations.approval_commands import decide_operation
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.operations.queries import list_findings, operation_detail
from tests.api.helpers import AsUser
from tests.factories import World
from tests.factories_findings import SUBJECTS, Subject
from tests.factories_operations import add_approvers, operation_data


def _fed_plan(ctx: ServiceContext, world: World) -> dict[str, Any]:
    fed = world.actors["fed_liaison"]
    plan = create_operation(ctx, actor=fed, data=operation_data())
    return propose_operation(ctx, actor=fed, operation_id=plan["id"])


def _api_text(as_user: AsUser, username: str, plan_id: str) -> str:
    """Everything the API tells ``username`` about the plan and its findings."""
    caller = as_user(username)
    detail = caller.get(f"/operations/{plan_id}")
    listed = caller.get(f"/operations/{plan_id}/findings")
    assert detail.status_code == 200 and listed.status_code == 200
    return detail.text + listed.text


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s.kind)
def test_a_narrowed_subject_leaves_the_other_partys_findings(
    ctx: ServiceContext, world: World, as_user: AsUser, subject: Subject
) -> None:
    record = subject.make(ctx, world)
    plan = _fed_plan(ctx, world)
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    [finding] = list_findings(ctx, actor=fed, operation_id=plan["id"])
    assert (finding["kind"], finding["subject_id"]) == (subject.kind, record["id"])
    assert record["id"] in _api_text(as_user, "fed_liaison", plan["id"])

    subject.narrow(ctx, world, record)

    assert list_findings(ctx, actor=fed, operation_id=plan["id"]) == []
    assert operation_detail(ctx, actor=fed, operation_id=plan["id"])["findings"] == []
    text = _api_text(as_user, "fed_liaison", plan["id"])
    for telltale in (record["id"], subject.name, finding["summary"]):
        assert telltale not in text
    # The subject's owner may still see both the plan and its own record.
    [still] = list_findings(ctx, actor=krg, operation_id=plan["id"])
    assert still["id"] == finding["id"]
    assert finding["summary"] in _api_text(as_user, "krg_liaison", plan["id"])


def test_an_approver_need_not_acknowledge_what_it_may_no_longer_see(
    ctx: ServiceContext, world: World
) -> None:
    approvers = add_approvers(ctx, world, parties=("fed",))
    sector = SUBJECTS[0]
    record = sector.make(ctx, world)
    plan = _fed_plan(ctx, world)
    sector.narrow(ctx, world, record)
    approval = decide_operation(
        ctx,
        actor=approvers["fed"],
        operation_id=plan["id"],
        data={"decision": "approve", "plan_hash": plan["plan_hash"], "comment": "Agreed."},
    )
    assert approval["acknowledgements"] == []
    assert record["id"] not in orjson.dumps(approval).decode()
