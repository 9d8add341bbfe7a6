"""Account commands: ``tansiq user …`` (add, activate, deactivate, reset-password, roles,
unlock), ``tansiq token …`` (create, revoke) and ``tansiq accounts protect-credentials``;
the CLI acts as the node itself."""

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

    password = _stdin_password()
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


def _stdin_password() -> str | None:
    """A password piped on stdin, None when stdin is a terminal or empty."""
    if sys.stdin.isatty():
        return None
    return sys.stdin.readline().rstrip("\n") or None


@user.command("deactivate")
@click.argument("name")
@node_options
def user_deactivate(settings: Settings, name: str) -> None:
    """Deactivate user NAME: their sessions end and their tokens stop working."""
    from tansiq.services.accounts.admin_commands import set_user_active

    set_user_active(open_node(settings), by=CLI_ACTOR, username=name, active=False)
    click.echo(f"user {name} deactivated")


@user.command("activate")
@click.argument("name")
@node_options
def user_activate(settings: Settings, name: str) -> None:
    """Reactivate user NAME."""
    from tansiq.services.accounts.admin_commands import set_user_active

    set_user_active(open_node(settings), by=CLI_ACTOR, username=name, active=True)
    click.echo(f"user {name} activated")


@user.command("reset-password")
@click.argument("name")
@node_options
def user_reset_password(settings: Settings, name: str) -> None:
    """Set a new password for NAME (read from stdin, or generated and printed once)."""
    from tansiq.services.accounts.admin_commands import reset_password

    _user, password = reset_password(
        open_node(settings), by=CLI_ACTOR, username=name, password=_stdin_password()
    )
    click.echo(f"password of {name} reset; their sessions have ended")
    click.echo(f"password: {password}")


@user.command("roles")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, help="Role; repeat for several.")
@node_options
def user_roles(settings: Settings, name: str, roles: tuple[str, ...]) -> None:
    """Give user NAME exactly the roles named by --role."""
    from tansiq.services.accounts.admin_commands import change_roles

    record = change_roles(open_node(settings), by=CLI_ACTOR, username=name, roles=list(roles))
    click.echo(f"user {name} now has roles {', '.join(record['roles'])}")


@user.command("unlock")
@click.argument("name")
@node_options
def user_unlock(settings: Settings, name: str) -> None:
    """Release NAME's lock-out after too many failed logins."""
    from tansiq.services.accounts.admin_commands import unlock_user

    unlock_user(open_node(settings), by=CLI_ACTOR, username=name)
    click.echo(f"user {name} unlocked")


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
    # The id is what `tansiq token revoke` takes; stdout stays the bare secret for scripts.
    click.echo(f"token id {record['id']}, expires {record['expires_at']}", err=True)


@token.command("revoke")
@click.argument("token_id", metavar="ID")
@node_options
def token_revoke(settings: Settings, token_id: str) -> None:
    """Revoke the API token with id ID (idempotent)."""
    from tansiq.services.accounts.admin_commands import revoke_token

    record = revoke_token(open_node(settings), by=CLI_ACTOR, token_id=token_id)
    click.echo(f"token {token_id} revoked at {record['revoked_at']}")


@click.group()
def accounts() -> None:
    """Maintenance of all accounts."""


@accounts.command("protect-credentials")
@node_options
def accounts_protect_credentials(settings: Settings) -> None:
    """Journal again the users and tokens whose credential digest is not journaled yet."""
    from tansiq.services.accounts.admin_commands import protect_credentials

    ctx = open_node(settings)
    try:
        done = protect_credentials(ctx, by=CLI_ACTOR)
    finally:
        ctx.engine.dispose()
    click.echo(f"credentials protected: {done.users} users, {done.tokens} tokens")


COMMANDS: tuple[click.Command, ...] = (
    user,
    token,
    accounts,
)
