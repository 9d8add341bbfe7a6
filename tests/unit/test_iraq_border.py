"""Inside Iraq means inside the shipped outline (plus its snap tolerance), not a lon/lat box."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import mapping
from shapely.ops import nearest_points

from tansiq.geo.boundaries import SNAP_TOLERANCE_KM, admin_units
from tansiq.geo.geometry import (
    IRAQ_BOUNDS,
    GeometryError,
    inside_iraq,
    parse_geometry,
    to_metric,
    to_wgs84,
)

#: Kermanshah, Iran: inside the old lon/lat box, outside Iraq.
KERMANSHAH = shapely.Point(47.06, 34.31)


def _outline() -> shapely.Geometry:
    return shapely.union_all([unit.geometry for unit in admin_units(1)])


def _beyond_border(metres: float) -> shapely.Point:
    """A point `metres` outside Iraq's outline, straight out from the border towards Kermanshah."""
    outline = to_metric(_outline())
    target = to_metric(KERMANSHAH)
    border = nearest_points(outline.boundary, target)[0]
    step = metres / border.distance(target)
    moved = shapely.Point(
        border.x + (target.x - border.x) * step, border.y + (target.y - border.y) * step
    )
    return to_wgs84(moved)


def test_a_polygon_a_quarter_in_iran_is_outside_though_inside_the_old_box() -> None:
    straddling = shapely.box(45.2, 33.5, 45.9, 33.9)
    in_iraq = straddling.intersection(_outline()).area / straddling.area
    assert 0.2 < 1 - in_iraq < 0.3  # about a quarter of it lies in Iran
    assert shapely.box(*IRAQ_BOUNDS).contains(straddling)
    assert not inside_iraq(straddling)


def test_a_line_running_into_turkey_is_outside() -> None:
    assert not inside_iraq(shapely.LineString([(43.0, 36.9), (43.2, 37.6)]))


def test_points_lines_and_polygons_well_inside_are_inside() -> None:
    assert inside_iraq(shapely.Point(44.39, 35.47))  # Kirkuk
    assert inside_iraq(shapely.LineString([(44.39, 35.46), (44.63, 34.88)]))
    assert inside_iraq(shapely.box(43.0, 35.7, 43.35, 36.0))


def test_a_point_across_the_border_is_outside() -> None:
    assert shapely.box(*IRAQ_BOUNDS).contains(KERMANSHAH)
    assert not inside_iraq(KERMANSHAH)


def test_the_simplified_outline_gets_the_snap_tolerance_and_no_more() -> None:
    assert inside_iraq(_beyond_border(SNAP_TOLERANCE_KM * 1000 / 2))
    assert not inside_iraq(_beyond_border(SNAP_TOLERANCE_KM * 1000 * 3))


def test_parse_geometry_refuses_a_shape_across_the_border_unless_cross_border() -> None:
    straddling = mapping(shapely.box(45.2, 33.5, 45.9, 33.9))
    with pytest.raises(GeometryError, match="outside the Iraq area"):
        parse_geometry(straddling)
    assert parse_geometry(straddling, cross_border=True).equals(shapely.box(45.2, 33.5, 45.9, 33.9))
