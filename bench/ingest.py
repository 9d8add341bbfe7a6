"""Incidents per second through ``POST /api/v1/incidents/batch`` on SQLite.

Starts ``tansiq serve`` on a fresh temporary node (init, parties, users, token),
posts one warm-up batch, then ``--batches`` batches of 1,000 one after the other,
and prints total incidents / wall time. Journal entries and signatures are written
as in production. Target: >= 5,000 incidents/s.

    .venv/bin/python bench/ingest.py [--batches 20] [--profile out.svg]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    BATCH,
    IncidentGenerator,
    Profiler,
    Server,
    center_ids,
    log,
    setup_node,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=20, help="timed batches of 1,000")
    parser.add_argument("--profile", help="py-spy the server into this file (.svg/.json/raw)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tansiq-ingest-") as tmp:
        node = setup_node(Path(tmp) / "node")
        ctx = node.context()
        generator = IncidentGenerator(seed=7, center_ids=center_ids(ctx))
        ctx.engine.dispose()
        # Encoded before timing: the figure is the server's, not the generator's.
        bodies = [orjson.dumps({"items": generator.batch()}) for _ in range(args.batches + 1)]
        log(f"{len(bodies)} bodies of {BATCH} incidents ready ({len(bodies[0]) / 1e6:.2f} MB each)")
        with Server(node, log_name="ingest") as server, server.client("fed_liaison") as client:
            headers = {"Content-Type": "application/json"}

            def post(body: bytes) -> None:
                response = client.post("/api/v1/incidents/batch", content=body, headers=headers)
                if response.status_code != 201:
                    raise SystemExit(f"batch refused: {response.status_code} {response.text[:500]}")

            post(bodies[0])  # warm-up: loads the boundaries, fills caches
            with Profiler(server.pid, args.profile):
                cpu_before = server.cpu_seconds()
                started = time.perf_counter()
                for number, body in enumerate(bodies[1:], start=1):
                    t0 = time.perf_counter()
                    post(body)
                    log(f"batch {number}/{args.batches}: {time.perf_counter() - t0:.3f} s")
                elapsed = time.perf_counter() - started
                cpu = server.cpu_seconds() - cpu_before
    total = args.batches * BATCH
    log(f"{total:,} incidents in {elapsed:.2f} s; server CPU {cpu:.2f} s "
        f"({cpu / args.batches * 1000:.0f} ms per batch of {BATCH})")
    print(f"ingest: {total / elapsed:.0f} incidents/s")


if __name__ == "__main__":
    main()
