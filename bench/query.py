"""Latency of the incident list and the GeoJSON map layer over a large SQLite database.

With ``--size`` incidents (default 1,000,000; generated once, cached under bench/out/)
it serves the node and measures, as krg_analyst:

- ``GET /api/v1/incidents?admin1=…&since=…&until=…`` (30-day window, first page of 100),
  target p50 <= 50 ms;
- ``GET /api/v1/incidents.geojson?admin1=…&since=…&until=…`` (one governorate-month),
  target p50 <= 200 ms;
- the server's peak RSS (VmHWM), target <= 300 MB.

    .venv/bin/python bench/query.py [--size 100000] [--requests 200] [--profile out.svg]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    GOVERNORATE_WEIGHTS,
    SPAN_END,
    SPAN_START,
    Profiler,
    Server,
    ensure_database,
    log,
    percentile,
)

LIST_TARGET_MS = 50
GEOJSON_TARGET_MS = 200
RSS_TARGET_MB = 300


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def list_requests(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Varied governorates and 30-day windows inside the generated span."""
    days = (SPAN_END - SPAN_START).days - 30
    out = []
    for _ in range(count):
        since = SPAN_START + timedelta(days=rng.randrange(days))
        out.append({"admin1": rng.choice(list(GOVERNORATE_WEIGHTS)), "since": iso(since),
                    "until": iso(since + timedelta(days=30))})
    return out


def month_requests(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Varied governorate-months (calendar months) inside the generated span."""
    months = (SPAN_END.year - SPAN_START.year) * 12
    out = []
    for _ in range(count):
        index = rng.randrange(months)
        start = SPAN_START.replace(year=SPAN_START.year + index // 12, month=index % 12 + 1)
        end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
        out.append({"admin1": rng.choice(list(GOVERNORATE_WEIGHTS)), "since": iso(start),
                    "until": iso(end)})
    return out


def measure(client, path: str, params_list: list[dict[str, str]], label: str):  # type: ignore[no-untyped-def]
    """Latencies (ms) of GET ``path`` with each params; also counts what came back."""
    latencies: list[float] = []
    returned = 0
    for number, params in enumerate(params_list, start=1):
        t0 = time.perf_counter()
        response = client.get(path, params=params)
        body = response.content
        latencies.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {body[:500]!r}")
        returned += len(response.json()["items" if path.endswith("incidents") else "features"])
        if number % 50 == 0:
            log(f"  {label}: {number}/{len(params_list)}, p50 so far "
                f"{percentile(latencies, 50):.1f} ms")
    return latencies, returned


def summary(label: str, latencies: list[float], returned: int) -> str:
    return (f"{label}: p50 {percentile(latencies, 50):.1f} ms, p90 {percentile(latencies, 90):.1f}"
            f" ms, p99 {percentile(latencies, 99):.1f} ms, max {max(latencies):.1f} ms"
            f" ({len(latencies)} requests, {returned / len(latencies):.0f} items each on average)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="incidents in the database")
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile", help="py-spy the server into this file (.svg/.json/raw)")
    args = parser.parse_args()

    node = ensure_database(args.size)
    rng = random.Random(args.seed)
    lists = list_requests(rng, args.requests)
    months = month_requests(rng, args.requests)
    with Server(node, log_name="query") as server, server.client("krg_analyst") as client:
        # Warm-up: first connections, imports, the OS page cache for the indexes.
        measure(client, "/api/v1/incidents", list_requests(random.Random(1), 10), "warm-up")
        measure(client, "/api/v1/incidents.geojson", month_requests(random.Random(1), 5), "warm-up")
        with Profiler(server.pid, args.profile):
            list_ms, list_n = measure(client, "/api/v1/incidents", lists, "list")
            geo_ms, geo_n = measure(client, "/api/v1/incidents.geojson", months, "geojson")
        peak_mb = server.status_kb("VmHWM") / 1024
    print(summary("list (30 days, 100 per page)", list_ms, list_n))
    print(summary("geojson (governorate-month)", geo_ms, geo_n))
    print(f"server peak RSS: {peak_mb:.0f} MB")
    list_p50, geo_p50 = percentile(list_ms, 50), percentile(geo_ms, 50)
    ok = (list_p50 <= LIST_TARGET_MS and geo_p50 <= GEOJSON_TARGET_MS
          and peak_mb <= RSS_TARGET_MB)
    print(f"query ({args.size:,} incidents): list p50 {list_p50:.1f} ms, geojson p50 "
          f"{geo_p50:.1f} ms, server peak RSS {peak_mb:.0f} MB "
          f"({'meets' if ok else 'misses'} 50 ms / 200 ms / 300 MB)")


if __name__ == "__main__":
    main()
