"""What every command shares: the node options, acting as a user, one-line errors.

Concept modules (``cli/<concept>.py``) import from here and ``cli/__init__.py``
imports them, so there is no import circle.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from tansiq.config import Settings, load_settings
from tansiq.domain.actors import Actor, SystemActor
from tansiq.domain.errors import TansiqError, ValidationFailed
from tansiq.journal.keys import NodeKeyError
from tansiq.services.core.context import ServiceContext, open_context

F = TypeVar("F", bound=Callable[..., Any])

CLI_ACTOR = SystemActor("system:cli")
MAX_SHOWN_ERRORS = 5

AS_USER = click.option(
    "--as",
    "username",
    required=True,
    metavar="USERNAME",
    help="Act as this user of the node; the answer holds only what their party may see.",
)


def node_options(func: F) -> F:
    """Add --db and --key-file to a command and turn known errors into one line."""

    @click.option(
        "--db",
        "database_url",
        envvar="TANSIQ_DATABASE_URL",
        default=None,
        help="Database URL (default sqlite:///./tansiq.db; env TANSIQ_DATABASE_URL).",
    )
    @click.option(
        "--key-file",
        envvar="TANSIQ_KEY_FILE",
        default=None,
        help="Node signing key (default .tansiq/node_ed25519.key; env TANSIQ_KEY_FILE).",
    )
    @functools.wraps(func)
    def wrapper(database_url: str | None, key_file: str | None, **kwargs: Any) -> Any:
        try:
            settings = load_settings(database_url=database_url, key_file=key_file)
            return func(settings=settings, **kwargs)
        except (TansiqError, NodeKeyError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def open_node(settings: Settings) -> ServiceContext:
    """The node's service context; raises NodeKeyError if it has no key yet."""
    return open_context(settings)


@contextmanager
def node_context(settings: Settings) -> Iterator[ServiceContext]:
    """The node's service context for one command, its engine disposed after.

    Raises NodeKeyError like :func:`open_node`.
    """
    ctx = open_node(settings)
    try:
        yield ctx
    finally:
        ctx.engine.dispose()


@contextmanager
def acting_as(settings: Settings, username: str) -> Iterator[tuple[ServiceContext, Actor]]:
    """Open the node as ``username``; validation errors become one line naming each field.

    Raises NotFound (no such user) and NodeKeyError like :func:`open_node`.
    """
    from tansiq.services.accounts.commands import actor_for_username

    ctx = open_node(settings)
    try:
        yield ctx, actor_for_username(ctx, username=username)
    except ValidationFailed as exc:
        named = [f"{e.field}: {e.message}" for e in exc.errors[:MAX_SHOWN_ERRORS]]
        if len(exc.errors) > MAX_SHOWN_ERRORS:
            named.append(f"and {len(exc.errors) - MAX_SHOWN_ERRORS} more")
        raise click.ClickException(f"{exc.detail.split(':')[0]}: {'; '.join(named)}") from None
    finally:
        ctx.engine.dispose()


def local_time(value: str, zone: str) -> str:
    """An ISO 8601 UTC timestamp as ``YYYY-MM-DD HH:MM`` in ``zone`` with its offset."""
    when = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return when.strftime("%Y-%m-%d %H:%M %z")
