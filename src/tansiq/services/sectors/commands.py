"""Sector use cases: declare (one, or an import all or nothing), change, withdraw, read.

What sectors share with protected sites is in ``services/sectors/geo_records.py``; only
the owner party changes its sectors. Lists and the in-force query are in
``services/sectors/queries.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tansiq.domain.actors import Actor
from tansiq.domain.choices import SectorStatusChoices
from tansiq.domain.sectors import check_sector, check_sector_change, validate_sector_input
from tansiq.services.core.context import ServiceContext
from tansiq.services.sectors.geo_records import (
    PlacedKind,
    create_placed,
    get_placed,
    import_placed,
    placed_history,
    update_placed,
)
from tansiq.services.sectors.records import SECTOR

SECTORS = PlacedKind(
    record=SECTOR,
    validate=validate_sector_input,
    check=check_sector,
    check_change=check_sector_change,
    noun="sector",
    label="sector",
)


def create_sectors(
    ctx: ServiceContext,
    *,
    actor: Actor,
    items: Sequence[Mapping[str, Any]],
    field_names: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Declare sectors for the actor's party, all or nothing.

    Error names and errors as :func:`tansiq.services.sectors.geo_records.create_placed`.
    """
    return create_placed(ctx, SECTORS, actor=actor, items=items, field_names=field_names)


def create_sector(ctx: ServiceContext, *, actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """Declare one sector; raises as :func:`create_sectors` with unprefixed field names."""
    return create_sectors(ctx, actor=actor, items=[data], field_names=[""])[0]


def import_sectors(
    ctx: ServiceContext, *, actor: Actor, features: Sequence[Any]
) -> list[dict[str, Any]]:
    """Declare the sectors of GeoJSON Features (properties: the sector fields), all or nothing.

    Raises ValidationFailed naming e.g. ``features[3].geometry`` or
    ``features[3].properties.depth_m``; then nothing is written.
    """
    return import_placed(ctx, SECTORS, actor=actor, features=features)


def update_sector(
    ctx: ServiceContext,
    *,
    actor: Actor,
    sector_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Change a sector of the actor's party (a withdrawal with its ``reason``): a new
    version, journaled. Raises as :func:`tansiq.services.sectors.geo_records.update_placed`.
    """
    return update_placed(
        ctx,
        SECTORS,
        actor=actor,
        record_id=sector_id,
        changes=changes,
        expected_version=expected_version,
        reason=reason,
    )


def withdraw_sector(
    ctx: ServiceContext,
    *,
    actor: Actor,
    sector_id: str,
    reason: str | None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Withdraw a sector, saying why (final; it stays readable).

    Raises as :func:`update_sector`.
    """
    return update_sector(
        ctx,
        actor=actor,
        sector_id=sector_id,
        changes={"status": SectorStatusChoices.WITHDRAWN.value},
        expected_version=expected_version,
        reason=reason,
    )


def get_sector(ctx: ServiceContext, *, actor: Actor, sector_id: str) -> dict[str, Any]:
    """The current version; raises NotFound when absent or not released to the actor."""
    return get_placed(ctx, SECTORS, actor=actor, record_id=sector_id)


def sector_history(ctx: ServiceContext, *, actor: Actor, sector_id: str) -> list[dict[str, Any]]:
    """Every version of a sector the actor may see; raises NotFound like get_sector."""
    return placed_history(ctx, SECTORS, actor=actor, record_id=sector_id)
