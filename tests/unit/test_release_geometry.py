"""Geometry at release precision: grid snapping of any GeoJSON and district points. Pure."""

from __future__ import annotations

import math
from typing import Any

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

from tansiq.geo.boundaries import locate
from tansiq.geo.geometry import parse_geometry
from tansiq.geo.precision import ReleasePrecisionError, district_point, snap_geometry


def positions(geometry: dict[str, Any]) -> list[list[float]]:
    """Every position of a GeoJSON geometry."""

    def walk(value: Any) -> list[list[float]]:
        if value and isinstance(value[0], int | float):
            return [list(value)]
        return [p for part in value for p in walk(part)]

    return walk(geometry["coordinates"])


def on_centres(geometry: dict[str, Any], degrees: float) -> bool:
    """True when every position is the centre of a cell of the grid."""
    for position in positions(geometry):
        for value in position:
            steps = value / degrees - 0.5
            if abs(steps - round(steps)) > 1e-6:
                return False
    return True


def square(west: float, south: float, size: float) -> list[list[float]]:
    east, north = west + size, south + size
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def test_a_polygon_is_snapped_vertex_by_vertex_to_cell_centres() -> None:
    polygon = {"type": "Polygon", "coordinates": [square(44.012, 35.013, 0.37)]}
    snapped = snap_geometry(polygon, 0.1)
    assert snapped == {
        "type": "Polygon",
        "coordinates": [
            [[44.05, 35.05], [44.35, 35.05], [44.35, 35.35], [44.05, 35.35], [44.05, 35.05]]
        ],
    }
    parse_geometry(snapped)  # still a geometry the API would accept


def test_a_polygon_inside_one_cell_collapses_to_that_cells_centre() -> None:
    polygon = {"type": "Polygon", "coordinates": [square(44.012, 35.013, 0.02)]}
    assert snap_geometry(polygon, 0.1) == {"type": "Point", "coordinates": [44.05, 35.05]}


def test_a_line_drops_repeated_vertices_and_a_short_one_becomes_a_point() -> None:
    line = {"type": "LineString", "coordinates": [[44.01, 35.01], [44.02, 35.03], [44.31, 35.02]]}
    assert snap_geometry(line, 0.1) == {
        "type": "LineString",
        "coordinates": [[44.05, 35.05], [44.35, 35.05]],
    }
    short = {"type": "LineString", "coordinates": [[44.01, 35.01], [44.02, 35.03]]}
    assert snap_geometry(short, 0.1) == {"type": "Point", "coordinates": [44.05, 35.05]}


def test_a_collapsed_part_or_hole_is_dropped() -> None:
    lines = {
        "type": "MultiLineString",
        "coordinates": [[[44.01, 35.01], [44.02, 35.02]], [[44.01, 35.01], [44.41, 35.01]]],
    }
    assert snap_geometry(lines, 0.1)["coordinates"] == [[[44.05, 35.05], [44.45, 35.05]]]
    holed = {
        "type": "Polygon",
        "coordinates": [square(44.0, 35.0, 0.5), square(44.21, 35.21, 0.01)[::-1]],
    }
    snapped = snap_geometry(holed, 0.1)
    assert len(snapped["coordinates"]) == 1  # the hole fell inside one cell
    parse_geometry(snapped)


def test_a_polygon_that_snapping_makes_cross_is_replaced_by_its_hull_of_centres() -> None:
    # Snapping puts three vertices on one meridian: the ring then touches itself.
    ring = [[44.16, 35.34], [44.33, 35.37], [44.24, 35.01], [44.23, 35.22], [44.2, 35.11]]
    polygon = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    parse_geometry(polygon)
    snapped = snap_geometry(polygon, 0.1)
    assert snapped["type"] == "Polygon"
    assert shape(snapped).is_valid and on_centres(snapped, 0.1)
    assert shape(snapped).equals(shapely.convex_hull(shapely.MultiPoint(positions(snapped))))
    parse_geometry(snapped)


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        ({"type": "Point"}, "not valid GeoJSON"),
        ({"type": "Polygon", "coordinates": []}, "empty"),
        ({"type": "GeometryCollection", "geometries": []}, "not valid GeoJSON"),
    ],
)
def test_a_malformed_geometry_is_refused(geometry: dict[str, Any], problem: str) -> None:
    with pytest.raises(ReleasePrecisionError, match=problem):
        snap_geometry(geometry, 0.1)


def test_a_grid_out_of_range_is_refused() -> None:
    with pytest.raises(ReleasePrecisionError, match="between 0.01 and 5 degrees"):
        snap_geometry({"type": "Point", "coordinates": [44.0, 35.0]}, 0.0)


@settings(max_examples=200, deadline=None)
@given(
    west=st.floats(38.0, 48.0),
    south=st.floats(29.0, 37.0),
    widths=st.lists(st.floats(0.001, 1.0), min_size=3, max_size=8),
    degrees=st.sampled_from((0.01, 0.05, 0.1, 0.5, 1.0)),
)
def test_snapping_gives_valid_geojson_on_cell_centres(
    west: float, south: float, widths: list[float], degrees: float
) -> None:
    # A star-shaped polygon around (west, south): valid before snapping.
    count = len(widths)
    ring = [
        [
            west + widths[i] * math.cos(2 * math.pi * i / count),
            south + widths[i] * math.sin(2 * math.pi * i / count),
        ]
        for i in range(count)
    ]
    polygon = shapely.Polygon(ring)
    if not polygon.is_valid:
        return
    geojson = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    snapped = snap_geometry(geojson, degrees)
    assert snapped == snap_geometry(geojson, degrees)
    assert snapped["type"] in ("Point", "Polygon")
    assert on_centres(snapped, degrees)
    assert shape(snapped).is_valid
    # Each released vertex is a snapped vertex (or the cell of a point inside): at most
    # half a cell diagonal from the polygon.
    reach = degrees * math.sqrt(2) / 2 + 1e-9
    assert all(polygon.distance(shapely.Point(p)) <= reach for p in positions(snapped))


@settings(max_examples=200, deadline=None)
@given(lon=st.floats(39.0, 48.5), lat=st.floats(29.5, 37.3))
def test_a_district_point_lies_in_the_district_it_stands_for(lon: float, lat: float) -> None:
    found = district_point(lon, lat)
    area = locate(lon, lat)
    if area is None:
        assert found is None
        return
    assert found is not None
    point, district = found
    assert district == area
    assert locate(*point) == area
