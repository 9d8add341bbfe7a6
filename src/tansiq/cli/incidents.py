"""Command line for incidents: ``tansiq disputes`` (the open disputes, a center's agenda).

It acts as a named user of this node (``--as``) and shows times in the display
time zone (Asia/Baghdad by default); storage stays UTC.
"""

from __future__ import annotations

from typing import Any

import click

from tansiq.cli.options import AS_USER, acting_as, local_time, node_options
from tansiq.config import Settings


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
    from tansiq.services.incidents.dispute_queries import list_disputes

    with acting_as(settings, username) as (ctx, actor):
        items = list_disputes(ctx, actor=actor, center=center)
    if not items:
        click.echo("no open disputes" + (f" on the agenda of {center}" if center else ""))
    for item in items:
        click.echo(_dispute_line(item, settings.display_timezone))


COMMANDS: tuple[click.Command, ...] = (disputes,)
