"""Feed batches on the wire: what is left out comes back byte for byte; garbage is named."""

from __future__ import annotations

import base64

import orjson
import pytest
import zstandard
from nacl.signing import SigningKey

from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.feed import (
    FeedEntry,
    FeedError,
    build_entry,
    check_entry,
    check_signatures,
    sign_checkpoint,
)
from tansiq.journal.keys import NodeKey
from tansiq.journal.wire import BATCH_FORMAT, WireError, decode_batch, encode_batch

FEED = "node-1/krg"


def _entries(
    key: NodeKey, count: int, *, first: int = 1, prev: str = GENESIS_HASH
) -> list[FeedEntry]:
    entries = []
    for seq in range(first, first + count):
        fields = {
            "kind": "incident",
            "id": f"id-{seq}",
            "action": "version",
            "version": 1,
            "owner": "fed",
            "releasability": "all",
            "center_id": None,
            "format": 1,
            "at": "2020-02-20T09:00:00.000000Z",
            "actor": "user-1",
        }
        # A payload with a "prev" of its own must not be taken for the envelope's.
        payload = orjson.dumps({"id": f"id-{seq}", "note": ',"prev":"', "prev": "x"}).decode()
        entry = build_entry(
            key, feed=FEED, seq=seq, prev_hash=prev, fields=fields, payload_text=payload
        )
        entries.append(entry)
        prev = entry.hash
    return entries


def _inflated(data: bytes) -> bytes:
    return zstandard.ZstdDecompressor().stream_reader(data).read()


def _compressed(*parts: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(b"\n".join(parts))


def _header(**changes: object) -> bytes:
    header = {"after": 0, "checkpoint": None, "count": 1, "feed": FEED, "format": BATCH_FORMAT}
    return orjson.dumps({**header, "more": False, **changes})


def test_a_batch_reads_back_as_sent_without_the_hashes_it_can_recompute(node_key: NodeKey) -> None:
    entries = _entries(node_key, 5)
    checkpoint = sign_checkpoint(
        node_key, feed=FEED, size=5, head=entries[-1].hash, at="2020-02-20T09:00:00.000000Z"
    )
    data = encode_batch(feed=FEED, after=0, entries=entries, checkpoint=checkpoint, more=True)
    batch = decode_batch(data)
    assert batch.entries == entries
    assert (batch.feed, batch.after, batch.checkpoint, batch.more) == (FEED, 0, checkpoint, True)
    inflated = _inflated(data)
    # No entry's hash travels, neither its own nor as the next one's link (only the
    # checkpoint names the head).
    assert not [e.seq for e in entries[:-1] if e.hash.encode() in inflated]
    assert inflated.count(entries[-1].hash.encode()) == 1
    assert inflated.count(b'"prev":""') == 4


def test_a_batch_after_the_cursor_starts_with_the_cursors_entry(node_key: NodeKey) -> None:
    entries = _entries(node_key, 4)
    batch = decode_batch(
        encode_batch(feed=FEED, after=2, entries=entries[1:], checkpoint=None, more=False)
    )
    assert [e.seq for e in batch.entries] == [2, 3, 4]
    assert batch.entries == entries[1:]


def test_a_link_that_names_another_hash_travels_whole(node_key: NodeKey) -> None:
    first = _entries(node_key, 1)
    stray = _entries(node_key, 1, first=2, prev="1" * 64)
    data = encode_batch(feed=FEED, after=0, entries=first + stray, checkpoint=None, more=False)
    batch = decode_batch(data)
    assert batch.entries == first + stray
    with pytest.raises(FeedError, match="prev hash differs"):
        check_entry(
            batch.entries[1], node_key.verify_key, feed=FEED, seq=2, prev_hash=first[0].hash
        )


def test_signatures_checked_ahead_count_only_for_their_entries_and_key(node_key: NodeKey) -> None:
    entries = _entries(node_key, 2)
    forged = FeedEntry(2, entries[1].body, entries[1].hash, bytes(64))
    checked = check_signatures([entries[0], forged], node_key.verify_key)
    assert checked.digest(0, entries[0], node_key.verify_key) == entries[0].hash
    assert checked.digest(1, forged, node_key.verify_key) is None
    # Another entry at the same place, or the same entry under another key: not vouched for.
    assert checked.digest(0, _entries(node_key, 1)[0], node_key.verify_key) is None
    other = SigningKey.generate().verify_key
    assert checked.digest(0, entries[0], other) is None
    with pytest.raises(FeedError, match="bad signature"):
        check_entry(
            forged,
            node_key.verify_key,
            feed=FEED,
            seq=2,
            prev_hash=entries[0].hash,
            checked=checked.digest(1, forged, node_key.verify_key),
        )


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"not zstd", "not zstd data"),
        (_compressed(b"[1, 2"), "JSON header"),
        (_compressed(_header(format="tansiq-batch/1")), "not a tansiq-batch/2"),
        (_compressed(_header(count=-1), b""), "count must be a whole number"),
        (_compressed(_header(count=2), b"{}", bytes(128)), r"entries\[1\]: the batch ends"),
        (_compressed(_header(), b"{}", bytes(63)), "63 bytes of signatures for 1 entries"),
        (_compressed(_header(), b"\xff{}", bytes(64)), r"entries\[0\]: the body is not UTF-8"),
        (_compressed(_header(count=0), b"{}"), "bytes after its header"),
        (
            _compressed(_header(checkpoint={"body": "{}", "signature": "AA=="}), b"{}", bytes(64)),
            "checkpoint: signature must be the base64 of 64 bytes",
        ),
        (_compressed(_header(feed=3), b"{}", bytes(64)), "feed must be a string"),
    ],
)
def test_a_malformed_batch_is_refused_naming_what(data: bytes, named: str) -> None:
    with pytest.raises(WireError, match=named):
        decode_batch(data)


def test_a_readable_batch_of_garbage_entries_is_left_to_the_checks(node_key: NodeKey) -> None:
    signature = base64.b64encode(bytes(64)).decode()
    data = _compressed(_header(checkpoint={"body": "{}", "signature": signature}), b"{}", bytes(64))
    (entry,) = decode_batch(data).entries
    assert (entry.seq, entry.body, entry.signature) == (1, "{}", bytes(64))
    with pytest.raises(FeedError, match="bad signature"):
        check_entry(entry, node_key.verify_key, feed=FEED, seq=1, prev_hash=GENESIS_HASH)
