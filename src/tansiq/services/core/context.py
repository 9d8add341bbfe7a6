"""What every service call needs: the engine, the node key, settings and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from nacl.signing import VerifyKey
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from tansiq.config import Settings
from tansiq.journal.keychain import ChainBreak
from tansiq.journal.keys import NodeKey, NodeKeyError, load_key, parse_public_key
from tansiq.services.core.keychain import load_key_chain
from tansiq.storage.db import make_engine, read_transaction


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

    Raises NodeKeyError if there is no key yet, or if it is neither the pinned public
    key nor a key the journal's rotations lead to from it.
    """
    key = load_key(settings.key_path)
    pinned = _pinned_key(settings.pinned_public_key) if settings.pinned_public_key else None
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    # A key file that is not the pinned key would sign entries verify will refuse:
    # someone replaced it, so refuse to write anything with it.
    if pinned is not None and not _succeeds(engine, pinned, key.verify_key):
        engine.dispose()
        raise NodeKeyError(
            f"key file {settings.key_path} does not hold TANSIQ_PINNED_PUBLIC_KEY nor a key "
            "that its rotations lead to: it was replaced, or the setting names another "
            "node's key"
        )
    return ServiceContext(engine=engine, key=key, settings=settings)


def _succeeds(engine: Engine, pinned: VerifyKey, key: VerifyKey) -> bool:
    """True when ``key`` is ``pinned`` or follows it in the journal's key chain."""
    if key == pinned:
        return True
    try:
        with read_transaction(engine) as conn:
            chain = load_key_chain(conn, pinned)
    except (ChainBreak, SQLAlchemyError):
        # A broken chain or a database without a journal links the keys to nothing.
        return False
    return key in chain.keys[chain.trusted + 1 :]
