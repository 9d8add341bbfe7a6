"""Every journaled record kind, for ``tansiq verify`` and sync.

Each concept declares its kinds in ``services/<concept>/records.py`` as ``KINDS``;
the concept registry (``tansiq/concepts.py``) says which concepts there are.
"""

from __future__ import annotations

from tansiq.concepts import concepts_with
from tansiq.services.core.kinds import RecordKind


def _all_kinds() -> tuple[RecordKind, ...]:
    kinds: list[RecordKind] = []
    for concept in concepts_with("services"):
        kinds.extend(concept.part("services").KINDS)
    return tuple(kinds)


RECORD_KINDS: tuple[RecordKind, ...] = _all_kinds()

_BY_NAME: dict[str, RecordKind] = {kind.name: kind for kind in RECORD_KINDS}


def kind_named(name: str) -> RecordKind:
    """The record kind called ``name``; raises KeyError for an unknown kind."""
    return _BY_NAME[name]


_CHILDREN: dict[str, tuple[tuple[RecordKind, str, str], ...]] = {
    kind.name: tuple((_BY_NAME[c.kind], c.column, c.label) for c in kind.children)
    for kind in RECORD_KINDS
}
# Every insert asks for its kind's parents: worked out once, from the declared children.
_PARENTS: dict[str, tuple[tuple[RecordKind, str], ...]] = {
    kind.name: tuple(
        (parent, child.column)
        for parent in RECORD_KINDS
        for child in parent.children
        if child.kind == kind.name
    )
    for kind in RECORD_KINDS
}


def children_of(kind: RecordKind) -> tuple[tuple[RecordKind, str, str], ...]:
    """(child kind, column naming the parent, label) for each kind attached to ``kind``."""
    return _CHILDREN.get(kind.name, ())


def parents_of(kind: RecordKind) -> tuple[tuple[RecordKind, str], ...]:
    """(parent kind, column of ``kind`` naming it) for each kind ``kind`` is attached to."""
    return _PARENTS.get(kind.name, ())
