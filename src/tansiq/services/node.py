"""Setting up a node: its key, its schema."""

from __future__ import annotations

from tansiq.config import Settings
from tansiq.journal.keys import NodeKey, create_key, load_key
from tansiq.storage.db import make_engine
from tansiq.storage.migrate import upgrade


def init_node(settings: Settings) -> tuple[NodeKey, bool]:
    """Create the node key (if missing) and migrate the database.

    Returns (key, created). Raises NodeKeyError for an unreadable key file.
    """
    created = not settings.key_path.exists()
    key = create_key(settings.key_path) if created else load_key(settings.key_path)
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return key, created
