"""KML 2.2 (OGC 07-147r2): a Folder a layer, each Placemark's fields as typed ExtendedData.

Written by hand as a stream, because a DOM (simplekml, lxml trees) would hold the whole
document. Every text goes through :func:`xml_text`: markup characters escaped, and the
characters XML 1.0 cannot carry at all replaced by U+FFFD, so any record gives a
well-formed file. A dataset with several layers spools each layer's placemarks to a
temporary file (disk past 1 MiB) while reading, then writes the folders in turn.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, Final

import orjson

from tansiq.ingest.export.layers import Dataset, Family, Feature, FieldType

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 1024 * 1024

# KML's SimpleField types (07-147r2, 9.9.3) for each field type.
SIMPLE_TYPES: Final[Mapping[FieldType, str]] = {
    "text": "string",
    "integer": "int",
    "real": "double",
    "boolean": "bool",
    "datetime": "string",
    "json": "string",
}
# Fields a Placemark carries in its own <name> and <description>: GDAL's LIBKML driver
# reads those as its Name and description fields, so ExtendedData of the same name
# would be lost to them (it matches field names without regard to case).
CARRIED: Final = frozenset({"name", "description"})
# XML 1.0's Char production: anything else cannot appear in a document, even escaped.
_XML_CHARS = "\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
_NOT_XML = re.compile(f"[^{_XML_CHARS}]")
# What needs escaping or replacing; most texts (ids, codes, names) hold none of it.
_SPECIAL = re.compile(f"[&<>\"'\r]|[^{_XML_CHARS}]")
_ESCAPES: Final = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&apos;"),
    # A carriage return is escaped so that a parser's newline normalisation keeps it.
    ("\r", "&#13;"),
)


def xml_text(value: object) -> str:
    """``value`` as XML character data or attribute text (quotes escaped too)."""
    text = str(value)
    if _SPECIAL.search(text) is None:
        return text
    text = _NOT_XML.sub("\ufffd", text)
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def number(value: float | int) -> str:
    """A number as KML reads it: the shortest exact form, never an exponent."""
    text = repr(float(value)) if isinstance(value, float) else str(int(value))
    if "e" in text or "E" in text:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    return text


def _simple(value: Any, kind: FieldType) -> str:
    if kind == "boolean":
        return "1" if value else "0"
    if kind in ("integer", "real"):
        return number(value)
    if kind == "json":
        return xml_text(orjson.dumps(value).decode())
    return xml_text(value)


def _positions(points: Iterable[list[float]]) -> str:
    return " ".join(f"{number(p[0])},{number(p[1])}" for p in points)


def _ring(tag: str, ring: list[list[float]]) -> str:
    return f"<{tag}><LinearRing><coordinates>{_positions(ring)}</coordinates></LinearRing></{tag}>"


def _polygon(rings: list[list[list[float]]]) -> str:
    exterior, *holes = rings
    inner = "".join(_ring("innerBoundaryIs", hole) for hole in holes)
    return f"<Polygon>{_ring('outerBoundaryIs', exterior)}{inner}</Polygon>"


def geometry_kml(geometry: Mapping[str, Any]) -> str:
    """A GeoJSON Point, (Multi)LineString or (Multi)Polygon as KML; raises ValueError else."""
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return f"<Point><coordinates>{_positions([coordinates])}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><coordinates>{_positions(coordinates)}</coordinates></LineString>"
    if kind == "Polygon":
        return _polygon(coordinates)
    if kind == "MultiLineString":
        parts = "".join(geometry_kml({"type": "LineString", "coordinates": c}) for c in coordinates)
        return f"<MultiGeometry>{parts}</MultiGeometry>"
    if kind == "MultiPolygon":
        return f"<MultiGeometry>{''.join(_polygon(c) for c in coordinates)}</MultiGeometry>"
    raise ValueError(f"KML export does not write {kind}")


def _time(dataset: Dataset, payload: Mapping[str, Any]) -> str:
    if dataset.when and payload.get(dataset.when):
        return f"<TimeStamp><when>{xml_text(payload[dataset.when])}</when></TimeStamp>"
    if dataset.span is None:
        return ""
    begin, end = (payload.get(key) for key in dataset.span)
    parts = (f"<begin>{xml_text(begin)}</begin>" if begin else "") + (
        f"<end>{xml_text(end)}</end>" if end else ""
    )
    return f"<TimeSpan>{parts}</TimeSpan>" if parts else ""


def placemark(dataset: Dataset, feature: Feature) -> str:
    """One Placemark: name, description, time, the fields as SchemaData, the geometry."""
    payload = feature.payload
    text = payload.get(dataset.description) if dataset.description else None
    data = "".join(
        f'<SimpleData name="{field.name}">{_simple(value, field.type)}</SimpleData>'
        for field, value in zip(dataset.fields, dataset.columns(payload), strict=True)
        if value is not None and field.name not in CARRIED
    )
    layer = dataset.layer_name(feature.family)
    return (
        f'<Placemark id="{xml_text(layer)}.{xml_text(feature.id)}">'
        f"<name>{xml_text(dataset.label(payload))}</name>"
        + (f"<description>{xml_text(text)}</description>" if text else "")
        + _time(dataset, payload)
        + f'<ExtendedData><SchemaData schemaUrl="#{dataset.name}">{data}</SchemaData>'
        + f"</ExtendedData>{geometry_kml(feature.geometry)}</Placemark>\n"
    )


def _head(dataset: Dataset) -> str:
    fields = "".join(
        f'<SimpleField type="{SIMPLE_TYPES[f.type]}" name="{f.name}"/>'
        for f in dataset.fields
        if f.name not in CARRIED
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<kml xmlns="{KML_NAMESPACE}">\n<Document id="{dataset.name}_document">'
        f"<name>{xml_text(dataset.title)}</name>\n"
        f'<Schema name="{dataset.name}" id="{dataset.name}">{fields}</Schema>\n'
    )


def _folder(dataset: Dataset, family: Family) -> str:
    layer = dataset.layer_name(family)
    return f'<Folder id="{layer}"><name>{layer}</name>\n'


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    spool.seek(0)
    while chunk := spool.read(CHUNK_BYTES):
        yield chunk


def kml_chunks(
    dataset: Dataset,
    features: Iterable[Feature],
    families: Iterable[Family] | None = None,
    counts: Counter[str] | None = None,
) -> Iterator[bytes]:
    """The KML document of ``features``, a Folder for each of ``families`` (default: all
    the dataset's layers, empty ones too), in chunks. ``counts[layer]`` counts each
    placemark; a feature of a family not asked for is left out."""
    layers = tuple(families or dataset.families)
    spools = {f: tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) for f in layers[1:]}
    try:
        buffer = bytearray((_head(dataset) + _folder(dataset, layers[0])).encode())
        for feature in features:
            if feature.family not in layers:
                continue
            mark = placemark(dataset, feature).encode()
            if counts is not None:
                counts[dataset.layer_name(feature.family)] += 1
            if feature.family in spools:
                spools[feature.family].write(mark)
                continue
            buffer += mark
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
        buffer += b"</Folder>\n"
        yield bytes(buffer)
        for family, spool in spools.items():
            yield _folder(dataset, family).encode()
            yield from _chunks(spool)
            yield b"</Folder>\n"
        yield b"</Document>\n</kml>\n"
    finally:
        for spool in spools.values():
            spool.close()
