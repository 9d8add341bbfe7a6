"""Action item rules: validation, the open/done/cancelled lifecycle, deadlines and escalation.

Who owns an action item: the party that *owes* it records it (``party`` is the
owing party), so the one writer of the record is also the one who marks it done,
cancelled or open again, and single-writer holds without a second, competing
status kept elsewhere. Another party follows up by attaching progress notes, its
own records. Overdue and escalated are never stored: they are functions of the
clock, computed at read time (:func:`is_overdue`, :func:`is_escalated`).

Lifecycle: open -> done | cancelled; done -> open (reopen: the work turned out
unfinished); cancelled is final, like a retraction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from tansiq.domain.choices import ActionStatusChoices, ReleasabilityChoices
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import (
    check_choice,
    check_fields,
    check_text,
    parse_instant,
    refuse_transition,
)
from tansiq.domain.incidents import EARLIEST_OCCURRED_AT

MAX_TITLE = 2_000
MAX_NOTE = 5_000
MAX_PERSON = 200
LATEST_DUE = datetime(2100, 1, 1, tzinfo=UTC)
# A due date without a time means "by the end of that day" where the parties are.
END_OF_DAY = time(23, 59, 59)

ACTION_INPUT_FIELDS = (
    "center_id",
    "meeting_id",
    "decision_id",
    "title",
    "owner_party",
    "owner_person",
    "due_at",
    "releasability",
)
ACTION_REQUIRED = ("title", "due_at")
ACTION_DEFAULTS: dict[str, Any] = {
    "center_id": None,
    "meeting_id": None,
    "decision_id": None,
    "owner_party": None,
    "owner_person": "",
    "releasability": ReleasabilityChoices.CENTER.value,
}

ACTION_TRANSITIONS: dict[ActionStatusChoices, frozenset[ActionStatusChoices]] = {
    ActionStatusChoices.OPEN: frozenset({ActionStatusChoices.DONE, ActionStatusChoices.CANCELLED}),
    ActionStatusChoices.DONE: frozenset({ActionStatusChoices.OPEN}),
    ActionStatusChoices.CANCELLED: frozenset(),
}
# The journal's action for each status an item moves to.
STATUS_ACTIONS = {
    ActionStatusChoices.OPEN: "reopen",
    ActionStatusChoices.DONE: "complete",
    ActionStatusChoices.CANCELLED: "cancel",
}


def check_action_transition(current: str, new: str) -> None:
    """Refuse a status change the lifecycle does not allow.

    Raises ValidationFailed naming ``status``; moving to the same status is refused
    too, since it would record nothing.
    """
    if current == new:
        raise ValidationFailed.single("status", f"the action item is already {current}")
    refuse_transition(ACTION_TRANSITIONS, ActionStatusChoices(current), ActionStatusChoices(new))


def parse_due(value: Any, *, tz: tzinfo) -> datetime:
    """Read a due date into UTC: an ISO date-time with offset, or a date meaning its end in ``tz``.

    ``2020-02-29`` in Asia/Baghdad is due 2020-02-29T23:59:59+03:00. Raises
    ValueError with a message fit for the user.
    """
    if isinstance(value, datetime):
        parsed = parse_instant(value)
    elif isinstance(value, date):
        parsed = datetime.combine(value, END_OF_DAY, tz).astimezone(UTC)
    elif isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError("must be a date (2020-02-29) or an ISO 8601 date-time") from None
        parsed = datetime.combine(day, END_OF_DAY, tz).astimezone(UTC)
    else:
        parsed = parse_instant(value)
    if not EARLIEST_OCCURRED_AT <= parsed < LATEST_DUE:
        raise ValueError("must be between 1900 and 2099")
    return parsed


def validate_action_input(
    data: Mapping[str, Any], *, tz: tzinfo, partial: bool = False
) -> dict[str, Any]:
    """Check client-supplied action item fields and return them normalised (``due_at`` in UTC).

    With ``partial`` only the given fields are checked (a PATCH). The status is
    not an input here (see :func:`check_action_transition`). Raises
    ValidationFailed naming every bad field.
    """
    errors = ErrorCollector()
    check_fields(errors, data, ACTION_INPUT_FIELDS, ACTION_REQUIRED, partial=partial)
    errors.raise_if_any()
    values = {} if partial else dict(ACTION_DEFAULTS)
    values.update(data)
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "due_at":
            try:
                value = parse_due(value, tz=tz)
            except ValueError as exc:
                errors.add(name, str(exc))
        elif name in ("center_id", "meeting_id", "decision_id", "owner_party"):
            if value is not None and (not isinstance(value, str) or not 1 <= len(value) <= 64):
                errors.add(name, "must be an id (a string of at most 64 characters) or null")
        elif name == "title":
            check_text(errors, name, value, MAX_TITLE, required=True)
        elif name == "owner_person":
            check_text(errors, name, value, MAX_PERSON)
        elif name == "releasability":
            check_choice(errors, name, value, ReleasabilityChoices)
        out[name] = value
    errors.raise_if_any()
    return out


def validate_status_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check a status change: ``status`` and an optional progress ``note``.

    Raises ValidationFailed naming every bad field.
    """
    errors = ErrorCollector()
    check_fields(errors, data, ("status", "note"), ("status",), partial=False)
    errors.raise_if_any()
    check_choice(errors, "status", data["status"], ActionStatusChoices)
    note = "" if data.get("note") is None else data["note"]
    check_text(errors, "note", note, MAX_NOTE)
    errors.raise_if_any()
    return {"status": data["status"], "note": note}


def validate_note_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check a progress note (``text``); raises ValidationFailed naming the field."""
    errors = ErrorCollector()
    check_fields(errors, data, ("text",), ("text",), partial=False)
    errors.raise_if_any()
    check_text(errors, "text", data["text"], MAX_NOTE, required=True)
    errors.raise_if_any()
    return {"text": data["text"]}


def escalation_delay(hours: int) -> timedelta:
    """The time an item may stay overdue before it escalates (``TANSIQ_ESCALATE_AFTER_HOURS``)."""
    return timedelta(hours=max(hours, 0))


def is_overdue(*, status: str, due_at: datetime, now: datetime) -> bool:
    """True when the item is still open and its due time has passed."""
    return status == ActionStatusChoices.OPEN and now > due_at


def is_escalated(*, status: str, due_at: datetime, now: datetime, delay: timedelta) -> bool:
    """True when the item is still open ``delay`` after its due time: the center must see it."""
    return status == ActionStatusChoices.OPEN and now > due_at + delay
