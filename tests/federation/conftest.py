"""Federation fixtures: fed, krg and un nodes, built once a session and copied per test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher

import tansiq.services.accounts.commands as accounts
from tests.factories import Clock
from tests.federation.nodes import Node, Template, build_template, copy_nodes

if TYPE_CHECKING:
    from tests.federation.marked import Marked

START = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def node_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        return build_template(
            tmp_path_factory.mktemp("federation"), ("fed", "krg", "un"), Clock(START)
        )


@pytest.fixture
def nodes(node_template: Template, tmp_path: Path) -> Iterator[dict[str, Node]]:
    """Copies of the fed, krg and un nodes, each the peer of the others."""
    made = copy_nodes(node_template, tmp_path, Clock(START))
    yield made
    for node in made.values():
        for client in node.clients.values():
            client.close()
        node.ctx.engine.dispose()


@pytest.fixture
def pair(nodes: dict[str, Node]) -> tuple[Node, Node]:
    """The fed and krg nodes."""
    return nodes["fed"], nodes["krg"]


@pytest.fixture(scope="module")
def marked(node_template: Template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Marked]:
    """fed's and krg's nodes with records of every kind from each side, synced both ways
    (``tests/federation/marked.py``); read-only, shared by a module's tests."""
    from tests.federation.marked import build_marked

    made = build_marked(node_template, tmp_path_factory.mktemp("marked"))
    yield made
    for node in (made.fed_node, made.krg_node):
        for client in node.clients.values():
            client.close()
        node.ctx.engine.dispose()
