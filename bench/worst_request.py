"""The worst request one liaison can make: star sectors overlaid by coverage and deconfliction.

Declares, as fed and krg, valid "star" sectors released to all whose spikes cross each
other's (the overlay's cost grows with the crossings, up to the product of the vertex
counts): a pair just under the crossing budget (TANSIQ_MAX_CROSSINGS) in February and a
pair of 4,999-vertex stars far over it in March. Then asks, over HTTP, for coverage of
Kirkuk and of a drawn 4,999-vertex star area at both dates, and proposes a star plan,
while another thread asks /health. Prints each request's status and time, /health's
worst latency and the server's peak RSS; the last line is the worst *accepted* request.

    .venv/bin/python bench/worst_request.py [--points 140]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Server, log, setup_node  # noqa: E402

CENTRE = (44.35, 35.35)  # south of Kirkuk city


def star(points: int, *, shift: float = 0.0, outer: float = 0.05, inner: float = 0.008) -> Any:
    """A valid star Polygon of 2 * points vertices; two shifted by ~outer cross a lot."""
    ring = []
    for i in range(2 * points):
        angle = math.pi * i / points + (math.pi / (2 * points) if shift else 0.0)
        radius = outer if i % 2 == 0 else inner
        ring.append([round(CENTRE[0] + shift + radius * math.cos(angle), 7),
                     round(CENTRE[1] + radius * math.sin(angle), 7)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def sector(geometry: Any, month: int) -> dict[str, Any]:
    """An area of responsibility in force for the given month of 2020, released to all."""
    return {
        "kind": "aor", "name": f"Star {month}", "unit_name": "Bench unit",
        "geometry": geometry, "cross_border": False,
        "valid_from": f"2020-{month:02d}-01T00:00:00Z",
        "valid_until": f"2020-{month + 1:02d}-01T00:00:00Z",
        "releasability": "all", "center_id": None,
    }


def plan(area: Any) -> dict[str, Any]:
    """A fed-only plan over ``area`` in February 2020."""
    return {
        "title": "Bench plan", "objective": "Measure deconfliction.", "area": area,
        "starts_at": "2020-02-10T06:00:00Z", "ends_at": "2020-02-10T18:00:00Z",
        "participants": ["fed"], "lead_party": "fed",
        "forces": {"fed": "One company"}, "releasability": "all", "center_id": None,
    }


class HealthWatch(threading.Thread):
    """Asks /health every 50 ms and keeps the worst latency."""

    def __init__(self, base_url: str) -> None:
        super().__init__(daemon=True)
        self.base_url, self.worst, self.done = base_url, 0.0, threading.Event()

    def run(self) -> None:
        import httpx

        with httpx.Client(base_url=self.base_url, timeout=120.0) as client:
            while not self.done.is_set():
                started = time.perf_counter()
                client.get("/api/v1/health").raise_for_status()
                self.worst = max(self.worst, time.perf_counter() - started)
                time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=140,
                        help="spikes of the under-budget stars (140: ~7,400 crossings)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tansiq-worst-") as tmp:
        node = setup_node(Path(tmp) / "node")
        with Server(node, log_name="worst_request") as server:
            fed, krg = server.client("fed_liaison"), server.client("krg_liaison")
            for month, points in ((2, args.points), (3, 2_499)):
                for client, shift in ((fed, 0.0), (krg, 0.042)):
                    response = client.post("/api/v1/sectors",
                                           json=sector(star(points, shift=shift), month))
                    response.raise_for_status()
            draft = fed.post("/api/v1/operations", json=plan(star(args.points))).json()
            drawn = star(2_499, outer=0.2, inner=0.19)
            requests: list[tuple[str, str, str, dict[str, Any]]] = [
                ("coverage Kirkuk, stars under budget", "GET", "/api/v1/coverage",
                 {"params": {"area": "Kirkuk", "at": "2020-02-15"}}),
                ("coverage drawn 4,999-vertex area, stars under budget", "POST",
                 "/api/v1/coverage", {"json": {"area": drawn, "at": "2020-02-15"}}),
                ("coverage Kirkuk, 4,999-vertex stars", "GET", "/api/v1/coverage",
                 {"params": {"area": "Kirkuk", "at": "2020-03-15"}}),
                ("coverage drawn area, 4,999-vertex stars", "POST", "/api/v1/coverage",
                 {"json": {"area": drawn, "at": "2020-03-15"}}),
                ("propose a star plan over a star sector", "POST",
                 f"/api/v1/operations/{draft['id']}/propose", {}),
            ]
            watch = HealthWatch(server.base_url)
            watch.start()
            worst = (0.0, "none")
            for label, method, path, kwargs in requests:
                started = time.perf_counter()
                response = (krg if "coverage" in path else fed).request(method, path, **kwargs)
                took = time.perf_counter() - started
                log(f"{response.status_code} in {took:6.2f} s  {label}")
                if response.status_code < 400 and took > worst[0]:
                    worst = (took, label)
            watch.done.set()
            watch.join()
            log(f"/health worst latency meanwhile: {watch.worst * 1000:.0f} ms")
            log(f"server peak RSS: {server.status_kb('VmHWM') / 1024:.0f} MiB")
    print(f"worst accepted request: {worst[0]:.2f} s ({worst[1]})")


if __name__ == "__main__":
    main()
