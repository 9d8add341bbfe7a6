"""Who endorsed each decision and who signs for each party, as the minutes show them.

The directory (services/accounts) keeps a user's display name and roles but no job
title. So an endorser's position is the one the meeting's attendee list gives a person
of the same name and party, and otherwise the role that let them endorse (approver or
admin). A user record stays with its party: another party's endorser is shown by party
and role only, never by a guessed name.

The signature block has one entry per party of the center. Who signs for a party is
its first listed attendee (delegations list their head first), else the person of that
party known here to have endorsed a decision, else blank lines to fill in by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tansiq.domain.choices import RoleChoices
from tansiq.web.common.i18n import N_

# The roles that may endorse (DECISION_ENDORSER_ROLES), as a position, most specific first.
ENDORSER_ROLES: tuple[tuple[str, str], ...] = (
    (RoleChoices.APPROVER.value, N_("Approver")),
    (RoleChoices.ADMIN.value, N_("Admin")),
)
# Another party's endorser: its user record is not here, only that it held one of them.
UNKNOWN_ROLE = N_("Approver or admin")


def _same_name(one: str, other: str) -> bool:
    return " ".join(one.casefold().split()) == " ".join(other.casefold().split())


def endorser_view(
    party: str, who: Mapping[str, Any], attendees: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """The endorser as the minutes name them: ``name``, ``position`` and ``role``.

    ``who`` is the user's entry from ``signatories`` (empty ``name`` when the user
    record is another party's). ``position`` is free text from the attendee list (or
    ""); ``role`` is a message id, shown when there is no position.
    """
    name = str(who.get("name") or "")
    if not name:
        return {"party": party, "name": "", "position": "", "role": UNKNOWN_ROLE}
    roles = set(who.get("roles") or ())
    role = next((label for value, label in ENDORSER_ROLES if value in roles), UNKNOWN_ROLE)
    position = next(
        (
            str(a.get("position") or "")
            for a in attendees
            if a.get("party") == party and _same_name(str(a.get("name") or ""), name)
        ),
        "",
    )
    return {"party": party, "name": name, "position": position, "role": role}


def signers(
    members: Iterable[str],
    attendees: Sequence[Mapping[str, Any]],
    endorsers: Iterable[Mapping[str, str]],
) -> list[dict[str, str]]:
    """One signature entry per party of ``members``: ``party``, ``name``, ``position``, ``role``.

    The party's first attendee; else its first endorser whose name is known here;
    else empty strings (the printed block then leaves lines to write on).
    """
    known: dict[str, Mapping[str, str]] = {}
    for endorser in endorsers:
        if endorser["name"]:
            known.setdefault(endorser["party"], endorser)
    rows = []
    for party in members:
        attendee = next((a for a in attendees if a.get("party") == party), None)
        if attendee is not None:
            rows.append(
                {
                    "party": party,
                    "name": str(attendee.get("name") or ""),
                    "position": str(attendee.get("position") or ""),
                    "role": "",
                }
            )
        elif party in known:
            rows.append(dict(known[party]))
        else:
            rows.append({"party": party, "name": "", "position": "", "role": ""})
    return rows
