"""Helpers shared by the meetings, decisions, action items and digest services.

Centers by code, acting as a named user (the CLI's ``--as``), version history
and cursor pages. Nothing here decides releasability: reads use ``visible_to``
and ``is_visible``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import Column, Connection, Select, and_, or_, select

from tansiq.config import Settings
from tansiq.domain.actors import Actor
from tansiq.domain.choices import RoleChoices
from tansiq.domain.errors import NotFound, PermissionDenied, ValidationFailed
from tansiq.domain.releasability import is_visible
from tansiq.services.context import ServiceContext
from tansiq.services.directory import center_ids_of_party
from tansiq.services.incident_queries import Page, decode_cursor, encode_cursor
from tansiq.services.records import RecordKind, Row
from tansiq.storage.db import read_transaction
from tansiq.storage.tables import centers, journal, users

MAX_PAGE = 1000

__all__ = [
    "MAX_PAGE",
    "Page",
    "actor_by_username",
    "center_by_code",
    "check_limit",
    "display_zone",
    "find_center",
    "page_of",
    "require_role",
    "version_history",
]


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


def actor_by_username(ctx: ServiceContext, *, username: str) -> Actor:
    """Act as a named, active user from the node's own command line.

    Raises NotFound for an unknown user, PermissionDenied for a deactivated one.
    """
    with read_transaction(ctx.engine) as conn:
        row = conn.execute(select(users).where(users.c.username == username)).first()
        if row is None:
            raise NotFound(f"no user named {username}")
        if not row.active:
            raise PermissionDenied(f"user {username} is deactivated")
        return Actor(
            user_id=row.id,
            username=row.username,
            party=row.party_id,
            roles=frozenset(RoleChoices(r) for r in row.roles),
            centers=center_ids_of_party(conn, row.party_id),
            language=row.language,
        )


def version_history(
    conn: Connection,
    kind: RecordKind,
    actor: Actor,
    record_id: str,
    present: Callable[[dict[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Every journaled version of a record the actor may see, oldest first.

    Each ``record`` is the journaled payload passed through ``present`` (which
    adds the fields derived at read time). The caller checks the current row is
    visible first.
    """
    entries = conn.execute(
        select(journal)
        .where(journal.c.record_kind == kind.name, journal.c.record_id == record_id)
        .order_by(journal.c.seq)
    ).mappings()
    history = []
    for entry in entries:
        # A version is shown only if it was itself released to the actor.
        if not is_visible(
            viewer_party=actor.party,
            viewer_centers=actor.centers,
            owner_party=entry["owner_party"] or "",
            releasability=entry["releasability"],
            center_id=entry["center_id"],
        ):
            continue
        history.append(
            {
                "version": entry["record_version"],
                "action": entry["action"],
                "actor": entry["actor"],
                "at": entry["at"],
                "journal_seq": entry["seq"],
                "hash": entry["hash"],
                "record": present(orjson.loads(entry["payload"])),
            }
        )
    return history


def check_limit(limit: int) -> None:
    """Raise ValidationFailed naming ``limit`` unless 1 <= limit <= MAX_PAGE."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed.single("limit", f"must be between 1 and {MAX_PAGE}")


def page_of(
    conn: Connection,
    query: Select[Any],
    *,
    sort: Column[datetime],
    record_id: Column[str],
    cursor: str | None,
    limit: int,
    descending: bool,
) -> tuple[Sequence[Row], str | None]:
    """Run ``query`` ordered by (``sort``, id) one page at a time.

    Returns the rows and the cursor of the next page (None at the end); raises
    ValidationFailed naming ``cursor`` or ``limit``.
    """
    check_limit(limit)
    if cursor is not None:
        when, last_id = decode_cursor(cursor)
        if descending:
            after = or_(sort < when, and_(sort == when, record_id < last_id))
        else:
            after = or_(sort > when, and_(sort == when, record_id > last_id))
        query = query.where(after)
    order = (sort.desc(), record_id.desc()) if descending else (sort.asc(), record_id.asc())
    rows = conn.execute(query.order_by(*order).limit(limit + 1)).mappings().all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    next_cursor = encode_cursor(last[sort.name], last[record_id.name]) if more and last else None
    return rows, next_cursor
