"""Enumerations shared by every layer: roles, statuses, the ACLED taxonomy."""

from __future__ import annotations

from enum import StrEnum


class RoleChoices(StrEnum):
    """What a user may do on behalf of their party."""

    ADMIN = "admin"
    LIAISON = "liaison"
    ANALYST = "analyst"
    APPROVER = "approver"
    SECRETARY = "secretary"
    OBSERVER = "observer"


class ReleasabilityChoices(StrEnum):
    """Who may see a record besides its owner party."""

    PARTY = "party"
    CENTER = "center"
    ALL = "all"


class IncidentStatusChoices(StrEnum):
    """Lifecycle of an incident report; nothing is deleted, retraction is a status."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    RETRACTED = "retracted"


class TimePrecisionChoices(StrEnum):
    """How precisely ``occurred_at`` is known."""

    EXACT = "exact"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class SourceReliabilityChoices(StrEnum):
    """Admiralty code source reliability: A (reliable) to F (cannot be judged)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class CenterKindChoices(StrEnum):
    """A national committee or a joint coordination center."""

    SUPREME = "supreme"
    JCC = "jcc"


# ACLED event types and their sub-event types, in ACLED's exact spelling.
EVENT_TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

EventTypeChoices = StrEnum(  # type: ignore[misc]
    "EventTypeChoices", {name: name for name in EVENT_TAXONOMY}
)
SubEventTypeChoices = StrEnum(  # type: ignore[misc]
    "SubEventTypeChoices",
    {sub: sub for subs in EVENT_TAXONOMY.values() for sub in subs},
)

# Roles allowed to file and correct their party's incident reports.
INCIDENT_WRITER_ROLES = frozenset({RoleChoices.ADMIN, RoleChoices.LIAISON, RoleChoices.ANALYST})
# Roles allowed to mark a report verified.
INCIDENT_VERIFIER_ROLES = frozenset({RoleChoices.ANALYST, RoleChoices.ADMIN})


class NoticeKindChoices(StrEnum):
    """What a coordination notice announces; each kind has a default acknowledgement window."""

    DEPLOYMENT = "deployment"
    MOVEMENT = "movement"
    INCIDENT_ALERT = "incident_alert"


class NoticeStatusChoices(StrEnum):
    """Lifecycle of a notice as its sender keeps it; acknowledgement state is derived."""

    SENT = "sent"
    WITHDRAWN = "withdrawn"


class AckResponseChoices(StrEnum):
    """The receiving party's answer to one version of a notice."""

    ACK = "ack"
    ACK_WITH_CONCERNS = "ack_with_concerns"
    OBJECTION = "objection"


class AssessmentKindChoices(StrEnum):
    """What one party says about another party's incident."""

    CORROBORATE = "corroborate"
    CONTEST = "contest"
    COMMENT = "comment"


class AssessmentStatusChoices(StrEnum):
    """Lifecycle of an assessment as the assessing party keeps it."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


# Roles allowed to send notices and to acknowledge the other party's notices.
NOTICE_WRITER_ROLES = frozenset({RoleChoices.ADMIN, RoleChoices.LIAISON})
# Roles allowed to assess another party's incidents and to mark a dispute resolved.
ASSESSMENT_WRITER_ROLES = frozenset(
    {RoleChoices.ADMIN, RoleChoices.LIAISON, RoleChoices.ANALYST}
)


class SectorKindChoices(StrEnum):
    """What a party declares responsibility for: an area, a line, or a post."""

    AOR = "aor"
    DEFENSIVE_LINE = "defensive_line"
    CHECKPOINT = "checkpoint"
    BASE = "base"


class SectorStatusChoices(StrEnum):
    """A sector is active until withdrawn; withdrawal is final (nothing is deleted)."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class ProtectedSiteKindChoices(StrEnum):
    """Civilian places (and notified movements) every party keeps clear of."""

    SCHOOL = "school"
    CLINIC = "clinic"
    HOSPITAL = "hospital"
    IDP_CAMP = "idp_camp"
    PLACE_OF_WORSHIP = "place_of_worship"
    HUMANITARIAN_OFFICE = "humanitarian_office"
    HUMANITARIAN_MOVEMENT = "humanitarian_movement"


# Roles allowed to declare their party's sectors and protected sites.
SECTOR_WRITER_ROLES = frozenset({RoleChoices.ADMIN, RoleChoices.LIAISON, RoleChoices.ANALYST})


class OperationKindChoices(StrEnum):
    """A joint plan needs every participant's approval; a notified one is one party's own."""

    JOINT = "joint"
    NOTIFIED = "notified"


class OperationStatusChoices(StrEnum):
    """Lifecycle of an operation plan as its owner party keeps it."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    ACTIVE = "active"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class ApprovalDecisionChoices(StrEnum):
    """A participating party's decision on one version of a joint plan."""

    APPROVE = "approve"
    REJECT = "reject"


class FindingKindChoices(StrEnum):
    """What deconfliction found for one version of a plan."""

    SECTOR_OVERLAP = "sector_overlap"
    PROTECTED_SITE = "protected_site"
    OPERATION_OVERLAP = "operation_overlap"
    RECENT_INCIDENT = "recent_incident"


