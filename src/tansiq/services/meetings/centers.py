"""Helpers shared by the meetings, decisions, action items and digest services.

Centers by code, roles and the display time zone. Acting as a named user (the
CLI's ``--as``) is :func:`tansiq.services.accounts.commands.actor_for_username`, still
importable here as ``actor_by_username``.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from tansiq.config import Settings
from tansiq.domain.actors import Actor
from tansiq.domain.choices import RoleChoices
from tansiq.domain.errors import NotFound, PermissionDenied, ValidationFailed
from tansiq.services.accounts.commands import actor_for_username as actor_by_username
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.kinds import Row
from tansiq.storage.db import read_transaction
from tansiq.storage.tables.directory import centers

__all__ = [
    "actor_by_username",
    "center_by_code",
    "display_zone",
    "find_center",
    "require",
    "require_role",
]


def require(allowed: bool, message: str) -> None:
    """Raise PermissionDenied with ``message`` unless a policy check (``policy.py``) allowed it."""
    if not allowed:
        raise PermissionDenied(message)


def require_role(actor: Actor, roles: frozenset[RoleChoices], message: str) -> None:
    """Raise PermissionDenied with ``message`` unless the actor holds one of ``roles``."""
    if not actor.has_any_role(roles):
        raise PermissionDenied(message)


def display_zone(settings: Settings) -> ZoneInfo:
    """The time zone dates are entered and shown in (``TANSIQ_DISPLAY_TIMEZONE``)."""
    return ZoneInfo(settings.display_timezone)


def find_center(conn: Connection, code: str) -> Row:
    """The center with this id or code, or whose code ends in ``-code`` (``kirkuk``).

    Raises NotFound when none matches, ValidationFailed naming ``center`` when the
    short form matches several.
    """
    wanted = code.strip().lower()
    rows = conn.execute(select(centers).order_by(centers.c.code)).mappings().all()
    for row in rows:
        if wanted in (row["id"], row["code"].lower()):
            return row
    short = [r for r in rows if r["code"].lower().endswith("-" + wanted)]
    if len(short) == 1:
        return short[0]
    if short:
        codes = ", ".join(r["code"] for r in short)
        raise ValidationFailed.single("center", f"{code!r} matches {codes}; give the full code")
    raise NotFound(f"no center {code}")


def center_by_code(ctx: ServiceContext, *, code: str) -> dict[str, Any]:
    """A center by id, code or short code (centers are shared with all); raises as find_center."""
    with read_transaction(ctx.engine) as conn:
        return dict(find_center(conn, code))
