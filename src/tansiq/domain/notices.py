"""Notice rules: validation, the sender's status machine, the recipient's responses, deadlines.

A notice is owned by the sending party. The receiving party answers with its own
acknowledgement records, each naming the notice version it answers (sign-off is
bound to a version: a new version needs a new answer). Whether a notice is
pending or escalated is never stored: it is derived from the answers and the
clock by :func:`notice_state`. Everything here is pure; callers pass ``now``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from tansiq.domain.choices import (
    AckResponseChoices,
    NoticeKindChoices,
    NoticeStatusChoices,
    ReleasabilityChoices,
)
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import (
    check_center_id,
    check_choice,
    check_fields,
    check_text,
    read_instant,
    refuse_transition,
)
from tansiq.geo.geometry import GeometryError, parse_geometry

# Shown wherever a notice is: an acknowledgement records receipt, never consent.
NOTIFICATION_IS_NOT_PERMISSION = (
    "Notification is not permission: acknowledging a notice records that it was received, "
    "not that the activity it announces is approved."
)
DEFAULT_ACK_WINDOWS: dict[NoticeKindChoices, timedelta] = {
    NoticeKindChoices.DEPLOYMENT: timedelta(hours=6),
    NoticeKindChoices.MOVEMENT: timedelta(hours=6),
    NoticeKindChoices.INCIDENT_ALERT: timedelta(hours=1),
}
MAX_ACK_WINDOW = timedelta(days=30)
# Notices coordinate what is about to happen or just happened, not history.
MAX_WINDOW_DISTANCE = timedelta(days=366)
MAX_SUBJECT = 200
MAX_TEXT = 10_000
NOTICE_GEOMETRY_TYPES = ("Point", "LineString", "Polygon", "MultiPolygon")

NOTICE_INPUT_FIELDS = (
    "to_party",
    "kind",
    "subject",
    "message",
    "location",
    "place_name",
    "starts_at",
    "ends_at",
    "ack_deadline",
    "releasability",
    "center_id",
    "status",
)
REQUIRED_FIELDS = ("to_party", "kind", "subject", "location", "starts_at", "ends_at")
# Fixed at sending: another recipient or kind is another notice.
FIXED_FIELDS = frozenset({"to_party", "kind"})
DEFAULTS: dict[str, Any] = {
    "message": "",
    "place_name": "",
    "center_id": None,
    "status": NoticeStatusChoices.SENT.value,
}

ALLOWED_TRANSITIONS: dict[NoticeStatusChoices, frozenset[NoticeStatusChoices]] = {
    NoticeStatusChoices.SENT: frozenset({NoticeStatusChoices.WITHDRAWN}),
    NoticeStatusChoices.WITHDRAWN: frozenset(),
}
# The recipient's answers to one version. An ``ack`` is what the sender relies on,
# so it is final; concerns and objections may be revisited after talks.
ACK_TRANSITIONS: dict[AckResponseChoices | None, frozenset[AckResponseChoices]] = {
    None: frozenset(AckResponseChoices),
    AckResponseChoices.ACK_WITH_CONCERNS: frozenset(
        {AckResponseChoices.ACK, AckResponseChoices.OBJECTION}
    ),
    AckResponseChoices.OBJECTION: frozenset(
        {AckResponseChoices.ACK, AckResponseChoices.ACK_WITH_CONCERNS}
    ),
    AckResponseChoices.ACK: frozenset(),
}
COMMENT_REQUIRED = frozenset({AckResponseChoices.ACK_WITH_CONCERNS, AckResponseChoices.OBJECTION})


class NoticeStateChoices(StrEnum):
    """Where a notice stands for both parties, derived at read time."""

    PENDING = "pending"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    ACKNOWLEDGED_WITH_CONCERNS = "acknowledged_with_concerns"
    OBJECTED = "objected"
    WITHDRAWN = "withdrawn"


_ANSWERED = {
    AckResponseChoices.ACK: NoticeStateChoices.ACKNOWLEDGED,
    AckResponseChoices.ACK_WITH_CONCERNS: NoticeStateChoices.ACKNOWLEDGED_WITH_CONCERNS,
    AckResponseChoices.OBJECTION: NoticeStateChoices.OBJECTED,
}


def check_transition(current: str, new: str) -> None:
    """Refuse a status change the sender's lifecycle does not allow (names ``status``)."""
    refuse_transition(ALLOWED_TRANSITIONS, NoticeStatusChoices(current), NoticeStatusChoices(new))


def check_response(previous: str | None, new: str) -> None:
    """Refuse an answer that may not follow the previous answer to the same version.

    Raises ValidationFailed naming ``response``.
    """
    before = AckResponseChoices(previous) if previous is not None else None
    allowed = ACK_TRANSITIONS[before]
    if AckResponseChoices(new) not in allowed:
        names = ", ".join(sorted(s.value for s in allowed)) or "none (an ack is final)"
        raise ValidationFailed.single(
            "response",
            f"this version was already answered with {previous}; allowed now: {names}",
        )


def validate_response(data: Mapping[str, Any]) -> tuple[str, str]:
    """Check an acknowledgement body; returns (response, comment).

    Raises ValidationFailed naming each bad field.
    """
    errors = ErrorCollector()
    for name in data:
        if name not in ("response", "comment", "notice_version"):
            errors.add(name, "is not a known field")
    response = data.get("response")
    comment = data.get("comment", "")
    check_choice(errors, "response", response, AckResponseChoices)
    check_text(errors, "comment", comment, MAX_TEXT)
    if response in COMMENT_REQUIRED and isinstance(comment, str) and not comment.strip():
        errors.add("comment", f"is required with {response}: say what the concern is")
    errors.raise_if_any("The acknowledgement is invalid")
    return str(response), str(comment)


