"""``tansiq actions overdue`` and ``tansiq digest`` with click's CliRunner.

Most tests run the commands on the ``ctx`` database (both backends, settable
clock) by handing the CLI that context; the last one runs on a real node.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tansiq.cli import main
from tansiq.config import load_settings
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.meetings.action_commands import create_action_item
from tansiq.services.meetings.commands import create_meeting
from tansiq.services.meetings.decision_commands import create_decision
from tests.factories import Clock, World, build_world
from tests.factories_meetings import action_data, add_coordinators, decision_data, meeting_data


@pytest.fixture
def world(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> World:
    """The world with coordinators; the CLI commands act on ``ctx``."""
    # Imported by tansiq.cli (which must load first), so patched by name.
    monkeypatch.setattr("tansiq.cli.options.open_context", lambda _settings: ctx)
    return add_coordinators(ctx, build_world(ctx))


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def _late_items(ctx: ServiceContext, world: World) -> dict[str, Any]:
    kirkuk = world.centers["kirkuk"]["id"]
    meeting = create_meeting(ctx, actor=world.actors["fed_secretary"], data=meeting_data(kirkuk))
    decision = create_decision(
        ctx, actor=world.actors["fed_secretary"], data=decision_data(meeting["id"])
    )
    krg_item = create_action_item(
        ctx,
        actor=world.actors["krg_secretary"],
        data=action_data(decision_id=decision["id"], owner_person="Col. Karwan Aziz"),
    )
    fedun_item = create_action_item(
        ctx,
        actor=world.actors["fed_secretary"],
        data=action_data(center_id=world.centers["fedun"]["id"], due_at="2020-03-02"),
    )
    return {"krg": krg_item, "fedun": fedun_item, "decision": decision}


def test_overdue_lists_late_items_with_baghdad_times(
    ctx: ServiceContext, world: World, clock: Clock
) -> None:
    items = _late_items(ctx, world)
    assert _run("actions", "overdue", "--as", "fed_observer").output == (
        "no overdue action items\n"
    )
    clock.now = clock.now.replace(month=3, day=4)  # 2020-03-04 12:00 in Baghdad
    result = _run("actions", "overdue", "--as", "fed_observer")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "due 2020-02-29 23:59, late 3 d 12 h ESCALATED: krg (Col. Karwan Aziz): "
        f"Hold a meeting to start work [{items['krg']['id']}]"
    )
    assert lines[1].startswith("due 2020-03-02 23:59, late 1 d 12 h: fed (Brig. Ali Hassan)")
    assert lines[-1] == "2 overdue, 1 escalated (times in Asia/Baghdad)"


@pytest.mark.parametrize("center", ["kirkuk", "jcc-kirkuk"])
def test_overdue_narrows_to_a_center(
    ctx: ServiceContext, world: World, clock: Clock, center: str
) -> None:
    items = _late_items(ctx, world)
    clock.advance(days=20)
    result = _run("actions", "overdue", "--center", center, "--as", "fed_observer")
    assert result.exit_code == 0, result.output
    assert items["krg"]["id"] in result.output and items["fedun"]["id"] not in result.output


def test_overdue_shows_only_what_the_user_may_see(
    ctx: ServiceContext, world: World, clock: Clock
) -> None:
    _late_items(ctx, world)
    clock.advance(days=20)
    result = _run("actions", "overdue", "--as", "krg_observer")
    assert result.output.endswith("1 overdue, 1 escalated (times in Asia/Baghdad)\n")


def test_digest_prints_the_center_digest(ctx: ServiceContext, world: World, clock: Clock) -> None:
    items = _late_items(ctx, world)
    clock.now = clock.now.replace(month=3, day=1)
    result = _run("digest", "--center", "kirkuk", "--as", "krg_secretary")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("Daily digest: JCC Kirkuk (jcc-kirkuk)\n")
    assert "generated 2020-03-01 12:00 Asia/Baghdad; items escalate 72 h" in text
    assert "Escalated action items: 0\n" in text
    assert "Overdue action items: 1\n  krg: 1\n    - due 2020-02-29 23:59, late 12 h: krg" in text
    assert f"awaiting fed, krg) [{items['decision']['id']}]" in text
    assert "Meetings in the last 24 hours: 0" in text


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["actions", "overdue", "--as", "nobody"], "nobody"),
        (["actions", "overdue", "--center", "basra", "--as", "fed_observer"], "basra"),
        (["digest", "--center", "basra", "--as", "fed_observer"], "basra"),
        (["digest", "--center", "kirkuk", "--as", "nobody"], "nobody"),
    ],
)
def test_bad_input_fails_in_one_line(world: World, args: list[str], named: str) -> None:
    assert named in _one_line_error(_run(*args))


def test_as_is_required(world: World) -> None:
    result = _run("digest", "--center", "kirkuk")
    assert result.exit_code == 2 and "--as" in result.output


def test_digest_on_a_real_node(tmp_path: Path) -> None:
    db_url, key_file = f"sqlite:///{tmp_path / 'tansiq.db'}", str(tmp_path / "node.key")
    options = ["--db", db_url, "--key-file", key_file]
    assert _run("init", *options).exit_code == 0
    node = open_context(load_settings(database_url=db_url, key_file=key_file))
    try:
        add_coordinators(node, build_world(node))
    finally:
        node.engine.dispose()
    result = _run("digest", "--center", "kirkuk", "--as", "fed_secretary", *options)
    assert result.exit_code == 0, result.output
    assert "Daily digest: JCC Kirkuk (jcc-kirkuk)" in result.output
    assert _run("actions", "overdue", "--as", "fed_secretary", *options).output == (
        "no overdue action items\n"
    )
