"""Assessment rules: validation, the assessor's status machine, and derived disputes.

An assessment is one party's corroboration, contest or comment on another
party's incident: its own record, owned by the assessing party, naming the
incident version it assesses. The incident itself is never touched (single
writer), so whether an incident is *disputed* is derived, never stored:

* a ``contest`` assessment opens a dispute;
* the dispute closes when
  (a) the owner retracts the incident, or
  (b) the owner corrects it: the current incident differs from the contested
      version in a field describing the event (a status-only change, such as
      verifying, is not a correction), or
  (c) both parties mark it resolved: the contesting party and the incident's
      owner each attach a *resolution* record (owned by the resolving party,
      naming the contest), or
  (d) the contesting party withdraws its contest (its own record's status).

Everything here is pure.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tansiq.domain.choices import (
    AssessmentKindChoices,
    AssessmentStatusChoices,
    IncidentStatusChoices,
    ReleasabilityChoices,
    SourceReliabilityChoices,
)
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import (
    check_center_id,
    check_choice,
    check_int,
    check_sources,
    check_text,
    refuse_transition,
)
from tansiq.domain.incidents import EVENT_FIELDS
from tansiq.domain.notices import MAX_TEXT

ASSESSMENT_INPUT_FIELDS = (
    "kind",
    "incident_version",
    "comment",
    "sources",
    "source_reliability",
    "credibility",
    "releasability",
    "center_id",
    "status",
)
# What the assessment is about cannot change: another view is another assessment.
FIXED_FIELDS = frozenset({"kind", "incident_version"})
DEFAULTS: dict[str, Any] = {
    "comment": "",
    "sources": [],
    "source_reliability": SourceReliabilityChoices.F.value,
    "credibility": 6,
    "center_id": None,
    "status": AssessmentStatusChoices.ACTIVE.value,
}
ALLOWED_TRANSITIONS: dict[AssessmentStatusChoices, frozenset[AssessmentStatusChoices]] = {
    AssessmentStatusChoices.ACTIVE: frozenset({AssessmentStatusChoices.WITHDRAWN}),
    AssessmentStatusChoices.WITHDRAWN: frozenset(),
}
# Incident fields that describe the event; changing one of them is a correction.
CORRECTION_FIELDS = EVENT_FIELDS


class DisputeClosureChoices(StrEnum):
    """Why a dispute is no longer open."""

    WITHDRAWN = "withdrawn"
    RETRACTED = "retracted"
    CORRECTED = "corrected"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class DisputeState:
    """A contest's dispute: open or closed (and why), and who marked it resolved."""

    open: bool
    closed_by: DisputeClosureChoices | None
    resolved_by: tuple[str, ...]
    awaiting: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The wire form: ``{"open", "closed_by", "resolved_by", "awaiting"}``."""
        return {
            "open": self.open,
            "closed_by": self.closed_by.value if self.closed_by else None,
            "resolved_by": list(self.resolved_by),
            "awaiting": list(self.awaiting),
        }


def check_transition(current: str, new: str) -> None:
    """Refuse a status change the assessor's lifecycle does not allow (names ``status``)."""
    refuse_transition(
        ALLOWED_TRANSITIONS, AssessmentStatusChoices(current), AssessmentStatusChoices(new)
    )


