"""Why a final step was taken: the reason a plan is cancelled or rejected, a notice withdrawn.

A final step cannot be undone, so the one who takes it says why; the reason is part of
the journaled version, and the other parties read it on the record.
"""

from __future__ import annotations

from typing import Final

from tansiq.domain.errors import ValidationFailed

MAX_REASON: Final = 1000


def check_reason(value: object, *, field: str = "reason") -> str:
    """``value`` stripped of surrounding blanks, for storing as the reason.

    Raises ValidationFailed naming ``field`` when it is missing, blank, not text or
    longer than :data:`MAX_REASON` characters.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationFailed.single(field, "say why: this step is final and cannot be undone")
    if not isinstance(value, str):
        raise ValidationFailed.single(field, "must be text")
    reason = value.strip()
    if len(reason) > MAX_REASON:
        raise ValidationFailed.single(field, f"must be at most {MAX_REASON} characters")
    return reason
