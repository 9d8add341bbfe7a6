"""What a stored deconfliction finding is about, read again as the viewer may see it now.

A finding is computed when a plan is proposed and names its subject (a sector, a
protected site, another operation, an incident) in its text and figures. The subject
may later be narrowed, so every read of findings keeps only those whose subject the
viewer may still see, by the one releasability rule (``storage/visibility.visible_to``)
applied to the subject's current row. A subject that is absent (not arrived on this
node, or of an unknown kind) hides its finding: the rule fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Table, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import FindingKindChoices
from tansiq.services.core.marks import Mark, received_marks
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.operations import operations
from tansiq.storage.tables.sectors import protected_sites, sectors
from tansiq.storage.visibility import visible_to

#: The table holding each finding kind's subject.
SUBJECT_TABLES: Final[Mapping[str, Table]] = {
    FindingKindChoices.SECTOR_OVERLAP.value: sectors,
    FindingKindChoices.PROTECTED_SITE.value: protected_sites,
    FindingKindChoices.OPERATION_OVERLAP.value: operations,
    FindingKindChoices.RECENT_INCIDENT.value: incidents,
}
#: The record kind of each finding kind's subject.
SUBJECT_KINDS: Final[Mapping[str, str]] = {
    FindingKindChoices.SECTOR_OVERLAP.value: "sector",
    FindingKindChoices.PROTECTED_SITE.value: "protected_site",
    FindingKindChoices.OPERATION_OVERLAP.value: "operation",
    FindingKindChoices.RECENT_INCIDENT.value: "incident",
}
# Ids asked for in one query; well below every database's parameter limit.
_CHUNK: Final = 500

R = TypeVar("R", bound=Mapping[Any, Any])


def subjects_by_kind(findings: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    """The subject ids the findings name, by finding kind."""
    wanted: dict[str, set[str]] = {}
    for finding in findings:
        wanted.setdefault(finding["kind"], set()).add(finding["subject_id"])
    return wanted


def visible_subjects(
    conn: Connection, actor: Actor, wanted: Mapping[str, set[str]]
) -> set[tuple[str, str]]:
    """(kind, subject id) of each named subject the actor may see now."""
    seen: set[tuple[str, str]] = set()
    for kind, ids in wanted.items():
        table = SUBJECT_TABLES.get(kind)
        if table is None:
            continue
        ordered = sorted(ids)
        for start in range(0, len(ordered), _CHUNK):
            rows = conn.execute(
                select(table.c.id).where(
                    table.c.id.in_(ordered[start : start + _CHUNK]), visible_to(table, actor)
                )
            )
            seen.update((kind, r.id) for r in rows)
    return seen


def mark_subjects(conn: Connection, findings: Sequence[dict[str, Any]]) -> None:
    """Set ``subject_received`` on each finding payload: where its subject came from (the
    subject's ``received`` mark; None for this node's own), one query per subject kind."""
    marks: dict[tuple[str, str], Mark] = {}
    for kind, ids in subjects_by_kind(findings).items():
        if kind in SUBJECT_KINDS:
            found = received_marks(conn, SUBJECT_KINDS[kind], ids)
            marks.update(((kind, subject), mark) for subject, mark in found.items())
    for finding in findings:
        finding["subject_received"] = marks.get((finding["kind"], finding["subject_id"]))


def with_visible_subjects(conn: Connection, actor: Actor, findings: Sequence[R]) -> list[R]:
    """The findings (rows or payloads) whose subject the actor may see now, in order."""
    seen = visible_subjects(conn, actor, subjects_by_kind(findings))
    return [f for f in findings if (f["kind"], f["subject_id"]) in seen]
