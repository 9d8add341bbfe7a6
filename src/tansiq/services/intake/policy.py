"""Who may submit articles and review their candidates: pure answers for any caller.

The commands in ``commands.py`` enforce the same rules with PermissionDenied; the
web offers its forms and buttons from these. Accepting a candidate also needs the
role of the service that writes what it becomes (``may_accept_as``): the queue
never lets a reviewer write a record their role could not write by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    ARTICLE_SUBMITTER_ROLES,
    INTAKE_REVIEWER_ROLES,
    AcceptedRecordChoices,
    CandidateStatusChoices,
)
from tansiq.domain.intake import TARGETS
from tansiq.services.core.kinds import owner_of
from tansiq.services.incidents.policy import may_file_incident
from tansiq.services.meetings.policy import may_keep_minutes
from tansiq.services.notices.policy import may_send_notice


def may_submit_article(actor: Actor) -> bool:
    """Whether the actor may submit a news article to the party's queue (liaison, analyst,
    admin)."""
    return actor.has_any_role(ARTICLE_SUBMITTER_ROLES)


def may_review(actor: Actor) -> bool:
    """Whether the actor may edit, accept and discard candidates (an analyst or admin)."""
    return actor.has_any_role(INTAKE_REVIEWER_ROLES)


def may_accept_as(actor: Actor, target: AcceptedRecordChoices) -> bool:
    """Whether the actor may review and also write a ``target`` record by its own service."""
    if not may_review(actor):
        return False
    if target == AcceptedRecordChoices.INCIDENT:
        return may_file_incident(actor)
    if target == AcceptedRecordChoices.NOTICE:
        return may_send_notice(actor)
    return may_keep_minutes(actor)


def accept_targets(actor: Actor, candidate: Mapping[str, Any]) -> list[AcceptedRecordChoices]:
    """What the actor may turn ``candidate`` into now (none once it was reviewed)."""
    if candidate["status"] != CandidateStatusChoices.PENDING or owner_of(candidate) != actor.party:
        return []
    return [t for t in TARGETS[candidate["proposes"]] if may_accept_as(actor, t)]
