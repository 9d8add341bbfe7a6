"""Who may file, correct, verify and assess incident reports: pure answers for any caller.

The web asks these before it offers a button or a form; the commands in
``commands.py`` and ``assessment_commands.py`` enforce the same rules (a refused
role or party is PermissionDenied there, an own-party assessment ValidationFailed
naming ``incident_id``). Records are plain mappings: a payload names its owner
``party``, a stored row ``party_id``; both are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    ASSESSMENT_WRITER_ROLES,
    INCIDENT_VERIFIER_ROLES,
    INCIDENT_WRITER_ROLES,
)
from tansiq.services.core.kinds import owner_of


def may_file_incident(actor: Actor) -> bool:
    """Whether the actor's role may file or correct incident reports (``_require_writer``)."""
    return actor.has_any_role(INCIDENT_WRITER_ROLES)


def may_correct_incident(actor: Actor, incident: Mapping[str, Any]) -> bool:
    """Whether the actor may correct ``incident``: a writer of its owner (``update_incident``).

    A retracted incident is refused by the lifecycle, not here.
    """
    return may_file_incident(actor) and owner_of(incident) == actor.party


def may_verify_incident(actor: Actor) -> bool:
    """Whether the actor may mark an incident verified: an analyst or admin."""
    return actor.has_any_role(INCIDENT_VERIFIER_ROLES)


def may_write_assessments(actor: Actor) -> bool:
    """Whether the actor's role may assess incidents and resolve disputes (``_require_writer``)."""
    return actor.has_any_role(ASSESSMENT_WRITER_ROLES)


def may_assess(actor: Actor, incident: Mapping[str, Any]) -> bool:
    """Whether the actor may assess ``incident``: a writer of another party.

    The service refuses the role with PermissionDenied, an own-party incident with
    ValidationFailed naming ``incident_id``.
    """
    return may_write_assessments(actor) and owner_of(incident) != actor.party


def may_withdraw_assessment(actor: Actor, assessment: Mapping[str, Any]) -> bool:
    """Whether the actor may change ``assessment``: a writer of the assessing party
    (``update_assessment``)."""
    return may_write_assessments(actor) and owner_of(assessment) == actor.party


def may_resolve_dispute(actor: Actor, dispute: Mapping[str, Any] | None) -> bool:
    """Whether the actor may mark ``dispute`` (a contest's derived state) resolved now.

    A writer of a party still awaited on an open dispute (``resolve_dispute`` and
    ``domain.assessments.check_may_resolve``); None (no dispute) is refused.
    """
    return (
        may_write_assessments(actor)
        and dispute is not None
        and bool(dispute["open"])
        and actor.party in dispute["awaiting"]
    )
