"""Importing incidents from a dataset kept elsewhere (ACLED): all or nothing, re-runnable.

An item that names an ``event_id_cnty`` the importing party already holds is a
correction of that incident (a new version through the owned-record service, or
nothing when it is unchanged); any other item is a new incident of the party. The
whole import is one write transaction: any bad item, anywhere, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from tansiq.domain.actors import Actor
from tansiq.domain.choices import IncidentStatusChoices
from tansiq.domain.errors import Conflict, ErrorCollector, FieldError, PermissionDenied
from tansiq.domain.fields import check_member_center
from tansiq.domain.incidents import (
    INITIAL_STATUSES,
    check_taxonomy_and_center,
    inspect_incident_input,
    settle_disorder_type,
)
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import Row
from tansiq.services.core.owned import Change, Rules, change_loaded_many, load_owned_by
from tansiq.services.core.versioning import first_version, insert_records
from tansiq.services.incidents.commands import TAKEN_EVENT_ID, place_all
from tansiq.services.incidents.policy import may_file_incident
from tansiq.services.incidents.records import INCIDENT
from tansiq.services.operations.rechecks import recheck_concerning
from tansiq.storage.db import write_transaction

# Past this many problems the import stops reading: the first ones say what is wrong.
MAX_IMPORT_ERRORS = 100
# What a re-import never changes on an incident it corrects: who it is released to and
# where it is in its lifecycle are the owner's, not the source's.
KEPT_ON_UPDATE = frozenset({"releasability", "center_id", "status"})
# Stored columns set from an item's location.
PLACED = ("lon", "lat", "admin1", "admin2", "admin3")


@dataclass(frozen=True)
class ImportBatch:
    """A run of items as a source read them, with the problems found while reading.

    Each item is ``(label, incident input)``; ``label`` prefixes the names of the item's
    fields in errors (``"row 7."`` names ``row 7.event_type``).
    """

    items: Sequence[tuple[str, Mapping[str, Any]]]
    errors: Sequence[FieldError] = ()


@dataclass
class ImportSummary:
    """What an import did: incidents created, corrected (a new version), found unchanged,
    and left as they were because their owner had retracted them."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retracted: int = 0

    @property
    def total(self) -> int:
        """Every item imported."""
        return self.created + self.updated + self.unchanged + self.retracted


def import_incidents(
    ctx: ServiceContext,
    *,
    actor: Actor,
    batches: Iterable[ImportBatch],
    releasability: str = "party",
) -> ImportSummary:
    """Store every item of ``batches`` as an incident of the actor's party, in one transaction.

    New incidents are released as ``releasability``; a corrected one keeps its reach and
    status, and a retracted one is left as it is. Raises PermissionDenied for a role that
    may not file,
    ValidationFailed naming every bad field (``row 7.event_type``, read errors included)
    and Conflict when another writer filed the same event id meanwhile; then nothing is
    stored.
    """
    if not may_file_incident(actor):
        raise PermissionDenied("your role may not file or correct incident reports")
    now = ctx.clock()
    errors = ErrorCollector()
    seen: dict[str, str] = {}
    summary = ImportSummary()
    try:
        with write_transaction(ctx.engine) as conn:
            for batch in batches:
                errors.errors.extend(batch.errors)
                accepted = _checked(
                    batch, errors, seen, actor=actor, releasability=releasability, now=now
                )
                if len(errors.errors) >= MAX_IMPORT_ERRORS:
                    break
                if errors.errors:
                    continue  # nothing more is written; keep reading to name every problem
                _store(conn, ctx, actor, accepted, summary, now=now)
            errors.raise_if_any("Nothing was imported")
    except IntegrityError:
        raise Conflict(f"event_id_cnty: {TAKEN_EVENT_ID}; nothing was imported") from None
    return summary


def _checked(
    batch: ImportBatch,
    errors: ErrorCollector,
    seen: dict[str, str],
    *,
    actor: Actor,
    releasability: str,
    now: datetime,
) -> list[tuple[str, Mapping[str, Any], dict[str, Any]]]:
    """The batch's items as (label, item, valid values), naming each problem in ``errors``
    as :func:`create_incidents` would, and an event id two items share."""
    accepted = []
    for label, item in batch.items:
        values, problems = inspect_incident_input({**item, "releasability": releasability}, now=now)
        errors.errors.extend(FieldError(label + e.field, e.message) for e in problems)
        if values.get("status", "submitted") not in INITIAL_STATUSES:
            errors.add(f"{label}status", "a new incident is draft or submitted")
        check_member_center(
            errors, values.get("center_id"), actor.centers, name=f"{label}center_id"
        )
        event_id = values.get("event_id_cnty")
        if event_id is not None:
            if event_id in seen:
                errors.add(f"{label}event_id_cnty", f"is also the event id of {seen[event_id]}")
            seen.setdefault(event_id, label.rstrip("."))
        if "lon" in values:
            accepted.append((label, item, values))
    place_all([(label, values) for label, _, values in accepted], errors)
    return accepted


def _store(
    conn: Connection,
    ctx: ServiceContext,
    actor: Actor,
    accepted: Sequence[tuple[str, Mapping[str, Any], dict[str, Any]]],
    summary: ImportSummary,
    *,
    now: datetime,
) -> None:
    """Create or correct the incident of each checked item, in the caller's transaction."""
    keys = {v["event_id_cnty"] for _, _, v in accepted if v.get("event_id_cnty") is not None}
    held = load_owned_by(conn, INCIDENT, actor=actor, column="event_id_cnty", keys=keys)
    new_rows = []
    corrections: list[tuple[Row, Rules]] = []
    for _, item, values in accepted:
        current = held.get(values.get("event_id_cnty"))
        if current is None:
            new_rows.append(first_version(values, actor=actor, now=now))
        elif current["status"] == IncidentStatusChoices.RETRACTED:
            summary.retracted += 1
        else:
            corrections.append((current, _rules(_changes(item, values))))

    def after(inner: Connection, changed: dict[str, Any]) -> None:
        before = held[changed["event_id_cnty"]]
        recheck_concerning(inner, ctx, actor=actor, before=before, after=changed)

    changed = change_loaded_many(conn, ctx, INCIDENT, actor, corrections, after, now=now)
    for (current, _), row in zip(corrections, changed, strict=True):
        if row["version"] == current["version"]:
            summary.unchanged += 1
        else:
            summary.updated += 1
    insert_records(conn, ctx, INCIDENT, new_rows, actor_id=actor.user_id)
    summary.created += len(new_rows)


def _changes(item: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """What a correction sets: the fields the item carries (a default for a field it
    leaves out, such as an analyst's source reliability, is not the source's word)."""
    named = set(item) - KEPT_ON_UPDATE
    if "location" in named:
        named.update(PLACED)
    return {k: v for k, v in values.items() if k in named}


def _rules(changes: Mapping[str, Any]) -> Rules:
    """The owned-record rules of a correction by the source: ``changes`` over the current
    version, checked as any correction is (taxonomy, center, disorder type)."""

    def rules(_conn: Connection, loaded: Row) -> Change:
        merged = {**loaded, **changes}
        settle_disorder_type(merged, changes.keys())
        check_taxonomy_and_center(merged)
        return Change(merged)

    return rules
