"""Canonical JSON: sorted keys, no whitespace, UTF-8, timestamps as ISO 8601 UTC.

The hash of a journal entry is SHA-256 over these exact bytes; docs/journal-format.md
describes the form so that another implementation can reproduce them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import orjson

# No OPT_NON_STR_KEYS: a key that is not a string has no single text form, so it
# is refused. PASSTHROUGH_DATETIME sends datetimes to _default, which writes the
# one fixed form of iso_utc (orjson would drop zero microseconds and keep offsets).
_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


_SCALARS = frozenset({str, int, bool, type(None)})
_ARRAYS = frozenset({list, tuple, set, frozenset})


class CanonicalJSONError(TypeError):
    """The value has no canonical JSON form (NaN, infinity, a non-string key, a naive time)."""


def _default(value: Any) -> Any:
    if isinstance(value, frozenset | set | tuple):
        return sorted(value)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise CanonicalJSONError("cannot put a naive datetime into canonical JSON")
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    raise CanonicalJSONError(f"cannot put {type(value).__name__} into canonical JSON")


def _refuse_non_finite(value: Any) -> None:
    # orjson writes NaN and ±Infinity as null, silently: find them ourselves. This runs
    # for every payload and envelope that holds a null, so it stays cheap: strings
    # and ints are skipped, and arrays of numbers (coordinates) are summed in C — a
    # non-finite member makes the sum non-finite (x - x is then NaN, never 0.0).
    kind = type(value)
    if kind is float:
        if value - value != 0.0:
            raise CanonicalJSONError(f"cannot put {value} into canonical JSON")
    elif kind is dict or isinstance(value, dict):
        for item in value.values():
            if type(item) not in _SCALARS:
                _refuse_non_finite(item)
    elif kind in _ARRAYS or isinstance(value, list | tuple):
        if _all_finite_numbers(value):
            return
        for item in value:
            if type(item) not in _SCALARS:
                _refuse_non_finite(item)


def _all_finite_numbers(value: list[Any] | tuple[Any, ...] | set[Any] | frozenset[Any]) -> bool:
    """True when ``value`` holds only finite numbers, or only arrays of them (one level)."""
    if value and type(next(iter(value))) is str:
        # Not numbers (e.g. a list of sources): the caller skips each string, without
        # the cost of a sum raising TypeError.
        return False
    try:
        if type(value) is list and value and type(value[0]) is list:
            total = sum(map(sum, value))
        else:
            total = sum(value)
    except (TypeError, OverflowError):
        # Not all numbers (or a huge int): the caller looks at each member.
        return False
    return type(total) is int or (type(total) is float and total - total == 0.0)


def canonical_json(value: Any) -> bytes:
    """Encode ``value`` canonically.

    Raises CanonicalJSONError (a TypeError) for NaN, ±Infinity, a key that is
    not a string, a naive datetime or a type JSON has no form for.
    """
    try:
        encoded = orjson.dumps(value, default=_default, option=_OPTIONS)
    except orjson.JSONEncodeError as exc:
        cause = exc.__cause__
        if isinstance(cause, CanonicalJSONError):
            raise cause from None
        raise CanonicalJSONError(str(exc)) from None
    # A non-finite float can only have become a null: walk the value only then.
    if b"null" in encoded:
        _refuse_non_finite(value)
    return encoded


# Several times per record, on writes and in ``tansiq verify``, and a record's stamps (and a
# batch's) are mostly the same instant: remembering recent ones saves ~90% of a call.
# Equal aware datetimes are the same instant, so they share one text whatever their zone.
@lru_cache(maxsize=4096)
def iso_utc(value: datetime) -> str:
    """Format an aware datetime as ISO 8601 in UTC with microseconds and a Z."""
    # isoformat is ~2x faster than strftime.
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def envelope_json(envelope: dict[str, Any]) -> bytes:
    """Canonical JSON of a journal or feed envelope: str, int and None values and the
    payload as an ``orjson.Fragment`` of canonical text.

    Such values hold no float, so there is no NaN to refuse and the scan
    :func:`canonical_json` makes after every ``null`` (an envelope always has one) is
    skipped: it ran once per entry in ingest and in ``tansiq verify``. Raises
    CanonicalJSONError for a value of another type.
    """
    try:
        return orjson.dumps(envelope, option=_OPTIONS)
    except orjson.JSONEncodeError as exc:
        raise CanonicalJSONError(str(exc)) from None
