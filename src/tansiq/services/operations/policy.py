"""Who may draft, change, amend, move and sign operation plans: pure answers for any caller.

The web shows a plan's buttons from these; the commands in ``commands.py`` and
``approval_commands.py`` enforce the same rules (``_require_planner``, ``_owned``,
``decide_operation`` and ``_check_signable``: PermissionDenied for the role or
party, ValidationFailed or Conflict for a plan not in a state to allow it) and the
lifecycle of ``domain.operations``. A plan is a payload (``party``) or a row
(``party_id``); ``approval`` is the derived approval state of its current version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    OPERATION_APPROVER_ROLES,
    OPERATION_PLANNER_ROLES,
    OperationKindChoices,
    OperationStatusChoices,
)
from tansiq.domain.operations import ALLOWED_TRANSITIONS, AMENDABLE_STATUSES
from tansiq.services.core.kinds import owner_of

S = OperationStatusChoices
# Every status a plan may move to, in the order a page offers them.
MOVE_ORDER = (S.PROPOSED, S.APPROVED, S.ACTIVE, S.COMPLETED, S.REJECTED, S.CANCELLED)


def may_plan(actor: Actor) -> bool:
    """Whether the actor's role may draft or change plans (``_require_planner``)."""
    return actor.has_any_role(OPERATION_PLANNER_ROLES)


def may_change_plan(actor: Actor, plan: Mapping[str, Any]) -> bool:
    """Whether the actor may change ``plan``: a planner of the party that drafted it
    (``_require_planner`` and ``_owned``)."""
    return may_plan(actor) and owner_of(plan) == actor.party


def may_recheck_plan(actor: Actor, plan: Mapping[str, Any]) -> bool:
    """Whether the actor may recheck ``plan``'s findings: :func:`may_change_plan`, in any
    status (``recheck_findings`` refuses others)."""
    return may_change_plan(actor, plan)


def may_amend_plan(actor: Actor, plan: Mapping[str, Any]) -> bool:
    """Whether the actor may amend ``plan`` now: :func:`may_change_plan` and the plan draft,
    proposed or approved (``amend_operation`` refuses others naming ``status``)."""
    return may_change_plan(actor, plan) and plan["status"] in AMENDABLE_STATUSES


def may_sign_plan(actor: Actor, plan: Mapping[str, Any]) -> bool:
    """Whether the actor may sign ``plan`` for their party: an approver of a participating
    party (``decide_operation`` and ``_check_signable``)."""
    return actor.has_any_role(OPERATION_APPROVER_ROLES) and actor.party in plan["participants"]


def may_sign_version(actor: Actor, plan: Mapping[str, Any], approval: Mapping[str, Any]) -> bool:
    """Whether the actor may sign the current version now: an approver, the plan joint and
    proposed, and the actor's party still pending in ``approval`` (not yet signed)."""
    return (
        actor.has_any_role(OPERATION_APPROVER_ROLES)
        and plan["kind"] == OperationKindChoices.JOINT
        and plan["status"] == S.PROPOSED
        and approval["parties"].get(actor.party) == "pending"
    )


def plan_moves(
    actor: Actor, plan: Mapping[str, Any], approval: str
) -> list[OperationStatusChoices]:
    """The statuses the actor may move ``plan`` to now, in :data:`MOVE_ORDER`.

    A planner of the owner party only, along the lifecycle; a joint plan becomes
    approved or active only once ``approval`` (its derived state) is ``approved``,
    and any plan rejected only once it is ``rejected`` (``transition_operation``
    and ``domain.operations.check_transition``).
    """
    if not may_change_plan(actor, plan):
        return []
    kind, status = OperationKindChoices(plan["kind"]), S(plan["status"])
    allowed = ALLOWED_TRANSITIONS[kind][status]
    joint = kind == OperationKindChoices.JOINT
    moves = []
    for target in MOVE_ORDER:
        if target not in allowed:
            continue
        if joint and target in (S.APPROVED, S.ACTIVE) and approval != "approved":
            continue
        if target == S.REJECTED and approval != "rejected":
            continue
        moves.append(target)
    return moves
