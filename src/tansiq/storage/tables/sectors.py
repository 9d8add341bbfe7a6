"""Tables of sectors and protected sites (on the shared ``metadata``).

Geometry is kept as GeoJSON text exactly as validated; the ``min_lon``… columns
hold the box of the ground covered (a line with its depth, a post with its
radius) so that queries prefilter by box before any geometry is parsed.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, String, Table, Text

from tansiq.storage.tables.base import (
    bbox_columns,
    metadata,
    owned_columns,
    reach_columns,
    versioned_columns,
)
from tansiq.storage.types import UTCDateTime

sectors = Table(
    "sectors",
    metadata,
    *owned_columns(),
    Column("status", String(16), nullable=False),
    # Why the owner withdrew it (a final step must say why); else null.
    Column("status_reason", Text, nullable=True),
    *reach_columns(),
    Column("kind", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("unit_name", String(200), nullable=False),
    Column("geometry", Text, nullable=False),
    Column("cross_border", Boolean, nullable=False),
    Column("depth_m", Float, nullable=True),
    Column("radius_m", Float, nullable=True),
    Column("valid_from", UTCDateTime(), nullable=False),
    Column("valid_until", UTCDateTime(), nullable=False),
    *bbox_columns(),
    *versioned_columns(),
    # "What is in force in this box at this time" is the question every reader asks.
    Index("ix_sectors_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),
    Index("ix_sectors_validity", "valid_from", "valid_until"),
    Index("ix_sectors_party", "party_id", "id"),
)

protected_sites = Table(
    "protected_sites",
    metadata,
    *owned_columns(),
    Column("status", String(16), nullable=False),
    # Why the owner withdrew it (a final step must say why); else null.
    Column("status_reason", Text, nullable=True),
    *reach_columns(),
    Column("kind", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("name_ar", String(200), nullable=False),
    Column("name_ckb", String(200), nullable=False),
    Column("geometry", Text, nullable=False),
    Column("cross_border", Boolean, nullable=False),
    Column("starts_at", UTCDateTime(), nullable=True),
    Column("ends_at", UTCDateTime(), nullable=True),
    Column("description", Text, nullable=False),
    *bbox_columns(),
    *versioned_columns(),
    Index("ix_protected_sites_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),
    Index("ix_protected_sites_party", "party_id", "id"),
)
