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
