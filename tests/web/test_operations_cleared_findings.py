"""The plan page and the board show a cleared finding as cleared, never as a live conflict,
and the plan's owner rechecks its findings with the page's button."""

from __future__ import annotations

import re

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.operations.queries import list_findings
from tests.factories import World
from tests.factories_finding_status import KINDS, Kind, fed_plan
from tests.web.conftest import LoginAs, csrf_token


def _open_count(page: str) -> int:
    found = re.search(r'id="open-findings">(\d+)<', page)
    assert found, "the page shows no count of open findings"
    return int(found.group(1))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.kind)
def test_a_cleared_finding_is_shown_apart_after_the_owner_rechecks_on_the_page(
    ctx: ServiceContext, world: World, login_as: LoginAs, kind: Kind
) -> None:
    krg = world.actors["krg_liaison"]
    record = kind.make(ctx, krg, True)
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    [finding] = list_findings(ctx, actor=world.actors["fed_liaison"], operation_id=plan["id"])
    fed = login_as("fed_liaison")
    url = f"/operations/{plan['id']}"
    page = fed.get(url).text
    assert _open_count(page) == 1 and 'data-status="cleared"' not in page
    blocking_before = "Blocking findings: 1" in fed.get("/operations").text
    assert blocking_before == finding["blocking"]

    kind.end(ctx, krg, record)
    # krg may read the plan, but has no button to recheck fed's findings.
    assert 'id="recheck-findings"' not in login_as("krg_liaison").get(url).text
    page = fed.get(url).text
    assert 'id="recheck-findings"' in page and _open_count(page) == 1

    done = fed.post(f"{url}/recheck", data={"csrf_token": csrf_token(page)}, follow_redirects=False)
    assert done.status_code == 303, done.text

    page = fed.get(url).text
    assert _open_count(page) == 0
    cleared = page[page.index('id="cleared-findings"') :]
    assert f'data-finding-id="{finding["id"]}" data-status="cleared"' in cleared
    reason = "retracted" if kind.reason == "subject_retracted" else "withdrawn"
    if kind.reason == "subject_ended":
        reason = "the other plan was cancelled, completed or rejected"
    assert reason in cleared
    # The sign form asks no acknowledgement of it, and the board counts no blocking one.
    assert f'name="ack-{finding["id"]}"' not in page
    assert "Blocking findings" not in fed.get("/operations").text


def test_a_recheck_without_the_form_token_or_by_another_party_changes_nothing(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    krg = world.actors["krg_liaison"]
    record = KINDS[0].make(ctx, krg, True)
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    KINDS[0].end(ctx, krg, record)
    url = f"/operations/{plan['id']}"
    fed, other = login_as("fed_liaison"), login_as("krg_liaison")
    assert fed.post(f"{url}/recheck", data={}, follow_redirects=False).status_code == 403
    token = csrf_token(other.get(url).text)
    refused = other.post(f"{url}/recheck", data={"csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 403
    [finding] = list_findings(ctx, actor=world.actors["fed_liaison"], operation_id=plan["id"])
    assert (finding["version"], finding["status"]) == (1, "open")
