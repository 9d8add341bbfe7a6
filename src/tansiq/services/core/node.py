"""Setting up a node and checking on it: its key, its schema, whether its database answers."""

from __future__ import annotations

from sqlalchemy import text

from tansiq.config import Settings
from tansiq.journal.keys import NodeKey, create_key, load_key
from tansiq.services.core.context import ServiceContext
from tansiq.storage.db import make_engine, read_transaction
from tansiq.storage.migrate import upgrade


def init_node(settings: Settings) -> tuple[NodeKey, bool]:
    """Create the node key (if missing) and migrate the database.

    Returns (key, created). Raises NodeKeyError for an unreadable key file,
    ValueError for a bad database setting (before anything is created).
    """
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    created = not settings.key_path.exists()
    key = create_key(settings.key_path) if created else load_key(settings.key_path)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return key, created


def upgrade_database(settings: Settings) -> None:
    """Apply the migrations up to the newest revision (the key is not needed)."""
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def database_answers(ctx: ServiceContext) -> bool:
    """True when the database answers a trivial query (the health check); never raises."""
    try:
        with read_transaction(ctx.engine) as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - health reports, it does not raise
        return False
    return True
