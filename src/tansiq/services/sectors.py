"""Sector use cases: declare (one, or an import all or nothing), change, withdraw, read.

Reads go through ``visible_row``/``visible_to`` (the one releasability rule);
only the owner party changes its sectors. Lists and the in-force query are in
``services/sector_queries.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, and_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import SECTOR_WRITER_ROLES, SectorStatusChoices
from tansiq.domain.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    PermissionDenied,
    ValidationFailed,
)
from tansiq.domain.geo_fields import Placed
from tansiq.domain.releasability import is_visible
from tansiq.domain.sectors import check_sector, check_sector_change, validate_sector_input
from tansiq.geo.geometry import geojson_text
from tansiq.services.context import ServiceContext
from tansiq.services.geo_import import feature_items
from tansiq.services.ids import new_id
from tansiq.services.records import RecordKind
from tansiq.services.records_sectors import SECTOR, sector_payload
from tansiq.services.versioning import insert_records, new_version, visible_row
from tansiq.storage.db import read_transaction, write_transaction
from tansiq.storage.tables import journal

MAX_IMPORT = 5000


def require_writer(actor: Actor, what: str) -> None:
    """Raise PermissionDenied unless the actor's role may declare ``what``."""
    if not actor.has_any_role(SECTOR_WRITER_ROLES):
        raise PermissionDenied(f"your role may not declare or change {what}")


def check_center(
    values: Mapping[str, Any], actor: Actor, errors: ErrorCollector, prefix: str = ""
) -> None:
    """A record may name only a center the actor's party sits on."""
    center_id = values.get("center_id")
    if center_id is not None and center_id not in actor.centers:
        errors.add(f"{prefix}center_id", "must be a center your party is a member of")


def placed_columns(placed: Placed) -> dict[str, Any]:
    """The stored geometry text and footprint box of a validated geometry."""
    return {"geometry": geojson_text(placed.geometry), **placed.bbox}


