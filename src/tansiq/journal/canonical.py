"""Canonical JSON: sorted keys, no whitespace, UTF-8, timestamps as ISO 8601 UTC.

The hash of a journal entry is SHA-256 over these exact bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    if isinstance(value, frozenset | set | tuple):
        return sorted(value)
    raise TypeError(f"cannot put {type(value).__name__} into canonical JSON")


def canonical_json(value: Any) -> bytes:
    """Encode ``value`` canonically; raises TypeError for unsupported types."""
    return orjson.dumps(value, default=_default, option=_OPTIONS)


def iso_utc(value: datetime) -> str:
    """Format an aware datetime as ISO 8601 in UTC with microseconds and a Z."""
    # isoformat is ~2x faster than strftime, and this runs several times per record.
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"
