"""Declaring, changing and reading records with a geometry: sectors and protected sites.

Both follow the same use cases; a :class:`PlacedKind` names what differs (the
rules and the words of the messages). Reads go through ``visible_row`` (the one
releasability rule); only the owner party changes its records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import Connection

from tansiq.domain.actors import Actor
from tansiq.domain.choices import SectorStatusChoices
from tansiq.domain.errors import (
    ErrorCollector,
    FieldError,
    PermissionDenied,
    ValidationFailed,
)
from tansiq.domain.fields import check_member_center
from tansiq.domain.geo_fields import Placed
from tansiq.domain.reasons import check_reason
from tansiq.geo.geometry import geojson_text
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import RecordKind
from tansiq.services.core.owned import Change, change_owned, get_visible, visible_history
from tansiq.services.core.versioning import (
    first_version,
    insert_records,
)
from tansiq.services.operations.rechecks import recheck_concerning
from tansiq.services.sectors.imports import feature_items
from tansiq.services.sectors.policy import may_declare_sector
from tansiq.storage.db import write_transaction

MAX_IMPORT = 5000


class Validate(Protocol):
    """A concept's field-by-field input check (``validate_sector_input``…)."""

    def __call__(self, data: Mapping[str, Any], *, partial: bool = ...) -> dict[str, Any]:
        """The fields normalised; raises ValidationFailed naming each bad one."""
        ...


@dataclass(frozen=True)
class PlacedKind:
    """What a concept with a geometry brings: its record kind, rules and names.

    ``noun`` is the short name (``site``), ``label`` the full one (``protected site``).
    """

    record: RecordKind
    validate: Validate
    check: Callable[[Mapping[str, Any]], Placed]
    check_change: Callable[[Mapping[str, Any], Mapping[str, Any]], None]
    noun: str
    label: str


def require_writer(actor: Actor, what: str) -> None:
    """Raise PermissionDenied unless the actor's role may declare ``what``."""
    if not may_declare_sector(actor):
        raise PermissionDenied(f"your role may not declare or change {what}")


def placed_columns(placed: Placed) -> dict[str, Any]:
    """The stored geometry text and footprint box of a validated geometry."""
    return {"geometry": geojson_text(placed.geometry), **placed.bbox}


def new_row(
    values: Mapping[str, Any], placed: Placed, actor: Actor, now: datetime
) -> dict[str, Any]:
    """A version-1 row of the actor's party from validated ``values``."""
    return first_version({**values, **placed_columns(placed)}, actor=actor, now=now)


def field_name(prefix: str, field: str) -> str:
    """``prefix + field``, but a feature's geometry sits beside its properties, not in them."""
    if field == "geometry" and prefix.endswith(".properties."):
        return prefix.removesuffix("properties.") + "geometry"
    return prefix + field


