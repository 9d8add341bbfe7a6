"""The whole schema: importing this registers every table module on one MetaData.

Migrations, tests and anything that needs *all* tables import ``metadata`` from
here; a new table module is added to the import list below.
"""

from __future__ import annotations

from tansiq.storage import (
    tables,
    tables_meetings,
    tables_notices,
    tables_operations,
    tables_sectors,
)
from tansiq.storage.tables import metadata

__all__ = [
    "metadata",
    "tables",
    "tables_sectors",
    "tables_notices",
    "tables_operations",
    "tables_meetings",
]
