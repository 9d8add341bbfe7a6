"""``tansiq operations recheck`` on a temporary SQLite node."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tansiq.config import load_settings
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.operations.queries import list_findings
from tansiq.storage.tables.journal import journal
from tests.cli.test_cli_notices import Node, _one_line_error
from tests.factories import World, build_world
from tests.factories_finding_status import SECTOR, SITE, fed_plan


@pytest.fixture
def node(tmp_path: Path) -> Node:
    node = Node(f"sqlite:///{tmp_path / 'tansiq.db'}", tmp_path / "keys" / "node.key")
    assert node.run("init").exit_code == 0
    return node


@pytest.fixture
def setup(node: Node) -> Iterator[tuple[ServiceContext, World]]:
    ctx = open_context(load_settings(database_url=node.db_url, key_file=str(node.key_file)))
    try:
        yield ctx, build_world(ctx)
    finally:
        ctx.engine.dispose()


def _entries(ctx: ServiceContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(journal)).scalar_one())


def test_recheck_clears_the_finding_of_a_withdrawn_sector_once(
    node: Node, setup: tuple[ServiceContext, World]
) -> None:
    ctx, world = setup
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    sector = SECTOR.make(ctx, krg, True)
    plan = fed_plan(ctx, fed)
    SECTOR.end(ctx, krg, sector)

    result = node.run("operations", "recheck", plan["id"], "--as", "fed_liaison")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{plan['id']}: 1 finding(s) written, 0 open of 1 shown to you"
    [finding] = list_findings(ctx, actor=fed, operation_id=plan["id"])
    assert (finding["status"], finding["cleared_reason"]) == ("cleared", "subject_withdrawn")

    before = _entries(ctx)
    again = node.run("operations", "recheck", "--all", "--as", "fed_liaison")
    assert again.exit_code == 0, again.output
    assert f"{plan['id']}: 0 finding(s) written" in again.output
    assert again.output.splitlines()[-1] == "1 live plan(s) of fed rechecked"
    assert _entries(ctx) == before
    assert node.run("verify").exit_code == 0


def test_recheck_all_rechecks_every_live_plan_of_the_party(
    node: Node, setup: tuple[ServiceContext, World]
) -> None:
    ctx, world = setup
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    site = SITE.make(ctx, krg, True)
    first, second = fed_plan(ctx, fed), fed_plan(ctx, fed)
    SITE.end(ctx, krg, site)

    result = node.run("operations", "recheck", "--all", "--as", "fed_liaison")

    assert result.exit_code == 0, result.output
    # The first plan was proposed before the second: its recheck also meets the second.
    assert f"{first['id']}: 2 finding(s) written" in result.output
    assert f"{second['id']}: 1 finding(s) written" in result.output
    for plan in (first, second):
        found = list_findings(ctx, actor=fed, operation_id=plan["id"])
        statuses = {(f["kind"], f["subject_id"]): f["status"] for f in found}
        assert statuses[("protected_site", site["id"])] == "cleared"
    assert statuses == {("protected_site", site["id"]): "cleared"} | {
        ("operation_overlap", first["id"]): "open"
    }
    assert node.run("verify").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-plan", "--as", "fed_liaison"], "operation"),
        (["{plan}", "--as", "krg_liaison"], "only the party that drafted the plan"),
        (["{plan}", "--as", "fed_observer"], "your role may not recheck"),
        (["{plan}", "--as", "nobody"], "nobody"),
    ],
)
def test_bad_rechecks_are_one_line_and_change_nothing(
    node: Node, setup: tuple[ServiceContext, World], args: list[str], message: str
) -> None:
    ctx, world = setup
    krg = world.actors["krg_liaison"]
    sector = SECTOR.make(ctx, krg, True)
    plan = fed_plan(ctx, world.actors["fed_liaison"])
    SECTOR.end(ctx, krg, sector)
    before = _entries(ctx)

    result = node.run("operations", "recheck", *[a.format(plan=plan["id"]) for a in args])

    assert message in _one_line_error(result)
    assert _entries(ctx) == before


@pytest.mark.parametrize("args", [[], ["some-id", "--all"]])
def test_recheck_needs_one_id_or_all(node: Node, args: list[str]) -> None:
    result = node.run("operations", "recheck", *args, "--as", "fed_liaison")
    assert result.exit_code == 2
    assert "give one OPERATION_ID or --all" in result.output
