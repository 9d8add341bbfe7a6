"""The pure export writers: GeoJSON (RFC 7946), KML 2.2 and GeoPackage 1.3, and the layers."""

from __future__ import annotations

import sqlite3
import struct
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
import shapely
from shapely.geometry import shape

from tansiq.ingest.export import geojson, gpkg, kml
from tansiq.ingest.export.layers import INCIDENTS, PROTECTED_SITES, SECTORS, millisecond_utc

NS = {"k": kml.KML_NAMESPACE}
CLOCKWISE_SQUARE = [[[44.3, 35.3], [44.3, 35.4], [44.4, 35.4], [44.4, 35.3], [44.3, 35.3]]]
HOLE_CCW = [[44.32, 35.32], [44.34, 35.32], [44.34, 35.34], [44.32, 35.34], [44.32, 35.32]]
NOW = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)


def incident(number: int = 1, **overrides: Any) -> dict[str, Any]:
    """An incident payload shaped as the JSON API answers it."""
    payload: dict[str, Any] = {
        "id": f"0190a1b2-0000-7000-8000-{number:012d}",
        "party": "fed",
        "releasability": "all",
        "center_id": None,
        "created_by": "u1",
        "updated_by": "u1",
        "version": 1,
        "created_at": "2020-02-20T09:00:00.000000Z",
        "updated_at": "2020-02-20T09:00:00.000000Z",
        "status": "submitted",
        "occurred_at": "2020-02-19T21:00:00.123456Z",
        "time_precision": "day",
        "location": {"type": "Point", "coordinates": [44.392, 35.468]},
        "geo_precision": 1,
        "place_name": "Kirkuk",
        "cross_border": False,
        "admin1": "Kirkuk",
        "admin2": "Kirkuk",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Military Forces of Turkey",
        "actor2": "Civilians (Iraq)",
        "fatalities": 0,
        "injured": 2,
        "description": "Shelling near the citadel",
        "sources": ["Rudaw", "Shafaq News"],
        "source_reliability": "B",
        "credibility": 2,
    }
    return payload | overrides


