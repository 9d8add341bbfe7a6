"""Node commands: ``tansiq init``, ``db upgrade``, ``verify``, ``demo`` and ``serve``."""

from __future__ import annotations

import click

from tansiq.cli.options import node_options, open_node
from tansiq.config import Settings


@click.command()
@node_options
def init(settings: Settings) -> None:
    """Create the node key (mode 0600) and bring the database schema up to date."""
    from tansiq.services.core.node import init_node

    key, created = init_node(settings)
    state = "created" if created else "kept existing"
    click.echo(f"node {key.node_id}: {state} key {settings.key_path}; database ready")


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@node_options
def db_upgrade(settings: Settings) -> None:
    """Apply the Alembic migrations up to the newest revision."""
    from tansiq.services.core.node import upgrade_database

    upgrade_database(settings)
    click.echo("database schema is up to date")


@click.command()
@click.option(
    "--expect-head",
    metavar="SEQ:HASH",
    default=None,
    help="A head noted earlier or held by a peer: fail unless the chain reaches SEQ with HASH.",
)
@click.option(
    "--public-key",
    metavar="KEY",
    default=None,
    help="Trust this Ed25519 public key (hex or base64) instead of the key file "
    "(default TANSIQ_PINNED_PUBLIC_KEY).",
)
@node_options
def verify(settings: Settings, expect_head: str | None, public_key: str | None) -> None:
    """Re-walk the journal: hashes, signatures, and every record against its last version."""
    from tansiq.services.core.verification import verify_node

    report = verify_node(settings, public_key=public_key, expect_head=expect_head)
    if not report.ok:
        raise click.ClickException(f"verify failed: {report.problem}")
    click.echo(f"ok: {report.entries} journal entries, {report.records} records verified")
    # Note the head (or give it to a peer): a later --expect-head detects a shortened journal.
    click.echo(f"head: {report.head}")
    click.echo(f"public key: {report.public_key}")


@click.command()
@node_options
def demo(settings: Settings) -> None:
    """Load the February 2020 demo scenario (idempotent) and print the logins."""
    from tansiq.demo.scenario import load_demo
    from tansiq.services.core.node import init_node

    init_node(settings)
    summary = load_demo(open_node(settings))
    click.echo(summary.describe())


@click.command()
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


COMMANDS: tuple[click.Command, ...] = (
    init,
    db,
    verify,
    demo,
    serve,
)
