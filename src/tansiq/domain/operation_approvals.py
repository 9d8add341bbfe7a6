"""Approval and finding rules for operation plans (pure).

An approval is a participating party's signature on one version of a joint plan,
named by its hash; approval state is derived from the approvals of the current
hash, never stored on the plan (the plan's owner alone writes the plan).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Final

from tansiq.domain.choices import (
    ApprovalDecisionChoices,
    OperationKindChoices,
    ReleasabilityChoices,
)
from tansiq.domain.errors import ErrorCollector
from tansiq.domain.fields import check_choice, check_text

MAX_COMMENT: Final = 2000
MAX_ACKNOWLEDGEMENTS: Final = 1000
APPROVAL_INPUT_FIELDS: Final = ("decision", "plan_hash", "comment", "acknowledgements")
_HASH = re.compile(r"^[0-9a-f]{64}$")

# Derived approval states, overall and per party.
PENDING: Final = "pending"
APPROVED: Final = "approved"
REJECTED: Final = "rejected"
NOT_REQUIRED: Final = "not_required"


def _acknowledgements(errors: ErrorCollector, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_ACKNOWLEDGEMENTS:
        errors.add("acknowledgements", f"must be a list of at most {MAX_ACKNOWLEDGEMENTS} items")
        return []
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        prefix = f"acknowledgements[{index}]"
        if not isinstance(item, Mapping) or set(item) != {"finding_id", "comment"}:
            errors.add(prefix, "must be {finding_id, comment}")
            continue
        finding_id = item["finding_id"]
        if not isinstance(finding_id, str) or not 1 <= len(finding_id) <= 64:
            errors.add(f"{prefix}.finding_id", "must be a finding id")
            continue
        if finding_id in seen:
            errors.add(f"{prefix}.finding_id", "is acknowledged twice")
        seen.add(finding_id)
        check_text(errors, f"{prefix}.comment", item["comment"], MAX_COMMENT, required=True)
        out.append({"finding_id": finding_id, "comment": item["comment"]})
    return out


def validate_approval_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check an approval or rejection and return it normalised.

    A rejection needs a comment saying why. Raises ValidationFailed naming every
    bad field.
    """
    errors = ErrorCollector()
    for name in data:
        if name not in APPROVAL_INPUT_FIELDS:
            errors.add(name, "is not a known field")
    decision = data.get("decision")
    check_choice(
        errors, "decision", decision, ApprovalDecisionChoices, message="must be approve or reject"
    )
    plan_hash = data.get("plan_hash")
    if not isinstance(plan_hash, str) or not _HASH.match(plan_hash):
        errors.add("plan_hash", "must be the plan_hash (64 hex digits) of the version you sign")
    comment = data.get("comment", "")
    required = decision == ApprovalDecisionChoices.REJECT
    check_text(errors, "comment", comment, MAX_COMMENT, required=required)
    acks = _acknowledgements(errors, data.get("acknowledgements", []))
    errors.raise_if_any("The approval is invalid")
    return {
        "decision": decision,
        "plan_hash": plan_hash,
        "comment": comment,
        "acknowledgements": acks,
    }


def check_acknowledgements(
    acknowledgements: Iterable[Mapping[str, str]],
    *,
    findings: Collection[str],
    blocking: Collection[str],
    approving: bool,
) -> None:
    """Every acknowledgement names a finding of this version; an approval acknowledges
    every blocking one (a comment each).

    ``findings`` are the ids of this version's findings the signer may see,
    ``blocking`` the blocking ones among them. Raises ValidationFailed naming
    ``acknowledgements``.
    """
    errors = ErrorCollector()
    acked: set[str] = set()
    for index, ack in enumerate(acknowledgements):
        if ack["finding_id"] not in findings:
            errors.add(
                f"acknowledgements[{index}].finding_id", "is not a finding of this plan version"
            )
        acked.add(ack["finding_id"])
    missing = sorted(set(blocking) - acked)
    if approving and missing:
        errors.add(
            "acknowledgements",
            "must acknowledge every blocking finding with a comment before approving; "
            f"missing: {', '.join(missing)}",
        )
    errors.raise_if_any("The approval is invalid")


def derive_approval(
    kind: str, participants: Iterable[str], approvals: Iterable[Mapping[Any, Any]]
) -> dict[str, Any]:
    """The approval state of one plan version from the approvals of its hash.

    Answers ``{"status": …, "parties": {party: …}}``: ``approved`` when every
    participant approved, ``rejected`` when any rejected, otherwise ``pending``;
    a notified plan is ``not_required``.
    """
    parties = sorted(participants)
    if kind == OperationKindChoices.NOTIFIED:
        return {"status": NOT_REQUIRED, "parties": dict.fromkeys(parties, NOT_REQUIRED)}
    state = dict.fromkeys(parties, PENDING)
    for approval in approvals:
        party = approval["party_id"]
        if party in state:
            state[party] = (
                APPROVED if approval["decision"] == ApprovalDecisionChoices.APPROVE else REJECTED
            )
    values = set(state.values())
    overall = REJECTED if REJECTED in values else APPROVED if values == {APPROVED} else PENDING
    return {"status": overall, "parties": state}


def _audience(
    releasability: str, center_id: str | None, owner: str, members: Mapping[str, frozenset[str]]
) -> frozenset[str] | None:
    # None stands for every party.
    if releasability == ReleasabilityChoices.ALL:
        return None
    if releasability == ReleasabilityChoices.CENTER and center_id is not None:
        return members.get(center_id, frozenset()) | {owner}
    return frozenset({owner})


def finding_reach(
    *,
    plan_owner: str,
    plan_releasability: str,
    plan_center: str | None,
    subject_party: str,
    subject_releasability: str,
    subject_center: str | None,
    center_members: Mapping[str, frozenset[str]],
) -> tuple[str, str | None]:
    """The (releasability, center_id) a finding gets: the plan's, unless the subject
    was released more narrowly, when the finding stays with the plan's owner party.

    A finding must never carry a sector, site, operation or incident to a party it
    was not released to.
    """
    plan = _audience(plan_releasability, plan_center, plan_owner, center_members)
    subject = _audience(subject_releasability, subject_center, subject_party, center_members)
    if subject is None or (plan is not None and plan <= subject):
        return plan_releasability, plan_center
    return ReleasabilityChoices.PARTY.value, None
