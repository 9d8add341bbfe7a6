"""Exports of a large node: features/s and peak memory of each format, CLI and HTTP.

With ``--size`` incidents (default 100,000; generated once through the services and
cached under bench/out/, as bench/query.py does) it runs, as krg_analyst (who sees
about two thirds of them):

- ``tansiq export --format F`` for geojson, kml and gpkg, each in a fresh process,
  reporting wall time, features/s and that process's peak RSS;
- ``GET /api/v1/exports/incidents.geojson`` from a served node, read as it streams,
  reporting the time to the first byte, the whole time and the server's peak RSS.

Peak memory must not grow with the export: every format is written as it is read.

    .venv/bin/python bench/export.py [--size 100000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import TANSIQ, Server, ensure_database, log  # noqa: E402

# Run one export and print the process's peak RSS (KiB) on the last line.
_RUN = """
import resource, sys
from tansiq.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def cli_export(node_args: list[str], format_: str, out: Path) -> tuple[float, int, str]:
    """(seconds, peak RSS in MiB, the command's summary line) of one ``tansiq export``."""
    started = time.perf_counter()
    done = subprocess.run(
        [TANSIQ[0], "-c", _RUN, "export", "--format", format_, "--as", "krg_analyst",
         "-o", str(out), *node_args],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    *lines, rss_kb = done.stdout.strip().splitlines()
    return seconds, int(rss_kb) // 1024, lines[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    node = ensure_database(args.size)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for format_ in ("geojson", "kml", "gpkg"):
            out = Path(folder) / f"incidents.{format_}"
            seconds, rss_mb, summary = cli_export(node.cli_args(), format_, out)
            count = int(summary.split()[1])
            size_mb = out.stat().st_size / 2**20
            log(f"tansiq export {format_}: {count:,} features in {seconds:.1f} s "
                f"({count / seconds:,.0f}/s), {size_mb:,.0f} MiB, peak RSS {rss_mb} MiB")
            results.append(f"{format_} {count / seconds:,.0f}/s {rss_mb} MiB")
    with Server(node, log_name="export") as server, server.client("krg_analyst") as client:
        started = time.perf_counter()
        received = 0
        first = 0.0
        with client.stream("GET", "/api/v1/exports/incidents.geojson") as answer:
            for chunk in answer.iter_bytes():
                if not received:
                    first = time.perf_counter() - started
                received += len(chunk)
        seconds = time.perf_counter() - started
        peak = server.status_kb("VmHWM") // 1024
    log(f"HTTP GeoJSON export: {received / 2**20:,.0f} MiB in {seconds:.1f} s, "
        f"first byte after {first * 1000:.0f} ms, server peak RSS {peak} MiB")
    results.append(f"http geojson {seconds:.1f} s, first byte {first * 1000:.0f} ms, {peak} MiB")
    print(f"export ({args.size:,} incidents): " + "; ".join(results))


if __name__ == "__main__":
    main()