def default_ack_deadline(kind: str, now: datetime) -> datetime:
    """The deadline a new notice of ``kind`` gets when the sender sets none."""
    return now + DEFAULT_ACK_WINDOWS[NoticeKindChoices(kind)]


def amended_ack_deadline(kind: str, current: datetime, now: datetime) -> datetime:
    """The deadline after an amendment that sets none: never earlier than a fresh window."""
    return max(current, default_ack_deadline(kind, now))


def notice_state(
    *,
    status: str,
    version: int,
    ack_deadline: datetime,
    responses: Sequence[tuple[int, str]],
    now: datetime,
) -> NoticeStateChoices:
    """Derive the state from the answers ``(notice_version, response)``, oldest first.

    Pending means no answer to the current version yet; escalated means pending
    and ``now`` is past the deadline.
    """
    if status == NoticeStatusChoices.WITHDRAWN:
        return NoticeStateChoices.WITHDRAWN
    current = [response for answered, response in responses if answered == version]
    if current:
        return _ANSWERED[AckResponseChoices(current[-1])]
    if now > ack_deadline:
        return NoticeStateChoices.ESCALATED
    return NoticeStateChoices.PENDING


def check_reaches(
    errors: ErrorCollector,
    *,
    releasability: Any,
    center_id: Any,
    center_members: Collection[str] | None,
    parties: tuple[str, str],
) -> None:
    """Add errors unless the record is released to both ``parties`` (owner, other).

    ``party`` could never reach the other party; ``center`` needs a center both
    are members of (``center_members`` is None for an unknown center).
    """
    owner, other = parties
    if releasability == ReleasabilityChoices.PARTY:
        errors.add(
            "releasability",
            f"must reach {other}: use all, or center with a center both parties sit on",
        )
    elif releasability not in (ReleasabilityChoices.CENTER, ReleasabilityChoices.ALL):
        errors.add("releasability", "must be center or all")
    if center_id is None:
        if releasability == ReleasabilityChoices.CENTER:
            errors.add("center_id", "is required when releasability is center")
    elif not isinstance(center_id, str) or center_members is None:
        errors.add("center_id", "is not a known center")
    elif not {owner, other} <= set(center_members):
        errors.add("center_id", f"must be a center both {owner} and {other} are members of")


def validate_notice_input(
    data: Mapping[str, Any], *, now: datetime, partial: bool = False
) -> dict[str, Any]:
    """Check client-supplied notice fields and return them normalised.

    With ``partial`` only the given fields are checked (a PATCH); otherwise
    defaults fill the optional ones (``releasability`` defaults to ``center``
    when a center is named, else ``all``). Raises ValidationFailed naming every
    bad field.
    """
    errors = ErrorCollector()
    check_fields(errors, data, NOTICE_INPUT_FIELDS, REQUIRED_FIELDS, partial=partial)
    values: dict[str, Any] = {}
    if not partial:
        values.update(DEFAULTS)
        center = data.get("center_id")
        values["releasability"] = (
            ReleasabilityChoices.CENTER.value if center else ReleasabilityChoices.ALL.value
        )
    values.update({k: v for k, v in data.items() if k in NOTICE_INPUT_FIELDS})
    errors.raise_if_any("The notice is invalid")

    out: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("starts_at", "ends_at", "ack_deadline"):
            if value is None and name == "ack_deadline":
                continue
            when = read_instant(errors, name, value)
            if when is None:
                continue
            if name == "ack_deadline" and not now < when <= now + MAX_ACK_WINDOW:
                errors.add(name, "must be in the future, at most 30 days ahead")
            elif name != "ack_deadline" and abs(when - now) > MAX_WINDOW_DISTANCE:
                errors.add(name, "must be within a year of now")
            out[name] = when
            continue
        if name == "kind":
            check_choice(errors, name, value, NoticeKindChoices)
        elif name == "status":
            check_choice(
                errors, name, value, NoticeStatusChoices, message="must be sent or withdrawn"
            )
        elif name == "to_party":
            check_text(errors, name, value, 32, required=True)
        elif name == "subject":
            check_text(errors, name, value, MAX_SUBJECT, required=True)
        elif name == "place_name":
            check_text(errors, name, value, MAX_SUBJECT)
        elif name == "message":
            check_text(errors, name, value, MAX_TEXT)
        elif name == "location":
            try:
                parse_geometry(value, allowed=NOTICE_GEOMETRY_TYPES)
            except (GeometryError, TypeError, ValueError) as exc:
                errors.add(name, str(exc))
            else:
                value = {"type": value["type"], "coordinates": value["coordinates"]}
        elif name == "releasability":
            check_choice(errors, name, value, ReleasabilityChoices, message="must be center or all")
        elif name == "center_id":
            check_center_id(errors, name, value)
        out[name] = value
    errors.raise_if_any("The notice is invalid")
    return out


def check_window(record: Mapping[str, Any]) -> None:
    """Check the rules spanning fields of the merged notice (names ``ends_at``)."""
    if record["ends_at"] <= record["starts_at"]:
        raise ValidationFailed.single("ends_at", "must be after starts_at")
    if record["ends_at"] - record["starts_at"] > MAX_WINDOW_DISTANCE:
        raise ValidationFailed.single("ends_at", "must be at most a year after starts_at")
