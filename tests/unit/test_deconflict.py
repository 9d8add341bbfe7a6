"""The pure deconfliction engine on known geometries (built in UTM 38N metres)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from tansiq.domain.choices import FindingKindChoices
from tansiq.geo.deconflict import DeconflictionIndex, Feature, Finding, Window
from tansiq.geo.geometry import to_metric, to_wgs84

# Near Kirkuk, in UTM 38N metres.
X0, Y0 = to_metric(Point(44.39, 35.47)).coords[0]
T0 = datetime(2020, 2, 20, 6, 0, tzinfo=UTC)
PLAN_WINDOW = Window(T0, T0 + timedelta(hours=8))
BUFFER_M = 1000.0


def box(west_m: float, south_m: float, east_m: float, north_m: float) -> BaseGeometry:
    """A lon/lat polygon for a box given in metres from (X0, Y0)."""
    return to_wgs84(shapely.box(X0 + west_m, Y0 + south_m, X0 + east_m, Y0 + north_m))


def point(east_m: float, north_m: float) -> BaseGeometry:
    """A lon/lat point given in metres from (X0, Y0)."""
    return to_wgs84(Point(X0 + east_m, Y0 + north_m))


# The plan: a 4 km x 4 km square with (X0, Y0) at its south-west corner.
PLAN = box(0, 0, 4000, 4000)


def sector(sector_id: str, party: str, geom: BaseGeometry, window: Window | None = None) -> Feature:
    return Feature(sector_id, party, geom, f"Sector {sector_id}", window or Window(None, None))


def kinds(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.kind.value, f.subject_id) for f in findings]


def test_overlap_area_of_another_partys_sector() -> None:
    # 2 km x 4 km of this sector lies inside the plan: 8 km².
    index = DeconflictionIndex(sectors=[sector("s1", "krg", box(2000, -1000, 6000, 5000))])
    [finding] = index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M)
    assert finding.kind == FindingKindChoices.SECTOR_OVERLAP
    assert finding.blocking
    assert finding.subject_id == "s1"
    assert finding.overlap_km2 == pytest.approx(8.0, rel=1e-3)
    assert "krg" in finding.summary and "8.00 km²" in finding.summary


def test_only_other_parties_sectors_count() -> None:
    index = DeconflictionIndex(
        sectors=[
            sector("own", "fed", box(0, 0, 1000, 1000)),
            sector("theirs", "krg", box(0, 0, 1000, 1000)),
            sector("third", "un", box(3000, 3000, 5000, 5000)),
        ]
    )
    found = index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M)
    assert kinds(found) == [("sector_overlap", "theirs"), ("sector_overlap", "third")]
    assert [f.overlap_km2 for f in found] == pytest.approx([1.0, 1.0], rel=1e-3)


def test_touching_or_distant_sectors_do_not_overlap() -> None:
    index = DeconflictionIndex(
        sectors=[
            sector("touching", "krg", box(4000, 0, 6000, 4000)),
            sector("far", "krg", box(10_000, 10_000, 12_000, 12_000)),
        ]
    )
    assert index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M) == []


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (Window(T0 - timedelta(days=10), T0 - timedelta(days=1)), False),  # ended before
        (Window(T0 + timedelta(hours=8), None), False),  # starts as the plan ends
        (Window(T0 - timedelta(days=1), T0), False),  # ends as the plan starts
        (Window(T0 + timedelta(hours=7), T0 + timedelta(days=3)), True),
        (Window(None, T0 + timedelta(minutes=1)), True),
        (Window(None, None), True),
    ],
)
def test_sector_counts_only_while_in_force(window: Window, expected: bool) -> None:
    index = DeconflictionIndex(sectors=[sector("s", "krg", box(0, 0, 1000, 1000), window)])
    assert bool(index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M)) is expected


@pytest.mark.parametrize(
    ("distance", "blocking"), [(0.0, True), (900.0, True), (999.0, True), (1100.0, False)]
)
def test_protected_site_within_the_buffer_is_blocking(distance: float, blocking: bool) -> None:
    site = Feature("school", "un", point(2000, 4000 + distance), "Al-Noor school")
    found = DeconflictionIndex(sites=[site]).check(PLAN, PLAN_WINDOW, "fed", BUFFER_M)
    if not blocking:
        assert found == []
        return
    [finding] = found
    assert finding.kind == FindingKindChoices.PROTECTED_SITE and finding.blocking
    assert finding.distance_m == pytest.approx(distance, abs=0.5)


def test_site_inside_the_area_and_the_buffer_setting() -> None:
    inside = Feature("camp", "fed", point(2000, 2000), "IDP camp")
    near = Feature("clinic", "krg", point(-1500, 2000), "Clinic")
    index = DeconflictionIndex(sites=[inside, near])
    found = index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M)
    assert kinds(found) == [("protected_site", "camp")]
    assert found[0].distance_m == 0.0 and "inside" in found[0].summary
    wider = index.check(PLAN, PLAN_WINDOW, "fed", 2000.0)
    assert kinds(wider) == [("protected_site", "camp"), ("protected_site", "clinic")]


def test_other_operations_overlapping_in_space_and_time() -> None:
    later = Window(T0 + timedelta(days=1), T0 + timedelta(days=2))
    index = DeconflictionIndex(
        operations=[
            Feature("op-now", "krg", box(3000, 3000, 5000, 5000), "Patrol", PLAN_WINDOW),
            Feature("op-later", "krg", box(0, 0, 4000, 4000), "Later patrol", later),
            Feature("op-elsewhere", "fed", box(9000, 0, 9500, 500), "Far", PLAN_WINDOW),
            Feature("self", "fed", PLAN, "The plan itself", PLAN_WINDOW),
        ]
    )
    [finding] = index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M, exclude_ids={"self"})
    assert finding.kind == FindingKindChoices.OPERATION_OVERLAP and finding.blocking
    assert finding.subject_id == "op-now"
    assert finding.overlap_km2 == pytest.approx(1.0, rel=1e-3)


def test_recent_incidents_are_informational() -> None:
    recent = Window(T0 - timedelta(days=30), T0)

    def at(days_ago: int) -> Window:
        return Window(T0 - timedelta(days=days_ago), T0 - timedelta(days=days_ago))

    index = DeconflictionIndex(
        incidents=[
            Feature("i-in", "krg", point(100, 100), "IED", at(2)),
            Feature("i-old", "krg", point(100, 100), "Old", at(40)),
            Feature("i-out", "krg", point(-100, 100), "Outside", at(1)),
        ]
    )
    assert index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M) == []
    [finding] = index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M, incidents_window=recent)
    assert finding.kind == FindingKindChoices.RECENT_INCIDENT
    assert finding.subject_id == "i-in" and not finding.blocking


def test_blocking_findings_come_first_and_negative_buffer_is_refused() -> None:
    index = DeconflictionIndex(
        sectors=[sector("s", "krg", box(0, 0, 1000, 1000))],
        sites=[Feature("site", "un", point(500, 500), "Mosque")],
        incidents=[Feature("inc", "krg", point(10, 10), "IED", Window(T0, T0))],
    )
    found = index.check(PLAN, PLAN_WINDOW, "fed", BUFFER_M, incidents_window=Window(None, None))
    assert [f.blocking for f in found] == [True, True, False]
    assert kinds(found)[:2] == [("sector_overlap", "s"), ("protected_site", "site")]
    with pytest.raises(ValueError, match="buffer"):
        index.check(PLAN, PLAN_WINDOW, "fed", -1.0)


def test_an_empty_index_finds_nothing() -> None:
    assert DeconflictionIndex().check(PLAN, PLAN_WINDOW, "fed", BUFFER_M) == []
