"""A work budget for overlays: refuse a request before GEOS spends minutes on it.

The cost of intersecting or uniting polygons grows with the number of places where
their edges cross, which can reach the product of their vertex counts (two "star"
sectors of 2,000 vertices cross about a million times). Counting the crossings is
cheap (an STRtree of edge segments, asked chunk by chunk, stopping once the budget is
spent), so callers count first and refuse with :class:`BudgetExceeded`. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from tansiq.geo.geometry import GeometryArray

#: Default: most edge crossings one coverage or deconfliction request may overlay.
MAX_CROSSINGS: Final = 10_000
#: Most vertices one overlay may take in (the area and every footprint together).
MAX_OVERLAY_VERTICES: Final = 250_000
#: Most vertices one coverage answer may hold (its GeoJSON stays a few MiB).
MAX_ANSWER_VERTICES: Final = 250_000
# Most segment pairs whose boxes meet compared at once (each pair costs ~32 bytes), and
# at all (~1 s): long edges side by side meet in boxes without ever crossing.
_PAIRS_AT_ONCE: Final = 2_000_000
_MAX_PAIRS: Final = 20_000_000
_LINES: Final = (1, 2)  # shapely type ids: LineString, LinearRing


Points = npt.NDArray[np.float64]


class BudgetExceeded(ValueError):
    """The request would cost more than its budget; the message says why, for the user."""


@dataclass(frozen=True)
class OverlayBudget:
    """How much one overlay may cost: edge crossings and vertices taken in and given out."""

    max_crossings: int = MAX_CROSSINGS
    max_vertices: int = MAX_OVERLAY_VERTICES
    max_answer_vertices: int = MAX_ANSWER_VERTICES


def _vertices(geoms: Sequence[BaseGeometry] | GeometryArray) -> int:
    return int(shapely.get_num_coordinates(np.asarray(geoms, dtype=object)).sum())


def _segments(geoms: Sequence[BaseGeometry] | GeometryArray) -> tuple[Points, Points]:
    """Every edge of the geometries' rings and lines: its start and end points (n x 2)."""
    parts = shapely.get_parts(np.asarray(geoms, dtype=object))
    lines = np.isin(shapely.get_type_id(parts), _LINES)
    rings = shapely.get_rings(parts[~lines]) if (~lines).any() else np.empty(0, dtype=object)
    paths = np.concatenate([parts[lines], rings])
    if not len(paths):
        return np.empty((0, 2)), np.empty((0, 2))
    coords, index = shapely.get_coordinates(paths, return_index=True)
    same = index[1:] == index[:-1]
    return coords[:-1][same], coords[1:][same]


def _side(a: Points, b: Points, c: Points) -> npt.NDArray[np.float64]:
    """The sign of the turn a -> b -> c (positive left, negative right, 0 in line)."""
    turn = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    return np.sign(turn)


def crossings(
    a: Sequence[BaseGeometry] | GeometryArray,
    b: Sequence[BaseGeometry] | GeometryArray | None = None,
    *,
    limit: int,
) -> int:
    """Edge crossings between ``a`` and ``b`` (or among ``a`` when ``b`` is None).

    Counts proper crossings only (shared edges and vertices are not crossings) and
    stops counting soon after ``limit``, so the answer is exact only up to it.
    Raises BudgetExceeded when even comparing the edges would cost too much.
    """
    start_a, end_a = _segments(a)
    start_b, end_b = (start_a, end_a) if b is None else _segments(b)
    if not len(start_a) or not len(start_b):
        return 0
    # The tree only pairs segments whose boxes meet; the turn signs then say which cross.
    tree = shapely.STRtree(shapely.linestrings(np.stack([start_b, end_b], axis=1)))
    # One of my segments meets at most every one of theirs: so many at a time bounds memory.
    step = max(1, _PAIRS_AT_ONCE // len(start_b))
    found = compared = 0
    for first in range(0, len(start_a), step):
        chunk = slice(first, first + step)
        boxes = shapely.box(
            np.minimum(start_a[chunk, 0], end_a[chunk, 0]),
            np.minimum(start_a[chunk, 1], end_a[chunk, 1]),
            np.maximum(start_a[chunk, 0], end_a[chunk, 0]),
            np.maximum(start_a[chunk, 1], end_a[chunk, 1]),
        )
        mine, theirs = tree.query(boxes)
        compared += len(mine)
        if compared > _MAX_PAIRS:
            raise BudgetExceeded(
                f"meets geometries too intricate to overlay in one request (more than "
                f"{compared:,} pairs of edges to compare); choose a smaller or simpler area"
            )
        p, q = start_a[chunk][mine], end_a[chunk][mine]
        r, s = start_b[theirs], end_b[theirs]
        cross = (_side(p, q, r) * _side(p, q, s) < 0) & (_side(r, s, p) * _side(r, s, q) < 0)
        # Among ``a`` itself every crossing is found from both of its segments.
        found += int(cross.sum()) if b is not None else int(cross.sum()) // 2
        if found > limit:
            break
    return found


def check_overlay(
    geoms: Sequence[BaseGeometry] | GeometryArray,
    others: Sequence[BaseGeometry] | GeometryArray | None = None,
    *,
    budget: OverlayBudget,
) -> None:
    """Refuse an overlay of ``geoms`` (with ``others``, or among themselves) over budget.

    Raises BudgetExceeded naming the vertices or crossings found and the limit.
    """
    taken = [geoms] if others is None else [geoms, others]
    vertices = sum(_vertices(g) for g in taken)
    if vertices > budget.max_vertices:
        raise BudgetExceeded(
            f"needs {vertices:,} vertices overlaid, more than the limit of "
            f"{budget.max_vertices:,}; choose a smaller or simpler area"
        )
    found = crossings(geoms, others, limit=budget.max_crossings)
    if found > budget.max_crossings:
        raise BudgetExceeded(
            f"meets geometries whose edges cross more than {budget.max_crossings:,} times "
            "(too complex to overlay in one request); choose a smaller or simpler area"
        )


def check_answer(geoms: Sequence[BaseGeometry] | GeometryArray, *, budget: OverlayBudget) -> None:
    """Refuse an answer whose geometries hold more than ``budget.max_answer_vertices``.

    Raises BudgetExceeded.
    """
    held = _vertices(geoms)
    if held > budget.max_answer_vertices:
        raise BudgetExceeded(
            f"answer would hold {held:,} vertices, more than the limit of "
            f"{budget.max_answer_vertices:,}; choose a smaller area or one party"
        )
