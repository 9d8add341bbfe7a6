"""The export ``bench/import_acled.py`` generates is one ACLED's importer takes whole."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tansiq.ingest.acled import import_acled
from tansiq.ingest.reading.acled import ACLED_COLUMNS
from tansiq.services.core.context import ServiceContext
from tests.factories import Clock, build_world

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
import import_acled as bench  # noqa: E402


@pytest.mark.parametrize("numeric", [False, True], ids=["text-inter", "numeric-inter"])
def test_the_generated_export_imports_and_re_imports(
    ctx: ServiceContext, clock: Clock, tmp_path: Path, numeric: bool
) -> None:
    clock.now = datetime(2025, 6, 1, tzinfo=UTC)  # the export runs to 2024
    export = tmp_path / "acled.csv"
    bench.write_export(export, 300, numeric=numeric)
    with export.open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 300 and list(table[0]) == list(ACLED_COLUMNS)
    assert len({row["admin1"] for row in table}) >= 10  # spread over Iraq
    liaison = build_world(ctx).actors["fed_liaison"]
    assert import_acled(ctx, actor=liaison, path=export).created == 300
    edited = tmp_path / "edited.csv"
    bench.changed_copy(export, edited, 25)
    again = import_acled(ctx, actor=liaison, path=edited)
    assert (again.created, again.updated, again.unchanged) == (0, 25, 275)
