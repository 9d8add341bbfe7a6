"""``tansiq export``: files GDAL opens with the right layers, and only what the user may see."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tansiq.ingest.export.layers import DATASETS
from tansiq.ingest.export.produce import visible_records
from tansiq.ingest.export.request import FORMATS_OF, ExportRequest
from tansiq.ingest.reading.acled import ACLED_COLUMNS, acled_row
from tansiq.services.accounts.commands import actor_for_username
from tansiq.services.incidents.queries import IncidentFilters
from tests.cli.test_cli_sectors import Node
from tests.factories import build_world
from tests.factories_exports import Seeded, seed_exports
from tests.gdal import features, ogrinfo, require_gdal, validate_geopackage

DATASET = {"incidents": "incidents", "sectors": "sectors", "sites": "protected_sites"}
# What krg's users may see of the seeded records: a layer's GDAL geometry type and count.
LAYERS = {
    "incidents": {"incidents": ("Point", 3)},
    "sectors": {
        "sectors_polygons": ("Multi Polygon", 1),
        "sectors_lines": ("Multi Line String", 1),
        "sectors_points": ("Point", 2),
    },
    "sites": {
        "protected_sites_points": ("Point", 2),
        "protected_sites_polygons": ("Multi Polygon", 1),
        "protected_sites_lines": ("Multi Line String", 1),
    },
}
FAMILY = {"Point": "point", "Multi Line String": "line", "Multi Polygon": "polygon"}
# How GDAL types the fields of each format (LIBKML reads KML's SimpleField types).
TYPES = {
    "gpkg": {"version": "Integer64", "created_at": "DateTime", "cross_border": "Integer(Boolean)"},
    "kml": {"version": "Integer", "created_at": "String", "cross_border": "Integer"},
    "geojson": {"version": "Integer", "created_at": "DateTime", "cross_border": "Integer(Boolean)"},
}


@pytest.fixture
def node(tmp_path: Path) -> Iterator[tuple[Node, Seeded]]:
    """An initialised node with the test world and the export records."""
    ready = Node(f"sqlite:///{tmp_path / 'tansiq.db'}", tmp_path / "keys" / "node.key")
    assert ready.run("init").exit_code == 0
    ctx = ready.context()
    seeded = seed_exports(ctx, build_world(ctx))
    ctx.engine.dispose()
    yield ready, seeded


def _export(node: Node, out: Path, *args: str) -> str:
    result = node.run("export", *args, "--as", "krg_analyst", "-o", str(out))
    assert result.exit_code == 0, result.output
    return result.output


# Every dataset and format but CSV (incidents only, tested on its own below).
COMBINATIONS = [(r, f) for r in LAYERS for f in FORMATS_OF[DATASET[r]] if f != "csv"]


@pytest.mark.parametrize(("records", "format_"), COMBINATIONS)
def test_gdal_opens_each_export_with_its_layers_types_counts_and_fields(
    node: tuple[Node, Seeded], tmp_path: Path, records: str, format_: str
) -> None:
    require_gdal()
    ready, seeded = node
    spec = DATASET[records]
    for layer, (geometry, count) in LAYERS[records].items():
        if format_ == "geojson":
            # One layer a GeoJSON file.
            out = tmp_path / f"{layer}.geojson"
            extra = () if records == "incidents" else ("--geometry", FAMILY[geometry])
            printed = _export(ready, out, records, "--format", "geojson", *extra)
        else:
            out = tmp_path / f"{records}.{format_}"
            if not out.exists():
                printed = _export(ready, out, records)  # the format from the extension
        assert f"{layer} {count}" in printed
        found = ogrinfo(out)
        assert found[layer].count == count
        if format_ != "kml":
            assert found[layer].geometry == geometry
        fields = found[layer].fields
        if format_ == "geojson":
            # The JSON API's attributes as they are (a sector's bbox is one list).
            expected = {f.source for f in DATASETS[spec].fields}
        else:
            # KML's Placemark carries name and description itself (LIBKML: Name, description).
            carried = {"name", "description"} if format_ == "kml" else set()
            expected = {f.name for f in DATASETS[spec].fields} - carried
        assert expected <= set(fields), expected - set(fields)
        assert {k: fields[k] for k in TYPES[format_]} == TYPES[format_]
        if format_ == "kml":
            # LIBKML declares no geometry type; the KML driver reads it from each folder.
            assert ogrinfo(out, driver="KML")[layer].geometry == geometry
        read = features(out, layer)
        assert len(read) == count
        assert {FAMILY.get(geometry)} == {_family(f["geometry"]["type"]) for f in read}
        ids = {_id(f) for f in read}
        assert ids <= seeded.seen_by_krg(records)
    if format_ != "geojson":
        assert set(ogrinfo(tmp_path / f"{records}.{format_}")) == set(LAYERS[records])
    if format_ == "gpkg":
        validate_geopackage(tmp_path / f"{records}.gpkg")


def _id(feature: dict[str, object]) -> object:
    # GDAL writes a GeoJSON source's string "id" back as the Feature's id member.
    properties = feature["properties"]
    assert isinstance(properties, dict)
    return properties.get("id", feature.get("id"))


def _family(geojson_type: str) -> str:
    return {"Point": "point", "MultiLineString": "line", "MultiPolygon": "polygon"}[geojson_type]


def test_what_another_party_did_not_release_is_absent(
    node: tuple[Node, Seeded], tmp_path: Path
) -> None:
    require_gdal()
    ready, seeded = node
    out = tmp_path / "incidents.gpkg"
    _export(ready, out)
    ids = {f["properties"]["id"] for f in features(out, "incidents")}
    assert ids == seeded.seen_by_krg("incidents")
    assert seeded.incidents["fed_hidden_party"] not in ids
    assert seeded.incidents["fed_hidden_fedun"] not in ids
    narrowed = tmp_path / "battles.kml"
    printed = _export(ready, narrowed, "--event-type", "Battles", "--format", "KML")
    assert printed.strip().endswith("(incidents 1)")
    (battle,) = features(narrowed, "incidents")
    assert battle["properties"]["fatalities"] == 3 and battle["properties"]["Name"].startswith(
        "Armed clash"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "last week"), "since: "),
        (("--bbox", "44,35"), "bbox: must be west,south,east,north"),
        (("--kind", "aor"), "kind: does not filter incidents"),
        (("--format", "shp"), "format: must be one of geojson, kml, gpkg, csv for incidents"),
        (("sites", "--format", "csv"), "format: must be one of geojson, kml, gpkg for protected"),
        (("sectors", "--format", "geojson"), "geometry: a GeoJSON file holds one geometry type"),
        (("things",), "records: must be one of incidents, sectors, sites"),
        (("--admin1", "Kirkok"), "admin1: must be a governorate"),
    ],
)
def test_bad_input_is_one_line_naming_the_option_and_writes_nothing(
    node: tuple[Node, Seeded], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    ready, _seeded = node
    out = tmp_path / "kept.geojson"
    out.write_text("an earlier file")
    result = ready.run("export", *args, "--as", "krg_analyst", "-o", str(out))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and message in result.output, result.output
    assert out.read_text() == "an earlier file"
    assert sorted(p.name for p in tmp_path.iterdir() if "kept" in p.name) == ["kept.geojson"]


def test_an_unknown_user_or_extension_is_one_line(
    node: tuple[Node, Seeded], tmp_path: Path
) -> None:
    ready, _seeded = node
    result = ready.run("export", "--as", "nobody", "-o", str(tmp_path / "x.kml"))
    assert result.exit_code == 1 and result.output.count("\n") == 1
    result = ready.run("export", "--as", "krg_analyst", "-o", str(tmp_path / "x.shp"))
    assert result.exit_code == 1 and "--format is needed" in result.output
    assert not list(tmp_path.glob("x.*"))


def _acled_rows(node: Node, username: str) -> list[dict[str, str]]:
    """What ``username`` may see of ``node``'s incidents, as ACLED rows (its own clock aside)."""
    ctx = node.context()
    try:
        actor = actor_for_username(ctx, username=username)
        request = ExportRequest("incidents", "csv", IncidentFilters())
        rows = [acled_row(r) for r in visible_records(ctx, actor=actor, request=request)]
    finally:
        ctx.engine.dispose()
    for row in rows:
        del row["timestamp"]  # when the record last changed: the import is later
    return rows


