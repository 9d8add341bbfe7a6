"""Sync by hand-carried file, for links down for days: the same batch, the same checks.

``export_file`` writes what the peer party has not receipted yet; ``import_file``
applies a file through the same verification and apply as a pull, so importing a
file twice changes nothing (entries already received are only compared). The
importer may write its receipt to a file for the trip back (``import_receipt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tansiq.journal.feed import FeedError
from tansiq.journal.wire import decode_batch, decode_signed, encode_batch, encode_signed
from tansiq.services.core.context import ServiceContext
from tansiq.services.federation.apply import ApplyResult, apply_batch
from tansiq.services.federation.receipts import record_receipt, unreceipted_batch
from tansiq.services.federation.status import make_receipt, peer_by_node, peer_for

# A transfer file is read whole: refuse anything larger than this before reading it.
MAX_FILE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Exported:
    """What a transfer file holds."""

    path: Path
    entries: int
    after: int
    bytes: int


def export_file(ctx: ServiceContext, party: str, out: Path) -> Exported:
    """Write the entries of ``party``'s feed it has not receipted to ``out``.

    Raises NotFound when ``party`` has no active peer.
    """
    batch = unreceipted_batch(ctx, party)
    data = encode_batch(
        feed=batch.feed,
        after=batch.after,
        entries=batch.entries,
        checkpoint=batch.checkpoint,
        more=False,
    )
    temporary = out.with_name(out.name + ".partial")
    temporary.write_bytes(data)
    temporary.replace(out)
    # The first entry may be the one the peer receipted, sent again for it to compare.
    new = sum(1 for entry in batch.entries if entry.seq > batch.after)
    return Exported(out, new, batch.after, len(data))


def _read(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FeedError(f"{path} is larger than {MAX_FILE_BYTES} bytes")
    return path.read_bytes()


def import_file(ctx: ServiceContext, path: Path, *, receipt_out: Path | None = None) -> ApplyResult:
    """Verify and apply a transfer file; raises FeedError (malformed, not from a peer,
    or starting after a gap) and NotFound (the sending node is not an active peer)."""
    data = _read(path)
    batch = decode_batch(data)
    node_id, _, _party = batch.feed.partition("/")
    peer = peer_by_node(ctx, node_id)
    result = apply_batch(
        ctx, peer, entries=batch.entries, checkpoint=batch.checkpoint, wire_bytes=len(data)
    )
    if receipt_out is not None:
        receipt_out.write_bytes(encode_signed(make_receipt(ctx, peer)))
    return result


def import_receipt(ctx: ServiceContext, party: str, path: Path) -> int:
    """Keep a receipt file the peer of ``party`` wrote; returns the entry it names."""
    peer = peer_for(ctx, party)
    fields = record_receipt(ctx, peer, decode_signed(_read(path)))
    return int(fields["seq"])
