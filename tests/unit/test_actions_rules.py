"""Action item rules: the lifecycle (every pair), due dates, overdue and escalation by clock."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tansiq.domain.actions import (
    STATUS_ACTIONS,
    check_action_transition,
    escalation_delay,
    is_escalated,
    is_overdue,
    parse_due,
    validate_action_input,
    validate_note_input,
    validate_status_input,
)
from tansiq.domain.choices import ActionStatusChoices
from tansiq.domain.errors import ValidationFailed
from tests.factories import Clock

A = ActionStatusChoices
BAGHDAD = ZoneInfo("Asia/Baghdad")
ALLOWED = {(A.OPEN, A.DONE), (A.OPEN, A.CANCELLED), (A.DONE, A.OPEN)}
# The founding article: "a meeting before the end of this month" -> due 2020-02-29 in Baghdad.
FOUNDING_DUE = datetime(2020, 2, 29, 20, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(("current", "new"), list(itertools.product(A, A)))
def test_every_transition(current: A, new: A) -> None:
    if (current, new) in ALLOWED:
        check_action_transition(current, new)
        return
    with pytest.raises(ValidationFailed) as exc:
        check_action_transition(current, new)
    assert [e.field for e in exc.value.errors] == ["status"]
    if current == new:
        assert f"already {current}" in exc.value.detail
    else:
        assert f"cannot change from {current} to {new}" in exc.value.detail


def test_cancelled_is_final_and_says_so() -> None:
    with pytest.raises(ValidationFailed, match="none \\(final\\)"):
        check_action_transition("cancelled", "open")


def test_each_status_has_a_journal_action() -> None:
    assert set(STATUS_ACTIONS) == set(A)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-02-29", FOUNDING_DUE),
        (date(2020, 2, 29), FOUNDING_DUE),
        ("2020-02-29T18:00:00+03:00", datetime(2020, 2, 29, 15, 0, tzinfo=UTC)),
        ("2020-02-29T15:00:00Z", datetime(2020, 2, 29, 15, 0, tzinfo=UTC)),
        (datetime(2020, 2, 29, 15, 0, tzinfo=UTC), datetime(2020, 2, 29, 15, 0, tzinfo=UTC)),
    ],
)
def test_due_dates_mean_the_end_of_the_day_in_baghdad(value: Any, expected: datetime) -> None:
    assert parse_due(value, tz=BAGHDAD) == expected


@pytest.mark.parametrize(
    "value",
    ["2020-02-30", "2020-02-29T18:00:00", "tomorrow", 20200229, None, "2100-01-01", "1899-12-31"],
)
def test_bad_due_dates_are_refused(value: Any) -> None:
    with pytest.raises(ValueError):
        parse_due(value, tz=BAGHDAD)


def test_action_input_defaults() -> None:
    values = validate_action_input({"title": "Meet", "due_at": "2020-02-29"}, tz=BAGHDAD)
    assert values["due_at"] == FOUNDING_DUE
    assert values["releasability"] == "center" and values["owner_person"] == ""
    assert values["center_id"] is None and values["decision_id"] is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"due_at": "2020-02-29"}, "title"),
        ({"title": "Meet"}, "due_at"),
        ({"title": " ", "due_at": "2020-02-29"}, "title"),
        ({"title": "Meet", "due_at": "end of month"}, "due_at"),
        ({"title": "Meet", "due_at": "2020-02-29", "owner_person": "x" * 201}, "owner_person"),
        ({"title": "Meet", "due_at": "2020-02-29", "center_id": 5}, "center_id"),
        ({"title": "Meet", "due_at": "2020-02-29", "releasability": "public"}, "releasability"),
        ({"title": "Meet", "due_at": "2020-02-29", "status": "done"}, "status"),
    ],
)
def test_bad_action_input_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_action_input(data, tz=BAGHDAD)
    assert field in [e.field for e in exc.value.errors]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "status"),
        ({"status": "finished"}, "status"),
        ({"status": "done", "note": 5}, "note"),
        ({"status": "done", "by": "me"}, "by"),
    ],
)
def test_bad_status_change_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_status_input(data)
    assert field in [e.field for e in exc.value.errors]


@pytest.mark.parametrize("data", [{}, {"text": ""}, {"text": "x" * 5001}, {"text": None}])
def test_bad_note_names_text(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_note_input(data)
    assert [e.field for e in exc.value.errors] == ["text"]


def test_overdue_then_escalated_as_the_clock_moves() -> None:
    clock = Clock(datetime(2020, 2, 20, 9, 0, tzinfo=UTC))
    delay = escalation_delay(72)

    def state() -> tuple[bool, bool]:
        now = clock()
        return (
            is_overdue(status="open", due_at=FOUNDING_DUE, now=now),
            is_escalated(status="open", due_at=FOUNDING_DUE, now=now, delay=delay),
        )

    assert state() == (False, False)
    clock.now = FOUNDING_DUE
    assert state() == (False, False)  # due at that second, not yet late
    clock.advance(seconds=1)
    assert state() == (True, False)
    clock.advance(hours=72, seconds=-1)
    assert state() == (True, False)  # exactly 72 h late: not yet escalated
    clock.advance(seconds=1)
    assert state() == (True, True)
    clock.advance(days=400)
    assert state() == (True, True)


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_closed_items_are_never_late(status: str) -> None:
    late = FOUNDING_DUE + timedelta(days=30)
    assert not is_overdue(status=status, due_at=FOUNDING_DUE, now=late)
    assert not is_escalated(status=status, due_at=FOUNDING_DUE, now=late, delay=timedelta(0))


@pytest.mark.parametrize(("hours", "expected"), [(72, 72), (24, 24), (0, 0), (-5, 0)])
def test_escalation_delay_is_configurable_and_never_negative(hours: int, expected: int) -> None:
    assert escalation_delay(hours) == timedelta(hours=expected)


def test_with_no_delay_an_overdue_item_escalates_at_once() -> None:
    now = FOUNDING_DUE + timedelta(seconds=1)
    assert is_escalated(status="open", due_at=FOUNDING_DUE, now=now, delay=escalation_delay(0))
