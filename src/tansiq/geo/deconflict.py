"""Deconfliction of a plan: what it overlaps or comes close to, in space and time.

Pure: the caller passes only what was released to the plan's owner party, as
WGS84 geometry with its owner and validity; :class:`DeconflictionIndex` keeps
one STRtree per layer and answers :meth:`DeconflictionIndex.check` with a list
of :class:`Finding`. Candidates are prefiltered in lon/lat by the trees; only
those are projected to UTM 38N for exact areas (km²) and distances (m).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

import numpy as np
import numpy.typing as npt
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from tansiq.domain.choices import FindingKindChoices
from tansiq.geo.budget import OverlayBudget, check_overlay
from tansiq.geo.geometry import to_metric, to_metric_many, to_wgs84

#: Overlaps smaller than this (km², i.e. 1 m²) are shared edges, not overlaps.
MIN_OVERLAP_KM2: Final = 1e-6
#: Reprojection bends straight edges a little: widen the lon/lat prefilter by this much.
_PREFILTER_SLACK_M: Final = 50.0
# Blocking findings first, then by kind in this order.
_KIND_ORDER: Final = {
    FindingKindChoices.SECTOR_OVERLAP: 0,
    FindingKindChoices.PROTECTED_SITE: 1,
    FindingKindChoices.OPERATION_OVERLAP: 2,
    FindingKindChoices.RECENT_INCIDENT: 3,
}


@dataclass(frozen=True)
class Window:
    """A half-open time span [starts_at, ends_at); ``None`` leaves that side open."""

    starts_at: datetime | None
    ends_at: datetime | None

    def overlaps(self, other: Window) -> bool:
        """True when both spans share some instant."""
        if self.ends_at is not None and other.starts_at is not None:
            if other.starts_at >= self.ends_at:
                return False
        if other.ends_at is not None and self.starts_at is not None:
            if self.starts_at >= other.ends_at:
                return False
        return True

    def contains(self, when: datetime) -> bool:
        """True when the instant ``when`` falls inside the span."""
        return (self.starts_at is None or self.starts_at <= when) and (
            self.ends_at is None or when < self.ends_at
        )


ALWAYS: Final = Window(None, None)


@dataclass(frozen=True)
class Feature:
    """One thing a plan is checked against: a sector footprint, a site, an operation area
    or an incident point, in WGS84, with its owner party and when it holds (an incident
    holds at the instant ``window.starts_at``)."""

    id: str
    party: str
    geometry: BaseGeometry
    label: str
    window: Window = ALWAYS
    releasability: str = "all"
    center_id: str | None = None


@dataclass(frozen=True)
class Finding:
    """One result of a check; ``subject`` is the feature it is about."""

    kind: FindingKindChoices
    blocking: bool
    subject: Feature
    summary: str
    overlap_km2: float | None = None
    distance_m: float | None = None

    @property
    def subject_id(self) -> str:
        """The id of the sector, site, operation or incident concerned."""
        return self.subject.id


@dataclass
class _Layer:
    features: list[Feature]
    tree: STRtree = field(init=False)

    def __post_init__(self) -> None:
        self.tree = STRtree([f.geometry for f in self.features])

    def candidates(self, geom: BaseGeometry) -> list[Feature]:
        if not self.features:
            return []
        hits: npt.NDArray[np.intp] = self.tree.query(geom, predicate="intersects")
        return [self.features[i] for i in sorted(hits.tolist())]


def _km2(value: float) -> str:
    return f"{value:,.2f} km²"


class DeconflictionIndex:
    """Sector footprints, protected sites, operation areas and incidents, indexed once.

    Build it from data released to the plan's owner party; then :meth:`check` any
    number of plans against it. With a ``budget``, a plan whose overlay with the
    candidates would cost more is refused (BudgetExceeded) before any is computed.
    """

    def __init__(
        self,
        *,
        sectors: Sequence[Feature] = (),
        sites: Sequence[Feature] = (),
        operations: Sequence[Feature] = (),
        incidents: Sequence[Feature] = (),
        budget: OverlayBudget | None = None,
    ) -> None:
        self.budget = budget
        self.sectors = _Layer(list(sectors))
        self.sites = _Layer(list(sites))
        self.operations = _Layer(list(operations))
        self.incidents = _Layer(list(incidents))

    def check(
        self,
        plan_area: BaseGeometry,
        window: Window,
        owner_party: str,
        buffer_m: float,
        *,
        exclude_ids: Collection[str] = (),
        incidents_window: Window | None = None,
    ) -> list[Finding]:
        """Every finding for a plan over ``plan_area`` (WGS84) during ``window``.

        - another party's sector in force during the window that overlaps the area
          (blocking, with the overlap in km²);
        - a protected site within ``buffer_m`` metres of the area (blocking, with
          the distance; 0 inside);
        - another operation overlapping the area during the window (blocking);
        - an incident inside the area during ``incidents_window`` (informational;
          none when it is None).

        ``exclude_ids`` leaves out features (the plan itself). Raises ValueError for
        a negative buffer, BudgetExceeded for an overlay over the index's budget.
        """
        if buffer_m < 0:
            raise ValueError("the buffer must not be negative")
        area_m = to_metric(plan_area)
        findings = self._sectors(plan_area, area_m, window, owner_party, exclude_ids)
        findings += self._sites(area_m, buffer_m, exclude_ids)
        findings += self._operations(plan_area, area_m, window, exclude_ids)
        if incidents_window is not None:
            findings += self._incidents(plan_area, area_m, incidents_window, exclude_ids)
        findings.sort(key=lambda f: (not f.blocking, _KIND_ORDER[f.kind], f.subject.id))
        return findings

    def _overlaps(
        self,
        layer: _Layer,
        plan_area: BaseGeometry,
        area_m: BaseGeometry,
        window: Window,
        exclude_ids: Collection[str],
        owner_party: str | None = None,
    ) -> list[tuple[Feature, float]]:
        found = [
            f
            for f in layer.candidates(plan_area)
            if f.id not in exclude_ids
            and (owner_party is None or f.party != owner_party)
            and f.window.overlaps(window)
        ]
        if not found:
            return []
        metric = to_metric_many([f.geometry for f in found])
        if self.budget is not None:
            check_overlay([area_m], metric, budget=self.budget)
        areas = shapely.area(shapely.intersection(area_m, metric)) / 1e6
        return [
            (f, float(a)) for f, a in zip(found, areas.tolist(), strict=True) if a > MIN_OVERLAP_KM2
        ]

    def _sectors(
        self,
        plan_area: BaseGeometry,
        area_m: BaseGeometry,
        window: Window,
        owner_party: str,
        exclude_ids: Collection[str],
    ) -> list[Finding]:
        hits = self._overlaps(
            self.sectors, plan_area, area_m, window, exclude_ids, owner_party=owner_party
        )
        return [
            Finding(
                FindingKindChoices.SECTOR_OVERLAP,
                True,
                f,
                f"Overlaps {f.party} sector “{f.label}” by {_km2(km2)} while it is in force",
                overlap_km2=round(km2, 6),
            )
            for f, km2 in hits
        ]

    def _sites(
        self, area_m: BaseGeometry, buffer_m: float, exclude_ids: Collection[str]
    ) -> list[Finding]:
        reach = to_wgs84(area_m.buffer(buffer_m + _PREFILTER_SLACK_M, quad_segs=8))
        found = [f for f in self.sites.candidates(reach) if f.id not in exclude_ids]
        if not found:
            return []
        metric = to_metric_many([f.geometry for f in found])
        distances = shapely.distance(area_m, metric)
        findings = []
        for f, d in zip(found, distances.tolist(), strict=True):
            if d > buffer_m:
                continue
            where = (
                "lies inside the plan area"
                if d == 0
                else f"is {d:,.0f} m from the plan area (buffer {buffer_m:,.0f} m)"
            )
            findings.append(
                Finding(
                    FindingKindChoices.PROTECTED_SITE,
                    True,
                    f,
                    f"Protected site “{f.label}” {where}",
                    distance_m=round(float(d), 1),
                )
            )
        return findings

    def _operations(
        self,
        plan_area: BaseGeometry,
        area_m: BaseGeometry,
        window: Window,
        exclude_ids: Collection[str],
    ) -> list[Finding]:
        hits = self._overlaps(self.operations, plan_area, area_m, window, exclude_ids)
        return [
            Finding(
                FindingKindChoices.OPERATION_OVERLAP,
                True,
                f,
                f"Overlaps {f.party} operation “{f.label}” by {_km2(km2)} during the window",
                overlap_km2=round(km2, 6),
            )
            for f, km2 in hits
        ]

    def _incidents(
        self,
        plan_area: BaseGeometry,
        area_m: BaseGeometry,
        window: Window,
        exclude_ids: Collection[str],
    ) -> list[Finding]:
        found = [
            f
            for f in self.incidents.candidates(plan_area)
            if f.id not in exclude_ids
            and f.window.starts_at is not None
            and window.contains(f.window.starts_at)
        ]
        if not found:
            return []
        # The lon/lat test is exact for points on the area; the metric one confirms it.
        metric = to_metric_many([f.geometry for f in found])
        inside = shapely.intersects(area_m, metric)
        return [
            Finding(
                FindingKindChoices.RECENT_INCIDENT,
                False,
                f,
                f"Incident in the area: {f.label}",
                distance_m=0.0,
            )
            for f, ok in zip(found, inside.tolist(), strict=True)
            if ok
        ]
