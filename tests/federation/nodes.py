"""Two (or three) federated nodes in one process: separate databases, keys and apps.

Each node is a real migrated SQLite file (or PostgreSQL database) with its own key,
its party, the shared world (parties, centers, users) and its peers registered; a
pull goes over HTTP into the peer's ASGI app through Starlette's TestClient, so
the signed requests, answers and batches are the real ones.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tansiq.app import create_app
from tansiq.config import Settings
from tansiq.domain.actors import Actor
from tansiq.journal.keys import NodeKey, create_key, load_key
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.identity import add_peer, describe_node, set_node_party
from tansiq.storage.db import make_engine
from tansiq.storage.migrate import upgrade
from tansiq.sync.client import PullReport, pull
from tests.api.helpers import TestClient
from tests.factories import SYSTEM, Clock, World, _create_world
from tests.factories_operations import add_approvers

_APPS: dict[str, Any] = {}


@dataclass
class Node:
    """One party's node: its context, world, app (built when first asked) and its peers."""

    party: str
    ctx: ServiceContext
    world: World
    url: str
    peers: dict[str, Node] = field(default_factory=dict)
    clients: dict[str, TestClient] = field(default_factory=dict)
    _app: Any = None

    @property
    def app(self) -> Any:
        """The node's ASGI app, pointed at this node's context.

        Building an app costs ~0.5 s, so one app a party serves every test in turn:
        it reads its context from ``app.state`` at each request.
        """
        if self._app is None:
            self._app = _APPS.get(self.party) or create_app(ctx=self.ctx)
            _APPS[self.party] = self._app
        self._app.state.ctx = self.ctx
        return self._app

    def client_for(self, party: str) -> TestClient:
        """An HTTP client into the app of the peer of ``party``."""
        if party not in self.clients:
            peer = self.peers[party]
            self.clients[party] = TestClient(peer.app, base_url=peer.url)
        return self.clients[party]

    def actor(self, role: str = "liaison") -> Actor:
        """This node's user of its own party with ``role``."""
        return self.world.actors[f"{self.party}_{role}"]

    def pull(self, party: str) -> PullReport:
        """Pull once from the peer of ``party``."""
        return pull(self.ctx, party, client=self.client_for(party))


def make_node(party: str, tmp: Path, clock: Clock, *, engine: Engine | None = None) -> Node:
    """A migrated node of ``party`` in ``tmp`` (SQLite unless ``engine`` is given)."""
    tmp.mkdir(parents=True, exist_ok=True)
    key = create_key(tmp / "node.key")
    engine = engine or make_engine(f"sqlite:///{tmp / 'node.db'}")
    upgrade(engine)
    ctx = _context(engine, key, tmp, clock)
    world = _create_world(ctx, with_tokens=False)
    add_approvers(ctx, world, parties=(party,))
    set_node_party(ctx, party)
    return Node(party, ctx, world, url=f"http://{party}.test")


def _context(engine: Engine, key: NodeKey, tmp: Path, clock: Clock) -> ServiceContext:
    settings = Settings(
        database_url=engine.url.render_as_string(False), key_file=str(tmp / "node.key")
    )
    return ServiceContext(engine=engine, key=key, settings=settings, clock=clock)


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
        here.peers[there.party] = there


@dataclass
class Template:
    """Nodes built once a session, all connected; each test gets copies of their files."""

    root: Path
    worlds: dict[str, World]


def build_template(root: Path, parties: tuple[str, ...], clock: Clock) -> Template:
    """Build the nodes of ``parties`` in ``root``, each the peer of every other."""
    nodes = [make_node(party, root / party, clock) for party in parties]
    for index, a in enumerate(nodes):
        for b in nodes[index + 1 :]:
            connect(a, b)
    worlds = {node.party: node.world for node in nodes}
    for node in nodes:
        for client in node.clients.values():
            client.close()
        node.ctx.engine.dispose()
    return Template(root, worlds)


def copy_nodes(template: Template, tmp: Path, clock: Clock) -> dict[str, Node]:
    """Fresh copies of the template's nodes in ``tmp``, connected as in the template."""
    nodes: dict[str, Node] = {}
    for party, world in template.worlds.items():
        shutil.copytree(template.root / party, tmp / party)
        key = load_key(tmp / party / "node.key")
        engine = make_engine(f"sqlite:///{tmp / party / 'node.db'}")
        ctx = _context(engine, key, tmp / party, clock)
        nodes[party] = Node(party, ctx, world, url=f"http://{party}.test")
    for node in nodes.values():
        node.peers = {other.party: other for other in nodes.values() if other is not node}
    return nodes
