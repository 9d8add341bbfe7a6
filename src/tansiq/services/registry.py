"""Every journaled record kind, for ``tansiq verify`` and sync.

A concept module that adds record kinds exports them as a tuple and is listed here.
"""

from __future__ import annotations

from tansiq.services.records import CORE_KINDS, RecordKind
from tansiq.services.records_meetings import MEETING_KINDS
from tansiq.services.records_notices import NOTICE_KINDS
from tansiq.services.records_operations import OPERATION_KINDS
from tansiq.services.records_sectors import SECTOR_KINDS

RECORD_KINDS: tuple[RecordKind, ...] = (
    *CORE_KINDS,
    *SECTOR_KINDS,
    *NOTICE_KINDS,
    *OPERATION_KINDS,
    *MEETING_KINDS,
)
