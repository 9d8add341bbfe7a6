"""``tansiq coverage``, ``tansiq sectors import`` and ``tansiq sites import`` on a SQLite node."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from tansiq.cli import main
from tansiq.config import load_settings
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.storage.tables.journal import journal
from tansiq.storage.tables.sectors import protected_sites, sectors
from tests.factories import build_world
from tests.factories_limits import star
from tests.factories_sectors import checkpoint_data, movement_data, sector_data, site_data, square


@dataclass
class Node:
    """A node's database and key file, and a way to run ``tansiq`` against them."""

    db_url: str
    key_file: Path

    def run(self, *args: str) -> Result:
        """Run one command with --db and --key-file of this node appended."""
        options = ["--db", self.db_url, "--key-file", str(self.key_file)]
        return CliRunner().invoke(main, [*args, *options], catch_exceptions=False)

    def context(self) -> ServiceContext:
        """A service context on this node (dispose its engine when done)."""
        return open_context(load_settings(database_url=self.db_url, key_file=str(self.key_file)))

    def count(self, table: Any) -> int:
        """Rows in ``table``."""
        ctx = self.context()
        try:
            with ctx.engine.connect() as conn:
                return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        finally:
            ctx.engine.dispose()


@pytest.fixture
def node(tmp_path: Path) -> Iterator[Node]:
    """An initialised node with the test world (parties, centers, users)."""
    ready = Node(f"sqlite:///{tmp_path / 'tansiq.db'}", tmp_path / "keys" / "node.key")
    assert ready.run("init").exit_code == 0
    ctx = ready.context()
    build_world(ctx)
    ctx.engine.dispose()
    yield ready


def _collection(*items: dict[str, Any]) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "geometry": item["geometry"],
            "properties": {k: v for k, v in item.items() if k != "geometry"},
        }
        for item in items
    ]
    return {"type": "FeatureCollection", "features": features}


def _write(path: Path, document: Any) -> str:
    path.write_bytes(orjson.dumps(document) if not isinstance(document, str) else document.encode())
    return str(path)


def _one_line_error(result: Result) -> str:
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_sectors_import_then_coverage_as_each_party(node: Node, tmp_path: Path) -> None:
    private = sector_data(releasability="party")
    shared = checkpoint_data()
    file = _write(tmp_path / "sectors.geojson", _collection(private, shared))
    done = node.run("sectors", "import", file, "--as", "fed_liaison")
    assert done.exit_code == 0, done.output
    assert "imported 2 sectors for party fed" in done.output

    mine = node.run("coverage", "--area", "Kirkuk", "--at", "2020-02-20", "--as", "fed_analyst")
    theirs = node.run("coverage", "--area", "Kirkuk", "--at", "2020-02-20", "--as", "krg_analyst")
    assert mine.exit_code == theirs.exit_code == 0, mine.output + theirs.output
    assert "coverage of Kirkuk (governorate IQG13) at 2020-02-20T00:00:00.000000Z" in mine.output
    fed_rows = [line.split() for line in mine.output.splitlines() if line.startswith("coverage")]
    krg_rows = [line.split() for line in theirs.output.splitlines() if line.startswith("coverage")]
    assert fed_rows[1][1] == "fed" and float(fed_rows[1][2].replace(",", "")) > 100
    assert krg_rows[1][1] == "fed" and float(krg_rows[1][2].replace(",", "")) < 4

    as_json = node.run(
        "coverage",
        "--area",
        "jcc-kirkuk",
        "--at",
        "2020-02-20T12:00:00+03:00",
        "--as",
        "krg_analyst",
        "--json",
    )
    answer = orjson.loads(as_json.output)
    assert answer["type"] == "FeatureCollection" and answer["area"]["code"] == "jcc-kirkuk"
    assert answer["at"] == "2020-02-20T09:00:00.000000Z"


