"""The plan page never shows a finding's subject beyond what the viewer may see now.

Before the fix the page fell back to the finding's stored text ("Overlaps krg sector
“…” by … km²") once the subject itself was no longer readable.
"""

from __future__ import annotations

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.operations.queries import list_findings
from tests.factories import World
from tests.factories_findings import SUBJECTS, Subject
from tests.factories_operations import operation_data
from tests.web.conftest import LoginAs


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s.kind)
def test_the_plan_page_drops_a_narrowed_subject(
    ctx: ServiceContext, world: World, login_as: LoginAs, subject: Subject
) -> None:
    record = subject.make(ctx, world)
    fed_actor = world.actors["fed_liaison"]
    plan = create_operation(ctx, actor=fed_actor, data=operation_data())
    propose_operation(ctx, actor=fed_actor, operation_id=plan["id"])
    [finding] = list_findings(ctx, actor=fed_actor, operation_id=plan["id"])
    fed, krg = login_as("fed_liaison"), login_as("krg_liaison")
    url = f"/operations/{plan['id']}"
    assert record["id"] in fed.get(url).text or subject.name in fed.get(url).text

    subject.narrow(ctx, world, record)

    page = fed.get(url)
    assert page.status_code == 200
    for telltale in (record["id"], subject.name, finding["summary"]):
        assert telltale not in page.text
    board = fed.get("/operations").text
    assert subject.name not in board and finding["summary"] not in board
    # krg owns the subject and still reads it on the same page.
    assert subject.name in krg.get(url).text
