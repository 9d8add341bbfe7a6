"""The layers of the common operating picture besides incidents, for one period.

Each layer is a GeoJSON FeatureCollection of what the actor may see (``visible_to``
on every read, so a record not released to the actor's party never appears) that
meets the period [at_from, at_until] (one instant when they are equal):

- ``sectors``: active sectors in force (declared geometry; posts carry ``radius_m``);
- ``sites``: active protected sites (those without a window always count);
- ``gaps``: the parts of one area no sector released to the actor covers at ``at_until``;
- ``notices``: notices still sent (not withdrawn) whose window meets the period;
- ``operations``: plans proposed, approved, active or completed whose window meets it.

Feature properties are ``layer``, ``id``, ``party``, ``kind``, ``status``, ``name``
and the layer's times, so the map can label, colour and link each one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, Table, and_, select

from tansiq.domain.actors import Actor
from tansiq.domain.choices import NoticeStatusChoices, OperationStatusChoices
from tansiq.domain.errors import ValidationFailed
from tansiq.journal.canonical import iso_utc
from tansiq.services.core.context import ServiceContext
from tansiq.services.sectors.coverage import coverage
from tansiq.services.sectors.queries import sectors_in_force
from tansiq.services.sectors.site_commands import sites_active
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.notices import notices
from tansiq.storage.tables.operations import operations
from tansiq.storage.visibility import visible_to

LAYERS: Final = ("sectors", "sites", "gaps", "notices", "operations")
#: A layer holds at most this many features (the newest are dropped past it, in id order).
MAX_LAYER_FEATURES: Final = 5_000
# Plans still meant to happen or that happened; drafts, rejections and cancellations are not.
_SHOWN_PLANS: Final = tuple(
    s.value
    for s in (
        OperationStatusChoices.PROPOSED,
        OperationStatusChoices.APPROVED,
        OperationStatusChoices.ACTIVE,
        OperationStatusChoices.COMPLETED,
    )
)


def _feature(layer: str, geometry: Mapping[str, Any], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": props["id"],
        "geometry": geometry,
        "properties": {"layer": layer, **props},
    }


def _sectors(ctx: ServiceContext, actor: Actor, at_from: datetime, at_until: datetime) -> list[Any]:
    found = sectors_in_force(ctx, actor=actor, at_from=at_from, at_until=at_until)
    return [
        _feature(
            "sectors",
            s["geometry"],
            id=s["id"],
            party=s["party"],
            kind=s["kind"],
            status=s["status"],
            name=s["name"],
            unit_name=s["unit_name"],
            radius_m=s["radius_m"],
            valid_from=s["valid_from"],
            valid_until=s["valid_until"],
        )
        for s in (item.sector for item in found[:MAX_LAYER_FEATURES])
    ]


def _sites(ctx: ServiceContext, actor: Actor, at_from: datetime, at_until: datetime) -> list[Any]:
    found = sites_active(ctx, actor=actor, at_from=at_from, at_until=at_until)
    return [
        _feature(
            "sites",
            s["geometry"],
            id=s["id"],
            party=s["party"],
            kind=s["kind"],
            status=s["status"],
            name=s["name"],
            name_ar=s["name_ar"],
            name_ckb=s["name_ckb"],
        )
        for s in (item.site for item in found[:MAX_LAYER_FEATURES])
    ]


def _meets(table: Table, at_from: datetime, at_until: datetime) -> ColumnElement[bool]:
    """Rows whose window [starts_at, ends_at) meets the period (an instant if equal)."""
    c = table.c
    if at_from == at_until:
        return and_(c.starts_at <= at_from, c.ends_at > at_from)
    return and_(c.starts_at < at_until, c.ends_at > at_from)


def _read(ctx: ServiceContext, read: Callable[[Connection], list[Any]]) -> list[Any]:
    with read_transaction(ctx.engine) as conn:
        return read(conn)


def _rows_meeting(
    ctx: ServiceContext,
    table: Table,
    actor: Actor,
    shown: ColumnElement[bool],
    at_from: datetime,
    at_until: datetime,
) -> list[Any]:
    """The ``table`` rows released to the actor, ``shown``, whose window meets the period
    (oldest id first, at most MAX_LAYER_FEATURES)."""
    query = (
        select(table)
        .where(visible_to(table, actor), shown, _meets(table, at_from, at_until))
        .order_by(table.c.id)
        .limit(MAX_LAYER_FEATURES)
    )
    return _read(ctx, lambda conn: list(conn.execute(query).mappings()))


def _notices(ctx: ServiceContext, actor: Actor, at_from: datetime, at_until: datetime) -> list[Any]:
    shown = notices.c.status == NoticeStatusChoices.SENT.value
    rows = _rows_meeting(ctx, notices, actor, shown, at_from, at_until)
    return [
        _feature(
            "notices",
            r["location"],
            id=r["id"],
            party=r["party_id"],
            to_party=r["to_party"],
            kind=r["kind"],
            status=r["status"],
            name=r["subject"],
            place_name=r["place_name"],
            starts_at=iso_utc(r["starts_at"]),
            ends_at=iso_utc(r["ends_at"]),
        )
        for r in rows
    ]


def _operations(
    ctx: ServiceContext, actor: Actor, at_from: datetime, at_until: datetime
) -> list[Any]:
    shown = operations.c.status.in_(_SHOWN_PLANS)
    rows = _rows_meeting(ctx, operations, actor, shown, at_from, at_until)
    return [
        _feature(
            "operations",
            r["area"],
            id=r["id"],
            party=r["party_id"],
            kind=r["kind"],
            status=r["status"],
            name=r["title"],
            participants=list(r["participants"]),
            starts_at=iso_utc(r["starts_at"]),
            ends_at=iso_utc(r["ends_at"]),
        )
        for r in rows
    ]


def _gaps(
    ctx: ServiceContext, actor: Actor, area: str, at: datetime
) -> tuple[list[Any], dict[str, Any]]:
    answer = coverage(ctx, actor=actor, area=area, at=at)
    features = [
        _feature(
            "gaps",
            feature["geometry"],
            id=f"gap-{index}",
            party=None,
            kind="gap",
            status=None,
            name=answer["area"]["name"],
            area_km2=feature["properties"].get("area_km2"),
        )
        for index, feature in enumerate(
            f for f in answer["features"] if f["properties"]["layer"] == "gap"
        )
    ]
    return features, answer["area"]


def picture_layer(
    ctx: ServiceContext,
    *,
    actor: Actor,
    layer: str,
    at_from: datetime,
    at_until: datetime,
    area: str = "Kirkuk",
) -> dict[str, Any]:
    """One layer of the picture for the period, as a GeoJSON FeatureCollection.

    ``area`` (a governorate in any spelling, or a center code) is where ``gaps``
    are computed, at ``at_until``; the answer then carries ``area`` ({kind, code,
    name}, as :func:`~tansiq.services.sectors.coverage.resolve_area` names it). Raises
    ValidationFailed naming ``layer`` (not one of LAYERS), ``until`` (before
    ``at_from``) or ``area`` (unknown, or too costly to overlay).
    """
    if layer not in LAYERS:
        raise ValidationFailed.single("layer", f"must be one of {', '.join(LAYERS)}")
    if at_until < at_from:
        raise ValidationFailed.single("until", "must not be before since")
    extra: dict[str, Any] = {}
    if layer == "gaps":
        features, extra["area"] = _gaps(ctx, actor, area, at_until)
    else:
        read = {
            "sectors": _sectors,
            "sites": _sites,
            "notices": _notices,
            "operations": _operations,
        }[layer]
        features = read(ctx, actor, at_from, at_until)
    return {
        "type": "FeatureCollection",
        "features": features,
        "layer": layer,
        "at_from": iso_utc(at_from),
        "at_until": iso_utc(at_until),
        **extra,
    }