def test_a_bad_sector_file_names_the_feature_and_imports_nothing(
    node: Node, tmp_path: Path
) -> None:
    bad = sector_data(
        geometry={"type": "Polygon", "coordinates": [[[44.0, 35.0], [44.1, 35.0], [44.1, 35.1]]]}
    )
    file = _write(tmp_path / "bad.geojson", _collection(sector_data(), bad))
    before = node.count(journal)
    error = _one_line_error(node.run("sectors", "import", file, "--as", "fed_liaison"))
    assert "features[1].geometry: a polygon ring needs at least 4 positions" in error
    assert node.count(sectors) == 0 and node.count(journal) == before
    not_json = _write(tmp_path / "x.geojson", "{oops")
    assert "not valid JSON" in _one_line_error(
        node.run("sectors", "import", not_json, "--as", "fed_liaison")
    )


def test_sites_import_from_csv_and_geojson(node: Node, tmp_path: Path) -> None:
    table = _write(
        tmp_path / "sites.csv",
        "kind,name,lon,lat\nschool,Al-Noor,44.39,35.47\nclinic,PHC Daquq,44.45,35.14\n",
    )
    done = node.run("sites", "import", table, "--as", "krg_liaison")
    assert done.exit_code == 0, done.output
    assert "imported 2 protected sites for party krg" in done.output
    collection = _write(tmp_path / "sites.json", _collection(site_data(), movement_data()))
    assert node.run("sites", "import", collection, "--as", "fed_liaison").exit_code == 0
    assert node.count(protected_sites) == 4

    bad = _write(tmp_path / "bad.csv", "kind,name,lon,lat\nschool,A,44.4,35.4\nfort,B,44.4,35.4\n")
    error = _one_line_error(node.run("sites", "import", bad, "--as", "krg_liaison"))
    assert "rows[1].kind" in error
    assert node.count(protected_sites) == 4


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--area", "Atlantis", "--at", "2020-02-20", "--as", "fed_liaison"], "area"),
        (["--area", "Kirkuk", "--at", "20/02/2020", "--as", "fed_liaison"], "at"),
        (["--area", "Kirkuk", "--at", "2020-02-20", "--as", "nobody"], "no user named nobody"),
    ],
)
def test_coverage_errors_are_one_line(node: Node, args: list[str], expected: str) -> None:
    assert expected in _one_line_error(node.run("coverage", *args))


def test_coverage_requires_as(node: Node) -> None:
    result = node.run("coverage", "--area", "Kirkuk", "--at", "2020-02-20")
    assert result.exit_code != 0 and "--as" in result.output


@pytest.mark.parametrize("command", ["sectors", "sites"])
def test_an_endless_import_file_is_refused_after_the_limit(node: Node, command: str) -> None:
    before = node.count(journal)
    error = _one_line_error(node.run(command, "import", "/dev/zero", "--as", "fed_liaison"))
    assert "/dev/zero is larger than 16,777,216 bytes (the TANSIQ_MAX_IMPORT_BYTES limit)" in error
    assert node.count(journal) == before


def test_the_import_limit_is_a_setting(
    node: Node, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _write(tmp_path / "sites.geojson", _collection(site_data()))
    monkeypatch.setenv("TANSIQ_MAX_IMPORT_BYTES", "60")
    error = _one_line_error(node.run("sites", "import", file, "--as", "krg_liaison"))
    assert "is larger than 60 bytes" in error
    area = _write(tmp_path / "area.geojson", square(44.0, 35.0))
    error = _one_line_error(
        node.run("coverage", "--area", area, "--at", "2020-02-20", "--as", "fed_liaison")
    )
    assert "is larger than 60 bytes" in error
    monkeypatch.delenv("TANSIQ_MAX_IMPORT_BYTES")
    assert node.run("sites", "import", file, "--as", "krg_liaison").exit_code == 0
    assert node.count(protected_sites) == 1


def test_an_oversize_geometry_in_a_file_is_one_line_naming_it(node: Node, tmp_path: Path) -> None:
    file = _write(tmp_path / "star.geojson", _collection(sector_data(geometry=star(2_500))))
    error = _one_line_error(node.run("sectors", "import", file, "--as", "fed_liaison"))
    assert "features[0]" in error and "more than the limit of 5,000" in error
    area = _write(tmp_path / "area.geojson", star(2_500))
    error = _one_line_error(
        node.run("coverage", "--area", area, "--at", "2020-02-20", "--as", "fed_liaison")
    )
    assert "area" in error and "more than the limit of 5,000" in error
    assert node.count(sectors) == 0
