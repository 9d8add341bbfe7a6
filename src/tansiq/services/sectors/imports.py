"""Reading bulk imports: GeoJSON FeatureCollections and CSV tables into record inputs.

Errors name the place in the document (``features[3].geometry``,
``rows[2].lon``) so a file can be fixed; nothing is written here.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import orjson

from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.protected_sites import SITE_INPUT_FIELDS

MAX_FEATURES: Final = 5000
CSV_REQUIRED: Final = ("kind", "name")
# Columns a CSV may carry besides the site fields: a position, or a GeoJSON geometry.
CSV_GEOMETRY_COLUMNS: Final = ("lon", "lat", "geometry")
_TRUE: Final = ("true", "1", "yes")
_FALSE: Final = ("false", "0", "no")


def features_of(document: Any) -> list[Mapping[str, Any]]:
    """The features of a FeatureCollection (or a bare list of features).

    Raises ValidationFailed naming ``type`` or ``features``.
    """
    if isinstance(document, Mapping):
        if document.get("type") != "FeatureCollection":
            raise ValidationFailed.single("type", "must be FeatureCollection")
        document = document.get("features")
    if not isinstance(document, list):
        raise ValidationFailed.single("features", "must be a list of GeoJSON Features")
    if not 1 <= len(document) <= MAX_FEATURES:
        raise ValidationFailed.single("features", f"must hold between 1 and {MAX_FEATURES}")
    return document


def feature_items(
    features: Sequence[Any], *, label: str = "features"
) -> tuple[list[dict[str, Any]], list[str]]:
    """Each feature's properties plus its geometry, and the error prefix of each.

    Raises ValidationFailed naming ``features[i]`` for an entry that is not a Feature.
    """
    errors = ErrorCollector()
    items: list[dict[str, Any]] = []
    prefixes: list[str] = []
    for index, feature in enumerate(features):
        name = f"{label}[{index}]"
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            errors.add(name, "must be a GeoJSON Feature")
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, Mapping):
            errors.add(f"{name}.properties", "must be an object")
            continue
        if "geometry" in properties:
            errors.add(f"{name}.properties.geometry", "belongs in the feature, not its properties")
            continue
        items.append({**properties, "geometry": feature.get("geometry")})
        prefixes.append(f"{name}.properties.")
    errors.raise_if_any("The import is invalid")
    return items, prefixes


def _cell(errors: ErrorCollector, name: str, column: str, raw: str) -> Any:
    if column in ("lon", "lat"):
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            errors.add(name, "must be a number of degrees")
        return value
    if column == "cross_border":
        if raw.lower() not in _TRUE + _FALSE:
            errors.add(name, "must be true or false")
        return raw.lower() in _TRUE
    if column == "geometry":
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            errors.add(name, "must be a GeoJSON geometry object")
            return None
    return raw


def _csv_geometry(errors: ErrorCollector, row: dict[str, Any], name: str) -> None:
    lon, lat = row.pop("lon", None), row.pop("lat", None)
    if "geometry" in row:
        if lon is not None or lat is not None:
            errors.add(f"{name}.geometry", "give lon and lat, or geometry, not both")
    elif lon is None or lat is None:
        errors.add(f"{name}.lon", "lon and lat (or a GeoJSON geometry) are required")
    else:
        row["geometry"] = {"type": "Point", "coordinates": [lon, lat]}


def csv_items(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of a CSV of protected sites as inputs, and the error prefix of each.

    The header names ``kind``, ``name`` and ``lon``/``lat`` (or ``geometry``, a
    GeoJSON geometry) and any other site field; empty cells take the defaults.
    Raises ValidationFailed naming ``columns`` or ``rows[i].<column>``.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    known = (*SITE_INPUT_FIELDS, *CSV_GEOMETRY_COLUMNS)
    columns = [c.strip() for c in reader.fieldnames or []]
    unknown = [c for c in columns if c not in known]
    missing = [c for c in CSV_REQUIRED if c not in columns]
    if unknown or missing or len(set(columns)) != len(columns):
        problem = (
            f"unknown columns: {', '.join(unknown)}"
            if unknown
            else f"missing columns: {', '.join(missing)}"
            if missing
            else "a column is named twice"
        )
        raise ValidationFailed.single("columns", f"{problem}; known: {', '.join(known)}")
    errors = ErrorCollector()
    items: list[dict[str, Any]] = []
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ValidationFailed.single("body", f"is not valid CSV: {exc}") from None
    if not 1 <= len(records) <= MAX_FEATURES:
        raise ValidationFailed.single("rows", f"must hold between 1 and {MAX_FEATURES}")
    for index, record in enumerate(records):
        name = f"rows[{index}]"
        if None in record:
            errors.add(name, "has more cells than the header has columns")
            continue
        row = {
            key.strip(): _cell(errors, f"{name}.{key.strip()}", key.strip(), value.strip())
            for key, value in record.items()
            if value is not None and value.strip()
        }
        _csv_geometry(errors, row, name)
        items.append(row)
    errors.raise_if_any("The import is invalid")
    return items, [f"rows[{i}]." for i in range(len(items))]
