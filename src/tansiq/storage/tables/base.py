"""What every table module shares: the one ``MetaData``, the id type, common columns.

Records keep only their current version in their tables; every version is in
``journal`` (``tables/journal.py``). ``storage/schema.py`` imports every table module.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, String

from tansiq.storage.types import UTCDateTime

# Named constraints so Alembic batch migrations work on SQLite.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(36)


def versioned_columns() -> list[Column[object]]:
    """``version``, ``created_at``, ``updated_at``: what every versioned record carries."""
    return [
        Column("version", Integer, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
    ]


def owned_columns() -> list[Column[object]]:
    """``id``, the owner ``party_id`` and the authors of a party-owned record."""
    return [
        Column("id", ID, primary_key=True),
        Column("party_id", String(32), ForeignKey("parties.id"), nullable=False),
        Column("created_by", ID, nullable=False),
        Column("updated_by", ID, nullable=False),
    ]


def reach_columns(*, center_required: bool = False) -> list[Column[object]]:
    """``releasability`` and the linked ``center_id`` (required for records of a center)."""
    return [
        Column("releasability", String(8), nullable=False),
        Column("center_id", ID, ForeignKey("centers.id"), nullable=not center_required),
    ]


def released_columns() -> list[Column[object]]:
    """Releasability, the linked center, and the version stamps of a released record."""
    return [*reach_columns(), *versioned_columns()]


def bbox_columns() -> list[Column[object]]:
    """The footprint's bounding box, which every spatial prefilter reads."""
    return [
        Column(name, Float, nullable=False) for name in ("min_lon", "min_lat", "max_lon", "max_lat")
    ]
