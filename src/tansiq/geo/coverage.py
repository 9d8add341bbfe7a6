"""Coverage of an area by each party's sectors: who holds what, overlaps, and gaps.

Pure: takes the area, each party's footprints and incident points, and answers
in UTM 38N metres (areas in km²); :func:`coverage_geojson` turns the answer into
WGS84 GeoJSON. Nothing here decides who may see which sector: callers pass only
the footprints released to the viewer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from tansiq.geo.budget import OverlayBudget, check_answer, check_overlay
from tansiq.geo.geometry import GeometryArray, to_geojson, to_metric, to_metric_many, to_wgs84

#: Gap parts smaller than this (km²) are slivers between neighbouring sectors: left out of
#: the parts list, though their area still counts in the gap total.
MIN_GAP_PART_KM2: Final = 0.01
_POLYGON: Final = 3  # shapely type id
# Metres. Clipping, overlap and gaps snap to a 1 cm grid: footprints reprojected from
# lon/lat miss shared edges by nanometres, and the slivers would join or fake gaps.
_GRID: Final = 0.01


@dataclass(frozen=True)
class IncidentPoint:
    """An incident to place in the answer: its id and WGS84 position."""

    id: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Layer:
    """A piece of the answer: a party's coverage, the overlap, or the gaps (metric)."""

    layer: str  # "coverage", "overlap" or "gap"
    party: str | None
    geometry: BaseGeometry
    area_km2: float
    incident_ids: tuple[str, ...]


@dataclass(frozen=True)
class GapPart:
    """One connected piece of the gaps, with the incidents inside it (metric)."""

    id: str
    geometry: BaseGeometry
    area_km2: float
    incident_ids: tuple[str, ...]


@dataclass(frozen=True)
class CoverageResult:
    """The coverage of one area; geometries in UTM 38N metres."""

    area: BaseGeometry
    area_km2: float
    incident_ids: tuple[str, ...]
    coverage: tuple[Layer, ...]
    overlap: Layer
    gaps: Layer
    gap_parts: tuple[GapPart, ...]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygons of ``geom`` (set operations may leave touching lines and points)."""
    parts = shapely.get_parts(geom)
    polygons = parts[shapely.get_type_id(parts) == _POLYGON]
    result: BaseGeometry = shapely.multipolygons(polygons)
    return result


def _inside(
    geom: BaseGeometry, ids: Sequence[str], x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]
) -> tuple[str, ...]:
    if geom.is_empty or not len(ids):
        return ()
    shapely.prepare(geom)
    hit = shapely.intersects_xy(geom, x, y)
    return tuple(ids[int(i)] for i in np.flatnonzero(hit))


def _points_in(
    area: BaseGeometry, incidents: Sequence[IncidentPoint]
) -> tuple[list[str], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The incidents inside ``area`` (metric): their ids and metric x, y."""
    if not incidents:
        return [], np.empty(0), np.empty(0)
    lonlat = np.array([(p.lon, p.lat) for p in incidents], dtype=np.float64)
    coords = shapely.get_coordinates(to_metric_many(shapely.points(lonlat)))
    hit = shapely.intersects_xy(area, coords[:, 0], coords[:, 1])
    return [incidents[int(i)].id for i in np.flatnonzero(hit)], coords[hit, 0], coords[hit, 1]


def _km2(geom: BaseGeometry) -> float:
    return float(geom.area) / 1e6


