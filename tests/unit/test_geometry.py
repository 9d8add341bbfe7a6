"""GeoJSON validation and metric footprints (geo/geometry.py), checked against hand sums."""

from __future__ import annotations

import math
from typing import Any

import pytest
import shapely

from tansiq.geo.geometry import (
    GeometryError,
    area_km2,
    footprint,
    footprints,
    footprints_metric,
    geojson_text,
    parse_geometry,
    to_metric,
    to_wgs84,
)


def _polygon(*ring: tuple[float, float]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


SQUARE = _polygon((44.0, 35.0), (44.1, 35.0), (44.1, 35.1), (44.0, 35.1), (44.0, 35.0))
# A circle made of n segments has area n/2 r² sin(2π/n), a little under π r².
_CIRCLE_64 = 32 * math.sin(2 * math.pi / 64)


def test_a_valid_polygon_is_read_as_is() -> None:
    geom = parse_geometry(SQUARE)
    assert geom.geom_type == "Polygon"
    assert geom.bounds == (44.0, 35.0, 44.1, 35.1)
    # ~9.1 km x 11.1 km at 35°N.
    assert area_km2(geom) == pytest.approx(101.2, rel=0.01)


def test_a_third_coordinate_is_dropped() -> None:
    geom = parse_geometry({"type": "Point", "coordinates": [44.0, 35.0, 250.0]})
    assert not geom.has_z


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            _polygon((44.0, 35.0), (44.1, 35.1), (44.1, 35.0), (44.0, 35.1), (44.0, 35.0)),
            "not valid",  # a bow tie: the ring crosses itself
        ),
        (_polygon((44.0, 35.0), (44.1, 35.0), (44.1, 35.1), (44.0, 35.1)), "close"),
        (_polygon((44.0, 35.0), (44.1, 35.0), (44.0, 35.0)), "at least 4"),
        (
            _polygon((179.5, 35.0), (-179.5, 35.0), (-179.5, 35.1), (179.5, 35.1), (179.5, 35.0)),
            "antimeridian",
        ),
        (_polygon((44.0, 35.0), (44.0, 35.0), (44.0, 35.0), (44.0, 35.0)), "not valid"),
        ({"type": "Point", "coordinates": [35.0, 200.0]}, "WGS84"),
        ({"type": "Point", "coordinates": ["44", 35.0]}, "numbers"),
        ({"type": "Point", "coordinates": [True, 35.0]}, "numbers"),
        ({"type": "Point", "coordinates": [44.0]}, "[longitude, latitude]"),
        ({"type": "LineString", "coordinates": [[44.0, 35.0]]}, "at least 2"),
        ({"type": "Polygon", "coordinates": []}, "empty"),
        ({"type": "Polygon", "coordinates": [[44.0, 35.0]]}, "position"),
        ({"type": "Polygon", "coordinates": [44.0, 35.0]}, "nested"),
        ({"type": "Circle", "coordinates": [44.0, 35.0]}, "one of"),
        ({"type": "Point"}, "coordinates"),
        ("POINT (44 35)", "GeoJSON geometry object"),
        ({"type": "Point", "coordinates": [51.0, 35.0]}, "outside the Iraq area"),
        (
            _polygon((39.0, 29.0), (48.9, 29.0), (48.9, 37.0), (39.0, 37.0), (39.0, 29.0)),
            "absurdly large",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_invalid_geometry_is_refused_saying_why(value: Any, message: str) -> None:
    with pytest.raises(GeometryError, match=message):
        parse_geometry(value)


def test_cross_border_geometry_is_accepted_when_flagged() -> None:
    point = {"type": "Point", "coordinates": [51.0, 35.0]}
    assert parse_geometry(point, cross_border=True).geom_type == "Point"


def test_the_antimeridian_is_refused_even_cross_border() -> None:
    ring = _polygon((179.5, 35.0), (-179.5, 35.0), (-179.5, 35.1), (179.5, 35.1), (179.5, 35.0))
    with pytest.raises(GeometryError, match="antimeridian"):
        parse_geometry(ring, cross_border=True)


def test_allowed_types_are_enforced() -> None:
    with pytest.raises(GeometryError, match="Polygon"):
        parse_geometry({"type": "Point", "coordinates": [44.0, 35.0]}, allowed=("Polygon",))


def test_stored_text_reads_back_identically() -> None:
    geom = parse_geometry(SQUARE)
    text = geojson_text(geom)
    assert geojson_text(parse_geometry(shapely.geometry.mapping(shapely.from_geojson(text)))) == (
        text
    )


def test_projection_round_trip_is_within_a_millimetre() -> None:
    point = shapely.Point(44.39, 35.47)
    back = to_wgs84(to_metric(point))
    assert back.distance(point) < 1e-8


def test_a_line_with_depth_covers_2dl_plus_the_round_ends() -> None:
    # A 20 km line due north in UTM space, 500 m either side.
    start = to_metric(shapely.Point(44.4, 35.0))
    x, y = start.x, start.y
    line = to_wgs84(shapely.LineString([(x, y), (x, y + 20_000)]))
    depth, length = 500.0, 20_000.0
    expected = (2 * depth * length + math.pi * depth**2) / 1e6
    assert area_km2(footprint(line, width_m=depth)) == pytest.approx(expected, rel=2e-3)


def test_a_point_with_a_radius_covers_its_circle() -> None:
    point = shapely.Point(44.4, 35.0)
    assert area_km2(footprint(point, width_m=2000)) == pytest.approx(_CIRCLE_64 * 4, rel=1e-4)


def test_a_line_or_point_without_width_has_no_footprint() -> None:
    with pytest.raises(GeometryError, match="depth"):
        footprint(shapely.Point(44.4, 35.0))


def test_footprints_vectorised_match_one_by_one() -> None:
    geoms = [
        shapely.Point(44.4, 35.0),
        shapely.LineString([(44.2, 35.4), (44.2, 35.6)]),
        parse_geometry(SQUARE),
    ]
    widths = [1000.0, 500.0, 0.0]
    many = footprints(geoms, widths)
    for geom, width, got in zip(geoms, widths, many, strict=True):
        one = footprint(geom, width_m=width)
        assert area_km2(got) == pytest.approx(area_km2(one), rel=1e-9)
    metric = footprints_metric(geoms, widths)
    assert metric[0].area / 1e6 == pytest.approx(_CIRCLE_64, rel=1e-4)
    with pytest.raises(GeometryError):
        footprints_metric(geoms, [0.0, 0.0, 0.0])


def _box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return shapely.geometry.mapping(shapely.box(west, south, east, north))


def test_a_polygon_partly_in_iran_is_outside_iraq() -> None:
    # Iraq's eastern edge at 33.0-33.3 N is near 46.0-46.1 E: some of this box is in Iran.
    straddling = _box(45.6, 33.0, 46.25, 33.3)
    with pytest.raises(GeometryError, match="outside the Iraq area"):
        parse_geometry(straddling)
    assert parse_geometry(straddling, cross_border=True).geom_type == "Polygon"


def test_a_line_crossing_into_turkey_is_outside_iraq() -> None:
    line = {"type": "LineString", "coordinates": [[43.5, 36.8], [43.5, 37.6]]}
    with pytest.raises(GeometryError, match="outside the Iraq area"):
        parse_geometry(line)


def test_a_point_just_outside_the_simplified_outline_is_within_tolerance() -> None:
    # About 1 km north of the outline at 43.5 E (37.248 N); 10 km out is abroad.
    assert parse_geometry({"type": "Point", "coordinates": [43.5, 37.257]})
    with pytest.raises(GeometryError, match="outside the Iraq area"):
        parse_geometry({"type": "Point", "coordinates": [43.5, 37.34]})


def test_a_polygon_well_inside_iraq_is_accepted() -> None:
    assert parse_geometry(_box(44.3, 33.2, 44.5, 33.4)).geom_type == "Polygon"
