"""Tables of the parties and the centers they sit on."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    String,
    Table,
)

from tansiq.storage.tables.base import ID, metadata, versioned_columns

parties = Table(
    "parties",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name_en", String(200), nullable=False),
    Column("name_ar", String(200), nullable=False),
    Column("name_ckb", String(200), nullable=False),
    *versioned_columns(),
)

centers = Table(
    "centers",
    metadata,
    Column("id", ID, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("name_ar", String(200), nullable=False),
    Column("name_ckb", String(200), nullable=False),
    Column("governorates", JSON, nullable=False),
    Column("member_parties", JSON, nullable=False),
    *versioned_columns(),
)