def sector(number: int, geometry: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A sector payload with ``geometry``."""
    payload: dict[str, Any] = {
        "id": f"0190a1b2-0000-7000-9000-{number:012d}",
        "party": "krg",
        "releasability": "all",
        "center_id": None,
        "created_by": "u2",
        "updated_by": "u2",
        "version": 1,
        "created_at": "2020-02-20T09:00:00.000000Z",
        "updated_at": "2020-02-20T09:00:00.000000Z",
        "status": "active",
        "kind": "aor",
        "name": "Sector South",
        "geometry": geometry,
        "cross_border": False,
        "bbox": [44.3, 35.3, 44.4, 35.4],
        "unit_name": "8th Division",
        "depth_m": None,
        "radius_m": None,
        "valid_from": "2020-02-01T00:00:00.000000Z",
        "valid_until": "2020-06-01T00:00:00.000000Z",
    }
    return payload | overrides


POLYGON = {"type": "Polygon", "coordinates": [CLOCKWISE_SQUARE[0], HOLE_CCW]}
LINE = {"type": "LineString", "coordinates": [[44.2, 35.4], [44.2, 35.6]]}
POINT = {"type": "Point", "coordinates": [44.45, 35.2]}


def _collection(family: str, payloads: list[dict[str, Any]], dataset: Any = SECTORS) -> Any:
    features = [dataset.feature(p) for p in payloads]
    return orjson.loads(b"".join(geojson.geojson_chunks(dataset, family, features)))


def test_geojson_is_rfc_7946_one_layer_of_one_type() -> None:
    document = _collection("polygon", [sector(1, POLYGON)])
    assert document["type"] == "FeatureCollection" and "crs" not in document
    assert document["name"] == "sectors_polygons"
    (feature,) = document["features"]
    assert feature["geometry"]["type"] == "MultiPolygon"
    exterior, hole = feature["geometry"]["coordinates"][0]
    # Right-hand rule: the exterior counterclockwise, the hole clockwise.
    assert shapely.LinearRing(exterior).is_ccw and not shapely.LinearRing(hole).is_ccw
    assert shape(feature["geometry"]).equals(shape(POLYGON))
    assert feature["id"] == feature["properties"]["id"]
    assert "geometry" not in feature["properties"]
    assert feature["properties"]["bbox"] == [44.3, 35.3, 44.4, 35.4]


def test_geojson_lines_are_multilinestrings_and_other_layers_are_refused() -> None:
    document = _collection("line", [sector(2, LINE, kind="defensive_line", depth_m=500.0)])
    assert document["features"][0]["geometry"] == {
        "type": "MultiLineString",
        "coordinates": [LINE["coordinates"]],
    }
    with pytest.raises(ValueError, match="polygon feature in the sectors_lines layer"):
        _collection("line", [sector(1, POLYGON)])


def test_geojson_streams_in_chunks_that_join_into_one_document() -> None:
    payloads = [incident(i, description="x" * 500) for i in range(400)]
    counts: Counter[str] = Counter()
    chunks = list(
        geojson.geojson_chunks(INCIDENTS, "point", map(INCIDENTS.feature, payloads), counts)
    )
    assert len(chunks) > 2 and max(map(len, chunks)) < 2 * geojson.CHUNK_BYTES
    document = orjson.loads(b"".join(chunks))
    assert len(document["features"]) == 400 and counts == {"incidents": 400}
    properties = document["features"][0]["properties"]
    # Every attribute of the JSON API's answer but the location, which is the geometry.
    assert set(properties) == set(incident()) - {"location"}


def test_an_empty_layer_is_a_valid_collection() -> None:
    assert _collection("point", []) == {
        "type": "FeatureCollection",
        "name": "sectors_points",
        "features": [],
    }


NASTY = '<b>"Tom & Jerry\'s"</b>\x00\x1f\r\nقصف في كركوك ]]> \ud800'


def _kml(payloads: list[dict[str, Any]], dataset: Any = INCIDENTS, **kwargs: Any) -> bytes:
    return b"".join(kml.kml_chunks(dataset, map(dataset.feature, payloads), **kwargs))


def test_kml_escapes_every_text_and_stays_well_formed() -> None:
    document = _kml([incident(1, description=NASTY, actor1=NASTY, place_name=NASTY)])
    root = ET.fromstring(document)
    assert root.tag == f"{{{kml.KML_NAMESPACE}}}kml"
    mark = root.find("k:Document/k:Folder/k:Placemark", NS)
    assert mark is not None
    shown = NASTY.replace("\x00", "\ufffd").replace("\x1f", "\ufffd").replace("\ud800", "\ufffd")
    assert mark.findtext("k:description", namespaces=NS) == shown
    assert mark.findtext("k:name", namespaces=NS) == f"Shelling/artillery/missile attack: {shown}"
    data = {
        d.get("name"): d.text for d in mark.findall("k:ExtendedData/k:SchemaData/k:SimpleData", NS)
    }
    assert data["actor1"] == shown
    assert data["sources"] == '["Rudaw","Shafaq News"]'
    assert data["cross_border"] == "0" and data["fatalities"] == "0"
    # The Placemark's own name and description are not repeated (LIBKML would merge them).
    assert "description" not in data
    assert "center_id" not in data  # a null is left out rather than written as empty text


def test_kml_placemark_follows_the_schema_order() -> None:
    root = ET.fromstring(_kml([incident(1)]))
    schema = root.find("k:Document/k:Schema", NS)
    assert schema is not None and schema.get("id") == "incidents"
    fields = {f.get("name"): f.get("type") for f in schema.findall("k:SimpleField", NS)}
    assert fields["fatalities"] == "int" and fields["cross_border"] == "bool"
    assert "description" not in fields
    mark = root.find("k:Document/k:Folder/k:Placemark", NS)
    assert mark is not None
    tags = [child.tag.split("}")[1] for child in mark]
    assert tags == ["name", "description", "TimeStamp", "ExtendedData", "Point"]
    assert mark.findtext("k:TimeStamp/k:when", namespaces=NS) == "2020-02-19T21:00:00.123456Z"
    assert mark.findtext("k:Point/k:coordinates", namespaces=NS) == "44.392,35.468"
    assert mark.get("id") == "incidents.0190a1b2-0000-7000-8000-000000000001"


def test_kml_writes_a_folder_a_layer_even_when_records_come_mixed() -> None:
    payloads = [
        sector(1, POINT, kind="checkpoint", radius_m=1000.0),
        sector(2, POLYGON),
        sector(3, LINE, kind="defensive_line", depth_m=500.0),
        sector(4, POLYGON, name=""),
    ]
    counts: Counter[str] = Counter()
    root = ET.fromstring(_kml(payloads, SECTORS, counts=counts))
    folders = root.findall("k:Document/k:Folder", NS)
    assert [f.findtext("k:name", namespaces=NS) for f in folders] == [
        "sectors_polygons",
        "sectors_lines",
        "sectors_points",
    ]
    inside = [[m.get("id", "")[-1] for m in f.findall("k:Placemark", NS)] for f in folders]
    assert inside == [["2", "4"], ["3"], ["1"]]
    assert counts == {"sectors_polygons": 2, "sectors_lines": 1, "sectors_points": 1}
    polygon = folders[0].find("k:Placemark/k:MultiGeometry/k:Polygon", NS)
    assert polygon is not None
    assert polygon.find("k:innerBoundaryIs/k:LinearRing/k:coordinates", NS) is not None
    span = folders[0].find("k:Placemark/k:TimeSpan", NS)
    assert span is not None and span.findtext("k:end", namespaces=NS).startswith("2020-06-01")
    # An unnamed sector is shown by its unit.
    assert folders[0].findall("k:Placemark/k:name", NS)[1].text == "8th Division"


def test_kml_numbers_never_use_exponents() -> None:
    assert kml.number(1e-05) == "0.00001"
    assert kml.number(44.392) == "44.392" and kml.number(7) == "7"


def _blob_geometry(blob: bytes) -> tuple[int, int, tuple[float, ...], Any]:
    assert blob[:3] == b"GP\x00"
    flags = blob[3]
    (srs_id,) = struct.unpack("<i", blob[4:8])
    envelope_size = {0: 0, 1: 32}[(flags >> 1) & 0b111]
    box = struct.unpack(f"<{envelope_size // 8}d", blob[8 : 8 + envelope_size])
    return flags, srs_id, box, shapely.from_wkb(blob[8 + envelope_size :])


def test_geopackage_declares_version_tables_and_layers(tmp_path: Path) -> None:
    path = tmp_path / "sectors.gpkg"
    payloads = [
        sector(1, POLYGON),
        sector(2, LINE, kind="defensive_line", depth_m=500.0),
        sector(3, POINT, kind="checkpoint", radius_m=1000.0),
    ]
    counts: Counter[str] = Counter()
    features = map(SECTORS.feature, payloads)
    gpkg.write_geopackage(path, SECTORS, features, now=NOW, counts=counts)
    assert counts == {"sectors_polygons": 1, "sectors_lines": 1, "sectors_points": 1}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone() == (0x47504B47,)
        assert conn.execute("PRAGMA user_version").fetchone() == (10300,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        srs = {row[0] for row in conn.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")}
        assert srs == {4326, 0, -1}
        types = dict(
            conn.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns")
        )
        assert types == {
            "sectors_polygons": "MULTIPOLYGON",
            "sectors_lines": "MULTILINESTRING",
            "sectors_points": "POINT",
        }
        extent = conn.execute(
            "SELECT min_x, min_y, max_x, max_y, last_change FROM gpkg_contents"
            " WHERE table_name = 'sectors_polygons'"
        ).fetchone()
        assert extent == (44.3, 35.3, 44.4, 35.4, "2020-02-20T09:00:00.000Z")
        row = conn.execute(
            "SELECT geom, valid_from, cross_border, bbox_east, name FROM sectors_polygons"
        ).fetchone()
        index = conn.execute("SELECT * FROM rtree_sectors_polygons_geom").fetchall()
        point = conn.execute("SELECT geom FROM sectors_points").fetchone()[0]
    flags, srs_id, box, geometry = _blob_geometry(row[0])
    assert (flags, srs_id, box) == (0b011, 4326, (44.3, 44.4, 35.3, 35.4))
    assert geometry.geom_type == "MultiPolygon" and geometry.equals(shape(POLYGON))
    assert row[1:] == ("2020-02-01T00:00:00.000Z", 0, 44.4, "Sector South")
    assert index == [
        (1, pytest.approx(44.3), pytest.approx(44.4), pytest.approx(35.3), pytest.approx(35.4))
    ]
    flags, _srs, box, geometry = _blob_geometry(point)
    assert (flags, box) == (0b001, ()) and geometry.equals(shape(POINT))


def test_geopackage_keeps_empty_layers_and_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "sites.gpkg"
    gpkg.write_geopackage(path, PROTECTED_SITES, [], now=NOW, families=("point",))
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents")]
        assert tables == ["protected_sites_points"]
        assert conn.execute("SELECT count(*) FROM protected_sites_points").fetchone() == (0,)
    with pytest.raises(FileExistsError):
        gpkg.write_geopackage(path, PROTECTED_SITES, [], now=NOW)


def test_geopackage_datetimes_are_milliseconds_in_utc() -> None:
    assert millisecond_utc("2020-02-19T21:00:00.123456Z") == "2020-02-19T21:00:00.123Z"
    assert millisecond_utc("2020-02-20T00:30:00+03:00") == "2020-02-19T21:30:00.000Z"
