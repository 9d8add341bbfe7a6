"""Command line for notices: ``tansiq notices pending``.

It acts as a named user of this node (``--as``), read through the services like
every other entry point, and show times in the display time zone (Asia/Baghdad
by default); storage stays UTC.
"""

from __future__ import annotations

import click

from tansiq.cli.options import AS_USER, acting_as, local_time, node_options
from tansiq.config import Settings
from tansiq.domain.notices import NOTIFICATION_IS_NOT_PERMISSION


@click.group()
def notices() -> None:
    """Coordination notices between the parties."""


@notices.command("pending")
@AS_USER
@node_options
def notices_pending(settings: Settings, username: str) -> None:
    """List notices awaiting your party's answer, earliest deadline first (escalated marked)."""
    from tansiq.services.notices.queries import pending_notices

    with acting_as(settings, username) as (ctx, actor):
        items = pending_notices(ctx, actor=actor)
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


COMMANDS: tuple[click.Command, ...] = (notices,)
