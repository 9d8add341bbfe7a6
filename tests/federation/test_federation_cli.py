"""The federation command line: identity, peers, transfer files, status and verify --peer."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import update

from tansiq.services.incidents.commands import create_incident
from tansiq.storage.tables.federation import peers, received_entries
from tests.cli.test_cli import Node as CliNode
from tests.cli.test_cli import _one_line_error
from tests.factories import incident_data
from tests.federation.nodes import Node


def _cli(node: Node) -> CliNode:
    root = Path(node.ctx.settings.key_file).parent
    return CliNode(node.ctx.settings.database_url, root / "node.key")


def test_node_show_and_the_peer_verbs(pair: tuple[Node, Node], tmp_path: Path) -> None:
    fed, _krg = pair
    cli = _cli(fed)
    shown = json.loads(cli.run("node", "show", "--json").output)
    assert shown["party"] == "fed"
    assert set(shown) == {"node_id", "party", "public_key", "fingerprint"}
    listed = cli.run("peer", "list").output
    assert "krg" in listed and "un" in listed
    before = cli.count(peers)
    error = _one_line_error(
        cli.run("peer", "add", "--party", "other", "--url", "ftp://x", "--public-key", "nope")
    )
    assert "url" in error and "public_key" in error
    assert cli.count(peers) == before
    assert "removed" in cli.run("peer", "remove", "--party", "un").output
    assert _one_line_error(cli.run("peer", "remove", "--party", "un")).endswith(
        "no peer for party un"
    )


def test_a_transfer_file_applies_once_and_verify_peer_checks_it(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    fed, krg = pair
    for _ in range(3):
        create_incident(fed.ctx, actor=fed.actor(), data=incident_data())
    out = tmp_path / "to-krg.tansiq"
    exported = _cli(fed).run("sync", "export", "--peer", "krg", "--out", str(out))
    assert "wrote 3 entries after 0" in exported.output
    receiver = _cli(krg)
    first = receiver.run("sync", "import", str(out), "--receipt-out", str(tmp_path / "r"))
    assert "3 applied" in first.output
    again = receiver.run("sync", "import", str(out))
    assert "0 applied" in again.output and "3 already here" in again.output
    assert receiver.count(received_entries) == 3
    # The receipt travels back by hand too; the next export holds nothing new.
    assert (
        "up to 3"
        in _cli(fed).run("sync", "import-receipt", "--peer", "krg", str(tmp_path / "r")).output
    )
    assert (
        "wrote 0 entries after 3"
        in _cli(fed).run("sync", "export", "--peer", "krg", "--out", str(out)).output
    )
    assert "3 entries received from fed verified" in receiver.run("verify", "--peer", "fed").output
    status = receiver.run("sync", "status").output
    assert "received up to 3" in status
    # A received entry edited on the receiver is named by verify --peer.
    engine = receiver.engine()
    with engine.begin() as conn:
        conn.execute(update(received_entries).where(received_entries.c.seq == 2).values(body="{}"))
    engine.dispose()
    failed = _one_line_error(receiver.run("verify", "--peer", "fed"))
    assert "received entry 2 from fed" in failed


def test_garbage_in_a_transfer_file_is_one_line_and_changes_nothing(
    pair: tuple[Node, Node], tmp_path: Path
) -> None:
    _fed, krg = pair
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a batch at all")
    error = _one_line_error(_cli(krg).run("sync", "import", str(junk)))
    assert "not zstd" in error
    assert _cli(krg).count(received_entries) == 0