def compute_coverage_metric(
    area: BaseGeometry,
    parties: Sequence[str],
    footprints: Sequence[BaseGeometry] | GeometryArray,
    incidents: Sequence[IncidentPoint],
    *,
    min_part_km2: float = MIN_GAP_PART_KM2,
    budget: OverlayBudget | None = None,
) -> CoverageResult:
    """Coverage of ``area`` by footprints already in UTM 38N; ``parties[i]`` owns ``footprints[i]``.

    Overlap is ground held by two or more parties; gaps are the area held by none.
    Raises ValueError if ``parties`` and ``footprints`` differ in length, and
    BudgetExceeded (before any overlay) when the work or the answer is over ``budget``.
    """
    if len(parties) != len(footprints):
        raise ValueError("one party per footprint is needed")
    area = _polygonal(area)
    shapely.prepare(area)
    fps = np.asarray(footprints, dtype=object)
    owners = np.asarray(parties, dtype=object)
    if len(fps):
        # Only footprints whose box meets the area's box can matter.
        keep = shapely.STRtree(fps).query(area, predicate="intersects")
        fps, owners = fps[keep], owners[keep]
    if budget is not None:
        check_overlay([area, *fps], budget=budget)
    covers: dict[str, BaseGeometry] = {}
    for party in sorted(set(owners.tolist())):
        held = shapely.union_all(fps[owners == party])
        covers[party] = _polygonal(shapely.intersection(held, area, grid_size=_GRID))
    pairs = [
        shapely.intersection(a, b, grid_size=_GRID) for a, b in combinations(covers.values(), 2)
    ]
    overlap = _polygonal(shapely.union_all(pairs))
    held_by_any = shapely.union_all(list(covers.values()))
    gaps = _polygonal(shapely.difference(area, held_by_any, grid_size=_GRID))
    if budget is not None:
        check_answer([area, *covers.values(), overlap, gaps], budget=budget)

    ids, x, y = _points_in(area, incidents)
    parts = sorted(
        (p for p in shapely.get_parts(gaps) if _km2(p) >= min_part_km2),
        key=lambda p: (-p.area, p.bounds),
    )
    gap_parts = tuple(
        GapPart(f"gap-{n}", part, _km2(part), _inside(part, ids, x, y))
        for n, part in enumerate(parts, start=1)
    )
    return CoverageResult(
        area=area,
        area_km2=_km2(area),
        incident_ids=tuple(ids),
        coverage=tuple(
            Layer("coverage", party, geom, _km2(geom), _inside(geom, ids, x, y))
            for party, geom in covers.items()
        ),
        overlap=Layer("overlap", None, overlap, _km2(overlap), _inside(overlap, ids, x, y)),
        gaps=Layer("gap", None, gaps, _km2(gaps), _inside(gaps, ids, x, y)),
        gap_parts=gap_parts,
    )


def compute_coverage(
    area: BaseGeometry,
    covers: Sequence[tuple[str, BaseGeometry]],
    incidents: Sequence[IncidentPoint] = (),
    *,
    min_part_km2: float = MIN_GAP_PART_KM2,
) -> CoverageResult:
    """Coverage of a lon/lat ``area`` by ``(party, lon/lat footprint)`` pairs.

    See :func:`compute_coverage_metric`; the result's geometries are in UTM 38N.
    """
    return compute_coverage_metric(
        to_metric(area),
        [party for party, _ in covers],
        to_metric_many([geom for _, geom in covers]),
        incidents,
        min_part_km2=min_part_km2,
    )


def summary_rows(result: CoverageResult) -> list[dict[str, Any]]:
    """The summary table: one row per layer ``{layer, party, area_km2, incident_count}``."""
    rows = [
        {
            "layer": "area",
            "party": None,
            "area_km2": round(result.area_km2, 3),
            "incident_count": len(result.incident_ids),
        }
    ]
    for layer in (*result.coverage, result.overlap, result.gaps):
        rows.append(
            {
                "layer": layer.layer,
                "party": layer.party,
                "area_km2": round(layer.area_km2, 3),
                "incident_count": len(layer.incident_ids),
            }
        )
    return rows


def _feature(feature_id: str, geom: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": to_geojson(to_wgs84(geom)),
        "properties": {"id": feature_id, **properties},
    }


def coverage_geojson(
    result: CoverageResult,
    *,
    incidents: Mapping[str, Mapping[str, Any]] | None = None,
    points: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """The result as a WGS84 FeatureCollection with a ``summary`` member.

    Features: the area outline, each party's coverage, the overlap, each gap part
    (with its ``incident_ids``) and, given ``points`` (id -> lon, lat), the incidents
    inside gaps, carrying ``incidents[id]`` as extra properties.
    """
    features = [
        _feature(
            "area",
            result.area,
            {"layer": "area", "party": None, "area_km2": round(result.area_km2, 3)},
        )
    ]
    for layer in (*result.coverage, result.overlap):
        if layer.geometry.is_empty:
            continue
        name = f"coverage-{layer.party}" if layer.party else layer.layer
        features.append(
            _feature(
                name,
                layer.geometry,
                {
                    "layer": layer.layer,
                    "party": layer.party,
                    "area_km2": round(layer.area_km2, 3),
                    "incident_count": len(layer.incident_ids),
                },
            )
        )
    for part in result.gap_parts:
        features.append(
            _feature(
                part.id,
                part.geometry,
                {
                    "layer": "gap",
                    "party": None,
                    "area_km2": round(part.area_km2, 3),
                    "incident_count": len(part.incident_ids),
                    "incident_ids": list(part.incident_ids),
                },
            )
        )
    for part in result.gap_parts:
        for incident_id in part.incident_ids:
            if points is None or incident_id not in points:
                continue
            lon, lat = points[incident_id]
            extra = dict((incidents or {}).get(incident_id, {}))
            features.append(
                {
                    "type": "Feature",
                    "id": f"incident-{incident_id}",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        **extra,
                        "id": incident_id,
                        "layer": "incident",
                        "gap": part.id,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features, "summary": summary_rows(result)}
