"""Approval rules: input, acknowledgements, derived approval state, finding reach."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.domain.errors import ValidationFailed
from tansiq.domain.operation_approvals import (
    check_acknowledgements,
    derive_approval,
    finding_reach,
    validate_approval_input,
)

HASH = "a" * 64
MEMBERS = {"kirkuk": frozenset({"fed", "krg"}), "fedun": frozenset({"fed", "un"})}


def _fields(data: dict[str, Any]) -> set[str]:
    try:
        validate_approval_input(data)
    except ValidationFailed as exc:
        return {e.field for e in exc.errors}
    return set()


def test_a_valid_approval_is_normalised() -> None:
    got = validate_approval_input({"decision": "approve", "plan_hash": HASH})
    assert got == {"decision": "approve", "plan_hash": HASH, "comment": "", "acknowledgements": []}


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"plan_hash": HASH}, {"decision"}),
        ({"decision": "maybe", "plan_hash": HASH}, {"decision"}),
        ({"decision": "approve", "plan_hash": "abc"}, {"plan_hash"}),
        ({"decision": "reject", "plan_hash": HASH}, {"comment"}),
        ({"decision": "reject", "plan_hash": HASH, "comment": "  "}, {"comment"}),
        (
            {"decision": "approve", "plan_hash": HASH, "acknowledgements": "all"},
            {"acknowledgements"},
        ),
        (
            {
                "decision": "approve",
                "plan_hash": HASH,
                "acknowledgements": [{"finding_id": "f1", "comment": ""}],
            },
            {"acknowledgements[0].comment"},
        ),
        (
            {"decision": "approve", "plan_hash": HASH, "acknowledgements": [{"finding_id": "f1"}]},
            {"acknowledgements[0]"},
        ),
        (
            {
                "decision": "approve",
                "plan_hash": HASH,
                "acknowledgements": [
                    {"finding_id": "f1", "comment": "ok"},
                    {"finding_id": "f1", "comment": "again"},
                ],
            },
            {"acknowledgements[1].finding_id"},
        ),
        ({"decision": "approve", "plan_hash": HASH, "colour": "red"}, {"colour"}),
    ],
)
def test_bad_approval_input_is_named(data: dict[str, Any], fields: set[str]) -> None:
    assert _fields(data) == fields


def _ack(*ids: str) -> list[dict[str, str]]:
    return [{"finding_id": i, "comment": "noted"} for i in ids]


def test_every_blocking_finding_must_be_acknowledged_to_approve() -> None:
    findings, blocking = {"f1", "f2", "f3"}, {"f1", "f2"}
    check_acknowledgements(_ack("f1", "f2"), findings=findings, blocking=blocking, approving=True)
    with pytest.raises(ValidationFailed) as refused:
        check_acknowledgements(_ack("f1"), findings=findings, blocking=blocking, approving=True)
    [error] = refused.value.errors
    assert error.field == "acknowledgements" and "f2" in error.message
    # A rejection need not acknowledge anything.
    check_acknowledgements([], findings=findings, blocking=blocking, approving=False)


def test_acknowledging_an_unknown_finding_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_acknowledgements(_ack("zz"), findings={"f1"}, blocking=set(), approving=True)
    assert [e.field for e in refused.value.errors] == ["acknowledgements[0].finding_id"]


@pytest.mark.parametrize(
    ("decisions", "status"),
    [
        ({}, "pending"),
        ({"fed": "approve"}, "pending"),
        ({"fed": "approve", "krg": "approve"}, "approved"),
        ({"fed": "approve", "krg": "reject"}, "rejected"),
        ({"krg": "reject"}, "rejected"),
        ({"fed": "approve", "krg": "approve", "un": "approve"}, "approved"),  # un not in it
    ],
)
def test_derived_approval(decisions: dict[str, str], status: str) -> None:
    approvals = [{"party_id": p, "decision": d} for p, d in decisions.items()]
    state = derive_approval("joint", ["krg", "fed"], approvals)
    assert state["status"] == status
    assert set(state["parties"]) == {"fed", "krg"}


def test_notified_plans_need_no_approval() -> None:
    state = derive_approval("notified", ["krg"], [])
    assert state == {"status": "not_required", "parties": {"krg": "not_required"}}


def _reach(plan: tuple[str, str | None], subject: tuple[str, str, str | None]) -> tuple[str, Any]:
    return finding_reach(
        plan_owner="fed",
        plan_releasability=plan[0],
        plan_center=plan[1],
        subject_party=subject[0],
        subject_releasability=subject[1],
        subject_center=subject[2],
        center_members=MEMBERS,
    )


@pytest.mark.parametrize(
    ("plan", "subject", "reach"),
    [
        (("all", None), ("krg", "all", None), ("all", None)),
        (("center", "kirkuk"), ("krg", "all", None), ("center", "kirkuk")),
        (("center", "kirkuk"), ("krg", "center", "kirkuk"), ("center", "kirkuk")),
        (("party", None), ("un", "center", "fedun"), ("party", None)),
        # Shown more widely than the subject was released: kept with the owner party.
        (("all", None), ("krg", "center", "kirkuk"), ("party", None)),
        (("center", "kirkuk"), ("un", "center", "fedun"), ("party", None)),
        (("all", None), ("fed", "party", None), ("party", None)),
    ],
)
def test_a_finding_never_reaches_further_than_its_subject(
    plan: tuple[str, str | None], subject: tuple[str, str, str | None], reach: tuple[str, Any]
) -> None:
    assert _reach(plan, subject) == reach
