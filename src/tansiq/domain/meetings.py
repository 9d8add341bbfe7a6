"""Meeting and decision rules: validation, lifecycles, the decision hash and agreement.

Everything here is pure; the services pass in the clock. A decision's stored
``status`` is what its owner set (draft, proposed, withdrawn). *Agreed* is never
stored: the parties that endorse cannot write the owner's record (single writer),
so it is derived from the endorsements every time a decision is read
(:func:`derive_decision_status`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from tansiq.domain.choices import (
    DecisionStatusChoices,
    MeetingStatusChoices,
    ReleasabilityChoices,
)
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import (
    check_choice,
    check_fields,
    check_text,
    read_instant,
    refuse_transition,
)
from tansiq.domain.incidents import EARLIEST_OCCURRED_AT
from tansiq.journal.canonical import canonical_json

# Clocks on field laptops drift; "held a minute from now" is not an error.
CLOCK_SKEW = timedelta(minutes=5)
# Meetings are scheduled weeks ahead, not decades: a far date is a typo.
MAX_SCHEDULE_AHEAD = timedelta(days=3 * 366)
MAX_TEXT = 200
MAX_AGENDA = 10_000
MAX_MINUTES = 100_000
MAX_DECISION_TEXT = 20_000
MAX_COMMENT = 2_000
MAX_ATTENDEES = 200
HASH_PATTERN = re.compile(r"[0-9a-f]{64}")

MEETING_INPUT_FIELDS = (
    "center_id",
    "held_at",
    "place",
    "attendees",
    "agenda",
    "minutes",
    "releasability",
    "status",
)
MEETING_REQUIRED = ("center_id", "held_at")
MEETING_DEFAULTS: dict[str, Any] = {
    "place": "",
    "attendees": [],
    "agenda": "",
    "minutes": "",
    "releasability": ReleasabilityChoices.CENTER.value,
    "status": MeetingStatusChoices.HELD.value,
}
ATTENDEE_FIELDS = ("party", "name", "position")

DECISION_INPUT_FIELDS = ("meeting_id", "text_en", "text_ar", "text_ckb", "releasability", "status")
DECISION_REQUIRED = ("meeting_id", "text_en")
# releasability and status default from the meeting (see the decisions service).
DECISION_DEFAULTS: dict[str, Any] = {"text_ar": "", "text_ckb": ""}
# The fields an endorsement signs; amending any of them voids earlier endorsements.
DECISION_HASHED_FIELDS = ("id", "meeting_id", "text_en", "text_ar", "text_ckb")

MEETING_TRANSITIONS: dict[MeetingStatusChoices, frozenset[MeetingStatusChoices]] = {
    MeetingStatusChoices.SCHEDULED: frozenset(
        {MeetingStatusChoices.HELD, MeetingStatusChoices.CANCELLED}
    ),
    MeetingStatusChoices.HELD: frozenset(),
    MeetingStatusChoices.CANCELLED: frozenset(),
}
MEETING_INITIAL = frozenset({MeetingStatusChoices.SCHEDULED, MeetingStatusChoices.HELD})

DECISION_TRANSITIONS: dict[DecisionStatusChoices, frozenset[DecisionStatusChoices]] = {
    DecisionStatusChoices.DRAFT: frozenset(
        {DecisionStatusChoices.PROPOSED, DecisionStatusChoices.WITHDRAWN}
    ),
    DecisionStatusChoices.PROPOSED: frozenset(
        {DecisionStatusChoices.DRAFT, DecisionStatusChoices.WITHDRAWN}
    ),
    # Never stored (derived), so nothing moves from or to it.
    DecisionStatusChoices.AGREED: frozenset(),
    DecisionStatusChoices.WITHDRAWN: frozenset(),
}
# What an owner may store; agreed is derived.
DECISION_SETTABLE = frozenset(
    {DecisionStatusChoices.DRAFT, DecisionStatusChoices.PROPOSED, DecisionStatusChoices.WITHDRAWN}
)

_RELEASE_WIDTH = {
    ReleasabilityChoices.PARTY.value: 0,
    ReleasabilityChoices.CENTER.value: 1,
    ReleasabilityChoices.ALL.value: 2,
}


def check_meeting_transition(current: str, new: str) -> None:
    """Refuse a meeting status change its lifecycle does not allow (ValidationFailed)."""
    refuse_transition(MEETING_TRANSITIONS, MeetingStatusChoices(current), MeetingStatusChoices(new))


def check_decision_transition(current: str, new: str) -> None:
    """Refuse a stored decision status change (ValidationFailed naming ``status``)."""
    refuse_transition(
        DECISION_TRANSITIONS, DecisionStatusChoices(current), DecisionStatusChoices(new)
    )


def not_wider(child: str, parent: str) -> bool:
    """True when releasability ``child`` reaches no party that ``parent`` does not."""
    return _RELEASE_WIDTH[child] <= _RELEASE_WIDTH[parent]


def _check_attendees(errors: ErrorCollector, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_ATTENDEES:
        errors.add("attendees", f"must be a list of at most {MAX_ATTENDEES} attendees")
        return []
    out = []
    for index, item in enumerate(value):
        prefix = f"attendees[{index}]"
        if not isinstance(item, Mapping):
            errors.add(prefix, 'must be {"party": …, "name": …, "position": …}')
            continue
        for key in item:
            if key not in ATTENDEE_FIELDS:
                errors.add(f"{prefix}.{key}", "is not a known field")
        attendee = {
            "party": item.get("party"),
            "name": item.get("name"),
            "position": item.get("position", ""),
        }
        check_text(errors, f"{prefix}.party", attendee["party"], 32, required=True)
        check_text(errors, f"{prefix}.name", attendee["name"], MAX_TEXT, required=True)
        check_text(errors, f"{prefix}.position", attendee["position"], MAX_TEXT)
        out.append(attendee)
    return out


def _check_id(errors: ErrorCollector, name: str, value: Any) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= 64:
        errors.add(name, "must be an id (a string of at most 64 characters)")


def validate_meeting_input(
    data: Mapping[str, Any], *, now: datetime, partial: bool = False
) -> dict[str, Any]:
    """Check client-supplied meeting fields and return them normalised (``held_at`` in UTC).

    With ``partial`` only the given fields are checked (a PATCH); otherwise
    missing optional fields take their defaults. Raises ValidationFailed naming
    every bad field.
    """
    errors = ErrorCollector()
    check_fields(errors, data, MEETING_INPUT_FIELDS, MEETING_REQUIRED, partial=partial)
    errors.raise_if_any()
    values = {} if partial else dict(MEETING_DEFAULTS)
    values.update(data)
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "held_at":
            when = read_instant(errors, name, value)
            if when is None:
                continue
            if when < EARLIEST_OCCURRED_AT:
                errors.add(name, "must not be before 1900-01-01")
            elif when > now + MAX_SCHEDULE_AHEAD:
                errors.add(name, "must be within three years from now")
            value = when
        elif name == "center_id":
            _check_id(errors, name, value)
        elif name == "place":
            check_text(errors, name, value, MAX_TEXT)
        elif name == "attendees":
            value = _check_attendees(errors, value)
        elif name == "agenda":
            check_text(errors, name, value, MAX_AGENDA)
        elif name == "minutes":
            check_text(errors, name, value, MAX_MINUTES)
        elif name == "releasability":
            check_choice(errors, name, value, ReleasabilityChoices)
        elif name == "status":
            check_choice(errors, name, value, MeetingStatusChoices)
        out[name] = value
    errors.raise_if_any()
    return out


def check_meeting_record(record: Mapping[str, Any], *, now: datetime) -> None:
    """Rules spanning fields of the merged meeting; raises ValidationFailed naming ``held_at``."""
    if record["status"] == MeetingStatusChoices.HELD and record["held_at"] > now + CLOCK_SKEW:
        raise ValidationFailed.single(
            "held_at", "a held meeting cannot be in the future; record it as scheduled"
        )


def validate_decision_input(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check client-supplied decision fields; raises ValidationFailed naming every bad field.

    ``status`` may be draft, proposed or withdrawn: agreed is derived, never set.
    """
    errors = ErrorCollector()
    check_fields(errors, data, DECISION_INPUT_FIELDS, DECISION_REQUIRED, partial=partial)
    errors.raise_if_any()
    values = {} if partial else dict(DECISION_DEFAULTS)
    values.update(data)
    for name, value in values.items():
        if name == "meeting_id":
            _check_id(errors, name, value)
        elif name in ("text_en", "text_ar", "text_ckb"):
            check_text(errors, name, value, MAX_DECISION_TEXT)
        elif name == "releasability":
            check_choice(errors, name, value, ReleasabilityChoices)
        elif name == "status":
            if value == DecisionStatusChoices.AGREED:
                errors.add(name, "agreed is derived from the endorsements; it cannot be set")
            else:
                check_choice(errors, name, value, sorted(c.value for c in DECISION_SETTABLE))
    errors.raise_if_any()
    return values


