"""Who may send, answer and withdraw coordination notices: pure answers for any caller.

The web offers the forms from these; the commands in ``commands.py``
(``_require_writer``, the sender check of ``update_notice`` and the recipient check
of ``acknowledge_notice``) enforce the same rules with PermissionDenied. A notice
is a payload (``party``) or a row (``party_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.choices import NOTICE_WRITER_ROLES
from tansiq.services.core.kinds import owner_of


def may_send_notice(actor: Actor) -> bool:
    """Whether the actor's role may send or answer notices (an admin or liaison)."""
    return actor.has_any_role(NOTICE_WRITER_ROLES)


def may_answer_notice(actor: Actor, notice: Mapping[str, Any]) -> bool:
    """Whether the actor may answer ``notice``: a writer of the party it is addressed to."""
    return may_send_notice(actor) and notice["to_party"] == actor.party


def may_withdraw_notice(actor: Actor, notice: Mapping[str, Any]) -> bool:
    """Whether the actor may amend or withdraw ``notice``: a writer of the sending party."""
    return may_send_notice(actor) and owner_of(notice) == actor.party
