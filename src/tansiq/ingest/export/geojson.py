"""GeoJSON (RFC 7946) for one layer, written as it is read: never the whole file in memory.

One FeatureCollection of one geometry type: WGS84 longitude/latitude (RFC 7946 has
no ``crs`` member, and this writes none), exterior rings counterclockwise and holes
clockwise (section 3.1.6), each feature's ``properties`` every attribute the JSON
API answers. ``name`` (a foreign member, section 6.1) names the layer, as GDAL reads it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

import orjson

from tansiq.ingest.export.layers import Dataset, Family, Feature

CHUNK_BYTES = 64 * 1024
Ring = list[list[float]]


def _signed_area(ring: Ring) -> float:
    # The shoelace sum: positive for a counterclockwise ring in lon/lat.
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in pairwise(ring))


def _wound(ring: Ring, counterclockwise: bool) -> Ring:
    return ring if (_signed_area(ring) > 0) == counterclockwise else ring[::-1]


def _polygon(rings: list[Ring]) -> list[Ring]:
    exterior, *holes = rings
    return [_wound(exterior, True), *(_wound(hole, False) for hole in holes)]


def right_hand(geometry: dict[str, Any]) -> dict[str, Any]:
    """``geometry`` with its rings wound as RFC 7946 asks (a new dict; others unchanged)."""
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        parts = [_polygon(rings) for rings in geometry["coordinates"]]
        return {"type": "MultiPolygon", "coordinates": parts}
    return geometry


def feature_json(feature: Feature) -> bytes:
    """One GeoJSON Feature: the record's id, its geometry, its other attributes."""
    return orjson.dumps(
        {
            "type": "Feature",
            "id": feature.id,
            "geometry": right_hand(feature.geometry),
            "properties": feature.properties,
        }
    )


def geojson_chunks(
    dataset: Dataset,
    family: Family,
    features: Iterable[Feature],
    counts: Counter[str] | None = None,
) -> Iterator[bytes]:
    """The FeatureCollection of ``family``'s layer, in chunks of about CHUNK_BYTES.

    ``counts[layer]`` is raised by one a feature. Raises ValueError for a feature
    of another family (the caller picks the layer's features).
    """
    layer = dataset.layer_name(family)
    buffer = bytearray(b'{"type":"FeatureCollection","name":')
    buffer += orjson.dumps(layer) + b',"features":['
    separator = b""
    for feature in features:
        if feature.family != family:
            raise ValueError(f"a {feature.family} feature in the {layer} layer")
        buffer += separator + feature_json(feature)
        separator = b","
        if counts is not None:
            counts[layer] += 1
        if len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer)
            buffer.clear()
    buffer += b"]}\n"
    yield bytes(buffer)
