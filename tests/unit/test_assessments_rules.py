"""Assessment rules without a database: status machine, validation and derived disputes."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tansiq.domain.assessments import (
    CORRECTION_FIELDS,
    DisputeClosureChoices,
    DisputeState,
    check_contest_reason,
    check_may_resolve,
    check_transition,
    dispute_state,
    is_correction,
    validate_assessment_input,
)
from tansiq.domain.choices import AssessmentStatusChoices
from tansiq.domain.errors import ValidationFailed
from tests.factories_notices import assessment_data, contest_data

ACTIVE, WITHDRAWN = AssessmentStatusChoices.ACTIVE.value, AssessmentStatusChoices.WITHDRAWN.value
STATUS_ALLOWED = {(ACTIVE, WITHDRAWN)}


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return {e.field for e in exc.value.errors}


@pytest.mark.parametrize(("current", "new"), list(itertools.product([ACTIVE, WITHDRAWN], repeat=2)))
def test_every_status_transition(current: str, new: str) -> None:
    if current == new or (current, new) in STATUS_ALLOWED:
        check_transition(current, new)
        return
    with pytest.raises(ValidationFailed) as exc:
        check_transition(current, new)
    assert _fields(exc) == {"status"}
    assert f"cannot change from {current} to {new}" in exc.value.errors[0].message


def test_defaults_fill_a_minimal_assessment() -> None:
    values = validate_assessment_input({"kind": "comment"})
    assert values["status"] == ACTIVE
    assert values["releasability"] == "all"
    assert (values["source_reliability"], values["credibility"]) == ("F", 6)
    assert validate_assessment_input({"kind": "comment", "center_id": "c"})["releasability"] == (
        "center"
    )


@pytest.mark.parametrize(
    ("body", "partial", "field"),
    [
        ({"kind": None}, False, "kind"),
        ({"kind": "refute"}, False, "kind"),
        ({"credibility": 0}, False, "credibility"),
        ({"credibility": 7}, False, "credibility"),
        ({"credibility": True}, False, "credibility"),
        ({"source_reliability": "G"}, False, "source_reliability"),
        ({"sources": ["s"] * 21}, False, "sources"),
        ({"sources": "one source"}, False, "sources"),
        ({"comment": "x" * 10_001}, False, "comment"),
        ({"releasability": "world"}, False, "releasability"),
        ({"incident_version": 0}, False, "incident_version"),
        ({"incident_version": "1"}, False, "incident_version"),
        ({"status": "deleted"}, False, "status"),
        ({"colour": "red"}, False, "colour"),
        ({"kind": "contest"}, True, "kind"),
        ({"incident_version": 2}, True, "incident_version"),
    ],
)
def test_bad_assessment_fields_are_named(body: dict[str, Any], partial: bool, field: str) -> None:
    data = body if partial else assessment_data(**body)
    with pytest.raises(ValidationFailed) as exc:
        validate_assessment_input(data, partial=partial)
    assert field in _fields(exc)


def test_a_contest_must_say_what_is_wrong() -> None:
    check_contest_reason(validate_assessment_input(contest_data()))
    check_contest_reason(validate_assessment_input(assessment_data(comment="")))
    with pytest.raises(ValidationFailed) as exc:
        check_contest_reason(validate_assessment_input(contest_data() | {"comment": " "}))
    assert _fields(exc) == {"comment"}


def _incident(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {name: f"v-{name}" for name in CORRECTION_FIELDS}
    base.update({"id": "i1", "party": "fed", "status": "submitted", "version": 1})
    base.update(changes)
    return base


def _contest(**changes: Any) -> dict[str, Any]:
    contest: dict[str, Any] = {
        "kind": "contest",
        "party": "krg",
        "status": ACTIVE,
        "incident_version": 1,
    }
    contest.update(changes)
    return contest


def _state(
    contest: dict[str, Any] | None = None,
    incident: dict[str, Any] | None = None,
    contested: dict[str, Any] | None = None,
    resolved_by: tuple[str, ...] = (),
) -> DisputeState | None:
    return dispute_state(
        contest=contest or _contest(),
        incident=incident or _incident(),
        contested_version=contested if contested is not None else _incident(),
        resolved_by=resolved_by,
    )


@pytest.mark.parametrize("kind", ["corroborate", "comment"])
def test_only_a_contest_opens_a_dispute(kind: str) -> None:
    assert _state(_contest(kind=kind)) is None


def test_a_contest_opens_a_dispute_awaiting_both_parties() -> None:
    assert _state() == DisputeState(True, None, (), ("fed", "krg"))


@pytest.mark.parametrize(
    ("contest", "incident", "contested", "resolved_by", "closed_by", "awaiting"),
    [
        # (a) the owner retracts.
        (_contest(), _incident(status="retracted", version=2), None, (), "retracted", ()),
        # (b) the owner corrects an event field after the contest.
        (_contest(), _incident(injured=5, version=2), _incident(), (), "corrected", ()),
        # ... but a status-only change (e.g. verifying) is not a correction.
        (
            _contest(),
            _incident(status="verified", version=2),
            _incident(),
            (),
            None,
            ("fed", "krg"),
        ),
        # ... and the contested version unknown: any later version counts.
        (_contest(), _incident(version=3), {}, (), "corrected", ()),
        # (c) both parties resolve; one alone, or a third party, is not enough.
        (_contest(), _incident(), None, ("fed", "krg"), "resolved", ()),
        (_contest(), _incident(), None, ("krg",), None, ("fed",)),
        (_contest(), _incident(), None, ("fed", "un"), None, ("krg",)),
        # (d) the contesting party withdraws its contest.
        (_contest(status=WITHDRAWN), _incident(), None, (), "withdrawn", ()),
    ],
)
def test_how_a_dispute_closes(
    contest: dict[str, Any],
    incident: dict[str, Any],
    contested: dict[str, Any] | None,
    resolved_by: tuple[str, ...],
    closed_by: str | None,
    awaiting: tuple[str, ...],
) -> None:
    state = dispute_state(
        contest=contest,
        incident=incident,
        contested_version=None if contested == {} else (contested or _incident()),
        resolved_by=resolved_by,
    )
    assert state is not None
    assert state.open is (closed_by is None)
    assert state.closed_by == (DisputeClosureChoices(closed_by) if closed_by else None)
    assert state.awaiting == awaiting
    assert "un" not in state.resolved_by


def test_a_correction_compares_event_fields_only() -> None:
    assert not is_correction(_incident(), _incident(status="verified", version=4))
    for name in CORRECTION_FIELDS:
        assert is_correction(_incident(), _incident(**{name: "changed"})), name


def test_as_dict_is_the_wire_form() -> None:
    state = _state(resolved_by=("krg",))
    assert state is not None
    assert state.as_dict() == {
        "open": True,
        "closed_by": None,
        "resolved_by": ["krg"],
        "awaiting": ["fed"],
    }


@pytest.mark.parametrize(
    ("actor", "state", "message"),
    [
        ("fed", None, "only a contest"),
        ("fed", DisputeState(False, DisputeClosureChoices.CORRECTED, (), ()), "already closed"),
        ("krg", DisputeState(True, None, ("krg",), ("fed",)), "already marked"),
        ("un", DisputeState(True, None, (), ("fed", "krg")), "only the two parties"),
    ],
)
def test_who_may_resolve(actor: str, state: DisputeState | None, message: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        check_may_resolve(actor_party=actor, state=state, parties=("krg", "fed"))
    assert _fields(exc) == {"assessment"}
    assert message in exc.value.errors[0].message


def test_either_party_may_resolve_an_open_dispute() -> None:
    state = DisputeState(True, None, ("krg",), ("fed",))
    check_may_resolve(actor_party="fed", state=state, parties=("krg", "fed"))
