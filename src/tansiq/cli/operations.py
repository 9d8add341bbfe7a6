"""Command line for operation plans: ``tansiq operations recheck``.

It acts as a named user of this node (``--as``), through the services like every other
entry point: only a planner of the plan's owner party rechecks its findings, and a plan
the user may not see is "not found".
"""

from __future__ import annotations

import click

from tansiq.cli.options import AS_USER, acting_as, node_options
from tansiq.config import Settings


@click.group()
def operations() -> None:
    """Operation plans and their deconfliction findings."""


@operations.command("recheck")
@click.argument("operation_id", required=False)
@click.option("--all", "every", is_flag=True, help="Every live plan of your party.")
@AS_USER
@node_options
def operations_recheck(
    settings: Settings, username: str, operation_id: str | None, every: bool
) -> None:
    """Recheck a plan's findings (or, with --all, every live plan of your party's) against
    what they concern now; a recheck that changes nothing writes nothing."""
    from tansiq.services.operations.rechecks import recheck_findings, recheck_party_plans

    if (operation_id is None) == (not every):
        raise click.UsageError("give one OPERATION_ID or --all")
    with acting_as(settings, username) as (ctx, actor):
        if operation_id is not None:
            result = recheck_findings(ctx, actor=actor, operation_id=operation_id)
            open_ = sum(1 for f in result["findings"] if f["status"] == "open")
            click.echo(
                f"{result['id']}: {result['changed']} finding(s) written, "
                f"{open_} open of {len(result['findings'])} shown to you"
            )
            return
        done = recheck_party_plans(ctx, actor=actor)
    for plan in done:
        click.echo(f"{plan['id']}: {plan['changed']} finding(s) written  {plan['title']}")
    click.echo(f"{len(done)} live plan(s) of {actor.party} rechecked")


COMMANDS: tuple[click.Command, ...] = (operations,)
