"""Command line for notices and disputes: ``tansiq notices pending``, ``tansiq disputes``.

Both act as a named user of this node (``--as``), read through the services like
every other entry point, and show times in the display time zone (Asia/Baghdad
by default); storage stays UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import click

from tansiq.cli import node_options
from tansiq.config import Settings
from tansiq.domain.actors import Actor
from tansiq.domain.notices import NOTIFICATION_IS_NOT_PERMISSION
from tansiq.services.context import ServiceContext, open_context


def local_time(value: str, zone: str) -> str:
    """An ISO 8601 UTC timestamp as ``YYYY-MM-DD HH:MM`` in ``zone`` with its offset."""
    when = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return when.strftime("%Y-%m-%d %H:%M %z")


def _open(settings: Settings, username: str) -> tuple[ServiceContext, Actor]:
    from tansiq.services.accounts import actor_for_username

    ctx = open_context(settings)
    try:
        return ctx, actor_for_username(ctx, username=username)
    except BaseException:
        ctx.engine.dispose()
        raise


AS_USER = click.option(
    "--as", "username", required=True, metavar="USERNAME", help="Act as this user of the node."
)


@click.group()
def notices() -> None:
    """Coordination notices between the parties."""


@notices.command("pending")
@AS_USER
@node_options
def notices_pending(settings: Settings, username: str) -> None:
    """List notices awaiting your party's answer, earliest deadline first (escalated marked)."""
    from tansiq.services.notice_queries import pending_notices

    ctx, actor = _open(settings, username)
    try:
        items = pending_notices(ctx, actor=actor)
    finally:
        ctx.engine.dispose()
    zone = settings.display_timezone
    if not items:
        click.echo(f"no notices await an answer from {actor.party}")
    for item in items:
        flag = "ESCALATED" if item["escalated"] else "pending"
        click.echo(
            f"{flag:<9}  due {local_time(item['ack_deadline'], zone)}  {item['kind']:<14}  "
            f"from {item['party']}  {item['subject']}  [{item['id']}]"
        )
    click.echo(NOTIFICATION_IS_NOT_PERMISSION)


def _dispute_line(item: dict[str, Any], zone: str) -> str:
    incident, contest = item["incident"], item["assessment"]
    awaiting = ", ".join(item["dispute"]["awaiting"]) or "-"
    return (
        f"{incident['place_name'] or incident['admin1'] or '?'}  "
        f"{local_time(incident['occurred_at'], zone)}  {incident['event_type']}  "
        f"owner {incident['party']}, contested by {contest['party']}; awaiting {awaiting}  "
        f"[incident {incident['id']}, contest {contest['id']}]"
    )


@click.command("disputes")
@click.option("--center", default=None, metavar="CODE", help="A center code: its agenda only.")
@AS_USER
@node_options
def disputes(settings: Settings, center: str | None, username: str) -> None:
    """List open disputes over incidents (a center's agenda with --center)."""
    from tansiq.services.disputes import list_disputes

    ctx, actor = _open(settings, username)
    try:
        items = list_disputes(ctx, actor=actor, center=center)
    finally:
        ctx.engine.dispose()
    if not items:
        click.echo("no open disputes" + (f" on the agenda of {center}" if center else ""))
    for item in items:
        click.echo(_dispute_line(item, settings.display_timezone))
