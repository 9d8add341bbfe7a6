"""``tansiq review list/accept/discard`` on a temporary SQLite node."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from tansiq.config import load_settings
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import get_incident
from tansiq.services.intake.queries import get_candidate
from tests.cli.test_cli_notices import Node
from tests.factories import Clock, World, build_world
from tests.factories_intake import IED_SENTENCE, propose


@pytest.fixture
def node(tmp_path: Path) -> Node:
    """An initialised node."""
    node = Node(f"sqlite:///{tmp_path / 'tansiq.db'}", tmp_path / "keys" / "node.key")
    assert node.run("init").exit_code == 0
    return node


@pytest.fixture
def setup(node: Node) -> Iterator[tuple[ServiceContext, World, list[str]]]:
    """The node's context, its world and fed's three queued candidates."""
    ctx = open_context(load_settings(database_url=node.db_url, key_file=str(node.key_file)))
    ctx.clock = Clock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2))
    try:
        world = build_world(ctx)
        queued = [c["id"] for c in propose(ctx, world.actors["fed_liaison"]).candidates]
        yield ctx, world, queued
    finally:
        ctx.engine.dispose()


def test_review_list_shows_the_queue_with_its_evidence(
    node: Node, setup: tuple[ServiceContext, World, list[str]]
) -> None:
    _ctx, _world, queued = setup
    listed = node.run("review", "list", "--as", "fed_observer")
    assert listed.exit_code == 0, listed.output
    assert all(f"[{candidate_id}]" in listed.output for candidate_id in queued)
    assert IED_SENTENCE[:60] in listed.output and "Shafaq News" in listed.output
    lines = node.run("review", "list", "--as", "fed_analyst", "--json").output.splitlines()
    assert [orjson.loads(line)["id"] for line in lines] == queued
    other = node.run("review", "list", "--as", "krg_analyst")
    assert other.exit_code == 0 and "no pending candidates in krg's queue" in other.output


def test_review_accept_files_the_incident_with_corrections(
    node: Node, setup: tuple[ServiceContext, World, list[str]]
) -> None:
    ctx, world, queued = setup
    refused = node.run(
        "review", "accept", queued[0], "--as", "fed_analyst", "--set", "credibility=9"
    )
    assert refused.exit_code != 0 and "record.credibility" in refused.output
    bad = node.run("review", "accept", queued[0], "--as", "fed_analyst", "--set", "credibility")
    assert bad.exit_code != 0 and "--set" in bad.output
    accepted = node.run(
        "review",
        "accept",
        queued[0],
        "--as",
        "fed_analyst",
        "--set",
        "credibility=2",
        "--set",
        "releasability=all",
    )
    assert accepted.exit_code == 0, accepted.output
    incident_id = accepted.output.split()[-1]
    incident = get_incident(ctx, actor=world.actors["krg_observer"], incident_id=incident_id)
    assert incident["credibility"] == 2 and IED_SENTENCE in incident["description"]
    report = verify_database(ctx)
    assert report.ok, report.problem


def test_review_discard_and_the_refusals(
    node: Node, setup: tuple[ServiceContext, World, list[str]]
) -> None:
    ctx, world, queued = setup
    assert node.run("review", "discard", queued[1], "--as", "krg_admin").exit_code != 0
    assert node.run("review", "discard", queued[1], "--as", "fed_liaison").exit_code != 0
    done = node.run("review", "discard", queued[1], "--as", "fed_analyst", "--reason", "Old news")
    assert done.exit_code == 0, done.output
    candidate = get_candidate(ctx, actor=world.actors["fed_analyst"], candidate_id=queued[1])
    assert (candidate["status"], candidate["discard_reason"]) == ("discarded", "Old news")
    again = node.run("review", "discard", queued[1], "--as", "fed_analyst")
    assert again.exit_code != 0 and "status" in again.output
    shown = node.run("review", "list", "--as", "fed_analyst", "--status", "discarded")
    assert f"[{queued[1]}]" in shown.output
