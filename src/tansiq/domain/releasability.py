"""The one rule deciding who may see a record.

The query layer (``storage/visibility.py``) expresses the same rule as SQL; a
test checks that both agree on every combination.
"""

from __future__ import annotations

from collections.abc import Collection

from tansiq.domain.choices import ReleasabilityChoices


def is_visible(
    *,
    viewer_party: str,
    viewer_centers: Collection[str],
    owner_party: str,
    releasability: str,
    center_id: str | None,
) -> bool:
    """True when a user of ``viewer_party`` may see a record with these fields.

    The owner party always sees its records; ``all`` is seen by every party;
    ``center`` by parties that are members of the record's center.
    """
    if viewer_party == owner_party:
        return True
    if releasability == ReleasabilityChoices.ALL:
        return True
    if releasability == ReleasabilityChoices.CENTER:
        return center_id is not None and center_id in viewer_centers
    return False


def reaches_within(
    *, child: str, child_center: str | None, parent: str, parent_center: str | None
) -> bool:
    """True when a record released as ``child`` reaches no party its parent does not.

    Records attached to another (assessments, approvals, endorsements…) must never
    reach further than it, or narrowing the parent would leak them.
    """
    if parent == ReleasabilityChoices.ALL or child == ReleasabilityChoices.PARTY:
        return True
    if parent == ReleasabilityChoices.CENTER:
        return child == ReleasabilityChoices.CENTER and child_center == parent_center
    return False
