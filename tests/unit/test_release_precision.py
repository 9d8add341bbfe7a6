"""Reduced-precision release of incidents (geo/precision.py, geo/release.py). Pure."""

from __future__ import annotations

import copy
import math
from datetime import UTC, datetime
from typing import Any

import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tansiq.domain.choices import TimePrecisionChoices
from tansiq.geo.boundaries import admin_units, locate
from tansiq.geo.gazetteer import places
from tansiq.geo.precision import (
    TIME_ORDER,
    GeoRelease,
    ReleasePrecision,
    ReleasePrecisionError,
    floor_instant,
    format_precision,
    parse_precision,
)
from tansiq.geo.release import reduce_payload
from tansiq.journal.canonical import canonical_json
from tansiq.services.incidents.records import incident_payload

# Kirkuk city, a little off the round figures so that its digits are distinctive.
KIRKUK = (44.39237, 35.46814)
EVENT_AT = datetime(2020, 2, 19, 21, 13, 7, 123456, tzinfo=UTC)  # a Wednesday
FILED_AT = datetime(2020, 2, 20, 8, 0, tzinfo=UTC)
GRIDS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0)


def incident(
    lon: float = KIRKUK[0],
    lat: float = KIRKUK[1],
    *,
    occurred_at: datetime = EVENT_AT,
    **changes: Any,
) -> dict[str, Any]:
    """A payload made by the real incident serialiser, so that no field is forgotten."""
    row: dict[str, Any] = {
        "id": "0190c9f2-7a00-7000-8000-000000000001",
        "party_id": "fed",
        "releasability": "all",
        "center_id": None,
        "created_by": "u1",
        "updated_by": "u1",
        "version": 1,
        "created_at": FILED_AT,
        "updated_at": FILED_AT,
        "status": "submitted",
        "occurred_at": occurred_at,
        "time_precision": "exact",
        "lon": lon,
        "lat": lat,
        "geo_precision": 1,
        "place_name": "Kirkuk citadel",
        "cross_border": False,
        "admin1": "Kirkuk",
        "admin2": "Kirkuk",
        "admin3": "Markaz Kirkuk",
        "event_id_cnty": "IRQ10500",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Unidentified Armed Group (Iraq)",
        "assoc_actor_1": "",
        "inter1": "Political militia",
        "actor2": "Civilians (Iraq)",
        "assoc_actor_2": "",
        "inter2": "Civilians",
        "civilian_targeting": True,
        "fatalities": 0,
        "injured": 2,
        "description": "Two rockets landed near the market.",
        "sources": ["Local media"],
        "source_scale": "Subnational",
        "tags": "",
        "source_reliability": "B",
        "credibility": 2,
        **changes,
    }
    return incident_payload(row)


def leaks(text: str, value: float) -> list[str]:
    """The spellings of ``value`` (repr and 3-6 decimals) found in ``text``."""
    spellings = {repr(value), *(f"{value:.{places}f}" for places in range(3, 7))}
    return sorted(s for s in spellings if s in text)


# -- the spec -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected", "canonical"),
    [
        ("exact", ReleasePrecision(), "exact"),
        ("exact,exact", ReleasePrecision(), "exact"),
        ("district", ReleasePrecision(GeoRelease.DISTRICT), "district"),
        (
            " District , DAY ",
            ReleasePrecision(GeoRelease.DISTRICT, time=TimePrecisionChoices.DAY),
            "district,day",
        ),
        ("grid:0.1", ReleasePrecision(GeoRelease.GRID, 0.1), "grid:0.1"),
        ("grid:1", ReleasePrecision(GeoRelease.GRID, 1.0), "grid:1"),
        (
            "grid:0.05,week",
            ReleasePrecision(GeoRelease.GRID, 0.05, TimePrecisionChoices.WEEK),
            "grid:0.05,week",
        ),
        ("exact,month", ReleasePrecision(time=TimePrecisionChoices.MONTH), "exact,month"),
    ],
)
def test_spec_parses_and_formats_back(
    spec: str, expected: ReleasePrecision, canonical: str
) -> None:
    assert parse_precision(spec) == expected
    assert format_precision(expected) == canonical
    assert parse_precision(canonical) == expected


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("fuzzy", "geo mode 'fuzzy' is not one of"),
        ("district:0.1", "geo mode 'district:0.1' is not one of"),
        ("day", "'day' is a time mode; put the geo mode first"),
        ("district,hour", "time mode 'hour' is not one of"),
        ("district,day,week", "has 3 parts"),
        ("grid", "grid needs a cell size"),
        ("grid:", "grid needs a cell size"),
        ("grid:abc", "grid cell size 'abc' is not a number"),
        ("grid:0", "between 0.01 and 5 degrees, not 0"),
        ("grid:-0.1", "between 0.01 and 5 degrees, not -0.1"),
        ("grid:0.001", "between 0.01 and 5 degrees, not 0.001"),
        ("grid:5.5", "between 0.01 and 5 degrees, not 5.5"),
        ("grid:nan", "between 0.01 and 5 degrees, not nan"),
        ("grid:inf", "between 0.01 and 5 degrees, not inf"),
    ],
)
def test_bad_spec_names_the_problem(spec: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("(", r"\(")):
        parse_precision(spec)


