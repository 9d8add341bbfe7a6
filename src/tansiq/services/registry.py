"""Every journaled record kind, for ``tansiq verify`` and sync.

A concept module that adds record kinds exports them as a tuple and is listed here.
"""

from __future__ import annotations

from tansiq.services.records import CORE_KINDS, RecordKind

RECORD_KINDS: tuple[RecordKind, ...] = (*CORE_KINDS,)
