"""Shared fixtures: a migrated SQLite file and PostgreSQL database, reset per test.

Each database is migrated once per session; every test starts from the rows the
migrations left (see tests/snapshots.py).

PostgreSQL tests skip when no server answers, unless TANSIQ_REQUIRE_PG=1 (CI),
which turns the skip into a failure.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text

import tansiq.services.accounts.commands as accounts
from tansiq.config import Settings
from tansiq.journal.keys import NodeKey, create_key
from tansiq.services.core.context import ServiceContext
from tansiq.storage.db import make_engine
from tansiq.storage.migrate import upgrade
from tests import snapshots
from tests.factories import Clock

PG_ADMIN_URL = os.environ.get(
    "TANSIQ_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]


def _require(flag: str) -> bool:
    return os.environ.get(flag, "") in ("1", "true", "yes")


@pytest.fixture(scope="session")
def node_key(tmp_path_factory: pytest.TempPathFactory) -> NodeKey:
    """One node key for the whole run, kept in a 0600 file."""
    return create_key(tmp_path_factory.mktemp("key") / "node.key")


def _postgres_engine() -> Iterator[Engine]:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"tansiq_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        admin.dispose()
        if _require("TANSIQ_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL is required (TANSIQ_REQUIRE_PG=1) but unavailable: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        snapshots.register_pristine(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database per backend, shared by the session."""
    if request.param == "postgresql":
        yield from _postgres_engine()
        return
    path = tmp_path_factory.mktemp("sqlite") / "tansiq.db"
    sqlite_engine = make_engine(f"sqlite:///{path}")
    upgrade(sqlite_engine)
    snapshots.register_pristine(sqlite_engine)
    yield sqlite_engine
    sqlite_engine.dispose()


@pytest.fixture
def clock() -> Clock:
    """A controllable clock starting at 2020-02-20 09:00 UTC."""
    return Clock(datetime(2020, 2, 20, 9, 0, tzinfo=UTC))


@pytest.fixture
def ctx(engine: Engine, node_key: NodeKey, clock: Clock, tmp_path: Path) -> ServiceContext:
    """A service context on a freshly migrated database (its rows reset, not rebuilt)."""
    # Reset before, not after: a test may leave rows behind, never find another's.
    snapshots.reset(engine)
    settings = Settings(
        database_url=engine.url.render_as_string(False),
        key_file=str(tmp_path / "k"),
        # No test reaches out to the network: one that fetches an article turns it on
        # and serves the page itself (tests/api/test_article_submission.py).
        article_fetch="off",
    )
    return ServiceContext(engine=engine, key=node_key, settings=settings, clock=clock)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2id parameters in tests: full strength costs ~0.25 s a password.

    Verification reads the parameters from each hash, so nothing else changes;
    tests/unit/test_passwords.py checks the production parameters.
    """
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture(autouse=True)
def timing_alone(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Under xdist, a test marked ``timing`` runs while no other worker is in a test.

    Its wall-clock bound is about the code, not about the other workers' load on
    the cores: every test holds a shared lock on one file of the run, a timing
    test an exclusive one. Without xdist this does nothing.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        yield
        return
    # Each worker's basetemp is <the run's basetemp>/popen-gwN: the parent is shared.
    path = tmp_path_factory.getbasetemp().parent / "timing.lock"
    exclusive = request.node.get_closest_marker("timing") is not None
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