def create_placed(
    ctx: ServiceContext,
    kind: PlacedKind,
    *,
    actor: Actor,
    items: Sequence[Mapping[str, Any]],
    field_names: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Declare records of ``kind`` for the actor's party, all or nothing.

    ``field_names[i]`` prefixes the errors of ``items[i]`` (default ``items[i].``;
    an import passes ``features[i].properties.``). Raises PermissionDenied, or
    ValidationFailed naming each bad field; then nothing is written.
    """
    require_writer(actor, f"{kind.label}s")
    if not 1 <= len(items) <= MAX_IMPORT:
        raise ValidationFailed.single("items", f"must hold between 1 and {MAX_IMPORT} {kind.noun}s")
    prefixes = list(field_names) if field_names else [f"items[{i}]." for i in range(len(items))]
    now = ctx.clock()
    errors = ErrorCollector()
    rows = []
    for prefix, item in zip(prefixes, items, strict=True):
        try:
            values = kind.validate(item)
            if values["status"] != SectorStatusChoices.ACTIVE:
                raise ValidationFailed.single("status", f"a new {kind.label} is active")
            placed = kind.check(values)
        except ValidationFailed as exc:
            errors.errors.extend(
                FieldError(field_name(prefix, e.field), e.message) for e in exc.errors
            )
            continue
        check_member_center(
            errors, values.get("center_id"), actor.centers, name=f"{prefix}center_id"
        )
        rows.append(
            new_row({k: v for k, v in values.items() if k != "geometry"}, placed, actor, now)
        )
    many = len(items) > 1
    errors.raise_if_any(f"The {kind.noun}s are invalid" if many else f"The {kind.noun} is invalid")
    with write_transaction(ctx.engine) as conn:
        insert_records(conn, ctx, kind.record, rows, actor_id=actor.user_id)
    return [kind.record.payload(r) for r in rows]


def import_placed(
    ctx: ServiceContext, kind: PlacedKind, *, actor: Actor, features: Sequence[Any]
) -> list[dict[str, Any]]:
    """Declare the records of GeoJSON Features (properties: the fields), all or nothing.

    Raises ValidationFailed naming e.g. ``features[3].geometry`` or
    ``features[3].properties.kind``; then nothing is written.
    """
    items, prefixes = feature_items(features)
    return create_placed(ctx, kind, actor=actor, items=items, field_names=prefixes)


def update_placed(
    ctx: ServiceContext,
    kind: PlacedKind,
    *,
    actor: Actor,
    record_id: str,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Change a record of the actor's party: a new version, journaled.

    Withdrawing (``status: withdrawn``) is final and needs a ``reason``, journaled as
    ``status_reason``. Raises NotFound (absent or not released to the actor),
    PermissionDenied (another party's record, or a role that may not), Conflict
    (stale ``expected_version``), ValidationFailed naming each bad field (``reason``
    when a withdrawal has none, or another change gives one).
    """
    require_writer(actor, f"{kind.label}s")
    values = kind.validate(changes, partial=True)
    if values.get("status") != SectorStatusChoices.WITHDRAWN and reason is not None:
        raise ValidationFailed.single("reason", "only a withdrawal takes a reason")

    read: list[Mapping[str, Any]] = []

    def rules(_conn: Connection, current: Mapping[str, Any]) -> Change:
        read.append(current)
        kind.check_change(current, values)
        merged = {**current, "geometry": orjson.loads(current["geometry"]), **values}
        placed = kind.check(merged)
        errors = ErrorCollector()
        if "center_id" in values:
            check_member_center(errors, merged.get("center_id"), actor.centers)
        errors.raise_if_any("The change is invalid")
        withdrawn = merged["status"] == SectorStatusChoices.WITHDRAWN
        columns = {k: v for k, v in values.items() if k != "geometry"}
        if withdrawn:
            # Once the owner is known: a stranger is refused, not asked why.
            columns["status_reason"] = check_reason(reason)
        return Change(
            {**current, **columns, **placed_columns(placed)},
            action="withdraw" if withdrawn else "update",
        )

    def after(conn: Connection, changed: dict[str, Any]) -> None:
        # A party's own sector never conflicts with its own plans; its sites may.
        own = kind.record.name != "sector"
        recheck_concerning(
            conn, ctx, actor=actor, before=read[0], after=changed, meets_own_plans=own
        )

    changed = change_owned(ctx, kind.record, actor, record_id, expected_version, rules, after)
    return kind.record.payload(changed)


def get_placed(
    ctx: ServiceContext, kind: PlacedKind, *, actor: Actor, record_id: str
) -> dict[str, Any]:
    """The current version; raises NotFound when absent or not released to the actor."""
    return get_visible(ctx, kind.record, actor=actor, record_id=record_id)


def placed_history(
    ctx: ServiceContext, kind: PlacedKind, *, actor: Actor, record_id: str
) -> list[dict[str, Any]]:
    """Every version the actor may see, oldest first; raises NotFound like :func:`get_placed`."""
    return visible_history(ctx, kind.record, actor=actor, record_id=record_id)