def test_precision_refuses_a_grid_size_without_a_grid_and_unknown_modes() -> None:
    with pytest.raises(ReleasePrecisionError, match="grid_degrees is only for grid"):
        ReleasePrecision(GeoRelease.DISTRICT, 0.1)
    with pytest.raises(ReleasePrecisionError, match="grid needs a cell size"):
        ReleasePrecision(GeoRelease.GRID)
    with pytest.raises(ReleasePrecisionError, match="unknown release mode"):
        ReleasePrecision("blurred")  # type: ignore[arg-type]


# -- never the exact place or time --------------------------------------------------

REDUCED_SPECS = ("district", "district,week", "grid:0.01", "grid:0.05,day", "grid:0.1", "grid:5")


@pytest.mark.parametrize("spec", REDUCED_SPECS)
def test_exact_coordinates_appear_nowhere_in_what_the_peer_receives(spec: str) -> None:
    payload = incident()
    before = copy.deepcopy(payload)
    reduced = reduce_payload("incident", payload, parse_precision(spec))
    text = canonical_json(reduced).decode()
    assert leaks(text, KIRKUK[0]) == [] and leaks(text, KIRKUK[1]) == []
    assert "citadel" not in text
    assert payload == before  # the owner keeps the exact ones
    assert reduce_payload("incident", payload, parse_precision(spec)) == reduced


@pytest.mark.parametrize("spec", ["exact,day", "district,week", "grid:0.1,month"])
def test_exact_event_time_appears_nowhere_when_time_is_reduced(spec: str) -> None:
    reduced = reduce_payload("incident", incident(), parse_precision(spec))
    text = canonical_json(reduced).decode()
    assert "T21:13" not in text and "21:13:07" not in text
    # created_at/updated_at are the report's filing stamps, kept as they are.
    assert reduced["created_at"] == "2020-02-20T08:00:00.000000Z"


def test_exact_precision_is_an_equal_copy() -> None:
    payload = incident()
    copied = reduce_payload("incident", payload, ReleasePrecision())
    assert copied == payload
    copied["location"]["coordinates"][0] = 0.0
    assert payload["location"]["coordinates"][0] == KIRKUK[0]


# -- district -----------------------------------------------------------------------


def test_district_release_is_the_kirkuk_district_point() -> None:
    reduced = reduce_payload("incident", incident(), parse_precision("district"))
    lon, lat = reduced["location"]["coordinates"]
    district = next(u for u in admin_units(2) if u.pcode == "IQG13Q04")
    assert district.name_en == "Kirkuk"
    assert district.geometry.contains(shapely.Point(lon, lat))
    listed = next(p for p in places() if p.name == "Kirkuk" and p.population == 0)
    assert (lon, lat) == (listed.lon, listed.lat)  # the gazetteer's point of the district
    assert (reduced["admin1"], reduced["admin2"], reduced["place_name"]) == (
        "Kirkuk",
        "Kirkuk",
        "Kirkuk",
    )
    assert reduced["geo_precision"] == 2
    assert reduced["time_precision"] == "exact"


@pytest.mark.parametrize(
    ("lon", "lat", "admin2"),
    [(44.009, 36.191, "Erbil"), (42.68, 37.14, "Zakho"), (44.40, 33.34, "Al-Risafa")],
)
def test_every_point_of_a_district_is_released_as_the_same_point(
    lon: float, lat: float, admin2: str
) -> None:
    first = reduce_payload("incident", incident(lon, lat), parse_precision("district"))
    nearby = reduce_payload(
        "incident", incident(lon + 0.004, lat - 0.003), parse_precision("district")
    )
    assert first["location"] == nearby["location"]
    assert first["admin2"] == first["place_name"] == admin2
    area = locate(*first["location"]["coordinates"])
    assert area is not None and area.admin2 == admin2


