"""Pure rules of sectors and protected sites (domain/sectors.py, domain/protected_sites.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tansiq.domain.errors import ValidationFailed
from tansiq.domain.protected_sites import active_during, check_site, validate_site_input
from tansiq.domain.sectors import (
    check_sector,
    check_sector_change,
    in_force,
    validate_sector_input,
)
from tests.factories_sectors import (
    checkpoint_data,
    line_data,
    movement_data,
    sector_data,
    site_data,
)

FEB = datetime(2020, 2, 1, tzinfo=UTC)
JUN = datetime(2020, 6, 1, tzinfo=UTC)


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return {e.field for e in exc.value.errors}


def _sector_errors(data: dict[str, Any]) -> set[str]:
    with pytest.raises(ValidationFailed) as exc:
        check_sector(validate_sector_input(data))
    return _fields(exc)


def test_a_valid_sector_is_normalised() -> None:
    values = validate_sector_input(sector_data(valid_from="2020-02-01T03:00:00+03:00"))
    assert values["valid_from"] == FEB
    assert values["status"] == "active" and values["depth_m"] is None
    placed = check_sector(values)
    assert placed.geometry.geom_type == "Polygon"
    assert placed.bbox == {"min_lon": 44.3, "min_lat": 35.3, "max_lon": 44.4, "max_lat": 35.4}


def test_a_line_and_a_post_are_grown_by_their_width() -> None:
    line = check_sector(validate_sector_input(line_data()))
    # 500 m either side: the box widens by ~0.0055° of longitude at 35.5°N.
    assert line.bbox["min_lon"] == pytest.approx(44.2 - 500 / 90_800, abs=2e-4)
    post = check_sector(validate_sector_input(checkpoint_data()))
    assert post.footprint.geom_type == "Polygon"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (line_data(depth_m=None), {"depth_m"}),
        (checkpoint_data(radius_m=None), {"radius_m"}),
        (sector_data(depth_m=100.0), {"depth_m"}),
        (checkpoint_data(depth_m=100.0), {"depth_m"}),
        (sector_data(kind="base", radius_m=100.0), {"geometry"}),
        (line_data(geometry=sector_data()["geometry"]), {"geometry"}),
        (sector_data(valid_until="2020-01-01T00:00:00Z"), {"valid_until"}),
        (sector_data(valid_until=sector_data()["valid_from"]), {"valid_until"}),
        (sector_data(releasability="center"), {"center_id"}),
        (
            sector_data(
                geometry={"type": "Point", "coordinates": [51.0, 35.0]}, kind="base", radius_m=50.0
            ),
            {"geometry"},
        ),
        (
            line_data(
                depth_m=50_000.0,
                geometry={
                    "type": "MultiLineString",
                    "coordinates": [
                        [[40.5, 32.5], [45.0, 32.5]],
                        [[40.5, 33.25], [45.0, 33.25]],
                        [[40.5, 34.0], [45.0, 34.0]],
                    ],
                },
            ),
            {"depth_m"},
        ),
    ],
)
def test_rules_across_fields_name_the_field(data: dict[str, Any], fields: set[str]) -> None:
    assert _sector_errors(data) == fields


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "trench"}, "kind"),
        ({"unit_name": " "}, "unit_name"),
        ({"unit_name": None}, "unit_name"),
        ({"depth_m": 5.0, "kind": "defensive_line"}, "depth_m"),
        ({"radius_m": 60_000, "kind": "base"}, "radius_m"),
        ({"radius_m": True, "kind": "base"}, "radius_m"),
        ({"radius_m": "500", "kind": "base"}, "radius_m"),
        ({"valid_from": "2020-02-01"}, "valid_from"),
        ({"valid_from": "2020-02-01T00:00:00"}, "valid_from"),
        ({"valid_until": "2200-01-01T00:00:00Z"}, "valid_until"),
        ({"geometry": "POLYGON ((44 35, 45 35, 45 36, 44 35))"}, "geometry"),
        ({"status": "deleted"}, "status"),
        ({"cross_border": "no"}, "cross_border"),
        ({"colour": "red"}, "colour"),
        ({"name": "x\x00"}, "name"),
        ({"releasability": "world"}, "releasability"),
    ],
)
def test_bad_fields_are_named(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_sector_input(sector_data(**overrides))
    assert field in _fields(exc)


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_sector_input(sector_data(kind="trench", status="gone", colour="red"))
    assert {"kind", "status", "colour"} <= _fields(exc)


def test_a_withdrawn_sector_is_final_and_the_kind_is_fixed() -> None:
    with pytest.raises(ValidationFailed, match="withdrawn"):
        check_sector_change({"status": "withdrawn", "kind": "aor"}, {"name": "x"})
    with pytest.raises(ValidationFailed) as exc:
        check_sector_change({"status": "active", "kind": "aor"}, {"kind": "base"})
    assert _fields(exc) == {"kind"}


@pytest.mark.parametrize(
    ("at_from", "at_until", "expected"),
    [
        (FEB, FEB, True),  # the first instant counts
        (JUN, JUN, False),  # valid_until is exclusive
        (datetime(2020, 1, 1, tzinfo=UTC), FEB, False),  # a window ending as it starts
        (datetime(2020, 1, 1, tzinfo=UTC), datetime(2020, 2, 2, tzinfo=UTC), True),
        (datetime(2020, 5, 31, tzinfo=UTC), datetime(2020, 7, 1, tzinfo=UTC), True),
    ],
)
def test_in_force_is_half_open(at_from: datetime, at_until: datetime, expected: bool) -> None:
    record = {"status": "active", "valid_from": FEB, "valid_until": JUN}
    assert in_force(record, at_from, at_until) is expected
    assert not in_force({**record, "status": "withdrawn"}, at_from, at_until)


def test_a_site_defaults_to_all_and_a_movement_needs_a_route_and_window() -> None:
    values = validate_site_input(site_data(releasability=None) | {"releasability": "all"})
    assert check_site(values).geometry.geom_type == "Point"
    assert (
        validate_site_input({"kind": "school", "name": "x", "geometry": {}})["releasability"]
        == "all"
    )
    movement = validate_site_input(movement_data())
    assert check_site(movement).geometry.geom_type == "LineString"
    with pytest.raises(ValidationFailed) as exc:
        check_site(validate_site_input(movement_data(starts_at=None, ends_at=None)))
    assert _fields(exc) == {"starts_at", "ends_at"}
    with pytest.raises(ValidationFailed) as exc:
        check_site(validate_site_input(movement_data(geometry=site_data()["geometry"])))
    assert _fields(exc) == {"geometry"}
    with pytest.raises(ValidationFailed) as exc:
        check_site(validate_site_input(movement_data(ends_at="2020-02-21T05:00:00Z")))
    assert _fields(exc) == {"ends_at"}


def test_a_school_is_a_point_or_polygon_and_always_active_without_window() -> None:
    line = {"type": "LineString", "coordinates": [[44.3, 35.3], [44.4, 35.4]]}
    with pytest.raises(ValidationFailed) as exc:
        check_site(validate_site_input(site_data(geometry=line)))
    assert _fields(exc) == {"geometry"}
    record = {"status": "active", "starts_at": None, "ends_at": None}
    assert active_during(record, FEB, JUN)
    window = {"status": "active", "starts_at": FEB, "ends_at": JUN}
    assert active_during(window, FEB, FEB) and not active_during(window, JUN, JUN)
