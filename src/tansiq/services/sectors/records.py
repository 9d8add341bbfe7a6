"""Journaled forms of sectors and protected sites (also what the API answers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from tansiq.journal.canonical import iso_utc
from tansiq.services.core.kinds import (
    RecordKind,
    Row,
    copy_fields,
    owned_fields,
    owned_kind,
    restore_status_reason,
    utc_fields,
)
from tansiq.storage.tables.sectors import protected_sites, sectors


def _placed(row: Row) -> dict[str, Any]:
    # What sectors and sites share beyond ownership: what, where and the ground's box.
    return {
        **owned_fields(row),
        **copy_fields(row, "status", "kind", "name"),
        "geometry": orjson.loads(row["geometry"]),
        "cross_border": row["cross_border"],
        # The box of the ground covered (a line with its depth, a post with its radius).
        "bbox": [row["min_lon"], row["min_lat"], row["max_lon"], row["max_lat"]],
    }


def _with_held_reason(row: Row, payload: dict[str, Any]) -> dict[str, Any]:
    # Format 1 had no reason: a row that holds one keeps it, so it never matches a
    # format-1 entry and ``tansiq verify`` catches a reason written in place.
    if row.get("status_reason") is not None:
        payload["status_reason"] = row["status_reason"]
    return payload


def _sector_payload_format_1(row: Row) -> dict[str, Any]:
    """A sector as journaled before a withdrawal carried its reason (format 1)."""
    return _with_held_reason(
        row,
        {
            **_placed(row),
            **copy_fields(row, "unit_name", "depth_m", "radius_m"),
            **utc_fields(row, "valid_from", "valid_until"),
        },
    )


def sector_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a sector (format 2, with ``status_reason``: why it was
    withdrawn), which is also the API's answer."""
    return {**_sector_payload_format_1(row), "status_reason": row.get("status_reason")}


def _site_payload_format_1(row: Row) -> dict[str, Any]:
    """A protected site as journaled before a withdrawal carried its reason (format 1)."""
    return _with_held_reason(
        row,
        {
            **_placed(row),
            **copy_fields(row, "name_ar", "name_ckb"),
            "starts_at": iso_utc(row["starts_at"]) if row["starts_at"] else None,
            "ends_at": iso_utc(row["ends_at"]) if row["ends_at"] else None,
            "description": row["description"],
        },
    )


def site_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a protected site (format 2, with ``status_reason``), which
    is also the API's answer."""
    return {**_site_payload_format_1(row), "status_reason": row.get("status_reason")}


def _bounds(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The stored box, and no reason for a format-1 payload (it had none)."""
    west, south, east, north = payload["bbox"]
    restored = {"min_lon": west, "min_lat": south, "max_lon": east, "max_lat": north}
    return {**restored, **restore_status_reason(payload)}


SECTOR = owned_kind(
    "sector",
    sectors,
    sector_payload,
    owner_only="only the owner party may change its sectors",
    restore=_bounds,
    payload_format=2,
    earlier_payloads={1: _sector_payload_format_1},
)
PROTECTED_SITE = owned_kind(
    "protected_site",
    protected_sites,
    site_payload,
    label="protected site",
    owner_only="only the owner party may change its protected sites",
    restore=_bounds,
    payload_format=2,
    earlier_payloads={1: _site_payload_format_1},
)

KINDS: tuple[RecordKind, ...] = (SECTOR, PROTECTED_SITE)
