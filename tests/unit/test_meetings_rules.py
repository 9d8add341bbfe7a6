"""Meeting and decision rules: lifecycles (every pair), validation, the hash, agreement."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime
from typing import Any

import pytest

from tansiq.domain.choices import DecisionStatusChoices, MeetingStatusChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.meetings import (
    DECISION_SETTABLE,
    check_decision_record,
    check_decision_transition,
    check_meeting_record,
    check_meeting_transition,
    decision_hash,
    derive_decision_status,
    not_wider,
    validate_decision_input,
    validate_endorsement_input,
    validate_meeting_input,
)
from tansiq.journal.canonical import canonical_json

NOW = datetime(2020, 2, 20, 9, 0, tzinfo=UTC)
M = MeetingStatusChoices
D = DecisionStatusChoices

MEETING_ALLOWED = {(M.SCHEDULED, M.HELD), (M.SCHEDULED, M.CANCELLED)}
DECISION_ALLOWED = {
    (D.DRAFT, D.PROPOSED),
    (D.DRAFT, D.WITHDRAWN),
    (D.PROPOSED, D.DRAFT),
    (D.PROPOSED, D.WITHDRAWN),
}


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [e.field for e in exc.value.errors]


@pytest.mark.parametrize(("current", "new"), list(itertools.product(M, M)))
def test_meeting_transitions_every_pair(current: M, new: M) -> None:
    if current == new or (current, new) in MEETING_ALLOWED:
        check_meeting_transition(current, new)
        return
    with pytest.raises(ValidationFailed) as exc:
        check_meeting_transition(current, new)
    assert _fields(exc) == ["status"]
    assert f"cannot change from {current} to {new}" in exc.value.detail


@pytest.mark.parametrize(
    ("current", "new"), list(itertools.product(sorted(DECISION_SETTABLE), repeat=2))
)
def test_decision_transitions_every_pair(current: D, new: D) -> None:
    if current == new or (current, new) in DECISION_ALLOWED:
        check_decision_transition(current, new)
        return
    with pytest.raises(ValidationFailed) as exc:
        check_decision_transition(current, new)
    assert _fields(exc) == ["status"]
    assert "none (final)" in exc.value.detail  # only withdrawn refuses here: it is final


def _meeting(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"center_id": "c1", "held_at": "2020-02-19T09:00:00+03:00"}
    data.update(overrides)
    return data


def test_meeting_defaults_and_utc() -> None:
    values = validate_meeting_input(_meeting(), now=NOW)
    assert values["held_at"] == datetime(2020, 2, 19, 6, 0, tzinfo=UTC)
    assert values["status"] == "held" and values["releasability"] == "center"
    assert values["attendees"] == [] and values["minutes"] == ""


def test_partial_meeting_checks_only_what_is_given() -> None:
    assert validate_meeting_input({"minutes": "x"}, now=NOW, partial=True) == {"minutes": "x"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_at": None}, "held_at"),
        ({"center_id": None}, "center_id"),
        ({"held_at": "2020-02-19T09:00:00"}, "held_at"),
        ({"held_at": "2020-02-30T09:00:00Z"}, "held_at"),
        ({"held_at": "1899-12-31T00:00:00Z"}, "held_at"),
        ({"held_at": "2031-01-01T00:00:00Z"}, "held_at"),
        ({"center_id": 7}, "center_id"),
        ({"place": "x" * 201}, "place"),
        ({"agenda": "nul\x00"}, "agenda"),
        ({"attendees": "Ali, Karwan"}, "attendees"),
        ({"attendees": [{"party": "fed"}]}, "attendees[0].name"),
        ({"attendees": [{"party": "fed", "name": " "}]}, "attendees[0].name"),
        ({"attendees": [{"party": "fed", "name": "A", "rank": "Col."}]}, "attendees[0].rank"),
        ({"attendees": ["Ali"]}, "attendees[0]"),
        ({"attendees": [{"party": "fed", "name": "A"}] * 201}, "attendees"),
        ({"releasability": "world"}, "releasability"),
        ({"status": "postponed"}, "status"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_meeting_input_names_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_meeting_input(_meeting(**overrides), now=NOW)
    assert field in _fields(exc)


def test_every_bad_meeting_field_is_named_at_once() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_meeting_input(_meeting(place=1, status="x", releasability="y"), now=NOW)
    assert set(_fields(exc)) == {"place", "status", "releasability"}


def test_a_held_meeting_cannot_be_in_the_future_but_a_scheduled_one_can() -> None:
    future = validate_meeting_input(_meeting(held_at="2020-02-27T09:00:00Z"), now=NOW)
    with pytest.raises(ValidationFailed) as exc:
        check_meeting_record(future, now=NOW)
    assert _fields(exc) == ["held_at"]
    check_meeting_record({**future, "status": "scheduled"}, now=NOW)


def _decision(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "d1",
        "meeting_id": "m1",
        "text_en": "Hold a meeting before the end of this month.",
        "text_ar": "عقد اجتماع قبل نهاية هذا الشهر.",
        "text_ckb": "",
        "releasability": "center",
        "status": "proposed",
    }
    record.update(overrides)
    return record


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text_en": "x"}, "meeting_id"),
        ({"meeting_id": "m1"}, "text_en"),
        ({"meeting_id": "m1", "text_en": "x", "status": "agreed"}, "status"),
        ({"meeting_id": "m1", "text_en": "x", "status": "approved"}, "status"),
        ({"meeting_id": "m1", "text_en": "x" * 20_001}, "text_en"),
        ({"meeting_id": "m1", "text_en": "x", "text_ckb": 3}, "text_ckb"),
        ({"meeting_id": "m1", "text_en": "x", "center_id": "c1"}, "center_id"),
    ],
)
def test_bad_decision_input_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_decision_input(data)
    assert field in _fields(exc)


def test_agreed_cannot_be_set_because_it_is_derived() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_decision_input({"status": "agreed"}, partial=True)
    assert "derived from the endorsements" in exc.value.errors[0].message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text_ar": "", "text_ckb": ""}, "text_ar"),
        ({"text_en": "  "}, "text_en"),
        ({"releasability": "party"}, "releasability"),
    ],
)
def test_decision_record_rules(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_decision_record(_decision(**overrides))
    assert _fields(exc) == [field]


def test_a_decision_in_english_and_kurdish_only_is_fine_and_drafts_may_stay_private() -> None:
    check_decision_record(_decision(text_ar="", text_ckb="کۆبوونەوە"))
    check_decision_record(_decision(status="draft", releasability="party"))


def test_the_hash_is_sha256_of_the_canonical_substance() -> None:
    record = _decision()
    substance = {k: record[k] for k in ("id", "meeting_id", "text_en", "text_ar", "text_ckb")}
    assert decision_hash(record) == hashlib.sha256(canonical_json(substance)).hexdigest()


@pytest.mark.parametrize(
    "change",
    [
        {"text_en": "Amended."},
        {"text_ar": "معدل"},
        {"text_ckb": "x"},
        {"meeting_id": "m2"},
        {"id": "d2"},
    ],
)
def test_any_change_of_substance_changes_the_hash(change: dict[str, Any]) -> None:
    assert decision_hash(_decision(**change)) != decision_hash(_decision())


@pytest.mark.parametrize("change", [{"status": "draft"}, {"releasability": "all"}, {"version": 9}])
def test_status_and_releasability_are_not_content(change: dict[str, Any]) -> None:
    assert decision_hash(_decision(**change)) == decision_hash(_decision())


@pytest.mark.parametrize(
    ("stored", "endorsed", "members", "expected"),
    [
        ("proposed", [], ["fed", "krg"], "proposed"),
        ("proposed", ["fed"], ["fed", "krg"], "proposed"),
        ("proposed", ["krg"], ["fed", "krg"], "proposed"),
        ("proposed", ["fed", "krg"], ["fed", "krg"], "agreed"),
        ("proposed", ["fed", "krg", "un"], ["fed", "krg"], "agreed"),
        ("proposed", ["fed", "un"], ["fed", "krg"], "proposed"),
        ("proposed", [], [], "proposed"),
        ("draft", ["fed", "krg"], ["fed", "krg"], "draft"),
        ("withdrawn", ["fed", "krg"], ["fed", "krg"], "withdrawn"),
    ],
)
def test_agreed_needs_every_member_party_on_the_current_hash(
    stored: str, endorsed: list[str], members: list[str], expected: str
) -> None:
    assert derive_decision_status(stored, endorsed, members) == expected


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "version_hash"),
        ({"version_hash": "A" * 64}, "version_hash"),
        ({"version_hash": "a" * 63}, "version_hash"),
        ({"version_hash": 12}, "version_hash"),
        ({"version_hash": "a" * 64, "comment": "x" * 2001}, "comment"),
        ({"version_hash": "a" * 64, "vote": "yes"}, "vote"),
    ],
)
def test_bad_endorsement_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_endorsement_input(data)
    assert field in _fields(exc)


@pytest.mark.parametrize(
    ("child", "parent", "ok"),
    [
        (c, p, order.index(c) <= order.index(p))
        for order in [["party", "center", "all"]]
        for c, p in itertools.product(order, repeat=2)
    ],
)
def test_not_wider_orders_party_center_all(child: str, parent: str, ok: bool) -> None:
    assert not_wider(child, parent) is ok