def check_decision_record(record: Mapping[str, Any]) -> None:
    """Rules spanning fields of the merged decision; raises ValidationFailed naming each."""
    errors = ErrorCollector()
    if not record["text_en"].strip():
        errors.add("text_en", "must not be empty")
    if not (record["text_ar"].strip() or record["text_ckb"].strip()):
        errors.add(
            "text_ar",
            "a decision needs its text in Arabic (text_ar) and/or Kurdish "
            "(text_ckb) as well as English",
        )
    if (
        record["status"] == DecisionStatusChoices.PROPOSED
        and record["releasability"] == ReleasabilityChoices.PARTY
    ):
        errors.add(
            "releasability",
            "a proposed decision must be released to its center "
            "(center or all) so the other parties can endorse it",
        )
    errors.raise_if_any()


def decision_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the fields an endorsement signs.

    Those are the decision's id, its meeting and its three texts; releasability
    and status are not content, so changing them keeps endorsements valid.
    """
    content = {name: record[name] for name in DECISION_HASHED_FIELDS}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def derive_decision_status(
    stored: str, endorsed_by: Collection[str], member_parties: Collection[str]
) -> str:
    """The status a reader sees: agreed once every member party endorsed the current hash.

    ``endorsed_by`` holds the parties that endorsed the *current* version hash.
    """
    if stored != DecisionStatusChoices.PROPOSED:
        return stored
    if member_parties and set(member_parties) <= set(endorsed_by):
        return DecisionStatusChoices.AGREED.value
    return stored


def validate_endorsement_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """Check an endorsement: ``version_hash`` (64 hex digits) and an optional ``comment``.

    Raises ValidationFailed naming every bad field.
    """
    errors = ErrorCollector()
    check_fields(errors, data, ("version_hash", "comment"), ("version_hash",), partial=False)
    errors.raise_if_any()
    version_hash = data["version_hash"]
    if not isinstance(version_hash, str) or not HASH_PATTERN.fullmatch(version_hash):
        errors.add("version_hash", "must be the decision's version_hash: 64 lowercase hex digits")
    comment = data.get("comment", "")
    check_text(errors, "comment", comment, MAX_COMMENT)
    errors.raise_if_any()
    return {"version_hash": version_hash, "comment": comment}
