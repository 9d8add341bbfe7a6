"""What every service call needs: the engine, the node key, settings and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from tansiq.config import Settings
from tansiq.journal.keys import NodeKey, load_key
from tansiq.storage.db import make_engine


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


@dataclass
class ServiceContext:
    """The node's runtime: built once per process, shared by all requests."""

    engine: Engine
    key: NodeKey
    settings: Settings
    clock: Callable[[], datetime] = field(default=utc_now)


def open_context(settings: Settings) -> ServiceContext:
    """Build the context from settings; raises NodeKeyError if there is no key yet."""
    return ServiceContext(
        engine=make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous),
        key=load_key(settings.key_path),
        settings=settings,
    )
