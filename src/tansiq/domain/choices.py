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
