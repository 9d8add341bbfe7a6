"""Several `tansiq serve` workers on one PostgreSQL database keep one valid chain.

Four worker processes answer concurrent writers and readers: nothing acknowledged
is lost, no request answers 5xx, and the journal verifies afterwards. SQLite,
which takes one writer at a time, refuses more than one worker.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tansiq.cli import main
from tansiq.config import load_settings
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.core.node import init_node
from tansiq.services.core.verification import verify_database
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tests.conftest import _postgres_engine
from tests.factories import build_world, incident_data

pytestmark = pytest.mark.postgres

WORKERS = 4
WRITERS = 8
WRITES_EACH = 6


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pg_node(tmp_path: Path) -> Iterator[ServiceContext]:
    """A node (key file, migrated database) on a PostgreSQL database of its own."""
    databases = _postgres_engine()  # skips, or fails under TANSIQ_REQUIRE_PG, without a server
    engine = next(databases)
    url = engine.url.render_as_string(hide_password=False)
    settings = load_settings(database_url=url, key_file=str(tmp_path / "node.key"))
    init_node(settings)
    ctx = open_context(settings)
    try:
        yield ctx
    finally:
        ctx.engine.dispose()
        databases.close()  # drops the database


def _serve(ctx: ServiceContext, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tansiq", "serve", "--workers", str(WORKERS)]
    command += ["--port", str(port), "--db", ctx.settings.database_url]
    command += ["--key-file", ctx.settings.key_file]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the workers did not come up")


def test_four_workers_keep_one_valid_chain_under_concurrent_writers(
    pg_node: ServiceContext,
) -> None:
    world = build_world(pg_node, with_tokens=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(pg_node, port)
    try:
        _wait_until_up(base, server)
        writers = ["fed_liaison", "krg_liaison"] * (WRITERS // 2)

        def write_and_read(index: int) -> list[int]:
            token = world.tokens[writers[index]]
            headers = {"Authorization": f"Bearer {token}"}
            statuses = []
            with httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=60) as client:
                for n in range(WRITES_EACH):
                    body = incident_data(injured=n, occurred_at="2020-02-19T21:00:00Z")
                    statuses.append(client.post("/incidents", json=body).status_code)
                    statuses.append(client.get("/incidents", params={"limit": 20}).status_code)
            return statuses

        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            statuses = [s for batch in pool.map(write_and_read, range(WRITERS)) for s in batch]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses.count(201) == WRITERS * WRITES_EACH, sorted(set(statuses))
    assert statuses.count(200) == WRITERS * WRITES_EACH
    with pg_node.engine.connect() as conn:
        filed = conn.execute(select(func.count()).select_from(incidents)).scalar()
        seqs = [r.seq for r in conn.execute(select(journal.c.seq).order_by(journal.c.seq))]
    assert filed == WRITERS * WRITES_EACH
    assert seqs == list(range(1, len(seqs) + 1))
    report = verify_database(pg_node)
    assert report.ok, report.problem


def test_sqlite_refuses_several_workers(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    key = str(tmp_path / "k")
    assert CliRunner().invoke(main, ["init", "--db", db, "--key-file", key]).exit_code == 0
    result = CliRunner().invoke(
        main, ["serve", "--workers", "2", "--db", db, "--key-file", key, "--port", "1"]
    )
    assert result.exit_code != 0
    assert "needs PostgreSQL" in result.output