def new_row(
    values: Mapping[str, Any], placed: Placed, actor: Actor, now: datetime
) -> dict[str, Any]:
    """A version-1 row of the actor's party from validated ``values``."""
    return {
        **values,
        **placed_columns(placed),
        "id": new_id(),
        "party_id": actor.party,
        "created_by": actor.user_id,
        "updated_by": actor.user_id,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def create_sectors(
    ctx: ServiceContext,
    *,
    actor: Actor,
    items: Sequence[Mapping[str, Any]],
    field_names: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Declare sectors for the actor's party, all or nothing.

    ``field_names[i]`` prefixes the errors of ``items[i]`` (default ``items[i].``;
    an import passes ``features[i].properties.``). Raises PermissionDenied, or
    ValidationFailed naming each bad field; then nothing is written.
    """
    require_writer(actor, "sectors")
    if not 1 <= len(items) <= MAX_IMPORT:
        raise ValidationFailed.single("items", f"must hold between 1 and {MAX_IMPORT} sectors")
    prefixes = list(field_names) if field_names else [f"items[{i}]." for i in range(len(items))]
    now = ctx.clock()
    errors = ErrorCollector()
    rows = []
    for prefix, item in zip(prefixes, items, strict=True):
        try:
            values = validate_sector_input(item)
            if values["status"] != SectorStatusChoices.ACTIVE:
                raise ValidationFailed.single("status", "a new sector is active")
            placed = check_sector(values)
        except ValidationFailed as exc:
            errors.errors.extend(
                FieldError(field_name(prefix, e.field), e.message) for e in exc.errors
            )
            continue
        check_center(values, actor, errors, prefix)
        rows.append(
            new_row({k: v for k, v in values.items() if k != "geometry"}, placed, actor, now)
        )
    errors.raise_if_any("The sectors are invalid" if len(items) > 1 else "The sector is invalid")
    with write_transaction(ctx.engine) as conn:
        insert_records(conn, ctx, SECTOR, rows, actor_id=actor.user_id)
    return [sector_payload(r) for r in rows]


def field_name(prefix: str, field: str) -> str:
    """``prefix + field``, but a feature's geometry sits beside its properties, not in them."""
    if field == "geometry" and prefix.endswith(".properties."):
        return prefix.removesuffix("properties.") + "geometry"
    return prefix + field


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
    items, prefixes = feature_items(features)
    return create_sectors(ctx, actor=actor, items=items, field_names=prefixes)


def update_sector(
    ctx: ServiceContext,
    *,
    actor: Actor,
    sector_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Change a sector of the actor's party: a new version, journaled.

    Raises NotFound (absent or not released to the actor), PermissionDenied
    (another party's sector, or a role that may not), Conflict (stale
    ``expected_version``), ValidationFailed naming each bad field.
    """
    require_writer(actor, "sectors")
    values = validate_sector_input(changes, partial=True)
    now = ctx.clock()
    with write_transaction(ctx.engine) as conn:
        current = visible_row(conn, SECTOR.table, actor, sector_id, label="sector")
        if current["party_id"] != actor.party:
            raise PermissionDenied("only the owner party may change its sectors")
        if expected_version is not None and expected_version != current["version"]:
            raise Conflict(f"the sector is at version {current['version']}, not {expected_version}")
        check_sector_change(current, values)
        merged = {**current, "geometry": orjson.loads(current["geometry"]), **values}
        placed = check_sector(merged)
        errors = ErrorCollector()
        if "center_id" in values:
            check_center(merged, actor, errors)
        errors.raise_if_any("The change is invalid")
        withdrawn = merged["status"] == SectorStatusChoices.WITHDRAWN
        changed = new_version(
            conn,
            ctx,
            SECTOR,
            current,
            {**{k: v for k, v in values.items() if k != "geometry"}, **placed_columns(placed)},
            actor_id=actor.user_id,
            now=now,
            action="withdraw" if withdrawn else "update",
        )
    return sector_payload(changed)


def withdraw_sector(
    ctx: ServiceContext, *, actor: Actor, sector_id: str, expected_version: int | None = None
) -> dict[str, Any]:
    """Withdraw a sector (final; it stays readable). Raises as :func:`update_sector`."""
    return update_sector(
        ctx,
        actor=actor,
        sector_id=sector_id,
        changes={"status": SectorStatusChoices.WITHDRAWN.value},
        expected_version=expected_version,
    )


def get_sector(ctx: ServiceContext, *, actor: Actor, sector_id: str) -> dict[str, Any]:
    """The current version; raises NotFound when absent or not released to the actor."""
    with read_transaction(ctx.engine) as conn:
        return sector_payload(visible_row(conn, SECTOR.table, actor, sector_id, label="sector"))


def record_history(
    conn: Connection, kind: RecordKind, actor: Actor, record_id: str, *, label: str
) -> list[dict[str, Any]]:
    """Every journaled version of a record the actor may see, oldest first.

    Raises NotFound when the record is absent or not released to the actor.
    """
    visible_row(conn, kind.table, actor, record_id, label=label)
    entries = conn.execute(
        select(journal)
        .where(and_(journal.c.record_kind == kind.name, journal.c.record_id == record_id))
        .order_by(journal.c.seq)
    ).mappings()
    history = []
    for entry in entries:
        # A version is shown only if it was itself released to the actor.
        if not is_visible(
            viewer_party=actor.party,
            viewer_centers=actor.centers,
            owner_party=entry["owner_party"] or "",
            releasability=entry["releasability"],
            center_id=entry["center_id"],
        ):
            continue
        history.append(
            {
                "version": entry["record_version"],
                "action": entry["action"],
                "actor": entry["actor"],
                "at": entry["at"],
                "journal_seq": entry["seq"],
                "hash": entry["hash"],
                "record": orjson.loads(entry["payload"]),
            }
        )
    return history


def sector_history(ctx: ServiceContext, *, actor: Actor, sector_id: str) -> list[dict[str, Any]]:
    """Every version of a sector the actor may see; raises NotFound like get_sector."""
    with read_transaction(ctx.engine) as conn:
        return record_history(conn, SECTOR, actor, sector_id, label="sector")
