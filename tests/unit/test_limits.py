"""Work limits of the pure geometry: vertices and rings per geometry, overlay budgets."""

from __future__ import annotations

import time

import pytest
import shapely

from tansiq.geo.budget import BudgetExceeded, OverlayBudget, check_answer, crossings
from tansiq.geo.coverage import compute_coverage_metric
from tansiq.geo.deconflict import DeconflictionIndex, Feature, Window
from tansiq.geo.geometry import (
    MAX_RINGS,
    MAX_VERTICES,
    GeometryArray,
    GeometryError,
    parse_geometry,
    to_metric_many,
)
from tests.factories_limits import many_rings, star

# Two 1,000-vertex stars shifted so their spikes cross ~47,000 times: many seconds to
# overlay; two of 200 vertices cross ~3,800 times, a fraction of a second.
STARS = (star(500), star(500, shift=0.042))
SMALL_STARS = (star(100), star(100, shift=0.042))


@pytest.fixture(scope="module")
def stars() -> GeometryArray:
    """The two large stars, validated, in UTM 38N metres."""
    return to_metric_many([parse_geometry(g) for g in STARS])


def test_a_geometry_of_more_than_max_vertices_is_refused() -> None:
    assert len(star(MAX_VERTICES // 2 - 1)["coordinates"][0]) < MAX_VERTICES
    parse_geometry(star(MAX_VERTICES // 2 - 1))
    with pytest.raises(GeometryError, match="5,001 vertices, more than the limit of 5,000"):
        parse_geometry(star(MAX_VERTICES // 2))


def test_a_geometry_of_more_than_max_rings_is_refused() -> None:
    parse_geometry(many_rings(MAX_RINGS))
    with pytest.raises(
        GeometryError, match=f"101 rings or parts, more than the limit of {MAX_RINGS}"
    ):
        parse_geometry(many_rings(MAX_RINGS + 1))


def test_holes_count_as_rings() -> None:
    shell = [[44.0, 35.0], [45.0, 35.0], [45.0, 36.0], [44.0, 36.0], [44.0, 35.0]]
    holes = [
        [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        for x in (44.1 + 0.02 * i for i in range(10))
        for y in (35.1 + 0.02 * j for j in range(10))
    ]
    with pytest.raises(GeometryError, match="101 rings"):
        parse_geometry({"type": "Polygon", "coordinates": [shell, *holes]})


def test_crossings_count_proper_crossings_only() -> None:
    square = shapely.box(0, 0, 1, 1)
    assert crossings([square, shapely.box(0.5, 0.5, 1.5, 1.5)], limit=100) == 2
    # Neighbours sharing an edge, or the same square twice, do not cross.
    assert crossings([square, shapely.box(1, 0, 2, 1)], limit=100) == 0
    assert crossings([square], [square], limit=100) == 0
    assert crossings([shapely.LineString([(0, 0.5), (2, 0.5)])], [square], limit=100) == 1


def test_crossings_stop_soon_after_the_limit(stars: GeometryArray) -> None:
    a, b = stars
    everything = crossings([a, b], limit=10**9)
    assert everything > 10_000
    assert crossings([a], [b], limit=10**9) == everything
    assert 100 < crossings([a, b], limit=100) < everything


def test_coverage_over_budget_is_refused_before_the_overlay(stars: GeometryArray) -> None:
    area = shapely.box(*shapely.total_bounds(stars))
    started = time.perf_counter()
    with pytest.raises(BudgetExceeded, match="cross more than 10,000 times"):
        compute_coverage_metric(area, ["fed", "krg"], stars, [], budget=OverlayBudget())
    assert time.perf_counter() - started < 2.0
    # Within the budget the same question is answered.
    small = to_metric_many([parse_geometry(g) for g in SMALL_STARS])
    answer = compute_coverage_metric(
        shapely.box(*shapely.total_bounds(small)), ["fed", "krg"], small, [], budget=OverlayBudget()
    )
    assert answer.overlap.area_km2 > 0


def test_coverage_over_its_vertex_budget_is_refused(stars: GeometryArray) -> None:
    fps = stars
    area = shapely.box(*shapely.total_bounds(fps))
    with pytest.raises(BudgetExceeded, match="vertices overlaid, more than the limit of 1,000"):
        compute_coverage_metric(
            area, ["fed", "krg"], fps, [], budget=OverlayBudget(max_vertices=1000)
        )


def test_an_answer_over_its_vertex_budget_is_refused() -> None:
    with pytest.raises(BudgetExceeded, match="answer would hold 5 vertices"):
        check_answer([shapely.box(0, 0, 1, 1)], budget=OverlayBudget(max_answer_vertices=4))


def test_deconfliction_over_budget_is_refused() -> None:
    plan, sector = (parse_geometry(g) for g in STARS)
    feature = Feature("s1", "krg", sector, "Star (aor)")
    index = DeconflictionIndex(sectors=[feature], budget=OverlayBudget())
    with pytest.raises(BudgetExceeded, match="cross more than"):
        index.check(plan, Window(None, None), "fed", 1000.0)
    # Within the budget the overlap is found.
    small_plan, small_sector = (parse_geometry(g) for g in SMALL_STARS)
    within = DeconflictionIndex(
        sectors=[Feature("s2", "krg", small_sector, "Small star (aor)")], budget=OverlayBudget()
    )
    found = within.check(small_plan, Window(None, None), "fed", 0.0)
    assert [f.subject_id for f in found] == ["s2"]
