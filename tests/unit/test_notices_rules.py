"""Notice rules without a database: state machines, validation, deadlines and escalation."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tansiq.domain.choices import AckResponseChoices, NoticeStatusChoices
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.notices import (
    NOTIFICATION_IS_NOT_PERMISSION,
    NoticeStateChoices,
    amended_ack_deadline,
    check_reaches,
    check_response,
    check_transition,
    check_window,
    default_ack_deadline,
    notice_state,
    validate_notice_input,
    validate_response,
)
from tests.factories import Clock
from tests.factories_notices import notice_data

NOW = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)
SENT, WITHDRAWN = NoticeStatusChoices.SENT.value, NoticeStatusChoices.WITHDRAWN.value
ACK = AckResponseChoices.ACK.value
CONCERNS = AckResponseChoices.ACK_WITH_CONCERNS.value
OBJECTION = AckResponseChoices.OBJECTION.value

# Written out by hand (not read from the module) so the test states the rule.
STATUS_ALLOWED = {(SENT, WITHDRAWN)}
RESPONSE_ALLOWED = {
    (None, ACK),
    (None, CONCERNS),
    (None, OBJECTION),
    (CONCERNS, ACK),
    (CONCERNS, OBJECTION),
    (OBJECTION, ACK),
    (OBJECTION, CONCERNS),
}


def _field_names(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return {e.field for e in exc.value.errors}


@pytest.mark.parametrize(("current", "new"), list(itertools.product([SENT, WITHDRAWN], repeat=2)))
def test_every_status_transition(current: str, new: str) -> None:
    if current == new or (current, new) in STATUS_ALLOWED:
        check_transition(current, new)
        return
    with pytest.raises(ValidationFailed) as exc:
        check_transition(current, new)
    assert _field_names(exc) == {"status"}
    assert f"cannot change from {current} to {new}" in exc.value.errors[0].message
    assert "none (final)" in exc.value.errors[0].message


@pytest.mark.parametrize(
    ("previous", "new"),
    list(itertools.product([None, ACK, CONCERNS, OBJECTION], [ACK, CONCERNS, OBJECTION])),
)
def test_every_response_transition_on_one_version(previous: str | None, new: str) -> None:
    if (previous, new) in RESPONSE_ALLOWED:
        check_response(previous, new)
        return
    with pytest.raises(ValidationFailed) as exc:
        check_response(previous, new)
    assert _field_names(exc) == {"response"}
    assert f"already answered with {previous}" in exc.value.errors[0].message


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"response": "ack"}, set()),
        ({"response": "ack", "comment": "Received."}, set()),
        ({"response": "ack_with_concerns", "comment": "Keep clear of the camp."}, set()),
        ({"response": "objection", "comment": "Our unit holds that road."}, set()),
        ({"response": "ack_with_concerns"}, {"comment"}),
        ({"response": "objection", "comment": "   "}, {"comment"}),
        ({"response": "approve"}, {"response"}),
        ({}, {"response"}),
        ({"response": "ack", "comment": 5}, {"comment"}),
        ({"response": "ack", "comment": "x" * 10_001}, {"comment"}),
        ({"response": "ack", "comment": "a\x00b"}, {"comment"}),
        ({"response": "ack", "colour": "red"}, {"colour"}),
    ],
)
def test_validate_response(body: dict[str, Any], fields: set[str]) -> None:
    if not fields:
        assert validate_response(body) == (body["response"], body.get("comment", ""))
        return
    with pytest.raises(ValidationFailed) as exc:
        validate_response(body)
    assert _field_names(exc) == fields


@pytest.mark.parametrize(
    ("kind", "hours"), [("deployment", 6), ("movement", 6), ("incident_alert", 1)]
)
def test_default_deadline_by_kind(kind: str, hours: int) -> None:
    assert default_ack_deadline(kind, NOW) == NOW + timedelta(hours=hours)


def test_an_amendment_never_shortens_the_deadline() -> None:
    far = NOW + timedelta(days=2)
    assert amended_ack_deadline("deployment", far, NOW) == far
    past = NOW - timedelta(hours=3)
    assert amended_ack_deadline("incident_alert", past, NOW) == NOW + timedelta(hours=1)


def _state(clock: Clock, responses: list[tuple[int, str]], **kw: Any) -> NoticeStateChoices:
    args: dict[str, Any] = {
        "status": SENT,
        "version": 1,
        "ack_deadline": NOW + timedelta(hours=6),
        "responses": responses,
        "now": clock(),
    }
    args.update(kw)
    return notice_state(**args)


def test_pending_until_the_deadline_then_escalated_with_a_moving_clock() -> None:
    clock = Clock(NOW)
    assert _state(clock, []) == NoticeStateChoices.PENDING
    clock.advance(hours=6)  # exactly at the deadline: not yet late
    assert _state(clock, []) == NoticeStateChoices.PENDING
    clock.advance(seconds=1)
    assert _state(clock, []) == NoticeStateChoices.ESCALATED
    clock.advance(days=3)
    assert _state(clock, []) == NoticeStateChoices.ESCALATED


@pytest.mark.parametrize(
    ("response", "state"),
    [
        (ACK, NoticeStateChoices.ACKNOWLEDGED),
        (CONCERNS, NoticeStateChoices.ACKNOWLEDGED_WITH_CONCERNS),
        (OBJECTION, NoticeStateChoices.OBJECTED),
    ],
)
def test_an_answer_ends_escalation_even_when_late(response: str, state: NoticeStateChoices) -> None:
    clock = Clock(NOW + timedelta(hours=7))
    assert _state(clock, []) == NoticeStateChoices.ESCALATED
    assert _state(clock, [(1, response)]) == state


def test_the_latest_answer_to_the_current_version_counts() -> None:
    clock = Clock(NOW)
    assert _state(clock, [(1, OBJECTION), (1, ACK)]) == NoticeStateChoices.ACKNOWLEDGED
    # An answer to version 1 does not cover version 2 (sign-off is bound to a version).
    assert _state(clock, [(1, ACK)], version=2) == NoticeStateChoices.PENDING
    clock.advance(hours=7)
    assert _state(clock, [(1, ACK)], version=2) == NoticeStateChoices.ESCALATED
    assert _state(clock, [(1, ACK), (2, CONCERNS)], version=2) == (
        NoticeStateChoices.ACKNOWLEDGED_WITH_CONCERNS
    )


def test_a_withdrawn_notice_is_neither_pending_nor_escalated() -> None:
    clock = Clock(NOW + timedelta(days=1))
    assert _state(clock, [], status=WITHDRAWN) == NoticeStateChoices.WITHDRAWN
    assert _state(clock, [(1, ACK)], status=WITHDRAWN) == NoticeStateChoices.WITHDRAWN


def test_the_disclaimer_says_notification_is_not_permission() -> None:
    assert NOTIFICATION_IS_NOT_PERMISSION.startswith("Notification is not permission")


def test_a_valid_notice_is_normalised() -> None:
    body = {k: v for k, v in notice_data().items() if k != "releasability"}
    values = validate_notice_input(body, now=NOW)
    assert values["starts_at"] == datetime(2020, 2, 20, 12, tzinfo=UTC)
    assert values["releasability"] == "all"  # no center named: the default
    assert values["status"] == SENT
    assert "ack_deadline" not in values
    with_center = validate_notice_input(
        {k: v for k, v in notice_data(center_id="c1").items() if k != "releasability"}, now=NOW
    )
    assert with_center["releasability"] == "center"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "parade"}, "kind"),
        ({"to_party": None}, "to_party"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"message": "x" * 10_001}, "message"),
        ({"location": {"type": "Point", "coordinates": [200.0, 35.0]}}, "location"),
        ({"location": {"type": "Point", "coordinates": [42.0, 39.5]}}, "location"),
        ({"location": {"type": "MultiPoint", "coordinates": [[44.0, 35.0]]}}, "location"),
        ({"location": "Kirkuk"}, "location"),
        ({"location": {"type": "Polygon", "coordinates": [[[44, 35], [45, 35]]]}}, "location"),
        ({"starts_at": "2020-02-20T12:00:00"}, "starts_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"ends_at": "2022-02-20T12:00:00Z"}, "ends_at"),
        ({"ack_deadline": "2020-02-20T08:00:00Z"}, "ack_deadline"),
        ({"ack_deadline": "2020-04-20T08:00:00Z"}, "ack_deadline"),
        ({"releasability": "world"}, "releasability"),
        ({"center_id": 7}, "center_id"),
        ({"status": "cancelled"}, "status"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_notice_fields_are_named(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_notice_input(notice_data(**overrides), now=NOW)
    assert field in _field_names(exc)


def test_the_window_must_end_after_it_starts() -> None:
    values = validate_notice_input(notice_data(ends_at="2020-02-20T12:00:00Z"), now=NOW)
    with pytest.raises(ValidationFailed) as exc:
        check_window(values)
    assert _field_names(exc) == {"ends_at"}


@pytest.mark.parametrize(
    ("releasability", "center_id", "members", "fields"),
    [
        ("all", None, None, set()),
        ("center", "kirkuk", ["fed", "krg"], set()),
        ("all", "kirkuk", ["fed", "krg"], set()),
        ("party", None, None, {"releasability"}),
        ("center", None, None, {"center_id"}),
        ("center", "nowhere", None, {"center_id"}),
        ("center", "fedun", ["fed", "un"], {"center_id"}),
        ("all", "fedun", ["fed", "un"], {"center_id"}),
    ],
)
def test_a_notice_must_reach_the_recipient(
    releasability: str, center_id: str | None, members: list[str] | None, fields: set[str]
) -> None:
    errors = ErrorCollector()
    check_reaches(
        errors,
        releasability=releasability,
        center_id=center_id,
        center_members=members,
        parties=("fed", "krg"),
    )
    assert {e.field for e in errors.errors} == fields


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=30,
)
_geometry = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", "Feature"]),
        "coordinates": _json,
    }
)


@settings(max_examples=300, deadline=None)
@given(location=_geometry | _json, when=_json)
def test_any_json_is_refused_cleanly_or_accepted(location: Any, when: Any) -> None:
    body = notice_data(location=location, ack_deadline=when)
    try:
        values = validate_notice_input(body, now=NOW)
    except ValidationFailed as exc:
        assert {e.field for e in exc.errors} <= {"location", "ack_deadline"}
    else:
        check_window(values)
