"""Journaled forms of sectors and protected sites (also what the API answers)."""

from __future__ import annotations

from typing import Any

import orjson

from tansiq.journal.canonical import iso_utc
from tansiq.services.records import RecordKind, Row
from tansiq.storage.tables_sectors import protected_sites, sectors


def _common(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "party": row["party_id"],
        "status": row["status"],
        "kind": row["kind"],
        "name": row["name"],
        "geometry": orjson.loads(row["geometry"]),
        "cross_border": row["cross_border"],
        # The box of the ground covered (a line with its depth, a post with its radius).
        "bbox": [row["min_lon"], row["min_lat"], row["max_lon"], row["max_lat"]],
        "releasability": row["releasability"],
        "center_id": row["center_id"],
        "created_by": row["created_by"],
        "updated_by": row["updated_by"],
        "version": row["version"],
        "created_at": iso_utc(row["created_at"]),
        "updated_at": iso_utc(row["updated_at"]),
    }


def sector_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a sector, which is also the API's answer."""
    return {
        **_common(row),
        "unit_name": row["unit_name"],
        "depth_m": row["depth_m"],
        "radius_m": row["radius_m"],
        "valid_from": iso_utc(row["valid_from"]),
        "valid_until": iso_utc(row["valid_until"]),
    }


def site_payload(row: Row) -> dict[str, Any]:
    """The journaled form of a protected site, which is also the API's answer."""
    return {
        **_common(row),
        "name_ar": row["name_ar"],
        "name_ckb": row["name_ckb"],
        "starts_at": iso_utc(row["starts_at"]) if row["starts_at"] else None,
        "ends_at": iso_utc(row["ends_at"]) if row["ends_at"] else None,
        "description": row["description"],
    }


def _owner(row: Row) -> str | None:
    return str(row["party_id"])


def _releasability(row: Row) -> str:
    return str(row["releasability"])


def _center(row: Row) -> str | None:
    return row["center_id"]  # type: ignore[no-any-return]


SECTOR = RecordKind("sector", sectors, sector_payload, _owner, _releasability, _center)
PROTECTED_SITE = RecordKind(
    "protected_site", protected_sites, site_payload, _owner, _releasability, _center
)

SECTOR_KINDS: tuple[RecordKind, ...] = (SECTOR, PROTECTED_SITE)