def validate_assessment_input(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check client-supplied assessment fields and return them.

    With ``partial`` only the given fields are checked (a PATCH) and fixed fields
    are refused; otherwise defaults fill the optional ones (``releasability``
    defaults to ``center`` when a center is named, else ``all``). Raises
    ValidationFailed naming every bad field.
    """
    errors = ErrorCollector()
    for name in data:
        if name not in ASSESSMENT_INPUT_FIELDS:
            errors.add(name, "is not a known field")
        elif partial and name in FIXED_FIELDS:
            errors.add(name, "cannot be changed; file a new assessment instead")
    values: dict[str, Any] = {}
    if not partial:
        if data.get("kind") is None:
            errors.add("kind", "is required")
        values.update(DEFAULTS)
        values["releasability"] = (
            ReleasabilityChoices.CENTER.value
            if data.get("center_id")
            else ReleasabilityChoices.ALL.value
        )
    values.update({k: v for k, v in data.items() if k in ASSESSMENT_INPUT_FIELDS})
    errors.raise_if_any("The assessment is invalid")
    for name, value in values.items():
        if name == "kind":
            check_choice(
                errors,
                name,
                value,
                AssessmentKindChoices,
                message="must be corroborate, contest or comment",
            )
        elif name == "incident_version":
            if value is not None:
                check_int(errors, name, value, 1, 2**31 - 1)
        elif name == "comment":
            check_text(errors, name, value, MAX_TEXT)
        elif name == "sources":
            check_sources(errors, name, value)
        elif name == "source_reliability":
            check_choice(errors, name, value, SourceReliabilityChoices)
        elif name == "credibility":
            check_int(errors, name, value, 1, 6)
        elif name == "releasability":
            check_choice(errors, name, value, ReleasabilityChoices, message="must be center or all")
        elif name == "center_id":
            check_center_id(errors, name, value)
        elif name == "status":
            check_choice(
                errors, name, value, AssessmentStatusChoices, message="must be active or withdrawn"
            )
    errors.raise_if_any("The assessment is invalid")
    return dict(values)


def check_contest_reason(record: Mapping[str, Any]) -> None:
    """A contest must say what is wrong; raises ValidationFailed naming ``comment``."""
    if record["kind"] == AssessmentKindChoices.CONTEST and not str(record["comment"]).strip():
        raise ValidationFailed.single("comment", "is required to contest: say what is wrong")


def is_correction(contested: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    """True when ``current`` differs from the ``contested`` incident in an event field."""
    return any(contested.get(name) != current.get(name) for name in CORRECTION_FIELDS)


def dispute_state(
    *,
    contest: Mapping[str, Any],
    incident: Mapping[str, Any],
    contested_version: Mapping[str, Any] | None,
    resolved_by: Collection[str],
) -> DisputeState | None:
    """The dispute a ``contest`` assessment opens on ``incident``, or None for other kinds.

    ``contest`` and ``incident`` are payloads (``party``, ``status``,
    ``version``…); ``contested_version`` is the incident payload the contest
    named (None if unknown: any later version then counts as a correction);
    ``resolved_by`` the parties that attached a resolution.
    """
    if contest["kind"] != AssessmentKindChoices.CONTEST:
        return None
    both = (contest["party"], incident["party"])
    done = tuple(sorted(p for p in set(resolved_by) if p in both))
    awaiting = tuple(sorted(set(both) - set(done)))
    closed_by: DisputeClosureChoices | None = None
    if contest["status"] == AssessmentStatusChoices.WITHDRAWN:
        closed_by = DisputeClosureChoices.WITHDRAWN
    elif incident["status"] == IncidentStatusChoices.RETRACTED:
        closed_by = DisputeClosureChoices.RETRACTED
    elif incident["version"] > contest["incident_version"] and (
        contested_version is None or is_correction(contested_version, incident)
    ):
        closed_by = DisputeClosureChoices.CORRECTED
    elif not awaiting:
        closed_by = DisputeClosureChoices.RESOLVED
    return DisputeState(
        open=closed_by is None,
        closed_by=closed_by,
        resolved_by=done,
        awaiting=awaiting if closed_by is None else (),
    )


def check_may_resolve(
    *, actor_party: str, state: DisputeState | None, parties: Collection[str]
) -> None:
    """Refuse a resolution that cannot count: not a contest, closed, or already marked.

    Raises ValidationFailed naming ``assessment`` (``parties`` are the contesting
    party and the incident's owner; the caller checks the actor is one of them).
    """
    if state is None:
        raise ValidationFailed.single("assessment", "only a contest opens a dispute to resolve")
    if not state.open:
        closed = state.closed_by.value if state.closed_by else "closed"
        raise ValidationFailed.single("assessment", f"the dispute is already closed ({closed})")
    if actor_party in state.resolved_by:
        raise ValidationFailed.single(
            "assessment", f"{actor_party} already marked this dispute resolved"
        )
    if actor_party not in parties:
        raise ValidationFailed.single("assessment", "only the two parties to a dispute resolve it")
