"""Field checks shared by every concept's input validation. Pure.

Each ``check_…`` adds to an ErrorCollector instead of raising, so every bad field
of an input is named at once. The messages are part of the API: clients, the web
forms and the tests match them, so change them only on purpose.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from tansiq.domain.choices import ReleasabilityChoices
from tansiq.domain.errors import ErrorCollector, ValidationFailed

MAX_SOURCES = 20
MAX_SOURCE_TEXT = 500

E = TypeVar("E", bound=StrEnum)

# A year short of what datetime holds on each side, so that what is computed from
# an accepted instant (a deadline hours later, a window 30 days earlier) cannot overflow.
EARLIEST_INSTANT = datetime(2, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
OUT_OF_RANGE = "must be between 0002-01-01T00:00:00Z and 9998-12-31T23:59:59Z"


def parse_instant(value: Any) -> datetime:
    """Parse an ISO 8601 timestamp with an offset (or an aware datetime) into UTC.

    Numbers and numeric strings are refused (never read as Unix times), and so is
    an instant outside [EARLIEST_INSTANT, LATEST_INSTANT] once the offset is applied.
    Raises ValueError with a message fit for the user.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("must be an ISO 8601 date-time such as 2020-02-19T21:00:00Z") from None
    else:
        raise ValueError("must be an ISO 8601 date-time string")
    offset = parsed.utcoffset() if parsed.tzinfo is not None else None
    if offset is None:
        # Baghdad is UTC+3: a time without an offset is ambiguous by three hours.
        raise ValueError("must include a time zone offset, e.g. Z or +03:00")
    # Compare before converting: astimezone overflows past year 1 or 9999.
    naive_utc = parsed.replace(tzinfo=None)
    if not _EARLIEST_NAIVE + offset <= naive_utc <= _LATEST_NAIVE + offset:
        raise ValueError(OUT_OF_RANGE)
    return parsed.astimezone(UTC)


_EARLIEST_NAIVE = EARLIEST_INSTANT.replace(tzinfo=None)
_LATEST_NAIVE = LATEST_INSTANT.replace(tzinfo=None)


def read_instant(
    errors: ErrorCollector,
    name: str,
    value: Any,
    *,
    window: tuple[datetime, datetime] | None = None,
    outside: str = "",
) -> datetime | None:
    """``value`` parsed into UTC, or None after naming ``name``.

    With ``window`` (earliest, latest) an instant outside [earliest, latest) is
    named with the message ``outside``.
    """
    try:
        when = parse_instant(value)
    except ValueError as exc:
        errors.add(name, str(exc))
        return None
    if window is not None and not window[0] <= when < window[1]:
        errors.add(name, outside)
        return None
    return when


def check_text(
    errors: ErrorCollector, name: str, value: Any, limit: int, *, required: bool = False
) -> None:
    """Name ``name`` unless ``value`` is text of at most ``limit`` characters without NUL
    (and, if ``required``, not blank)."""
    if not isinstance(value, str):
        errors.add(name, "must be a string")
    elif "\x00" in value:
        # PostgreSQL text cannot hold NUL; refusing it everywhere keeps peers in step.
        errors.add(name, "must not contain NUL characters")
    elif len(value) > limit:
        errors.add(name, f"must be at most {limit} characters")
    elif required and not value.strip():
        errors.add(name, "must not be empty")


def check_int(errors: ErrorCollector, name: str, value: Any, low: int, high: int) -> None:
    """Name ``name`` unless ``value`` is an integer (not a bool) in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(name, "must be an integer")
    elif not low <= value <= high:
        errors.add(name, f"must be between {low} and {high}")


@cache
def _enum_values(choices: type[StrEnum]) -> tuple[str, ...]:
    return tuple(str(choice) for choice in choices)


def check_choice(
    errors: ErrorCollector,
    name: str,
    value: Any,
    choices: Iterable[str],
    *,
    message: str | None = None,
) -> None:
    """Name ``name`` unless ``value`` is one of ``choices`` (a StrEnum or its values).

    The message lists the choices unless ``message`` says it otherwise.
    """
    # Iterating a StrEnum class is slow; this runs for several fields of every batch item.
    allowed = _enum_values(choices) if isinstance(choices, type) else [str(c) for c in choices]
    if value not in allowed:
        errors.add(name, message or f"must be one of: {', '.join(allowed)}")


def check_fields(
    errors: ErrorCollector,
    data: Mapping[str, Any],
    known: Collection[str],
    required: Collection[str],
    *,
    partial: bool,
) -> None:
    """Name unknown fields, and (unless ``partial``) missing required ones."""
    for name in data:
        if name not in known:
            errors.add(name, "is not a known field")
    if not partial:
        for name in required:
            if data.get(name) is None:
                errors.add(name, "is required")


def check_center_id(
    errors: ErrorCollector, name: str, value: Any, *, max_length: int | None = None
) -> None:
    """Name ``name`` unless ``value`` is None or a center id (text of at most ``max_length``)."""
    if value is None:
        return
    if not isinstance(value, str) or (max_length is not None and len(value) > max_length):
        errors.add(name, "must be a center id or null")


def check_member_center(
    errors: ErrorCollector, center_id: Any, centers: Collection[str], *, name: str = "center_id"
) -> None:
    """Name ``name`` unless ``center_id`` is None or one of ``centers`` (the writer party's)."""
    if center_id is not None and center_id not in centers:
        errors.add(name, "must be a center your party is a member of")


def check_center_rule(errors: ErrorCollector, record: Mapping[str, Any]) -> None:
    """A record released to a ``center`` names its center."""
    if record["releasability"] == ReleasabilityChoices.CENTER and not record.get("center_id"):
        errors.add("center_id", "is required when releasability is center")


def check_sources(errors: ErrorCollector, name: str, value: Any) -> None:
    """Name ``name`` unless ``value`` is a list of at most 20 short texts without NUL."""
    if not isinstance(value, list) or len(value) > MAX_SOURCES:
        errors.add(name, f"must be a list of at most {MAX_SOURCES} strings")
    elif not all(
        isinstance(s, str) and len(s) <= MAX_SOURCE_TEXT and "\x00" not in s for s in value
    ):
        errors.add(
            name,
            f"each source must be text of at most {MAX_SOURCE_TEXT} characters, without NUL",
        )


def refuse_transition(allowed: Mapping[E, frozenset[E]], current: E, new: E) -> None:
    """Refuse ``current -> new`` unless ``allowed`` lists it (same status is no change).

    Raises ValidationFailed naming ``status`` and the allowed targets.
    """
    if current == new:
        return
    targets = allowed[current]
    if new not in targets:
        names = ", ".join(sorted(s.value for s in targets)) or "none (final)"
        raise ValidationFailed.single(
            "status", f"cannot change from {current.value} to {new.value}; allowed: {names}"
        )
