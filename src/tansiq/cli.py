"""The ``tansiq`` command line: the front door of a node."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from tansiq.config import Settings, load_settings
from tansiq.domain.actors import SystemActor
from tansiq.domain.errors import TansiqError
from tansiq.journal.keys import NodeKeyError
from tansiq.services.context import ServiceContext, open_context

F = TypeVar("F", bound=Callable[..., Any])
CLI_ACTOR = SystemActor("system:cli")


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


def _context(settings: Settings) -> ServiceContext:
    return open_context(settings)


@click.group()
@click.version_option(package_name="tansiq")
def main() -> None:
    """Tansiq: incidents, journal and coordination for a joint security mechanism."""


@main.command()
@node_options
def init(settings: Settings) -> None:
    """Create the node key (mode 0600) and bring the database schema up to date."""
    from tansiq.services.node import init_node

    key, created = init_node(settings)
    state = "created" if created else "kept existing"
    click.echo(f"node {key.node_id}: {state} key {settings.key_path}; database ready")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@node_options
def db_upgrade(settings: Settings) -> None:
    """Apply the Alembic migrations up to the newest revision."""
    from tansiq.storage.db import make_engine
    from tansiq.storage.migrate import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    click.echo("database schema is up to date")


@main.group()
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
    from tansiq.services.accounts import create_user

    password = None
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n") or None
    _user, password = create_user(
        _context(settings),
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


@main.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.argument("name")
@click.option("--label", default="cli", show_default=True, help="What the token is for.")
@click.option("--days", type=int, default=None, help="Lifetime in days (default 90).")
@node_options
def token_create(settings: Settings, name: str, label: str, days: int | None) -> None:
    """Print a new bearer token for user NAME (stored only as a hash)."""
    from tansiq.services.accounts import create_token

    secret, record = create_token(
        _context(settings), by=CLI_ACTOR, username=name, name=label, days=days
    )
    click.echo(secret)
    click.echo(f"expires {record['expires_at']}", err=True)


@main.command()
@node_options
def verify(settings: Settings) -> None:
    """Re-walk the journal: hashes, signatures, and every record against its last version."""
    from tansiq.services.verification import verify_database

    report = verify_database(_context(settings))
    if not report.ok:
        raise click.ClickException(f"verify failed: {report.problem}")
    click.echo(f"ok: {report.entries} journal entries, {report.records} records verified")


@main.command()
@node_options
def demo(settings: Settings) -> None:
    """Load the February 2020 demo scenario (idempotent) and print the logins."""
    from tansiq.demo.scenario import load_demo
    from tansiq.services.node import init_node

    init_node(settings)
    summary = load_demo(_context(settings))
    click.echo(summary.describe())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@node_options
def serve(settings: Settings, host: str, port: int) -> None:
    """Serve the API (/api/v1) and the web UI (/) over HTTP."""
    import uvicorn

    from tansiq.app import create_app

    settings.check_safe()
    app = create_app(settings)
    click.echo(
        f"Tansiq serving http://{host}:{port}/ (API at /api/v1, node {app.state.ctx.key.node_id})"
    )
    uvicorn.run(app, host=host, port=port, log_level="info")


from tansiq.cli_notices import disputes, notices  # noqa: E402 - needs main and node_options

main.add_command(notices)
main.add_command(disputes)

from tansiq.cli_sectors import coverage, sectors, sites  # noqa: E402 - needs main and node_options

main.add_command(coverage)
main.add_command(sectors)
main.add_command(sites)

from tansiq.cli_meetings import actions, digest_command  # noqa: E402 - needs main and node_options

main.add_command(actions)
main.add_command(digest_command)
