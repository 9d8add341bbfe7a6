"""``tansiq actions overdue`` and ``tansiq digest``: follow-through from the command line.

Both act as a named user (``--as``) and show what that user may see, with times
in the display time zone (Asia/Baghdad by default).
"""

from __future__ import annotations

import click

from tansiq.cli.options import AS_USER, acting_as, node_options
from tansiq.config import Settings

CENTER_HELP = "Center code (jcc-kirkuk) or its short form (kirkuk)."


@click.group()
def actions() -> None:
    """Action items agreed at center meetings."""


@actions.command("overdue")
@click.option("--center", "center_code", default=None, help=CENTER_HELP)
@AS_USER
@node_options
def actions_overdue(settings: Settings, center_code: str | None, username: str) -> None:
    """List open action items past their due time, most overdue first."""
    from tansiq.services.meetings.action_queries import overdue_actions
    from tansiq.services.meetings.centers import center_by_code, display_zone
    from tansiq.services.meetings.digest import action_line

    with acting_as(settings, username) as (ctx, actor):
        center_id = center_by_code(ctx, code=center_code)["id"] if center_code else None
        items = overdue_actions(ctx, actor=actor, center_id=center_id)
        now = ctx.clock()
    if not items:
        click.echo("no overdue action items")
        return
    zone = display_zone(ctx.settings)
    for item in items:
        click.echo(action_line(item, zone=zone, now=now))
    escalated = sum(1 for i in items if i["escalated"])
    click.echo(f"{len(items)} overdue, {escalated} escalated (times in {zone.key})")


@click.command("digest")
@click.option("--center", "center_code", required=True, help=CENTER_HELP)
@AS_USER
@node_options
def digest_command(settings: Settings, center_code: str, username: str) -> None:
    """Print a center's daily digest: late action items, decisions awaiting endorsement,
    meetings of the last 24 hours."""
    from tansiq.services.meetings.digest import digest, render_digest_text

    with acting_as(settings, username) as (ctx, actor):
        report = digest(ctx, actor=actor, center_code=center_code)
    click.echo(render_digest_text(report), nl=False)


COMMANDS: tuple[click.Command, ...] = (
    actions,
    digest_command,
)
