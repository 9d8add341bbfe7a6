"""Two real `tansiq serve` processes syncing in the background, on SQLite and on PostgreSQL.

Each node has its own database and key; the test writes through the services of one
node and watches the other's database. Every test runs on both backends. Starting a
pair of servers costs most of a test (~10 s on a busy machine), so one pair per
backend serves the module's tests in turn: each test counts what it adds on top of
what the earlier ones left, after seeing it all arrive (:func:`_settled`).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

import tansiq.services.accounts.commands as accounts
from tansiq.config import load_settings
from tansiq.domain.errors import NotFound
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.core.node import init_node
from tansiq.services.core.verification import verify_database
from tansiq.services.federation.identity import (
    add_peer,
    describe_node,
    remove_peer,
    set_node_party,
)
from tansiq.services.incidents.commands import create_incident, create_incidents, get_incident
from tansiq.storage.tables.federation import received_entries
from tansiq.storage.tables.incidents import incidents
from tansiq.testing.lossy_proxy import LossyLink, LossyProxy
from tansiq.testing.pair import NodeProcess
from tests.conftest import _postgres_engine
from tests.factories import SYSTEM, World, _create_world, incident_data

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

pytestmark = pytest.mark.xdist_group("two-processes")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """A started node and, in this process, a context on its database and its world."""

    def __init__(self, node: NodeProcess, world: World, ctx: ServiceContext) -> None:
        self.node, self.world, self.ctx = node, world, ctx

    def liaison(self) -> Any:
        return self.world.actors[f"{self.node.party}_liaison"]


def _open(node: NodeProcess) -> ServiceContext:
    node.root.mkdir(parents=True, exist_ok=True)
    settings = load_settings(
        database_url=node.database_url, key_file=str(node.root / "node_ed25519.key")
    )
    init_node(settings)
    return open_context(settings)


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pairs]:
    """The module's served pairs, one per backend, each started when first asked for."""
    started = Pairs(tmp_path_factory)
    try:
        yield started
    finally:
        started.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, pairs: Pairs) -> dict[str, Served]:
    """fed and krg on ``request.param``, serving; shared by the module's tests (however
    the runner orders them, so xdist's order costs no second start)."""
    return pairs.get(request.param)


