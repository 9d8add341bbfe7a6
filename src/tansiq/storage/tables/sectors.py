"""Tables of sectors and protected sites (on the shared ``metadata``).

Geometry is kept as GeoJSON text exactly as validated; the ``min_lon``… columns
hold the box of the ground covered (a line with its depth, a post with its
radius) so that queries prefilter by box before any geometry is parsed.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from tansiq.storage.tables.base import ID, metadata
from tansiq.storage.types import UTCDateTime


def _bbox() -> list[Column[object]]:
    return [
        Column("min_lon", Float, nullable=False),
        Column("min_lat", Float, nullable=False),
        Column("max_lon", Float, nullable=False),
        Column("max_lat", Float, nullable=False),
    ]


def _stamps() -> list[Column[object]]:
    return [
        Column("version", Integer, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
    ]


def _owned() -> list[Column[object]]:
    return [
        Column("id", ID, primary_key=True),
        Column("party_id", String(32), ForeignKey("parties.id"), nullable=False),
        Column("created_by", ID, nullable=False),
        Column("updated_by", ID, nullable=False),
        Column("status", String(16), nullable=False),
        Column("releasability", String(8), nullable=False),
        Column("center_id", ID, ForeignKey("centers.id"), nullable=True),
    ]


sectors = Table(
    "sectors",
    metadata,
    *_owned(),
    Column("kind", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("unit_name", String(200), nullable=False),
    Column("geometry", Text, nullable=False),
    Column("cross_border", Boolean, nullable=False),
    Column("depth_m", Float, nullable=True),
    Column("radius_m", Float, nullable=True),
    Column("valid_from", UTCDateTime(), nullable=False),
    Column("valid_until", UTCDateTime(), nullable=False),
    *_bbox(),
    *_stamps(),
    # "What is in force in this box at this time" is the question every reader asks.
    Index("ix_sectors_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),
    Index("ix_sectors_validity", "valid_from", "valid_until"),
    Index("ix_sectors_party", "party_id", "id"),
)

protected_sites = Table(
    "protected_sites",
    metadata,
    *_owned(),
    Column("kind", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("name_ar", String(200), nullable=False),
    Column("name_ckb", String(200), nullable=False),
    Column("geometry", Text, nullable=False),
    Column("cross_border", Boolean, nullable=False),
    Column("starts_at", UTCDateTime(), nullable=True),
    Column("ends_at", UTCDateTime(), nullable=True),
    Column("description", Text, nullable=False),
    *_bbox(),
    *_stamps(),
    Index("ix_protected_sites_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),
    Index("ix_protected_sites_party", "party_id", "id"),
)
