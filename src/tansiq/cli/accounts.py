"""Account commands: ``tansiq user add`` and ``tansiq token create``."""

from __future__ import annotations

import sys

import click

from tansiq.cli.options import CLI_ACTOR, node_options, open_node
from tansiq.config import Settings


@click.group()
def user() -> None:
    """Manage users."""


@user.command("add")
@click.argument("name")
@click.option("--party", required=True, help="Party id, e.g. fed or krg.")
@click.option("--role", "roles", multiple=True, required=True, help="Role; repeat for several.")
@click.option("--display-name", default=None, help="Full name shown in the UI.")
@click.option("--language", default="en", show_default=True, help="en, ar or ckb.")
@node_options
def user_add(
    settings: Settings,
    name: str,
    party: str,
    roles: tuple[str, ...],
    display_name: str | None,
    language: str,
) -> None:
    """Add user NAME. The password is read from stdin, or generated and printed once."""
    from tansiq.services.accounts.commands import create_user

    password = None
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n") or None
    _user, password = create_user(
        open_node(settings),
        by=CLI_ACTOR,
        username=name,
        party=party,
        roles=list(roles),
        display_name=display_name,
        password=password,
        language=language,
    )
    click.echo(f"user {name} added to party {party} with roles {', '.join(sorted(roles))}")
    click.echo(f"password: {password}")


@click.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.argument("name")
@click.option("--label", default="cli", show_default=True, help="What the token is for.")
@click.option("--days", type=int, default=None, help="Lifetime in days (default 90).")
@node_options
def token_create(settings: Settings, name: str, label: str, days: int | None) -> None:
    """Print a new bearer token for user NAME (stored only as a hash)."""
    from tansiq.services.accounts.commands import create_token

    secret, record = create_token(
        open_node(settings), by=CLI_ACTOR, username=name, name=label, days=days
    )
    click.echo(secret)
    click.echo(f"expires {record['expires_at']}", err=True)


COMMANDS: tuple[click.Command, ...] = (
    user,
    token,
)
