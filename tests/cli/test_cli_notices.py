"""``tansiq notices pending`` and ``tansiq disputes`` on a temporary SQLite node."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tansiq.cli import main
from tansiq.config import load_settings
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.incidents.assessment_commands import assess_incident
from tansiq.services.notices.commands import acknowledge_notice, send_notice
from tests.factories import Clock, World, build_world
from tests.factories_notices import contest_data, file_incident, notice_data


@dataclass
class Node:
    """A node's database and key file, and a way to run ``tansiq`` against them."""

    db_url: str
    key_file: Path

    def run(self, *args: str) -> Result:
        """Run one command with --db and --key-file of this node appended."""
        options = ["--db", self.db_url, "--key-file", str(self.key_file)]
        return CliRunner().invoke(main, [*args, *options], catch_exceptions=False)


@pytest.fixture
def node(tmp_path: Path) -> Node:
    """An initialised node."""
    node = Node(f"sqlite:///{tmp_path / 'tansiq.db'}", tmp_path / "keys" / "node.key")
    assert node.run("init").exit_code == 0
    return node


@pytest.fixture
def setup(node: Node) -> Iterator[tuple[ServiceContext, World, Clock]]:
    """The node's context with a clock set 2 h in the past, its world, and the clock.

    The commands run on the real clock, so what is sent now is two hours old to them.
    """
    ctx = open_context(load_settings(database_url=node.db_url, key_file=str(node.key_file)))
    clock = Clock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2))
    ctx.clock = clock
    try:
        yield ctx, build_world(ctx), clock
    finally:
        ctx.engine.dispose()


def _window(clock: Clock) -> dict[str, str]:
    start = clock() + timedelta(hours=3)
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=1)).isoformat(),
    }


def _one_line_error(result: Result) -> str:
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_pending_lists_escalated_and_pending_notices_in_baghdad_time(
    node: Node, setup: tuple[ServiceContext, World, Clock]
) -> None:
    ctx, world, clock = setup
    fed = world.actors["fed_liaison"]
    late = send_notice(ctx, actor=fed, data=notice_data(kind="incident_alert", **_window(clock)))
    due = send_notice(ctx, actor=fed, data=notice_data(subject="Convoy", **_window(clock)))
    answered = send_notice(ctx, actor=fed, data=notice_data(subject="Answered", **_window(clock)))
    acknowledge_notice(
        ctx, actor=world.actors["krg_liaison"], notice_id=answered["id"], data={"response": "ack"}
    )

    result = node.run("notices", "pending", "--as", "krg_observer")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("ESCALATED") and late["id"] in lines[0]
    assert lines[1].startswith("pending") and due["id"] in lines[1]
    assert "Answered" not in result.output
    # The 1-hour alert was due an hour ago: shown in Baghdad time (UTC+3).
    deadline = (clock() + timedelta(hours=4)).strftime("%Y-%m-%d %H:%M +0300")
    assert f"due {deadline}" in lines[0]
    assert lines[-1].startswith("Notification is not permission")

    nothing = node.run("notices", "pending", "--as", "fed_liaison")
    assert "no notices await an answer from fed" in nothing.output


def test_disputes_lists_the_center_agenda(
    node: Node, setup: tuple[ServiceContext, World, Clock]
) -> None:
    ctx, world, _clock = setup
    incident = file_incident(ctx, world.actors["fed_liaison"])
    contest = assess_incident(
        ctx, actor=world.actors["krg_analyst"], incident_id=incident["id"], data=contest_data()
    )
    result = node.run("disputes", "--center", "jcc-kirkuk", "--as", "fed_observer")
    assert result.exit_code == 0, result.output
    assert incident["id"] in result.output and contest["id"] in result.output
    assert "owner fed, contested by krg; awaiting fed, krg" in result.output
    other = node.run("disputes", "--center", "fed-un", "--as", "fed_observer")
    assert "no open disputes on the agenda of fed-un" in other.output


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["notices", "pending", "--as", "nobody"], "nobody"),
        (["disputes", "--as", "nobody"], "nobody"),
        (["disputes", "--center", "jcc-mars", "--as", "fed_observer"], "center"),
    ],
)
def test_bad_input_fails_in_one_line(
    node: Node, setup: tuple[ServiceContext, World, Clock], args: list[str], named: str
) -> None:
    assert named in _one_line_error(node.run(*args))
