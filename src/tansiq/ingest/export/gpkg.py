"""GeoPackage 1.3 (OGC 12-128r17) written with the standard library's sqlite3.

Why not GDAL (pyogrio, fiona): their wheels bundle a whole GDAL (tens of MB) to write
four tables that the standard spells out. What is written, and why:

- ``application_id`` 0x47504B47 ("GPKG", Requirement 2) and ``user_version`` 10300:
  the tables, the GeoPackageBinary header and the R-tree triggers below are those of
  1.3.0, so the file says 1.3.0 and no later version whose triggers it lacks (1.4
  replaced two of them). Readers of 1.2 and later (GDAL, QGIS) read it.
- ``gpkg_spatial_ref_sys`` with the three rows the core requires (EPSG:4326, and the
  undefined cartesian -1 and geographic 0), ``gpkg_contents`` and
  ``gpkg_geometry_columns``: a features table per layer, of one geometry type,
  with its extent; ``fid INTEGER PRIMARY KEY AUTOINCREMENT`` (Requirement 29).
- Geometries as GeoPackageBinary: "GP", version 0, flags (little-endian; an
  envelope [minx, maxx, miny, maxy] except for points, where it is optional), the
  ``srs_id``, then ISO WKB (2D, so the same as OGC WKB). Axis order is always
  longitude, latitude, whatever EPSG:4326's own axis order (section 2.1.3).
- The ``gpkg_rtree_index`` extension (Annex F.3) with its triggers, so a large
  export opens and pans fast in a GIS; the index is filled as the rows are, and
  the triggers (which call the GeoPackage SQL functions a GIS provides) come last.

Rows go in with ``executemany`` a batch at a time, so memory stays one batch.
"""

from __future__ import annotations

import sqlite3
import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import orjson

from tansiq.ingest.export.layers import (
    LAYER_TYPES,
    Dataset,
    Family,
    Feature,
    FieldType,
    millisecond_utc,
)

APPLICATION_ID: Final = 0x47504B47  # "GPKG"
USER_VERSION: Final = 10300  # GeoPackage 1.3.0
SRS_ID: Final = 4326
BATCH: Final = 500
RTREE_DEFINITION: Final = "http://www.geopackage.org/spec130/#extension_rtree"

WGS84_WKT: Final = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,'
    'AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
    'AUTHORITY["EPSG","4326"]]'
)
# The SQL types of Table 1 ("GeoPackage Data Types") for each field type.
SQL_TYPES: Final[Mapping[FieldType, str]] = {
    "text": "TEXT",
    "integer": "INTEGER",
    "real": "REAL",
    "boolean": "BOOLEAN",
    "datetime": "DATETIME",
    "json": "TEXT",
}

_CORE_TABLES: Final = (
    """CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
  identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
    """CREATE TABLE gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
  definition TEXT NOT NULL, scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))""",
)
_SPATIAL_REF_SYS: Final = (
    ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT,
     "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined",
     "undefined cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined",
     "undefined geographic coordinate reference system"),
)  # fmt: skip

# Annex F.3 of 1.3.0, with <t> the table, <c> the geometry column and <i> its fid.
_RTREE_TRIGGERS: Final = (
    """CREATE TRIGGER "rtree_{t}_geom_insert" AFTER INSERT ON "{t}"
WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO "rtree_{t}_geom" VALUES (NEW.fid,
  ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END""",
    """CREATE TRIGGER "rtree_{t}_geom_update1" AFTER UPDATE OF geom ON "{t}"
WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN INSERT OR REPLACE INTO "rtree_{t}_geom" VALUES (NEW.fid,
  ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END""",
    """CREATE TRIGGER "rtree_{t}_geom_update2" AFTER UPDATE OF geom ON "{t}"
WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM "rtree_{t}_geom" WHERE id = OLD.fid; END""",
    """CREATE TRIGGER "rtree_{t}_geom_update3" AFTER UPDATE ON "{t}"
WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM "rtree_{t}_geom" WHERE id = OLD.fid;
  INSERT OR REPLACE INTO "rtree_{t}_geom" VALUES (NEW.fid,
  ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END""",
    """CREATE TRIGGER "rtree_{t}_geom_update4" AFTER UPDATE ON "{t}"
WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN DELETE FROM "rtree_{t}_geom" WHERE id IN (OLD.fid, NEW.fid); END""",
    """CREATE TRIGGER "rtree_{t}_geom_delete" AFTER DELETE ON "{t}"
WHEN old.geom NOT NULL
BEGIN DELETE FROM "rtree_{t}_geom" WHERE id = OLD.fid; END""",
)

Envelope = tuple[float, float, float, float]  # minx, maxx, miny, maxy


def _positions(coordinates: Any) -> Iterator[Sequence[float]]:
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates
        return
    for part in coordinates:
        yield from _positions(part)


def envelope(geometry: Mapping[str, Any]) -> Envelope:
    """The [minx, maxx, miny, maxy] of a GeoJSON geometry (GeoPackageBinary's order)."""
    xs, ys = zip(*((p[0], p[1]) for p in _positions(geometry["coordinates"])), strict=True)
    return min(xs), max(xs), min(ys), max(ys)


def _points(points: Sequence[Sequence[float]]) -> bytes:
    flat = [v for p in points for v in (p[0], p[1])]
    return struct.pack(f"<I{len(flat)}d", len(points), *flat)


def wkb(geometry: Mapping[str, Any]) -> bytes:
    """ISO WKB (2D, little-endian) of a GeoJSON geometry; raises ValueError for other types."""
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return struct.pack("<BIdd", 1, 1, coordinates[0], coordinates[1])
    if kind == "LineString":
        return struct.pack("<BI", 1, 2) + _points(coordinates)
    if kind == "Polygon":
        rings = b"".join(_points(ring) for ring in coordinates)
        return struct.pack("<BII", 1, 3, len(coordinates)) + rings
    parts = {"MultiLineString": ("LineString", 5), "MultiPolygon": ("Polygon", 6)}
    if kind not in parts:
        raise ValueError(f"GeoPackage export does not write {kind}")
    single, code = parts[kind]
    body = b"".join(wkb({"type": single, "coordinates": c}) for c in coordinates)
    return struct.pack("<BII", 1, code, len(coordinates)) + body


def geopackage_binary(geometry: Mapping[str, Any], box: Envelope) -> bytes:
    """The GeoPackageBinary blob of a geometry: header (with ``box`` unless a point), WKB."""
    if geometry["type"] == "Point":
        header = b"GP\x00\x01" + struct.pack("<i", SRS_ID)
    else:
        # Flags 0b011: envelope [minx, maxx, miny, maxy], little-endian.
        header = b"GP\x00\x03" + struct.pack("<i4d", SRS_ID, *box)
    return header + wkb(geometry)


def _cell(value: Any, kind: FieldType) -> Any:
    if value is None:
        return None
    if kind == "boolean":
        return 1 if value else 0
    if kind == "datetime":
        return millisecond_utc(value)
    if kind == "json":
        return orjson.dumps(value).decode()
    return value


class _Layer:
    """One features table being filled: its insert statement, pending rows and extent."""

    def __init__(self, conn: sqlite3.Connection, dataset: Dataset, family: Family) -> None:
        self.name = dataset.layer_name(family)
        self.conn = conn
        self.fid = 0
        self.rows: list[list[Any]] = []
        self.boxes: list[tuple[int, float, float, float, float]] = []
        self.extent: list[float] | None = None
        columns = ", ".join(f'"{f.name}" {SQL_TYPES[f.type]}' for f in dataset.fields)
        geometry_type = LAYER_TYPES[family].upper()
        conn.execute(
            f'CREATE TABLE "{self.name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
            f"geom {geometry_type}, {columns})"
        )
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)"
            " VALUES (?, 'features', ?, ?, ?)",
            (self.name, self.name, f"{dataset.title}: {family} layer", SRS_ID),
        )
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
            (self.name, geometry_type, SRS_ID),
        )
        conn.execute(
            f'CREATE VIRTUAL TABLE "rtree_{self.name}_geom" USING rtree(id, minx, maxx, miny, maxy)'
        )
        marks = ", ".join("?" * (len(dataset.fields) + 2))
        self.insert = f'INSERT INTO "{self.name}" VALUES ({marks})'
        self.types = [f.type for f in dataset.fields]

    def add(self, feature: Feature, values: Sequence[Any]) -> None:
        box = envelope(feature.geometry)
        self.fid += 1
        cells = [_cell(v, t) for v, t in zip(values, self.types, strict=True)]
        self.rows.append([self.fid, geopackage_binary(feature.geometry, box), *cells])
        self.boxes.append((self.fid, *box))
        if self.extent is None:
            self.extent = list(box)
        else:
            e = self.extent
            e[:] = [min(e[0], box[0]), max(e[1], box[1]), min(e[2], box[2]), max(e[3], box[3])]
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.conn.executemany(self.insert, self.rows)
        self.conn.executemany(
            f'INSERT INTO "rtree_{self.name}_geom" VALUES (?, ?, ?, ?, ?)', self.boxes
        )
        self.rows.clear()
        self.boxes.clear()

    def finish(self, last_change: str) -> None:
        self.flush()
        minx, maxx, miny, maxy = self.extent or (None, None, None, None)
        self.conn.execute(
            "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, last_change = ?"
            " WHERE table_name = ?",
            (minx, miny, maxx, maxy, last_change, self.name),
        )
        self.conn.execute(
            "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', ?, 'write-only')",
            (self.name, RTREE_DEFINITION),
        )
        for trigger in _RTREE_TRIGGERS:
            self.conn.execute(trigger.format(t=self.name))


def write_geopackage(
    path: Path,
    dataset: Dataset,
    features: Iterable[Feature],
    *,
    now: datetime,
    families: Iterable[Family] | None = None,
    counts: Counter[str] | None = None,
) -> None:
    """Write ``features`` to a new GeoPackage at ``path``: a table for each of
    ``families`` (default: all the dataset's layers, empty ones too).

    ``now`` is each table's ``last_change``. A feature of a family not asked for is
    left out. Raises FileExistsError if ``path`` exists, sqlite3.Error on a write.
    """
    if path.exists():
        raise FileExistsError(path)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {USER_VERSION}")
        # A fresh file that is thrown away on failure: no need to survive a crash.
        conn.execute("PRAGMA journal_mode = MEMORY")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        for statement in _CORE_TABLES:
            conn.execute(statement)
        conn.executemany(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", _SPATIAL_REF_SYS
        )
        layers = {f: _Layer(conn, dataset, f) for f in (families or dataset.families)}
        for feature in features:
            layer = layers.get(feature.family)
            if layer is None:
                continue
            layer.add(feature, dataset.columns(feature.payload))
            if counts is not None:
                counts[layer.name] += 1
        for layer in layers.values():
            layer.finish(millisecond_utc(now.isoformat()))
        conn.execute("COMMIT")
