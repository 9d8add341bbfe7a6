"""Command line of federation: ``tansiq node show``, ``tansiq peer …``, ``tansiq sync …``.

Admins run these on their own node: print its identity for the other admin,
register the other party's node, pull from it once, see where sync stands, and
carry batches by file when the link is down.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from tansiq.cli.options import AS_USER, CLI_ACTOR, acting_as, node_context, node_options
from tansiq.config import Settings


@click.group()
def node() -> None:
    """This node's identity."""


@node.command("show")
@click.option("--json", "as_json", is_flag=True, help="node_id, party, public_key, fingerprint")
@node_options
def node_show(settings: Settings, as_json: bool) -> None:
    """Print this node's id, party and public key, for the other party's admin."""
    from tansiq.services.federation.identity import describe_node

    with node_context(settings) as ctx:
        shown = describe_node(ctx)
    if as_json:
        click.echo(json.dumps(shown, indent=2))
        return
    for name in ("node_id", "party", "public_key", "fingerprint"):
        click.echo(f"{name:<12} {shown[name]}")


@click.group()
def peer() -> None:
    """The other parties' nodes this node federates with."""


@peer.command("add")
@click.option("--party", required=True, help="The peer's party, e.g. krg.")
@click.option(
    "--url", required=True, help="Where the peer's node answers, e.g. http://10.0.0.2:8000"
)
@click.option("--public-key", required=True, help="The peer's public key (`tansiq node show`).")
@click.option("--node-id", default=None, help="The peer's node id (default: from its key).")
@node_options
def peer_add(
    settings: Settings, party: str, url: str, public_key: str, node_id: str | None
) -> None:
    """Register the node of another party (journaled)."""
    from tansiq.services.federation.identity import add_peer, fingerprint

    with node_context(settings) as ctx:
        added = add_peer(
            ctx, by=CLI_ACTOR, party=party, url=url, public_key=public_key, node_id=node_id
        )
    click.echo(
        f"peer {added['id']} of {added['party_id']} at {added['url']} "
        f"(fingerprint {fingerprint(added['public_key'])})"
    )


@peer.command("list")
@node_options
def peer_list(settings: Settings) -> None:
    """List the registered peers."""
    from tansiq.services.federation.identity import list_peers

    with node_context(settings) as ctx:
        rows = list_peers(ctx)
    if not rows:
        click.echo("no peers")
    for row in rows:
        click.echo(
            f"{row['party_id']:<8} {row['status']:<8} {row['id']}  {row['url']}  "
            f"{row['fingerprint']}"
        )


@peer.command("remove")
@click.option("--party", required=True, help="The party whose node to stop syncing with.")
@node_options
def peer_remove(settings: Settings, party: str) -> None:
    """Stop federating with a party's node (what it sent stays; journaled)."""
    from tansiq.services.federation.identity import remove_peer

    with node_context(settings) as ctx:
        removed = remove_peer(ctx, by=CLI_ACTOR, party=party)
    click.echo(f"peer {removed['id']} of {removed['party_id']} removed")


@click.group(invoke_without_command=True)
@click.option("--peer", "party", default=None, help="Pull only this party's node.")
@node_options
def sync(settings: Settings, party: str | None) -> None:
    """Pull from every peer once (or `sync status`, `sync export`, `sync import`)."""
    if click.get_current_context().invoked_subcommand is None:
        _sync_once(settings, party)


def _sync_once(settings: Settings, party: str | None) -> None:
    from tansiq.services.federation.status import active_peers
    from tansiq.sync.client import SyncFailed, pull

    failed = False
    with node_context(settings) as ctx:
        parties = [party] if party else [p["party_id"] for p in active_peers(ctx)]
        if not parties:
            click.echo("no peers: register one with `tansiq peer add`")
        for name in parties:
            try:
                report = pull(ctx, name)
            except SyncFailed as exc:
                click.echo(f"{name}: failed: {exc}", err=True)
                failed = True
                continue
            state = f"QUARANTINED {report.quarantined}" if report.quarantined else "ok"
            click.echo(
                f"{name}: {state}; {report.applied} applied, {report.withdrawn} withdrawn, "
                f"{report.held} held; cursor {report.cursor}; {report.bytes} bytes "
                f"in {report.batches} batches, {report.seconds:.1f} s"
            )
            failed = failed or report.quarantined is not None
    if failed:
        raise click.exceptions.Exit(1)


