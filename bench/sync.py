"""Entries per second replicated from one node to another on loopback, verified and applied.

Builds a fed node with ``--entries`` released incidents (through the services,
journal and signatures included) and an empty krg node, serves fed with
``tansiq serve``, then times krg's ``pull`` of the whole feed: the feed built and
signed on fed as each request reaches it, batches zstd-compressed over HTTP, every
entry's signature checked (while the batch before is applied) and every entry
applied on krg through the services with its own journal entry, ``synchronous=FULL``.
Logs the CPU seconds each node used meanwhile (fed's server process, krg's pulling
process) and the load average, steadier than wall time on a shared machine; prints
entries/s and bytes per entry on the wire. ``--batch-bytes`` replaces
TANSIQ_SYNC_BATCH_BYTES. With ``--outage N`` it then writes N more entries and times
the catch-up through the lossy proxy at ``--kbps`` (tansiq.testing.lossy_proxy),
where bytes per entry decide. Target: 100,000 entries in <= 30 s.

    .venv/bin/python bench/sync.py [--entries 100000] [--outage 2000 --kbps 64]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import IncidentGenerator, Server, actor, center_ids, log, setup_node  # noqa: E402

from tansiq.services.federation.identity import add_peer, describe_node, set_node_party
from tansiq.services.incidents.commands import create_incidents
from tansiq.sync.client import pull

SYSTEM_PEERS = "system:bench"


def _fill(ctx: object, count: int, generator: IncidentGenerator) -> None:
    fed_liaison = actor(ctx, "fed_liaison")  # type: ignore[arg-type]
    for start in range(0, count, 1000):
        items = [
            {**generator.item(), "releasability": "all"} for _ in range(min(1000, count - start))
        ]
        create_incidents(ctx, actor=fed_liaison, items=items)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--outage", type=int, default=0, help="entries written during an outage")
    parser.add_argument("--kbps", type=int, default=64, help="the proxy's bandwidth, kbit/s")
    parser.add_argument(
        "--batch-bytes", type=int, default=None, help="instead of TANSIQ_SYNC_BATCH_BYTES"
    )
    args = parser.parse_args()
    from tansiq.domain.actors import SystemActor

    by = SystemActor(SYSTEM_PEERS)
    with tempfile.TemporaryDirectory(prefix="tansiq-sync-") as tmp:
        fed_node, krg_node = setup_node(Path(tmp) / "fed"), setup_node(Path(tmp) / "krg")
        fed, krg = fed_node.context(), krg_node.context()
        set_node_party(fed, "fed")
        set_node_party(krg, "krg")
        generator = IncidentGenerator(seed=11, center_ids=center_ids(fed))
        started = time.perf_counter()
        _fill(fed, args.entries, generator)
        log(f"{args.entries:,} incidents written on fed in {time.perf_counter() - started:.1f} s")
        with Server(fed_node, log_name="sync-fed") as server:
            for here, there, url in ((krg, fed, server.base_url), (fed, krg, "http://127.0.0.1:9")):
                shown = describe_node(there)
                add_peer(
                    here,
                    by=by,
                    party=shown["party"],
                    url=url,
                    public_key=shown["public_key"],
                    node_id=shown["node_id"],
                )
            started, cpu = time.perf_counter(), _cpu(server)
            report = pull(krg, "fed", timeout=300, batch_bytes=args.batch_bytes)
            elapsed = time.perf_counter() - started
            per_entry = report.bytes / max(report.applied, 1)
            log(
                f"{report.applied:,} entries in {report.batches} batches, {report.bytes:,} bytes "
                f"({per_entry:.0f} B/entry) in {elapsed:.1f} s; {_cpu_spent(server, cpu)}"
            )
            if args.outage:
                _catch_up(fed, krg, server, args, generator)
        fed.engine.dispose()
        krg.engine.dispose()
    print(
        f"sync: {report.applied / elapsed:.0f} entries/s, {per_entry:.0f} bytes/entry on the wire"
    )


def _cpu(server: Server) -> tuple[float, float]:
    """CPU seconds (user + system) so far of fed's server and of this process (krg)."""
    return server.cpu_seconds(), time.process_time()


def _cpu_spent(server: Server, since: tuple[float, float]) -> str:
    fed_cpu, krg_cpu = (now - then for now, then in zip(_cpu(server), since, strict=True))
    return f"CPU fed {fed_cpu:.1f} s, krg {krg_cpu:.1f} s; {os.getloadavg()[0]:.2f} load"


def _catch_up(
    fed: object, krg: object, server: Server, args: argparse.Namespace, generator: IncidentGenerator
) -> None:
    from tansiq.testing.lossy_proxy import LossyLink, LossyProxy

    _fill(fed, args.outage, generator)
    link = LossyLink(latency_ms=800, bandwidth_bps=args.kbps * 1000, seed=1)
    with LossyProxy("127.0.0.1", 0, "127.0.0.1", server.port, link) as proxy:
        # krg's admin points the peer at the link (re-registering keeps its cursor).
        from tansiq.domain.actors import SystemActor
        from tansiq.services.federation.identity import remove_peer

        by = SystemActor(SYSTEM_PEERS)
        remove_peer(krg, by=by, party="fed")  # type: ignore[arg-type]
        shown = describe_node(fed)  # type: ignore[arg-type]
        add_peer(
            krg,
            by=by,
            party="fed",
            url=proxy.url,  # type: ignore[arg-type]
            public_key=shown["public_key"],
            node_id=shown["node_id"],
        )
        started, cpu = time.perf_counter(), _cpu(server)
        report = pull(krg, "fed", timeout=600, batch_bytes=args.batch_bytes)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
    log(
        f"catch-up of {report.applied:,} entries over {args.kbps} kbit/s + 800 ms: "
        f"{elapsed:.1f} s, {report.bytes / max(report.applied, 1):.0f} B/entry; "
        f"{_cpu_spent(server, cpu)}"
    )


if __name__ == "__main__":
    main()
