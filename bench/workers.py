"""Write and read throughput of `tansiq serve` on PostgreSQL with 1 and 4 worker processes.

For each worker count: a fresh PostgreSQL database and node, then ``--clients``
client threads for ``--seconds`` filing single incidents (``POST /incidents``),
then as long listing them (``GET /incidents?limit=50``). Prints requests per
second for each, and last the 4-worker write figure. Needs the PostgreSQL server
of ``TANSIQ_BENCH_PG_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``).

    .venv/bin/python bench/workers.py [--seconds 10] [--clients 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import IncidentGenerator, Server, center_ids, log, setup_node  # noqa: E402

ADMIN_URL = os.environ.get(
    "TANSIQ_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _run(
    clients: int,
    seconds: float,
    request: Callable[[httpx.Client, int], int],
    make: Callable[[], httpx.Client],
) -> tuple[int, int]:
    """Requests answered in ``seconds`` by ``clients`` threads, and how many were 5xx."""
    done = [0] * clients
    failed = [0] * clients
    stop = time.monotonic() + seconds

    def loop(index: int) -> None:
        with make() as client:
            n = 0
            while time.monotonic() < stop:
                status = request(client, n)
                done[index] += 1
                failed[index] += status >= 500
                n += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), sum(failed)


def measure(workers: int, *, seconds: float, clients: int) -> tuple[float, float]:
    """(writes/s, reads/s) with ``workers`` processes on a fresh database."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"tansiq_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        with tempfile.TemporaryDirectory(prefix="tansiq-workers-") as tmp:
            node = setup_node(Path(tmp) / "node", database_url=url)
            ctx = node.context()
            generator = IncidentGenerator(seed=workers, center_ids=center_ids(ctx))
            ctx.engine.dispose()
            bodies = [generator.item() for _ in range(20_000)]
            with Server(node, log_name=f"workers-{workers}", workers=workers) as server:
                time.sleep(2.0 * workers)  # every worker has loaded the boundaries

                def make() -> httpx.Client:
                    token = node.tokens["fed_liaison"]
                    return httpx.Client(
                        base_url=f"{server.base_url}/api/v1",
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=60,
                    )

                def write(client: httpx.Client, n: int) -> int:
                    return client.post("/incidents", json=bodies[n % len(bodies)]).status_code

                def read(client: httpx.Client, _n: int) -> int:
                    return client.get("/incidents", params={"limit": 50}).status_code

                writes, write_errors = _run(clients, seconds, write, make)
                reads, read_errors = _run(clients, seconds, read, make)
            if write_errors or read_errors:
                raise SystemExit(f"{write_errors} writes and {read_errors} reads answered 5xx")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return writes / seconds, reads / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    args = parser.parse_args()
    figures = {}
    for workers in (1, 4):
        writes, reads = measure(workers, seconds=args.seconds, clients=args.clients)
        figures[workers] = writes
        log(f"{workers} worker(s): {writes:.0f} writes/s, {reads:.0f} reads/s (0 5xx)")
    print(
        f"PostgreSQL, 4 workers: {figures[4]:.0f} single-incident writes/s "
        f"({figures[1]:.0f} with 1 worker)"
    )


if __name__ == "__main__":
    main()
