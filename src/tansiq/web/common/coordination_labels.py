"""What the coordination pages call stored values, and how long until (or since) a deadline.

Notices, assessments, meetings, decisions and action items store the wire
contract's values (``ack_with_concerns``, ``contest``…); pages show them through
:class:`CoordLabels`, with deadline countdowns spelled by :mod:`.durations`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from tansiq.services.core.context import ServiceContext
from tansiq.services.directory.commands import list_centers, list_parties
from tansiq.web.common import durations
from tansiq.web.common.i18n import N_
from tansiq.web.common.labels import Labels, picker

NOTICE_KINDS: Mapping[str, str] = {
    "deployment": N_("Deployment"),
    "movement": N_("Movement"),
    "incident_alert": N_("Urgent incident alert"),
}
NOTICE_STATES: Mapping[str, str] = {
    "pending": N_("Awaiting acknowledgement"),
    "escalated": N_("Escalated"),
    "acknowledged": N_("Acknowledged"),
    "acknowledged_with_concerns": N_("Acknowledged with concerns"),
    "objected": N_("Objection"),
    "withdrawn": N_("Withdrawn"),
}
ACK_RESPONSES: Mapping[str, str] = {
    "ack": N_("Acknowledge"),
    "ack_with_concerns": N_("Acknowledge with concerns"),
    "objection": N_("Object"),
}
ASSESSMENT_KINDS: Mapping[str, str] = {
    "corroborate": N_("Corroborate"),
    "contest": N_("Contest"),
    "comment": N_("Comment"),
}
DISPUTE_CLOSURES: Mapping[str, str] = {
    "withdrawn": N_("the contest was withdrawn"),
    "retracted": N_("the report was retracted"),
    "corrected": N_("the report was corrected"),
    "resolved": N_("both parties marked it resolved"),
}
MEETING_STATUSES: Mapping[str, str] = {
    "scheduled": N_("Scheduled"),
    "held": N_("Took place"),
    "cancelled": N_("Cancelled"),
}
DECISION_STATUSES: Mapping[str, str] = {
    "draft": N_("Draft"),
    "proposed": N_("Proposed"),
    "agreed": N_("Agreed"),
    "withdrawn": N_("Withdrawn"),
}
ACTION_STATUSES: Mapping[str, str] = {
    "open": N_("Open"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
}
# What an open action item's deadline has come to (a badge next to its status).
ACTION_FLAGS: Mapping[str, str] = {
    "overdue": N_("Overdue"),
    "escalated": N_("Escalated"),
}


@dataclass
class CoordLabels(Labels):
    """:class:`Labels` plus the coordination concepts' values and deadline countdowns."""

    notice_kind = picker(
        NOTICE_KINDS, "A notice kind (deployment, movement, urgent incident alert)."
    )
    notice_state = picker(
        NOTICE_STATES, "A notice's derived state (awaiting acknowledgement, escalated…)."
    )
    response = picker(ACK_RESPONSES, "An answer to a notice.")
    assessment_kind = picker(ASSESSMENT_KINDS, "Corroborate, contest or comment.")
    meeting_status = picker(MEETING_STATUSES, "Scheduled, held or cancelled.")
    decision_status = picker(
        DECISION_STATUSES, "A decision's derived status (draft, proposed, agreed, withdrawn)."
    )
    action_status = picker(ACTION_STATUSES, "Open, done or cancelled.")
    flag = picker(ACTION_FLAGS, "An open action item that is overdue or escalated.")

    def closure(self, value: str | None) -> str:
        """Why a dispute closed."""
        return self._pick(DISPUTE_CLOSURES, value) if value else ""

    def duration(self, span: timedelta) -> str:
        """``span`` as "3 days 4 hours" or "7 years" (see :mod:`~tansiq.web.common.durations`)."""
        return durations.duration(span, self.lang)

    def countdown(self, deadline: datetime, now: datetime) -> str:
        """ "due in 2 hours" before ``deadline``, "overdue by 3 days" after it."""
        return durations.countdown(deadline, now, self.lang)


def coord_labels_for(ctx: ServiceContext, lang: str) -> CoordLabels:
    """Labels for a coordination page in ``lang`` that know every party's and center's name."""
    parties = {p["id"]: p for p in list_parties(ctx)}
    centers = {c["id"]: c for c in list_centers(ctx)}
    return CoordLabels(lang=lang, parties=parties, centers=centers)