class Pairs:
    """fed and krg per backend, set up through the services (the CLI is slow to start)."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.tmp_path_factory = tmp_path_factory
        self.served: dict[str, dict[str, Served]] = {}
        self.databases: list[Iterator[Any]] = []

    def get(self, backend: str) -> dict[str, Served]:
        """The pair on ``backend``, started the first time."""
        if backend not in self.served:
            self.served[backend] = {}
            self._start(backend, self.served[backend])
        return self.served[backend]

    def _start(self, backend: str, out: dict[str, Served]) -> None:
        tmp_path = self.tmp_path_factory.mktemp(f"pair-{backend}")
        nodes: dict[str, NodeProcess] = {}
        for party in ("fed", "krg"):
            url = f"sqlite:///{tmp_path / party / 'tansiq.db'}"
            if backend == "postgresql":
                generator = _postgres_engine()
                engine = next(generator)
                url = engine.url.render_as_string(hide_password=False)
                engine.dispose()
                self.databases.append(generator)
            nodes[party] = NodeProcess(
                tmp_path / party,
                party,
                _free_port(),
                url,
                sync_interval=1,
                # Small batches: a pull of a thousand entries takes several transactions.
                extra_env={"TANSIQ_SYNC_BATCH_BYTES": "32768"},
            )
        with pytest.MonkeyPatch.context() as patch:
            # Cheap password hashes for the world's users (the autouse fixture is per test).
            patch.setattr(accounts, "_hasher", FAST_HASHER)
            for party, node in nodes.items():
                ctx = _open(node)
                out[party] = Served(node, _create_world(ctx, with_tokens=False), ctx)
                set_node_party(ctx, party)
        for here, there in (("fed", "krg"), ("krg", "fed")):
            shown = describe_node(out[there].ctx)
            add_peer(
                out[here].ctx,
                by=SYSTEM,
                party=there,
                url=nodes[there].url,
                public_key=shown["public_key"],
                node_id=shown["node_id"],
            )
        for item in out.values():
            item.node.spawn()
        for item in out.values():
            item.node.wait()

    def close(self) -> None:
        """Stop every node and drop the PostgreSQL databases."""
        for pair in self.served.values():
            for item in pair.values():
                item.node.stop()
                item.ctx.engine.dispose()
        for generator in self.databases:
            generator.close()


def _eventually(check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the nodes did not converge in time")


def _settled(fed: Served, krg: Served) -> None:
    """Wait until krg holds all fed sent so far: a new incident arrives last of all."""
    marker = create_incident(fed.ctx, actor=fed.liaison(), data=incident_data())
    _eventually(lambda: _has(krg, marker["id"]))


def _received(ctx: ServiceContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(received_entries)).scalar_one())


def _has(node: Served, incident_id: str) -> bool:
    try:
        get_incident(node.ctx, actor=node.liaison(), incident_id=incident_id)
    except NotFound:
        return False
    return True


def test_what_is_released_crosses_within_seconds_and_what_is_not_never(
    served: dict[str, Served],
) -> None:
    fed, krg = served["fed"], served["krg"]
    private = create_incident(
        fed.ctx, actor=fed.liaison(), data=incident_data(releasability="party")
    )
    shared = create_incident(fed.ctx, actor=fed.liaison(), data=incident_data())
    back = create_incident(krg.ctx, actor=krg.liaison(), data=incident_data())
    _eventually(lambda: _has(krg, shared["id"]) and _has(fed, back["id"]))
    assert not _has(krg, private["id"])
    seen = get_incident(krg.ctx, actor=krg.liaison(), incident_id=shared["id"])
    assert seen["party"] == "fed"
    for node in (fed, krg):
        assert verify_database(node.ctx).ok


def _count(ctx: ServiceContext, party: str) -> int:
    with ctx.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(incidents).where(incidents.c.party_id == party)
            ).scalar_one()
        )


def test_killing_the_receiver_mid_sync_loses_and_duplicates_nothing(
    served: dict[str, Served],
) -> None:
    fed, krg = served["fed"], served["krg"]
    _settled(fed, krg)
    had, received = _count(krg.ctx, "fed"), _received(krg.ctx)
    krg.node.stop()
    try:
        total = 1200
        for _ in range(total // 400):
            items = [incident_data() for _ in range(400)]
            create_incidents(fed.ctx, actor=fed.liaison(), items=items)
        krg.node.start()
        _eventually(lambda: had < _count(krg.ctx, "fed") < had + total, timeout=60)
        krg.node.stop(kill=True)
    finally:
        krg.node.start()  # the next test finds the pair serving, whatever happened here
    _eventually(lambda: _count(krg.ctx, "fed") == had + total, timeout=120)
    assert _received(krg.ctx) == received + total
    assert verify_database(krg.ctx).ok


def _point_peer(krg: Served, fed: Served, url: str) -> None:
    """krg's admin points the fed peer at ``url`` (re-registering keeps its cursor)."""
    remove_peer(krg.ctx, by=SYSTEM, party="fed")
    shown = describe_node(fed.ctx)
    add_peer(
        krg.ctx,
        by=SYSTEM,
        party="fed",
        url=url,
        public_key=shown["public_key"],
        node_id=shown["node_id"],
    )


def test_sync_converges_exactly_once_over_a_poor_link(served: dict[str, Served]) -> None:
    fed, krg = served["fed"], served["krg"]
    _settled(fed, krg)
    had, received = _count(krg.ctx, "fed"), _received(krg.ctx)
    link = LossyLink(
        latency_ms=150, bandwidth_bps=256_000, drop_probability=0.15, cut_probability=0.15, seed=3
    )
    with LossyProxy("127.0.0.1", 0, "127.0.0.1", fed.node.port, link) as proxy:
        _point_peer(krg, fed, proxy.url)
        try:
            total = 400
            create_incidents(
                fed.ctx, actor=fed.liaison(), items=[incident_data() for _ in range(total)]
            )
            _eventually(lambda: _count(krg.ctx, "fed") == had + total, timeout=150)
            stats = proxy.stats
        finally:
            _point_peer(krg, fed, fed.node.url)
    assert _received(krg.ctx) == received + total
    assert stats.drops + stats.cuts > 0, "the link should have failed some requests"
    assert verify_database(krg.ctx).ok
