"""``parse_instant``: dates whose offset pushes UTC past the range, and numbers, are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from tansiq.domain.fields import EARLIEST_INSTANT, LATEST_INSTANT, OUT_OF_RANGE, parse_instant


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:00:00-02:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-2))),
    ],
)
def test_out_of_range_after_the_offset_is_a_value_error(value: Any) -> None:
    with pytest.raises(ValueError, match=OUT_OF_RANGE):
        parse_instant(value)


@pytest.mark.parametrize("value", ["0.5", "1582146000", 1582146000, 0.5, None])
def test_numbers_are_never_unix_times(value: Any) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_instant(value)


def test_the_bounds_themselves_are_accepted() -> None:
    assert parse_instant("0002-01-01T00:00:00Z") == EARLIEST_INSTANT
    assert parse_instant("9999-01-01T02:59:59.999999+03:00") == LATEST_INSTANT
    assert parse_instant("2020-02-20T00:00:00+03:00") == datetime(2020, 2, 19, 21, tzinfo=UTC)
