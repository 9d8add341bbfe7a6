"""``tansiq coverage`` refuses a date that overflows once in UTC with one line (was a traceback)."""

from __future__ import annotations

import pytest

from tests.cli.test_cli_sectors import Node, _one_line_error, node  # noqa: F401  (fixture)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--at", "0001-01-01T00:00:00+01:00"),
        ("--at", "9999-12-31T23:00:00-02:00"),
        ("--at", "0001-01-01"),
        ("--incidents-since", "0001-01-01T00:00:00+23:59"),
        ("--at", "1582146000"),
    ],
)
def test_coverage_names_a_date_outside_the_range(node: Node, option: str, value: str) -> None:  # noqa: F811
    at = [] if option == "--at" else ["--at", "2020-02-20"]
    args = ["--area", "Kirkuk", *at, option, value, "--as", "fed_liaison"]
    error = _one_line_error(node.run("coverage", *args))
    assert option.removeprefix("--").replace("-", "_") in error