def test_district_release_of_a_point_in_no_district_falls_back_to_a_coarse_grid() -> None:
    payload = incident(43.61, 37.62, cross_border=True, admin1=None, admin2=None)
    reduced = reduce_payload("incident", payload, parse_precision("district"))
    assert reduced["location"]["coordinates"] == [43.75, 37.75]
    assert (reduced["geo_precision"], reduced["admin2"], reduced["place_name"]) == (3, None, "")


def test_geo_precision_already_coarser_stays_coarse() -> None:
    payload = incident(geo_precision=3)
    for spec in ("district", "grid:0.05"):
        reduced = reduce_payload("incident", payload, parse_precision(spec))
        assert reduced["geo_precision"] == 3
        # At ACLED 3 only the governorate is known: no district name is released.
        assert (reduced["admin1"], reduced["admin2"], reduced["place_name"]) == (
            "Kirkuk",
            None,
            "Kirkuk",
        )


# -- grid ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("degrees", "centre", "geo_precision"),
    [
        (0.1, [44.35, 35.45], 2),
        (0.05, [44.375, 35.475], 2),
        (0.25, [44.375, 35.375], 2),
        (0.5, [44.25, 35.25], 3),
        (5.0, [42.5, 37.5], 3),
    ],
)
def test_grid_release_is_the_cell_centre(
    degrees: float, centre: list[float], geo_precision: int
) -> None:
    precision = ReleasePrecision(GeoRelease.GRID, degrees)
    reduced = reduce_payload("incident", incident(), precision)
    assert reduced["location"] == {"type": "Point", "coordinates": centre}
    assert reduced["geo_precision"] == geo_precision
    assert reduced["admin2"] == ("Kirkuk" if geo_precision == 2 else None)
    assert reduced["place_name"] == "Kirkuk"


@settings(max_examples=300, deadline=None)
@given(
    lon=st.floats(38.0, 49.5),
    lat=st.floats(28.5, 38.5),
    degrees=st.sampled_from(GRIDS),
    u=st.floats(0.001, 0.999),
    v=st.floats(0.001, 0.999),
)
def test_grid_release_depends_only_on_the_cell(
    lon: float, lat: float, degrees: float, u: float, v: float
) -> None:
    precision = ReleasePrecision(GeoRelease.GRID, degrees)
    reduced = reduce_payload("incident", incident(lon, lat), precision)
    x, y = reduced["location"]["coordinates"]
    # The centre of the cell: half a cell from the point at most, on the half-cell lattice.
    for exact, released in ((lon, x), (lat, y)):
        assert abs(released - exact) <= degrees / 2 + 1e-9
        steps = released / degrees - 0.5
        assert abs(steps - round(steps)) < 1e-6
    # Any other point of the same cell gives the very same payload: it cannot hold the
    # exact point, and there is nothing to average over many releases.
    other_lon = (math.floor(lon / degrees) + u) * degrees
    other_lat = (math.floor(lat / degrees) + v) * degrees
    assume(math.floor(other_lon / degrees) == math.floor(lon / degrees))
    assume(math.floor(other_lat / degrees) == math.floor(lat / degrees))
    assert reduce_payload("incident", incident(other_lon, other_lat), precision) == reduced


# -- time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "mode", "start"),
    [
        (EVENT_AT, "day", "2020-02-19T00:00:00.000000Z"),
        (EVENT_AT, "week", "2020-02-17T00:00:00.000000Z"),
        (EVENT_AT, "month", "2020-02-01T00:00:00.000000Z"),
        (datetime(2020, 2, 23, 23, 59, 59, tzinfo=UTC), "week", "2020-02-17T00:00:00.000000Z"),
        (datetime(2020, 2, 24, 0, 0, tzinfo=UTC), "week", "2020-02-24T00:00:00.000000Z"),
        (datetime(2021, 1, 2, 12, 0, tzinfo=UTC), "week", "2020-12-28T00:00:00.000000Z"),
    ],
)
def test_occurred_at_is_coarsened_to_the_start_of_its_utc_period(
    when: datetime, mode: str, start: str
) -> None:
    precision = ReleasePrecision(time=TimePrecisionChoices(mode))
    reduced = reduce_payload("incident", incident(occurred_at=when), precision)
    assert (reduced["occurred_at"], reduced["time_precision"]) == (start, mode)
    assert reduced["location"] == incident(occurred_at=when)["location"]


