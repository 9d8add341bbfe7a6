"""Shapes that are valid but costly: stars whose spikes cross a neighbour's many times."""

from __future__ import annotations

import math
from typing import Any

# Kirkuk: the centre of the stars (inside the sectors' test square's neighbourhood).
CENTRE = (44.35, 35.35)


def star(
    points: int, *, shift: float = 0.0, outer: float = 0.05, inner: float = 0.008
) -> dict[str, Any]:
    """A valid star Polygon of ``2 * points`` vertices (plus the closing one), in degrees.

    ``shift`` moves it east; two stars shifted by about ``outer`` cross about
    ``points²/10`` times, which is what makes their overlay expensive.
    """
    lon, lat = CENTRE[0] + shift, CENTRE[1]
    ring = []
    for i in range(2 * points):
        angle = math.pi * i / points + (math.pi / (2 * points) if shift else 0.0)
        radius = outer if i % 2 == 0 else inner
        x, y = lon + radius * math.cos(angle), lat + radius * math.sin(angle)
        ring.append([round(x, 7), round(y, 7)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def many_rings(count: int) -> dict[str, Any]:
    """A valid MultiPolygon of ``count`` small disjoint squares near Kirkuk."""
    parts = []
    for i in range(count):
        west, south = 44.0 + (i % 20) * 0.01, 35.0 + (i // 20) * 0.01
        east, north = west + 0.005, south + 0.005
        parts.append([[[west, south], [east, south], [east, north], [west, north], [west, south]]])
    return {"type": "MultiPolygon", "coordinates": parts}


def holed(holes: int) -> dict[str, Any]:
    """A valid Polygon near Kirkuk with ``holes`` small square holes (``holes + 1`` rings)."""
    shell = [[44.0, 35.0], [44.5, 35.0], [44.5, 35.5], [44.0, 35.5], [44.0, 35.0]]
    inner = []
    for i in range(holes):
        west, south = 44.01 + (i % 20) * 0.02, 35.01 + (i // 20) * 0.02
        east, north = west + 0.01, south + 0.01
        inner.append([[west, south], [east, south], [east, north], [west, north], [west, south]])
    return {"type": "Polygon", "coordinates": [shell, *inner]}
