"""The whole schema: importing this registers every table module on one MetaData.

Migrations, tests and anything that needs *all* tables import ``metadata`` from
here; a new table module (``storage/tables/<concept>.py``) is added to the list below.
"""

from __future__ import annotations

from tansiq.storage.tables import (
    accounts,
    directory,
    federation,
    incidents,
    intake,
    journal,
    meetings,
    notices,
    operations,
    sectors,
)
from tansiq.storage.tables.base import metadata

TABLE_MODULES = (
    directory,
    accounts,
    journal,
    incidents,
    sectors,
    notices,
    operations,
    meetings,
    federation,
    intake,
)

__all__ = ["TABLE_MODULES", "metadata"]