# Roles allowed to draft, amend, propose and move their party's operation plans.
OPERATION_PLANNER_ROLES = frozenset({RoleChoices.ADMIN, RoleChoices.LIAISON, RoleChoices.ANALYST})
# Roles allowed to sign (approve or reject) a joint plan for their party.
OPERATION_APPROVER_ROLES = frozenset({RoleChoices.APPROVER})


class MeetingStatusChoices(StrEnum):
    """Lifecycle of a center meeting as its secretary records it."""

    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class DecisionStatusChoices(StrEnum):
    """A decision's status; ``agreed`` is derived from endorsements, never stored."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    AGREED = "agreed"
    WITHDRAWN = "withdrawn"


class ActionStatusChoices(StrEnum):
    """Lifecycle of an action item; overdue and escalated are derived from the clock."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


# Roles allowed to record meetings, decisions and their party's action items.
MEETING_WRITER_ROLES = frozenset({RoleChoices.SECRETARY, RoleChoices.ADMIN})
# Roles allowed to endorse a decision on behalf of their party.
DECISION_ENDORSER_ROLES = frozenset({RoleChoices.APPROVER, RoleChoices.ADMIN})
# Roles allowed to mark their party's action item done, cancelled or open again.
ACTION_STATUS_ROLES = frozenset({RoleChoices.SECRETARY, RoleChoices.ADMIN, RoleChoices.LIAISON})
# Roles allowed to attach a progress note to an action item they can see.
ACTION_NOTE_ROLES = frozenset(
    {RoleChoices.LIAISON, RoleChoices.SECRETARY, RoleChoices.ANALYST, RoleChoices.ADMIN}
)


class FindingStatusChoices(StrEnum):
    """Whether a stored finding still stands (``open``) or no longer holds (``cleared``)."""

    OPEN = "open"
    CLEARED = "cleared"


class FindingClearedChoices(StrEnum):
    """Why a finding was cleared: its subject left the picture, or no longer meets the plan."""

    SUBJECT_WITHDRAWN = "subject_withdrawn"  # a sector or protected site withdrawn
    SUBJECT_RETRACTED = "subject_retracted"  # an incident retracted
    SUBJECT_ENDED = "subject_ended"  # another plan cancelled, completed or rejected
    NO_LONGER_MEETS = "no_longer_meets"  # moved, reshaped or re-timed away from the plan


class CandidateStatusChoices(StrEnum):
    """Where a candidate read from an article stands in the review queue."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DISCARDED = "discarded"


class AcceptedRecordChoices(StrEnum):
    """What an analyst turned a candidate into (a record created through its own service)."""

    INCIDENT = "incident"
    MEETING = "meeting"
    DECISION = "decision"
    ACTION_ITEM = "action_item"
    NOTICE = "notice"


# Roles allowed to edit, accept and discard the candidates in their party's review queue.
INTAKE_REVIEWER_ROLES = frozenset({RoleChoices.ANALYST, RoleChoices.ADMIN})
# Roles allowed to submit a news article to their party's review queue.
ARTICLE_SUBMITTER_ROLES = frozenset({RoleChoices.ADMIN, RoleChoices.LIAISON, RoleChoices.ANALYST})


class DisorderTypeChoices(StrEnum):
    """ACLED's disorder type: which kind of disorder an event belongs to.

    ``Political violence; Demonstrations`` is political violence in or against a
    demonstration (e.g. excessive force against protesters); strategic developments are
    their own disorder type and no other event type is.
    """

    POLITICAL_VIOLENCE = "Political violence"
    DEMONSTRATIONS = "Demonstrations"
    POLITICAL_VIOLENCE_DEMONSTRATIONS = "Political violence; Demonstrations"
    STRATEGIC_DEVELOPMENTS = "Strategic developments"


# The disorder type an event type has unless the report says otherwise (ACLED's usual one).
USUAL_DISORDER_TYPE: dict[str, DisorderTypeChoices] = {
    "Battles": DisorderTypeChoices.POLITICAL_VIOLENCE,
    "Explosions/Remote violence": DisorderTypeChoices.POLITICAL_VIOLENCE,
    "Violence against civilians": DisorderTypeChoices.POLITICAL_VIOLENCE,
    "Protests": DisorderTypeChoices.DEMONSTRATIONS,
    "Riots": DisorderTypeChoices.DEMONSTRATIONS,
    "Strategic developments": DisorderTypeChoices.STRATEGIC_DEVELOPMENTS,
}


class ActorTypeChoices(StrEnum):
    """ACLED's actor type of an event's actor1 or actor2 (its ``inter1``/``inter2`` code).

    In member order, the numeric codes 1-8 of ACLED files before 2024.
    """

    STATE_FORCES = "State forces"
    REBEL_GROUP = "Rebel group"
    POLITICAL_MILITIA = "Political militia"
    IDENTITY_MILITIA = "Identity militia"
    RIOTERS = "Rioters"
    PROTESTERS = "Protesters"
    CIVILIANS = "Civilians"
    EXTERNAL_OTHER_FORCES = "External/Other forces"
