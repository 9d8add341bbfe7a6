"""The border check: ``inside_iraq`` on 10,000 polygons of 1-400 km² across and around Iraq.

Builds the outline once (reported separately: the first check of a process pays it),
then times the checks. Target: 10,000 checks in <= 100 ms, so a bulk import of sectors
or a page of findings never waits on the border.

    .venv/bin/python bench/iraq_border.py [--polygons 10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log  # noqa: E402

from tansiq.geo.geometry import IRAQ_BOUNDS, inside_iraq, iraq_reach  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--polygons", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    west, south, east, north = IRAQ_BOUNDS
    polygons = []
    for _ in range(args.polygons):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        side = rng.uniform(0.01, 0.2)  # about 1 km to 20 km
        polygons.append(shapely.box(lon, lat, lon + side, lat + side))
    started = time.perf_counter()
    iraq_reach()
    log(f"outline built in {(time.perf_counter() - started) * 1000:.0f} ms")
    started = time.perf_counter()
    inside = sum(inside_iraq(polygon) for polygon in polygons)
    elapsed = (time.perf_counter() - started) * 1000
    log(f"{inside} of {len(polygons)} polygons inside Iraq")
    print(f"{len(polygons)} border checks: {elapsed:.1f} ms")


if __name__ == "__main__":
    main()