@pytest.mark.parametrize("existing", list(TimePrecisionChoices))
@pytest.mark.parametrize("chosen", ["day", "week", "month"])
def test_time_precision_is_never_made_finer(existing: str, chosen: str) -> None:
    payload = incident(time_precision=existing)
    reduced = reduce_payload("incident", payload, parse_precision(f"exact,{chosen}"))
    coarsest = max(
        TIME_ORDER.index(TimePrecisionChoices(existing)),
        TIME_ORDER.index(TimePrecisionChoices(chosen)),
    )
    assert reduced["time_precision"] == TIME_ORDER[coarsest]
    expected = floor_instant(EVENT_AT, TIME_ORDER[coarsest])
    assert reduced["occurred_at"] == expected.isoformat(timespec="microseconds")[:-6] + "Z"


def test_floor_instant_refuses_a_naive_time_and_keeps_exact() -> None:
    with pytest.raises(ValueError, match="naive"):
        floor_instant(datetime(2020, 2, 19, 21, 0), "day")  # noqa: DTZ001
    assert floor_instant(EVENT_AT, "exact") == EVENT_AT


# -- other kinds and bad payloads ---------------------------------------------------


def test_a_kind_holding_a_place_is_refused_and_one_without_is_copied() -> None:
    sector = {"id": "s1", "geometry": {"type": "Point", "coordinates": [44.4, 35.5]}}
    with pytest.raises(ReleasePrecisionError, match="a sector holding geometry cannot"):
        reduce_payload("sector", sector, parse_precision("grid:0.1"))
    assert reduce_payload("sector", sector, ReleasePrecision()) == sector
    notice = {"id": "n1", "location": None, "subject": "Convoy", "starts_at": "2020-02-19T21:13Z"}
    assert reduce_payload("notice", notice, parse_precision("district,day")) == notice


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"location": None}, "location must be a GeoJSON Point"),
        ({"location": {"type": "Polygon", "coordinates": []}}, "location must be a GeoJSON Point"),
        ({"location": {"type": "Point", "coordinates": [True, 35.0]}}, "must be a GeoJSON Point"),
        ({"occurred_at": "last Tuesday"}, "occurred_at or time_precision"),
        ({"time_precision": "fortnight"}, "occurred_at or time_precision"),
    ],
)
def test_a_payload_that_cannot_be_reduced_is_refused(changes: dict[str, Any], problem: str) -> None:
    payload = {**incident(), **changes}
    with pytest.raises(ReleasePrecisionError, match=problem):
        reduce_payload("incident", payload, parse_precision("district,day"))


def test_fields_derived_from_the_point_are_replaced_by_the_released_point() -> None:
    # Incident payloads hold none of these today; one that gains them must not leak.
    lon, lat = KIRKUK
    payload = {
        **incident(),
        "bbox": [lon, lat, lon, lat],
        "min_lon": lon,
        "max_lat": lat,
        "lon": lon,
        "centroid_lat": lat,
        "centroid": {"type": "Point", "coordinates": [lon, lat]},
    }
    reduced = reduce_payload("incident", payload, parse_precision("grid:0.1"))
    x, y = 44.35, 35.45
    assert reduced["location"]["coordinates"] == [x, y]
    assert reduced["bbox"] == [x, y, x, y]
    assert (reduced["min_lon"], reduced["max_lat"], reduced["lon"]) == (x, y, x)
    assert reduced["centroid_lat"] == y
    assert reduced["centroid"] == {"type": "Point", "coordinates": [x, y]}
    text = canonical_json(reduced).decode()
    assert leaks(text, lon) == [] and leaks(text, lat) == []


@pytest.mark.parametrize("spec", ["district", "grid:0.01", "grid:1", "exact,day", "exact,month"])
def test_the_sub_district_and_the_source_event_id_never_go_reduced(spec: str) -> None:
    # ACLED's event id leads to the public event's exact place and day; a sub-district
    # is finer than the district a release names.
    reduced = reduce_payload("incident", incident(), parse_precision(spec))
    assert reduced["event_id_cnty"] is None
    if spec.startswith("exact"):
        assert reduced["admin3"] == "Markaz Kirkuk"
    else:
        assert reduced["admin3"] is None
    assert "IRQ10500" not in canonical_json(reduced).decode()


def test_an_exact_release_keeps_the_source_event_id() -> None:
    assert reduce_payload("incident", incident(), parse_precision("exact"))["event_id_cnty"] == (
        "IRQ10500"
    )
