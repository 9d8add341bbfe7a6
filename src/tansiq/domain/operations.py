"""Operation plan rules: field validation, the lifecycle, the plan hash.

An operation is a coordination plan (who is where, when), never a target or a
fire mission. Pure: the services pass in party and center membership.
Approvals and findings have their own rules in ``domain/operation_approvals.py``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from shapely.geometry import Polygon

from tansiq.domain.choices import (
    OperationKindChoices,
    OperationStatusChoices,
    ReleasabilityChoices,
)
from tansiq.domain.errors import ErrorCollector, ValidationFailed
from tansiq.domain.fields import (
    check_center_id,
    check_choice,
    check_fields,
    check_text,
    read_instant,
)
from tansiq.geo.geometry import GeometryError, parse_geometry
from tansiq.journal.canonical import canonical_json, iso_utc

S = OperationStatusChoices
K = OperationKindChoices

MAX_TITLE: Final = 200
MAX_OBJECTIVE: Final = 4000
MAX_FORCES_TEXT: Final = 2000
MAX_PARTICIPANTS: Final = 10
MAX_DURATION: Final = timedelta(days=366)
EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2100, 1, 1, tzinfo=UTC)
# ~1 cm: what is stored, echoed and hashed.
COORD_DECIMALS: Final = 7

OPERATION_INPUT_FIELDS: Final = (
    "kind",
    "title",
    "objective",
    "center_id",
    "area",
    "starts_at",
    "ends_at",
    "participants",
    "lead_party",
    "forces",
    "releasability",
)
REQUIRED_FIELDS: Final = ("title", "objective", "area", "starts_at", "ends_at", "lead_party")
DEFAULTS: Final[Mapping[str, Any]] = {
    "kind": K.JOINT.value,
    "center_id": None,
    "forces": {},
    "releasability": ReleasabilityChoices.PARTY.value,
}
# What the plan hash covers: everything an approver signs (all the client may set), plus
# the record's id and owner, so a signature cannot be moved to another plan, and the
# plan version, so amending a plan back to an earlier text does not revive old signatures.
HASHED_FIELDS: Final = ("id", "party_id", "plan_version", *OPERATION_INPUT_FIELDS)

ALLOWED_TRANSITIONS: Final[Mapping[K, Mapping[S, frozenset[S]]]] = {
    K.JOINT: {
        S.DRAFT: frozenset({S.PROPOSED, S.CANCELLED}),
        S.PROPOSED: frozenset({S.APPROVED, S.REJECTED, S.CANCELLED}),
        S.APPROVED: frozenset({S.ACTIVE, S.CANCELLED}),
        S.ACTIVE: frozenset({S.COMPLETED, S.CANCELLED}),
        S.COMPLETED: frozenset(),
        S.REJECTED: frozenset(),
        S.CANCELLED: frozenset(),
    },
    # A notified operation needs no approval: once notified (proposed) it may start.
    K.NOTIFIED: {
        S.DRAFT: frozenset({S.PROPOSED, S.CANCELLED}),
        S.PROPOSED: frozenset({S.ACTIVE, S.CANCELLED}),
        S.APPROVED: frozenset(),
        S.ACTIVE: frozenset({S.COMPLETED, S.CANCELLED}),
        S.COMPLETED: frozenset(),
        S.REJECTED: frozenset(),
        S.CANCELLED: frozenset(),
    },
}
#: Statuses in which the owner may amend the plan (it then returns to proposed).
AMENDABLE_STATUSES: Final = frozenset({S.DRAFT, S.PROPOSED, S.APPROVED})
#: Plans other plans are deconflicted against: they may put people on the ground.
LIVE_STATUSES: Final = frozenset({S.PROPOSED, S.APPROVED, S.ACTIVE})
# Final steps that end a plan early: whoever takes one says why (a journaled reason).
NEEDS_REASON: Final = frozenset({S.CANCELLED.value, S.REJECTED.value})


def check_transition(kind: str, current: str, target: str, *, approval: str) -> None:
    """Refuse a status change the lifecycle does not allow.

    ``approval`` is the derived approval state of the current version
    (``approved``, ``rejected``, ``pending`` or ``not_required``): a joint plan
    becomes approved or active only when every participant approved it, and
    rejected only when a participant rejected it. Raises ValidationFailed naming
    ``status``.
    """
    now, new = S(current), S(target)
    if now == new:
        raise ValidationFailed.single("status", f"the operation is already {now.value}")
    allowed = ALLOWED_TRANSITIONS[K(kind)][now]
    if new not in allowed:
        names = ", ".join(sorted(s.value for s in allowed)) or "none (final)"
        raise ValidationFailed.single(
            "status", f"cannot change from {now.value} to {new.value}; allowed: {names}"
        )
    if kind == K.JOINT and new in (S.APPROVED, S.ACTIVE) and approval != "approved":
        raise ValidationFailed.single(
            "status",
            f"cannot become {new.value}: an approver of every participating party must "
            "approve the current version first",
        )
    if new == S.REJECTED and approval != "rejected":
        raise ValidationFailed.single(
            "status", "cannot become rejected: no participating party rejected this version"
        )


def _when(errors: ErrorCollector, name: str, value: Any) -> datetime | None:
    return read_instant(
        errors, name, value, window=(EARLIEST, LATEST), outside="must be between 2000 and 2099"
    )


def area_geojson(polygon: Polygon) -> dict[str, Any]:
    """The stored (and hashed) form of a plan area: 2-D, rounded to ~1 cm, order kept."""
    rings = [polygon.exterior, *polygon.interiors]
    return {
        "type": "Polygon",
        "coordinates": [
            [[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y, *_ in ring.coords]
            for ring in rings
        ],
    }


def _participants(errors: ErrorCollector, value: Any) -> None:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_PARTICIPANTS:
        errors.add("participants", f"must be a list of 1 to {MAX_PARTICIPANTS} party ids")
    elif not all(isinstance(p, str) and 1 <= len(p) <= 32 for p in value):
        errors.add("participants", "each participant must be a party id")
    elif len(set(value)) != len(value):
        errors.add("participants", "must not name a party twice")


def _forces(errors: ErrorCollector, value: Any) -> None:
    if not isinstance(value, Mapping) or len(value) > MAX_PARTICIPANTS:
        errors.add("forces", "must be an object of party id -> free text")
        return
    for party, text in value.items():
        check_text(errors, f"forces.{party}", text, MAX_FORCES_TEXT)


def validate_operation_input(
    data: Mapping[str, Any], *, owner_party: str, partial: bool = False
) -> dict[str, Any]:
    """Check client-supplied plan fields and return them normalised.

    With ``partial`` only the given fields are checked (an amendment); otherwise
    missing optional fields take their defaults and ``participants`` defaults to
    the owner party alone. Raises ValidationFailed naming every bad field.
    """
    errors = ErrorCollector()
    check_fields(errors, data, OPERATION_INPUT_FIELDS, REQUIRED_FIELDS, partial=partial)
    values: dict[str, Any] = {}
    if not partial:
        values.update(DEFAULTS)
        values["participants"] = [owner_party]
    values.update({k: v for k, v in data.items() if k in OPERATION_INPUT_FIELDS})
    errors.raise_if_any()

    out: dict[str, Any] = dict(values)
    for name, value in values.items():
        if name == "kind":
            check_choice(errors, name, value, K, message="must be joint or notified")
        elif name == "title":
            check_text(errors, name, value, MAX_TITLE, required=True)
        elif name == "objective":
            check_text(errors, name, value, MAX_OBJECTIVE, required=True)
        elif name in ("starts_at", "ends_at"):
            out[name] = _when(errors, name, value)
        elif name == "area":
            try:
                polygon = parse_geometry(value, allowed=("Polygon",))
            except GeometryError as exc:
                errors.add(name, str(exc))
            else:
                assert isinstance(polygon, Polygon)
                out[name] = area_geojson(polygon)
        elif name == "participants":
            _participants(errors, value)
        elif name == "lead_party":
            if not isinstance(value, str) or not 1 <= len(value) <= 32:
                errors.add(name, "must be a party id")
        elif name == "forces":
            _forces(errors, value)
        elif name == "releasability":
            check_choice(errors, name, value, ReleasabilityChoices)
        elif name == "center_id":
            check_center_id(errors, name, value)
    errors.raise_if_any()
    return out


def check_plan(
    record: Mapping[str, Any],
    *,
    known_parties: frozenset[str],
    center_members: Mapping[str, frozenset[str]],
) -> None:
    """Check the rules that span fields of the merged plan (``party_id`` is the owner).

    ``center_members`` maps each center id to its member parties. Raises
    ValidationFailed naming each bad field.
    """
    errors = ErrorCollector()
    owner = record["party_id"]
    participants = list(record["participants"])
    starts, ends = record["starts_at"], record["ends_at"]
    if ends <= starts:
        errors.add("ends_at", "must be after starts_at")
    elif ends - starts > MAX_DURATION:
        errors.add("ends_at", f"must be at most {MAX_DURATION.days} days after starts_at")
    unknown = [p for p in participants if p not in known_parties]
    if unknown:
        errors.add("participants", f"unknown parties: {', '.join(unknown)}")
    if owner not in participants:
        errors.add("participants", f"must include your party ({owner})")
    if record["lead_party"] not in participants:
        errors.add("lead_party", "must be one of the participants")
    stray = sorted(set(record["forces"]) - set(participants))
    if stray:
        errors.add("forces", f"names parties that do not participate: {', '.join(stray)}")
    if record["kind"] == K.NOTIFIED:
        if len(participants) != 1:
            errors.add("participants", "a notified operation has exactly one participant")
        if record["releasability"] == ReleasabilityChoices.PARTY:
            errors.add("releasability", "a notified operation is shown to others: center or all")
    center_id = record.get("center_id")
    if center_id is not None:
        if center_id not in center_members:
            errors.add("center_id", "is not a known center")
        elif owner not in center_members[center_id]:
            errors.add("center_id", "must be a center your party is a member of")
    _check_reach(errors, record, participants, center_members)
    errors.raise_if_any("The plan is invalid")


def _check_reach(
    errors: ErrorCollector,
    record: Mapping[str, Any],
    participants: list[str],
    center_members: Mapping[str, frozenset[str]],
) -> None:
    # Every participant must be able to read the plan it is asked to sign.
    releasability = record["releasability"]
    if releasability == ReleasabilityChoices.PARTY and set(participants) - {record["party_id"]}:
        errors.add(
            "releasability",
            "a plan with other participants must reach them: use center or all",
        )
    elif releasability == ReleasabilityChoices.CENTER:
        center_id = record.get("center_id")
        if not center_id:
            errors.add("center_id", "is required when releasability is center")
        elif center_id in center_members:
            outside = sorted(set(participants) - center_members[center_id])
            if outside:
                errors.add(
                    "center_id",
                    f"every participant must be a member of the center; not: {', '.join(outside)}",
                )


def plan_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the plan's substantive fields."""
    substance = {name: record[name] for name in HASHED_FIELDS}
    substance["participants"] = sorted(substance["participants"])
    for name in ("starts_at", "ends_at"):
        substance[name] = iso_utc(substance[name])
    return hashlib.sha256(canonical_json(substance)).hexdigest()
