"""Two (or three) federated nodes in one process: separate databases, keys and apps.

Each node is a real migrated SQLite file (or PostgreSQL database) with its own key,
its party, the shared world (parties, centers, users) and its peers registered; a
pull goes over HTTP into the peer's ASGI app through Starlette's TestClient, so
the signed requests, answers and batches are the real ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.api.helpers import TestClient
from sqlalchemy import Engine

from tansiq.app import create_app
from tansiq.config import Settings
from tansiq.domain.actors import Actor
from tansiq.journal.keys import create_key
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.identity import add_peer, describe_node, set_node_party
from tansiq.storage.db import make_engine
from tansiq.storage.migrate import upgrade
from tansiq.sync.client import PullReport, pull
from tests.factories import SYSTEM, Clock, World, _create_world


@dataclass
class Node:
    """One party's node: its context, app, world and the clients to reach its peers."""

    party: str
    ctx: ServiceContext
    world: World
    app: Any
    url: str
    clients: dict[str, TestClient] = field(default_factory=dict)

    def actor(self, role: str = "liaison") -> Actor:
        """This node's user of its own party with ``role``."""
        return self.world.actors[f"{self.party}_{role}"]

    def pull(self, party: str) -> PullReport:
        """Pull once from the peer of ``party``."""
        return pull(self.ctx, party, client=self.clients[party])


def make_node(party: str, tmp: Path, clock: Clock, *, engine: Engine | None = None) -> Node:
    """A migrated node of ``party`` in ``tmp`` (SQLite unless ``engine`` is given)."""
    tmp.mkdir(parents=True, exist_ok=True)
    key = create_key(tmp / "node.key")
    url = f"sqlite:///{tmp / 'node.db'}"
    engine = engine or make_engine(url)
    upgrade(engine)
    settings = Settings(
        database_url=engine.url.render_as_string(False), key_file=str(tmp / "node.key")
    )
    ctx = ServiceContext(engine=engine, key=key, settings=settings, clock=clock)
    world = _create_world(ctx, with_tokens=False)
    set_node_party(ctx, party)
    app = create_app(ctx=ctx)
    return Node(party, ctx, world, app, url=f"http://{party}.test")


def connect(a: Node, b: Node) -> None:
    """Register each node as the other's peer, as two admins would from `node show`."""
    for here, there in ((a, b), (b, a)):
        shown = describe_node(there.ctx)
        add_peer(
            here.ctx,
            by=SYSTEM,
            party=there.party,
            url=there.url,
            public_key=shown["public_key"],
            node_id=shown["node_id"],
        )
        here.clients[there.party] = TestClient(there.app, base_url=there.url)


def close(*nodes: Node) -> Iterator[None]:
    """Dispose every node's engine and clients (a fixture's teardown)."""
    yield
    for node in nodes:
        for client in node.clients.values():
            client.close()
        node.ctx.engine.dispose()
