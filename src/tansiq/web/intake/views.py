"""Candidates as the queue pages show them: times as datetimes, labels, where each record went.

The record an accepted candidate became is linked on its own page (a decision on
its meeting's page, which the caller looks up).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tansiq.web.common.i18n import N_
from tansiq.web.common.present import with_times

STATUSES: Mapping[str, str] = {
    "pending": N_("awaiting review"),
    "accepted": N_("accepted"),
    "discarded": N_("discarded"),
}
PROPOSALS: Mapping[str, str] = {
    "incident": N_("Proposes an incident"),
    "meeting": N_("Proposes a meeting, decision or action item"),
    "notice": N_("Proposes a notice"),
}
ACCEPT_AS: Mapping[str, str] = {
    "incident": N_("Accept as incident"),
    "meeting": N_("Accept as meeting"),
    "decision": N_("Accept as decision"),
    "action_item": N_("Accept as action item"),
    "notice": N_("Accept as notice"),
}
BECAME: Mapping[str, str] = {
    "incident": N_("Became an incident"),
    "meeting": N_("Became a meeting"),
    "decision": N_("Became a decision"),
    "action_item": N_("Became an action item"),
    "notice": N_("Became a notice"),
}
HISTORY_ACTIONS: Mapping[str, str] = {
    "propose": N_("Read from the article"),
    "edit": N_("Corrected"),
    "accept": N_("Accepted"),
    "discard": N_("Discarded"),
}
PAGES = {
    "incident": "/incidents/",
    "meeting": "/meetings/",
    "action_item": "/actions/",
    "notice": "/notices/",
}


def record_url(kind: str, record_id: str, meeting_id: str | None = None) -> str:
    """The page of a record a candidate became (a decision lives on its meeting's page)."""
    if kind == "decision":
        return f"/meetings/{meeting_id}" if meeting_id else "/review"
    return PAGES[kind] + record_id


def candidate_view(
    candidate: Mapping[str, Any], *, decision_meetings: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A candidate with ``occurred_from``/``until``/``deadline`` as datetimes, its article's
    date, its duplicates' times and the address of what it became."""
    view = with_times(
        candidate,
        starts="occurred_from",
        ends="occurred_until",
        due="deadline",
        created="created_at",
    )
    view["article"] = with_times(candidate["article"], published="published_at")
    view["duplicates"] = [with_times(d, occurred="occurred_at") for d in candidate["duplicates"]]
    view["quoted"] = " ".join(candidate["evidence"])
    kind, record_id = candidate["accepted_kind"], candidate["accepted_id"]
    meetings = decision_meetings or {}
    view["accepted_url"] = (
        record_url(kind, record_id, meetings.get(record_id)) if kind and record_id else None
    )
    return view