@sync.command("status")
@click.option("--json", "as_json", is_flag=True)
@node_options
def sync_status_command(settings: Settings, as_json: bool) -> None:
    """Per peer: last sync, entries behind, bytes, held and quarantined entries, receipts."""
    from tansiq.services.federation.status import sync_status

    with node_context(settings) as ctx:
        rows = sync_status(ctx)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no peers")
    for row in rows:
        behind = "?" if row["behind"] is None else row["behind"]
        click.echo(
            f"{row['party']:<6} {row['status']:<7} received up to {row['received_up_to']} "
            f"(behind {behind}), last success {row['last_success_at'] or 'never'}, "
            f"{row['entries_in']} entries / {row['bytes_in']} bytes, held {row['held']}, "
            f"quarantined {len(row['quarantined'])}, our feed {row['feed_size']} "
            f"(their receipt {row['their_receipt']['seq'] if row['their_receipt'] else 'none'})"
        )
        for quarantined in row["quarantined"]:
            click.echo(f"    quarantined entry {quarantined['seq']}: {quarantined['reason']}")
        if row["last_error"]:
            click.echo(f"    last error: {row['last_error']}")


@sync.command("export")
@click.option("--peer", "party", required=True, help="The party the file is for.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@node_options
def sync_export(settings: Settings, party: str, out: Path) -> None:
    """Write the feed entries the peer has not receipted to a file, to carry by hand."""
    from tansiq.sync.files import export_file

    with node_context(settings) as ctx:
        done = export_file(ctx, party, out)
    click.echo(f"wrote {done.entries} entries after {done.after} to {out} ({done.bytes} bytes)")


@sync.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--receipt-out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write this node's signed receipt here, to carry back to the sender.",
)
@node_options
def sync_import(settings: Settings, file: Path, receipt_out: Path | None) -> None:
    """Verify and apply a transfer file (the same checks as a pull; twice changes nothing)."""
    from tansiq.sync.files import import_file

    with node_context(settings) as ctx:
        result = import_file(ctx, file, receipt_out=receipt_out)
    click.echo(
        f"{result.applied} applied, {result.withdrawn} withdrawn, {result.held} held, "
        f"{result.skipped} already here; cursor {result.seq}"
    )
    if result.quarantined:
        raise click.ClickException(f"quarantined {result.quarantined}")


@sync.command("import-receipt")
@click.option("--peer", "party", required=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@node_options
def sync_import_receipt(settings: Settings, party: str, file: Path) -> None:
    """Keep the receipt a peer wrote for a transfer file."""
    from tansiq.sync.files import import_receipt

    with node_context(settings) as ctx:
        seq = import_receipt(ctx, party, file)
    click.echo(f"{party} receipted entries up to {seq}")


@click.group()
def release() -> None:
    """How exactly this party's records are released to the other parties."""


@release.command("precision")
@click.argument("record_id")
@click.option("--party", required=True, help="The receiving party, e.g. krg.")
@click.option(
    "--precision",
    required=True,
    help="GEO[,TIME]: exact, district or grid:DEGREES, then day, week or month.",
)
@AS_USER
@node_options
def release_precision(
    settings: Settings, record_id: str, party: str, precision: str, username: str
) -> None:
    """Release an incident to PARTY at reduced precision (journaled; `exact` undoes it)."""
    from tansiq.services.federation.release import set_release_precision

    with acting_as(settings, username) as (ctx, actor):
        done = set_release_precision(
            ctx,
            actor=actor,
            record_kind="incident",
            record_id=record_id,
            party=party,
            spec=precision,
        )
    click.echo(
        f"incident {record_id} goes to {party} at {done['spec']} from now on "
        "(what was sent stays as sent)"
    )


COMMANDS = (node, peer, sync, release)
