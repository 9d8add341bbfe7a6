"""``tansiq import acled`` on SQLite and PostgreSQL: the summary, one-line errors naming row
and column, nothing stored after an error, the progress bar on stderr."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from tansiq.cli import main
from tansiq.services.core.context import ServiceContext
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tests.factories import build_world

FIXTURE = Path(__file__).parents[1] / "data" / "acled_iraq_feb2020.csv"


@dataclass
class Node:
    """The test database and its node key, and a way to run ``tansiq`` against them."""

    ctx: ServiceContext
    key_file: Path

    def run(self, *args: str) -> Result:
        url = self.ctx.engine.url.render_as_string(hide_password=False)
        options = ["--db", url, "--key-file", str(self.key_file)]
        return CliRunner().invoke(main, [*args, *options], catch_exceptions=False)

    def counts(self) -> tuple[int, int]:
        with self.ctx.engine.connect() as conn:
            return (
                conn.execute(select(func.count()).select_from(incidents)).scalar_one(),
                conn.execute(select(func.count()).select_from(journal)).scalar_one(),
            )


@pytest.fixture
def node(ctx: ServiceContext, tmp_path: Path) -> Node:
    """The ``ctx`` database with the test world, and its key in a 0600 file for the CLI."""
    build_world(ctx)
    key_file = tmp_path / "node.key"
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(bytes(ctx.key.signing_key).hex() + "\n")
    return Node(ctx, key_file)


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def _edited(tmp_path: Path, row: int, column: str, value: str) -> str:
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    table[row - 1][table[0].index(column)] = value
    path = tmp_path / "edited.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    return str(path)


def test_import_then_import_again(node: Node) -> None:
    first = node.run("import", "acled", str(FIXTURE), "--as", "fed_liaison")
    assert first.exit_code == 0, first.output
    assert first.stdout == ("imported 20 rows for party fed: 20 created, 0 updated, 0 unchanged\n")
    assert first.stderr == ""  # not a terminal: no progress bar
    stored = node.counts()
    again = node.run("import", "acled", str(FIXTURE), "--as", "fed_liaison")
    assert "0 created, 0 updated, 20 unchanged" in again.stdout
    assert node.counts() == stored
    assert node.run("verify").exit_code == 0


def test_a_bad_row_is_one_line_naming_row_and_column(node: Node, tmp_path: Path) -> None:
    before = node.counts()
    path = _edited(tmp_path, 6, "event_date", "2020-02-31")
    error = _one_line_error(node.run("import", "acled", path, "--as", "fed_liaison"))
    assert error == (
        "Error: Nothing was imported: row 6, column event_date: "
        "must be a date such as 2020-02-20 or 20 February 2020"
    )
    unknown = _edited(tmp_path, 3, "event_type", "Skirmishes")
    error = _one_line_error(node.run("import", "acled", unknown, "--as", "fed_liaison"))
    assert error.startswith("Error: Nothing was imported: row 3, column event_type: must be one")
    assert node.counts() == before


def test_a_wrong_header_is_named(node: Node, tmp_path: Path) -> None:
    path = tmp_path / "not_acled.csv"
    path.write_text("kind,name,lon,lat\nschool,Al-Noor,44.39,35.47\n", encoding="utf-8")
    error = _one_line_error(node.run("import", "acled", str(path), "--as", "fed_liaison"))
    assert error == (
        "Error: Nothing was imported: row 1: is not an ACLED header: 31 of its 31 columns are "
        "missing (an export's header starts event_id_cnty, event_date, year, time_precision, …)"
    )
    assert node.counts()[0] == 0


def test_the_progress_bar_goes_to_stderr_when_asked(node: Node) -> None:
    result = node.run(
        "import",
        "acled",
        str(FIXTURE),
        "--as",
        "fed_liaison",
        "--releasability",
        "all",
        "--progress",
    )
    assert result.exit_code == 0, result.output
    assert "100%" in result.stderr and result.stderr.startswith("\rimporting acled_iraq")
    assert result.stdout.startswith("imported 20 rows for party fed")


def test_an_unknown_user_or_file_changes_nothing(node: Node, tmp_path: Path) -> None:
    error = _one_line_error(node.run("import", "acled", str(FIXTURE), "--as", "nobody"))
    assert "nobody" in error
    missing = node.run("import", "acled", str(tmp_path / "none.csv"), "--as", "fed_liaison")
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    assert node.counts()[0] == 0
