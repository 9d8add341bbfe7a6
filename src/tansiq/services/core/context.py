"""What every service call needs: the engine, the node key, settings and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from nacl.signing import VerifyKey
from sqlalchemy import Engine

from tansiq.config import Settings
from tansiq.journal.keys import NodeKey, NodeKeyError, load_key, parse_public_key
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


def _pinned_key(text: str) -> VerifyKey:
    try:
        return parse_public_key(text)
    except NodeKeyError as exc:
        raise NodeKeyError(f"TANSIQ_PINNED_PUBLIC_KEY: {exc}") from None


def open_context(settings: Settings) -> ServiceContext:
    """Build the context from settings.

    Raises NodeKeyError if there is no key yet, or if it is not the pinned public key.
    """
    key = load_key(settings.key_path)
    pinned = settings.pinned_public_key
    # A key file that is not the pinned key would sign entries verify will refuse:
    # someone replaced it, so refuse to write anything with it.
    if pinned and _pinned_key(pinned) != key.verify_key:
        raise NodeKeyError(
            f"key file {settings.key_path} does not hold TANSIQ_PINNED_PUBLIC_KEY: "
            "it was replaced, or the setting names another node's key"
        )
    return ServiceContext(
        engine=make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous),
        key=key,
        settings=settings,
    )