def test_csv_in_acleds_columns_imports_back_into_the_same_incidents(
    node: tuple[Node, Seeded], tmp_path: Path
) -> None:
    ready, seeded = node
    out = tmp_path / "incidents.csv"
    assert "(incidents 3)" in _export(ready, out)
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(ACLED_COLUMNS)
    fresh = Node(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path / "fresh" / "node.key")
    assert fresh.run("init").exit_code == 0
    ctx = fresh.context()
    build_world(ctx)
    ctx.engine.dispose()
    imported = fresh.run("import", "acled", str(out), "--as", "krg_analyst")
    assert imported.exit_code == 0, imported.output
    assert "3 created" in imported.output
    exported = _acled_rows(ready, "krg_analyst")
    again = _acled_rows(fresh, "krg_analyst")
    # The same rows, in any order: every ACLED column of every incident came back.
    assert sorted(sorted(r.items()) for r in again) == sorted(sorted(r.items()) for r in exported)
    notes = {r["notes"] for r in again}
    assert {"IED on the road south of Kirkuk."} == notes
    places = {r["location"] for r in again}
    assert places == {"Kirkuk", "Daquq", "Erbil"}  # fed's unreleased ones stayed home


def test_gdal_reads_the_csv_as_points_with_acleds_columns(
    node: tuple[Node, Seeded], tmp_path: Path
) -> None:
    require_gdal()
    ready, _seeded = node
    out = tmp_path / "incidents.csv"
    _export(ready, out, "--event-type", "Battles")
    options = {"X_POSSIBLE_NAMES": "longitude", "Y_POSSIBLE_NAMES": "latitude"}
    layer = ogrinfo(out, driver="CSV", options=options)["incidents"]
    assert (layer.geometry, layer.count) == ("Point", 1)
    assert list(layer.fields) == list(ACLED_COLUMNS)
