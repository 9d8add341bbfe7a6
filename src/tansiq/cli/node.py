"""Node commands: init, db upgrade, key rotate, verify, backup, restore, demo and serve."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from tansiq.cli.options import CLI_ACTOR, node_options, open_node
from tansiq.config import Settings


@click.command()
@click.option(
    "--party",
    default=None,
    help="Make this a federated node of PARTY (e.g. fed); once set, it never changes.",
)
@node_options
def init(settings: Settings, party: str | None) -> None:
    """Create the node key (mode 0600), bring the database schema up to date and journal
    the credential digests of accounts from before they were journaled."""
    from tansiq.services.accounts.admin_commands import protect_credentials
    from tansiq.services.core.node import init_node

    key, created = init_node(settings)
    state = "created" if created else "kept existing"
    click.echo(f"node {key.node_id}: {state} key {settings.key_path}; database ready")
    ctx = open_node(settings)
    try:
        done = protect_credentials(ctx, by=CLI_ACTOR)
        identity = None
        if party is not None:
            from tansiq.services.federation.identity import set_node_party

            identity = set_node_party(ctx, party)
    finally:
        ctx.engine.dispose()
    if done.users or done.tokens:
        click.echo(f"credentials protected: {done.users} users, {done.tokens} tokens")
    if identity is not None:
        click.echo(f"node {identity['id']} is a node of party {identity['party_id']}")


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


@click.group()
def key() -> None:
    """The node's signing key."""


@key.command("rotate")
@node_options
def key_rotate(settings: Settings) -> None:
    """Replace the node key by a new one, journaled as a rotation signed by the old key."""
    from tansiq.services.core.rotation import rotate_node_key

    ctx = open_node(settings)
    try:
        rotated = rotate_node_key(ctx, by=CLI_ACTOR)
    finally:
        ctx.engine.dispose()
    where = "finished an interrupted rotation" if rotated.resumed else f"entry {rotated.seq}"
    click.echo(f"node key rotated: {rotated.old_node_id} -> {rotated.new.node_id} ({where})")
    click.echo(f"public key: {rotated.new.public_key_hex}")
    # Sessions and page cursors are sealed with secrets derived from the old seed.
    click.echo(
        "restart the server: running processes hold the old key and refuse to write; "
        "everyone logs in again. A pinned old key still verifies; pin the new one too."
    )


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
@click.option(
    "--peer",
    "peer_party",
    metavar="PARTY",
    default=None,
    help="Instead, re-check everything received from PARTY's node against its signatures "
    "and its last signed checkpoint.",
)
@node_options
def verify(
    settings: Settings, expect_head: str | None, public_key: str | None, peer_party: str | None
) -> None:
    """Re-walk the journal: hashes, signatures, and every record against its last version."""
    from tansiq.services.core.verification import verify_node

    if peer_party is not None:
        _verify_peer(settings, peer_party)
        return
    report = verify_node(settings, public_key=public_key, expect_head=expect_head)
    if not report.ok:
        raise click.ClickException(f"verify failed: {report.problem}")
    click.echo(f"ok: {report.entries} journal entries, {report.records} records verified")
    _verify_feeds(settings)
    # Note the head (or give it to a peer): a later --expect-head detects a shortened journal.
    click.echo(f"head: {report.head}")
    click.echo(f"public key: {report.public_key}")
    if report.active_key != report.public_key:
        click.echo(f"active key: {report.active_key}")


def _verify_feeds(settings: Settings) -> None:
    """The feeds this node serves, against their chains and their peers' receipts."""
    from tansiq.journal.feed import FeedError
    from tansiq.services.federation.audit import audit_feeds

    try:
        checked = audit_feeds(settings)
    except FeedError as exc:
        raise click.ClickException(f"verify failed: {exc}") from None
    if checked:
        click.echo(f"ok: {checked} feed entries to peers verified against their receipts")


def _verify_peer(settings: Settings, party: str) -> None:
    from tansiq.services.federation.audit import verify_received

    ctx = open_node(settings)
    try:
        report = verify_received(ctx, party)
    finally:
        ctx.engine.dispose()
    if not report.ok:
        raise click.ClickException(f"verify --peer {party} failed: {report.problem}")
    named = "nothing yet" if report.checkpoint is None else f"entry {report.checkpoint}"
    click.echo(
        f"ok: {report.entries} entries received from {party} verified; head {report.head}; "
        f"their last checkpoint names {named}"
    )


@click.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="New file to write the copy to.",
)
@node_options
def backup(settings: Settings, out: Path) -> None:
    """Copy the embedded database online into a new file, and verify the copy."""
    from tansiq.services.core.backup import backup_database

    report = backup_database(settings, out=out)
    click.echo(f"backup {out}: {report.entries} journal entries, {report.records} records verified")


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that holds a journal.")
@node_options
def restore(settings: Settings, source: Path, replace: bool) -> None:
    """Replace the embedded database with a backup whose chain verifies (stop the node first)."""
    from tansiq.services.core.backup import restore_database

    report = restore_database(settings, source=source, replace_journal=replace)
    click.echo(f"restored {source}: {report.entries} journal entries, {report.records} records")


@click.command()
@click.option(
    "--party",
    default=None,
    help="Load only this party's part (its users, incidents, sectors), for its node of a pair.",
)
@node_options
def demo(settings: Settings, party: str | None) -> None:
    """Load the February 2020 demo scenario (idempotent) and print the logins."""
    from tansiq.demo.scenario import load_demo
    from tansiq.services.core.node import init_node

    init_node(settings)
    summary = load_demo(open_node(settings), party=party)
    click.echo(summary.describe())


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option(
    "--workers",
    default=1,
    type=click.IntRange(1, 64),
    show_default=True,
    help="Worker processes; more than one needs PostgreSQL.",
)
@node_options
def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve the API (/api/v1) and the web UI (/) over HTTP."""
    import uvicorn

    from tansiq.app import create_app

    settings.check_safe()
    if workers > 1 and settings.database_url.startswith("sqlite"):
        # SQLite takes one writer at a time: several processes would only queue on it.
        raise click.ClickException("--workers above 1 needs PostgreSQL (TANSIQ_DATABASE_URL)")
    app = create_app(settings)
    click.echo(
        f"Tansiq serving http://{host}:{port}/ (API at /api/v1, node {app.state.ctx.key.node_id}, "
        f"{workers} worker{'s' if workers > 1 else ''})"
    )
    loop = _sync_loop(app.state.ctx, settings)
    try:
        if workers == 1:
            uvicorn.run(app, host=host, port=port, log_level="info")
            return
        # Each worker process builds its own app from the environment: hand it this node.
        os.environ["TANSIQ_DATABASE_URL"] = settings.database_url
        os.environ["TANSIQ_KEY_FILE"] = settings.key_file
        uvicorn.run(
            "tansiq.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
        )
    finally:
        if loop is not None:
            loop.stop()


def _sync_loop(ctx: Any, settings: Settings) -> Any:
    """Start pulling from the peers in the background (this process only, not per worker)."""
    if settings.sync_interval_seconds <= 0:
        return None
    from tansiq.sync.loop import SyncLoop

    loop = SyncLoop(ctx, interval=float(settings.sync_interval_seconds))
    loop.start()
    return loop


COMMANDS: tuple[click.Command, ...] = (
    init,
    db,
    key,
    verify,
    backup,
    restore,
    demo,
    serve,
)
