"""Coverage, overlap and gaps (geo/coverage.py) on shapes with hand-computed areas.

Shapes are drawn as rectangles in UTM 38N metres, then given to the code in
lon/lat: their vertices land back exactly, so the areas are exact sums.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from tansiq.geo.coverage import (
    IncidentPoint,
    compute_coverage,
    compute_coverage_metric,
    coverage_geojson,
    summary_rows,
)
from tansiq.geo.geometry import footprints, to_metric, to_wgs84

# The south-west corner of the analysed area, in metres, near Kirkuk.
X0, Y0 = (lambda p: (round(p.x), round(p.y)))(to_metric(shapely.Point(44.4, 35.3)))
KM = 1000.0


def rect(x1: float, y1: float, x2: float, y2: float) -> BaseGeometry:
    """A lon/lat rectangle whose corners are (x, y) km from the origin in UTM space."""
    box = shapely.box(X0 + x1 * KM, Y0 + y1 * KM, X0 + x2 * KM, Y0 + y2 * KM)
    return to_wgs84(box)


def at(x: float, y: float, name: str) -> IncidentPoint:
    """An incident at (x, y) km from the origin."""
    point = to_wgs84(shapely.Point(X0 + x * KM, Y0 + y * KM))
    return IncidentPoint(name, point.x, point.y)


AREA = rect(0, 0, 20, 20)  # 400 km²


def test_two_overlapping_squares_give_known_coverage_overlap_and_gap() -> None:
    # fed holds x 0-10, krg x 5-15: 200 km² each, 100 km² shared, x 15-20 (100 km²) held by none.
    covers = [("fed", rect(0, 0, 10, 20)), ("krg", rect(5, 0, 15, 20))]
    incidents = [
        at(2, 10, "fed-only"),
        at(7, 10, "shared"),
        at(17, 3, "in-gap"),
        at(18, 18, "in-gap-too"),
        at(25, 10, "outside"),
    ]
    result = compute_coverage(AREA, covers, incidents)

    assert result.area_km2 == pytest.approx(400, abs=1e-6)
    held = {layer.party: layer.area_km2 for layer in result.coverage}
    assert held == pytest.approx({"fed": 200, "krg": 200}, abs=1e-6)
    assert result.overlap.area_km2 == pytest.approx(100, abs=1e-6)
    assert result.gaps.area_km2 == pytest.approx(100, abs=1e-6)
    assert result.incident_ids == ("fed-only", "shared", "in-gap", "in-gap-too")
    assert result.overlap.incident_ids == ("shared",)
    assert [(p.id, round(p.area_km2, 6), p.incident_ids) for p in result.gap_parts] == [
        ("gap-1", 100.0, ("in-gap", "in-gap-too"))
    ]


def test_coverage_is_clipped_to_the_area() -> None:
    # Half of this square lies outside the area (x 15-25).
    result = compute_coverage(AREA, [("fed", rect(15, 0, 25, 20))])
    assert result.coverage[0].area_km2 == pytest.approx(100, abs=1e-6)
    assert result.gaps.area_km2 == pytest.approx(300, abs=1e-6)


def test_a_strip_splits_the_gap_into_parts_largest_first() -> None:
    # A strip x 4-6 leaves gaps x 0-4 (80 km²) and x 6-20 (280 km²).
    result = compute_coverage(AREA, [("krg", rect(4, 0, 6, 20))], [at(1, 1, "west")])
    assert [(p.id, round(p.area_km2, 6)) for p in result.gap_parts] == [
        ("gap-1", 280.0),
        ("gap-2", 80.0),
    ]
    assert result.gap_parts[1].incident_ids == ("west",)
    assert result.overlap.area_km2 == 0


def test_one_partys_own_sectors_never_overlap_each_other() -> None:
    covers = [("fed", rect(0, 0, 10, 10)), ("fed", rect(5, 0, 15, 10))]
    result = compute_coverage(AREA, covers)
    assert result.coverage[0].area_km2 == pytest.approx(150, abs=1e-6)
    assert result.overlap.area_km2 == 0


def test_nobody_covering_leaves_the_whole_area_a_gap() -> None:
    result = compute_coverage(AREA, [], [at(1, 1, "a")])
    assert result.coverage == ()
    assert result.gaps.area_km2 == pytest.approx(400, abs=1e-6)
    assert result.gap_parts[0].incident_ids == ("a",)


def test_a_line_counts_with_its_depth() -> None:
    # A 10 km line inside the area with a 500 m depth: 2·d·L + π·d² (as a 64-gon cap).
    line = to_wgs84(shapely.LineString([(X0 + 5 * KM, Y0 + 5 * KM), (X0 + 5 * KM, Y0 + 15 * KM)]))
    (ground,) = footprints([line], [500.0])
    result = compute_coverage(AREA, [("fed", ground)])
    expected = 2 * 0.5 * 10 + 32 * math.sin(2 * math.pi / 64) * 0.5**2
    assert result.coverage[0].area_km2 == pytest.approx(expected, rel=1e-3)
    assert result.gaps.area_km2 == pytest.approx(400 - expected, rel=1e-4)


def test_a_point_counts_with_its_radius() -> None:
    post = to_wgs84(shapely.Point(X0 + 10 * KM, Y0 + 10 * KM))
    (ground,) = footprints([post], [2000.0])
    result = compute_coverage(AREA, [("krg", ground)], [at(10.5, 10.5, "near-post")])
    assert result.coverage[0].area_km2 == pytest.approx(4 * math.pi, rel=2e-3)
    assert result.coverage[0].incident_ids == ("near-post",)
    assert result.gaps.incident_ids == ()


def test_three_parties_overlap_is_ground_held_by_two_or_more() -> None:
    covers = [("fed", rect(0, 0, 10, 10)), ("krg", rect(5, 0, 15, 10)), ("un", rect(8, 0, 12, 10))]
    result = compute_coverage(AREA, covers)
    # x 5-12 is held by at least two of them.
    assert result.overlap.area_km2 == pytest.approx(70, abs=1e-6)


def test_geojson_has_every_layer_and_the_summary() -> None:
    covers = [("fed", rect(0, 0, 10, 20)), ("krg", rect(5, 0, 15, 20))]
    result = compute_coverage(AREA, covers, [at(17, 3, "in-gap")])
    answer = coverage_geojson(
        result, incidents={"in-gap": {"event_type": "Battles"}}, points={"in-gap": (44.5, 35.3)}
    )
    layers = [(f["id"], f["properties"]["layer"]) for f in answer["features"]]
    assert layers == [
        ("area", "area"),
        ("coverage-fed", "coverage"),
        ("coverage-krg", "coverage"),
        ("overlap", "overlap"),
        ("gap-1", "gap"),
        ("incident-in-gap", "incident"),
    ]
    assert answer["features"][-1]["properties"] == {
        "event_type": "Battles",
        "id": "in-gap",
        "layer": "incident",
        "gap": "gap-1",
    }
    assert answer["summary"] == summary_rows(result)
    assert [
        (r["layer"], r["party"], r["area_km2"], r["incident_count"]) for r in answer["summary"]
    ] == [
        ("area", None, 400.0, 1),
        ("coverage", "fed", 200.0, 0),
        ("coverage", "krg", 200.0, 0),
        ("overlap", None, 100.0, 0),
        ("gap", None, 100.0, 1),
    ]
    gap = shapely.geometry.shape(answer["features"][4]["geometry"])
    assert gap.geom_type in ("Polygon", "MultiPolygon") and gap.is_valid


@pytest.mark.timing
def test_a_thousand_sectors_over_a_governorate_take_well_under_a_second() -> None:
    from tansiq.geo.boundaries import governorate_shape

    rng = np.random.default_rng(7)
    area = governorate_shape("Diyala")
    west, south, east, north = area.bounds
    xs, ys = rng.uniform(west, east, 1000), rng.uniform(south, north, 1000)
    geoms = [
        shapely.box(x, y, x + 0.05, y + 0.05)
        if i % 3 == 0
        else shapely.Point(x, y)
        if i % 3 == 1
        else shapely.LineString([(x, y), (x + 0.1, y + 0.05)])
        for i, (x, y) in enumerate(zip(xs, ys, strict=True))
    ]
    widths = [0.0 if i % 3 == 0 else 1500.0 for i in range(1000)]
    points = [
        IncidentPoint(str(i), x, y)
        for i, (x, y) in enumerate(
            zip(rng.uniform(west, east, 2000), rng.uniform(south, north, 2000), strict=True)
        )
    ]
    from tansiq.geo.geometry import footprints_metric

    # CPU time, not wall time: other test workers share the cores.
    started = time.process_time()
    result = compute_coverage_metric(
        to_metric(area),
        ["fed" if i % 2 else "krg" for i in range(1000)],
        footprints_metric(geoms, widths),
        points,
    )
    elapsed = time.process_time() - started
    assert result.gaps.area_km2 > 0 and len(result.coverage) == 2
    assert elapsed < 1.0, f"coverage took {elapsed:.2f} s"
