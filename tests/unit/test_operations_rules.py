"""Operation plan rules: the lifecycle (exhaustively), field validation, the plan hash."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import pytest

from tansiq.domain.choices import OperationKindChoices as K
from tansiq.domain.choices import OperationStatusChoices as S
from tansiq.domain.errors import ValidationFailed
from tansiq.domain.operations import (
    check_plan,
    check_transition,
    plan_hash,
    validate_operation_input,
)
from tests.factories_operations import notified_data, operation_data

APPROVAL_STATES = ("pending", "approved", "rejected", "not_required")
# Written out by hand, independently of the implementation: (kind, from, to) -> the
# approval state the move needs (None: any). Everything else must be refused.
ALLOWED: dict[tuple[K, S, S], str | None] = {
    (K.JOINT, S.DRAFT, S.PROPOSED): None,
    (K.JOINT, S.DRAFT, S.CANCELLED): None,
    (K.JOINT, S.PROPOSED, S.APPROVED): "approved",
    (K.JOINT, S.PROPOSED, S.REJECTED): "rejected",
    (K.JOINT, S.PROPOSED, S.CANCELLED): None,
    (K.JOINT, S.APPROVED, S.ACTIVE): "approved",
    (K.JOINT, S.APPROVED, S.CANCELLED): None,
    (K.JOINT, S.ACTIVE, S.COMPLETED): None,
    (K.JOINT, S.ACTIVE, S.CANCELLED): None,
    (K.NOTIFIED, S.DRAFT, S.PROPOSED): None,
    (K.NOTIFIED, S.DRAFT, S.CANCELLED): None,
    (K.NOTIFIED, S.PROPOSED, S.ACTIVE): None,
    (K.NOTIFIED, S.PROPOSED, S.CANCELLED): None,
    (K.NOTIFIED, S.ACTIVE, S.COMPLETED): None,
    (K.NOTIFIED, S.ACTIVE, S.CANCELLED): None,
}
CASES = list(itertools.product(K, S, S, APPROVAL_STATES))
REFUSED = [c for c in CASES if ALLOWED.get(c[:3], "never") not in (None, c[3])]
PERMITTED = [c for c in CASES if c not in REFUSED]
KNOWN = frozenset({"fed", "krg", "un"})
MEMBERS = {"kirkuk": frozenset({"fed", "krg"}), "fedun": frozenset({"fed", "un"})}
NOW = datetime(2020, 2, 20, 9, tzinfo=UTC)


def _case_id(case: tuple[K, S, S, str]) -> str:
    kind, current, target, approval = case
    return f"{kind.value}:{current.value}->{target.value}[{approval}]"


@pytest.mark.parametrize("case", REFUSED, ids=_case_id)
def test_every_forbidden_transition_is_refused(case: tuple[K, S, S, str]) -> None:
    kind, current, target, approval = case
    with pytest.raises(ValidationFailed) as refused:
        check_transition(kind.value, current.value, target.value, approval=approval)
    assert [e.field for e in refused.value.errors] == ["status"]


@pytest.mark.parametrize("case", PERMITTED, ids=_case_id)
def test_every_allowed_transition_passes(case: tuple[K, S, S, str]) -> None:
    kind, current, target, approval = case
    check_transition(kind.value, current.value, target.value, approval=approval)


def test_the_table_covers_every_combination() -> None:
    assert len(CASES) == 2 * 7 * 7 * 4
    assert len(REFUSED) + len(PERMITTED) == len(CASES)
    # Final states go nowhere; nothing returns to draft.
    for kind, final, target, approval in CASES:
        if final in (S.COMPLETED, S.REJECTED, S.CANCELLED) or target == S.DRAFT:
            assert (kind, final, target, approval) in REFUSED


def test_refusal_says_what_is_allowed() -> None:
    with pytest.raises(ValidationFailed, match="allowed: active, cancelled"):
        check_transition("joint", "approved", "completed", approval="approved")
    with pytest.raises(ValidationFailed, match="every participating party"):
        check_transition("joint", "proposed", "approved", approval="pending")


def _record(data: dict[str, Any], owner: str = "fed") -> dict[str, Any]:
    values = validate_operation_input(data, owner_party=owner)
    return {**values, "id": "op-1", "party_id": owner, "plan_version": 1}


def _errors(data: dict[str, Any], owner: str = "fed") -> set[str]:
    try:
        check_plan(_record(data, owner), known_parties=KNOWN, center_members=MEMBERS)
    except ValidationFailed as exc:
        return {e.field for e in exc.errors}
    return set()


def test_a_valid_plan_passes_and_is_normalised() -> None:
    record = _record(operation_data())
    check_plan(record, known_parties=KNOWN, center_members=MEMBERS)
    assert record["kind"] == "joint"
    assert record["starts_at"] == datetime(2020, 3, 1, 6, tzinfo=UTC)
    assert record["area"]["type"] == "Polygon"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"objective": "a\0b"}, "objective"),
        ({"starts_at": "2020-03-01T06:00:00"}, "starts_at"),
        ({"ends_at": "yesterday"}, "ends_at"),
        ({"area": {"type": "Point", "coordinates": [44.3, 35.3]}}, "area"),
        ({"area": {"type": "Polygon", "coordinates": [[[44, 35], [45, 36], [44, 36]]]}}, "area"),
        ({"participants": []}, "participants"),
        ({"participants": ["fed", "fed"]}, "participants"),
        ({"forces": {"fed": 3}}, "forces.fed"),
        ({"releasability": "world"}, "releasability"),
        ({"kind": "covert"}, "kind"),
        ({"target": "anything"}, "target"),
    ],
)
def test_bad_fields_are_named(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_operation_input(operation_data(**overrides), owner_party="fed")
    assert field in {e.field for e in refused.value.errors}


def test_required_fields_are_named_together() -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_operation_input({}, owner_party="fed")
    assert {e.field for e in refused.value.errors} == {
        "title",
        "objective",
        "area",
        "starts_at",
        "ends_at",
        "lead_party",
    }


@pytest.mark.parametrize(
    ("overrides", "owner", "fields"),
    [
        ({"ends_at": "2020-03-01T06:00:00Z"}, "fed", {"ends_at"}),
        ({"ends_at": "2021-03-05T06:00:00Z"}, "fed", {"ends_at"}),
        (
            {"participants": ["krg", "un"], "forces": {}, "lead_party": "krg"},
            "fed",
            {"participants"},
        ),
        ({"lead_party": "un"}, "fed", {"lead_party"}),
        ({"participants": ["fed", "xyz"], "forces": {}}, "fed", {"participants"}),
        ({"forces": {"fed": "x", "un": "y"}}, "fed", {"forces"}),
        ({"releasability": "party"}, "fed", set()),  # fed alone: may stay with fed
        ({"releasability": "party", "participants": ["fed", "krg"]}, "fed", {"releasability"}),
        ({"releasability": "center", "center_id": None}, "fed", {"center_id"}),
        ({"releasability": "center", "center_id": "kirkuk"}, "fed", set()),
        ({"releasability": "center", "center_id": "fedun"}, "fed", {"center_id"}),
        ({"center_id": "nowhere"}, "fed", {"center_id"}),
        ({"center_id": "fedun", "lead_party": "krg"}, "krg", {"center_id"}),
    ],
)
def test_cross_field_rules(overrides: dict[str, Any], owner: str, fields: set[str]) -> None:
    assert _errors(operation_data(**overrides), owner) == fields


def test_notified_plans_have_one_participant_and_are_shown() -> None:
    assert _errors(notified_data(), "krg") == set()
    two = notified_data(participants=["krg", "fed"], forces={})
    assert _errors(two, "krg") == {"participants"}
    assert _errors(notified_data(releasability="party"), "krg") == {"releasability"}


def test_plan_hash_covers_the_substance_and_the_version() -> None:
    record = _record(operation_data())
    base = plan_hash(record)
    assert len(base) == 64 and base == plan_hash(dict(record))
    # Participant order is not substance.
    assert plan_hash({**record, "participants": ["krg", "fed"]}) == base
    for change in (
        {"title": "Another"},
        {"forces": {"fed": "One company"}},
        {
            "area": {
                **record["area"],
                "coordinates": [[[44.32, 35.32], [44.39, 35.32], [44.38, 35.38], [44.32, 35.32]]],
            }
        },
        {"ends_at": datetime(2020, 3, 1, 19, tzinfo=UTC)},
        {"releasability": "center", "center_id": "kirkuk"},
        {"plan_version": 2},
        {"id": "op-2"},
    ):
        assert plan_hash({**record, **change}) != base, change
    # Status and bookkeeping are not signed.
    assert plan_hash({**record, "status": "approved", "version": 9, "updated_at": NOW}) == base
