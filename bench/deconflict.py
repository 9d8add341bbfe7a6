"""Deconfliction of one plan against 10,000 sectors, 50,000 protected sites, 1,000 operations.

Builds synthetic layers inside Iraq (areas of responsibility, defensive lines with a
depth, checkpoints and bases; point sites; operation areas; validity windows over a
year), indexes them once in a ``DeconflictionIndex`` (STRtrees), then times
``check`` for ``--plans`` plans of 20-400 km² and 1-3 days. Target: p50 <= 200 ms.
Also reports the index build and a cold build-plus-check, the worst case of a
service that indexes everything for each plan.

    .venv/bin/python bench/deconflict.py [--sectors 10000] [--sites 50000] [--plans 50]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log, percentile  # noqa: E402

from tansiq.geo.boundaries import admin_units  # noqa: E402
from tansiq.geo.deconflict import DeconflictionIndex, Feature, Window  # noqa: E402
from tansiq.geo.geometry import to_metric_many, to_wgs84_many  # noqa: E402

TARGET_MS = 200
YEAR_START = datetime(2020, 1, 1, tzinfo=UTC)
PARTIES = ("fed", "krg", "un")


def iraq_points(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` random (lon, lat) inside Iraq's governorates."""
    outline = shapely.union_all([u.geometry for u in admin_units(1)])
    west, south, east, north = outline.bounds
    found: list[np.ndarray] = []
    total = 0
    while total < count:
        xy = np.column_stack(
            [rng.uniform(west, east, 2 * count), rng.uniform(south, north, 2 * count)]
        )
        inside = xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])]
        found.append(inside)
        total += len(inside)
    return np.concatenate(found)[:count]


def metric_shapes(
    rng: np.random.Generator, centers: np.ndarray, side_km: tuple[float, float]
) -> np.ndarray:
    """Rotated rectangles (lon/lat) around ``centers`` with sides in ``side_km``."""
    metric_centers = to_metric_many(shapely.points(centers))
    shapes = []
    for center in metric_centers:
        w, h = rng.uniform(*side_km, 2) * 1000
        rect = shapely.box(-w / 2, -h / 2, w / 2, h / 2)
        angle = rng.uniform(0, 180)
        rect = shapely.affinity.rotate(rect, angle, origin=(0, 0))
        shapes.append(shapely.affinity.translate(rect, center.x, center.y))
    return to_wgs84_many(np.asarray(shapes, dtype=object))


def sector_footprints(rng: np.random.Generator, count: int) -> np.ndarray:
    """Areas (60%), defensive lines 300 m deep (20%), checkpoints and bases (20%)."""
    centers = iraq_points(rng, count)
    metric = to_metric_many(shapely.points(centers))
    out = []
    for c in metric:
        roll = rng.random()
        if roll < 0.6:
            w, h = rng.uniform(2, 15, 2) * 1000
            out.append(shapely.box(c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2))
        elif roll < 0.8:
            steps = rng.normal(0, 1500, (6, 2)).cumsum(axis=0) + [c.x, c.y]
            out.append(shapely.LineString(steps).buffer(300, quad_segs=4))
        else:
            out.append(c.buffer(rng.choice([150.0, 500.0]), quad_segs=8))
    return to_wgs84_many(np.asarray(out, dtype=object))


def window(rng: random.Random, max_days: int) -> Window:
    start = YEAR_START + timedelta(hours=rng.randrange(365 * 24))
    return Window(start, start + timedelta(hours=rng.randrange(6, max_days * 24)))


def build_layers(args: argparse.Namespace) -> dict[str, list[Feature]]:
    rng = np.random.default_rng(args.seed)
    prng = random.Random(args.seed)
    log(
        f"generating {args.sectors:,} sectors, {args.sites:,} sites, {args.operations:,} operations"
    )
    sectors = [
        Feature(
            f"sector-{i}",
            prng.choice(PARTIES),
            geom,
            f"Sector {i}",
            window(prng, 365) if prng.random() < 0.5 else Window(YEAR_START, None),
        )
        for i, geom in enumerate(sector_footprints(rng, args.sectors))
    ]
    sites = [
        Feature(f"site-{i}", prng.choice(PARTIES), geom, f"Site {i}")
        for i, geom in enumerate(shapely.points(iraq_points(rng, args.sites)))
    ]
    operations = [
        Feature(f"op-{i}", prng.choice(PARTIES), geom, f"Operation {i}", window(prng, 5))
        for i, geom in enumerate(metric_shapes(rng, iraq_points(rng, args.operations), (3, 15)))
    ]
    return {"sectors": sectors, "sites": sites, "operations": operations}


def plans(args: argparse.Namespace) -> list[tuple[BaseGeometry, Window]]:
    rng = np.random.default_rng(args.seed + 1)
    prng = random.Random(args.seed + 1)
    areas = metric_shapes(rng, iraq_points(rng, args.plans), (4.5, 20))
    return [(area, window(prng, 3)) for area in areas]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sectors", type=int, default=10_000)
    parser.add_argument("--sites", type=int, default=50_000)
    parser.add_argument("--operations", type=int, default=1_000)
    parser.add_argument("--plans", type=int, default=50)
    parser.add_argument("--buffer-m", type=float, default=1000.0)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()

    layers = build_layers(args)
    todo = plans(args)
    started = time.perf_counter()
    index = DeconflictionIndex(**layers)
    build_ms = (time.perf_counter() - started) * 1000
    log(f"index built in {build_ms:.1f} ms")

    index.check(*todo[0], "fed", args.buffer_m)  # warm-up: pyproj transformers, imports
    check_ms: list[float] = []
    counts: list[int] = []
    for area, span in todo:
        t0 = time.perf_counter()
        findings = index.check(area, span, "fed", args.buffer_m)
        check_ms.append((time.perf_counter() - t0) * 1000)
        counts.append(len(findings))

    cold_ms: list[float] = []
    for area, span in todo[:10]:
        t0 = time.perf_counter()
        DeconflictionIndex(**layers).check(area, span, "fed", args.buffer_m)
        cold_ms.append((time.perf_counter() - t0) * 1000)

    p50 = percentile(check_ms, 50)
    print(
        f"check: p50 {p50:.1f} ms, p90 {percentile(check_ms, 90):.1f} ms, "
        f"max {max(check_ms):.1f} ms over {len(check_ms)} plans, "
        f"{sum(counts) / len(counts):.1f} findings each on average"
    )
    print(
        f"index build: {build_ms:.1f} ms; cold build + check p50 {percentile(cold_ms, 50):.1f} ms"
    )
    verdict = "meets" if p50 <= TARGET_MS else "misses"
    print(
        f"deconflict p50: {p50:.1f} ms ({args.sectors:,} sectors, {args.sites:,} sites, "
        f"{args.operations:,} operations; {verdict} {TARGET_MS} ms)"
    )


if __name__ == "__main__":
    main()
