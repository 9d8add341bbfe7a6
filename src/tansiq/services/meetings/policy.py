"""Who may record meetings, decisions and action items, endorse, and move or note an item.

Pure answers for the web (which offers a form or a button only when they say yes);
the commands in ``commands.py``, ``decision_commands.py`` and ``action_commands.py``
enforce the same rules (``require_role`` and the owner-party checks, PermissionDenied
when refused). ``members`` are the parties that sit on the center concerned.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.choices import (
    ACTION_NOTE_ROLES,
    ACTION_STATUS_ROLES,
    DECISION_ENDORSER_ROLES,
    MEETING_WRITER_ROLES,
    DecisionStatusChoices,
)
from tansiq.services.core.kinds import owner_of


def may_keep_minutes(actor: Actor) -> bool:
    """Whether the actor's role may record meetings, decisions and action items
    (a secretary or admin: ``create_meeting``, ``create_decision``, ``create_action_item``)."""
    return actor.has_any_role(MEETING_WRITER_ROLES)


def may_record_meeting(actor: Actor, members: Collection[str]) -> bool:
    """Whether the actor may record a meeting (or its decisions and items) at a center with
    these ``members``: a secretary or admin of a member party (``create_meeting`` refuses
    another center with ValidationFailed naming ``center_id``)."""
    return may_keep_minutes(actor) and actor.party in members


def may_change_meeting(actor: Actor, meeting: Mapping[str, Any]) -> bool:
    """Whether the actor may correct ``meeting``: a secretary or admin of the party that
    recorded it (``update_meeting``; a cancelled meeting is refused by the lifecycle)."""
    return owner_of(meeting) == actor.party and may_keep_minutes(actor)


def may_amend_decision(actor: Actor, decision: Mapping[str, Any]) -> bool:
    """Whether the actor may amend ``decision``: a secretary or admin of the party that
    recorded it (``amend_decision``; a withdrawn one is refused by the lifecycle)."""
    return owner_of(decision) == actor.party and may_keep_minutes(actor)


def may_endorse_decisions(actor: Actor, members: Collection[str]) -> bool:
    """Whether the actor may endorse decisions of a center with these ``members``: an
    approver or admin of a member party (``endorse_decision``)."""
    return actor.has_any_role(DECISION_ENDORSER_ROLES) and actor.party in members


def may_endorse(actor: Actor, decision: Mapping[str, Any], members: Collection[str]) -> bool:
    """Whether the actor may endorse ``decision`` now: as :func:`may_endorse_decisions`, the
    decision proposed and not yet endorsed by the actor's party in its current version
    (``endorse_decision`` answers those two with Conflict)."""
    return (
        may_endorse_decisions(actor, members)
        and decision["status"] == DecisionStatusChoices.PROPOSED
        and actor.party not in decision["endorsed_by"]
    )


def may_set_action_status(actor: Actor, item: Mapping[str, Any]) -> bool:
    """Whether the actor may mark ``item`` done, cancelled or open: a secretary, liaison or
    admin of the party that owes it (``set_action_status``)."""
    return owner_of(item) == actor.party and actor.has_any_role(ACTION_STATUS_ROLES)


def may_note_action(actor: Actor) -> bool:
    """Whether the actor may add progress notes to the action items it can see
    (a liaison, secretary, analyst or admin: ``add_action_note``)."""
    return actor.has_any_role(ACTION_NOTE_ROLES)
