"""Feed batches on the wire and in transfer files: zstd-compressed lines, bounded on reading.

A batch carries signed entries and the sender's signed checkpoint exactly as
stored (body text + signature), so it verifies wherever it travels: over HTTP,
or as a file carried by hand (``tansiq sync export``/``import``). Only what the
receiver can recompute is left out: each entry's hash (of its body), its sequence
number (its place after the cursor) and, in each body, the previous entry's hash
when it is the hash of the line before (docs/federation.md, "The bytes"). Reading
refuses anything malformed with a WireError naming the problem, and never inflates
more than ``MAX_INFLATED`` bytes (a compressed bomb is refused).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
import zstandard

from tansiq.journal.feed import FEED_ENTRY_DOMAIN, FeedEntry, FeedError, Signed

MEDIA_TYPE = "application/vnd.tansiq.batch+zstd"
BATCH_FORMAT = "tansiq-batch/2"
MAX_INFLATED = 256 * 1024 * 1024
SIGNATURE_BYTES = 64
# Level 9 over 6: about 3 % fewer bytes for a little more of the sender's time; on a
# poor link bytes per entry decide the catch-up.
_LEVEL = 9
# The envelope's link to the entry before: its last member holding an object
# (``payload``) comes before it and only scalars after, so the last match is it.
_PREV = b',"prev":"'
_HASH_HEX = 64


class WireError(FeedError):
    """A batch that cannot be read: not zstd, a malformed header, line or signature."""


@dataclass(frozen=True)
class WireBatch:
    """A batch as read: which feed, the cursor it follows, its entries and checkpoint."""

    feed: str
    after: int
    entries: list[FeedEntry]
    checkpoint: Signed | None
    more: bool


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _prev_at(body: bytes) -> int:
    """Where the previous entry's hash starts in ``body`` (-1 if it names none)."""
    found = body.rfind(_PREV)
    return -1 if found < 0 else found + len(_PREV)


def _line(body: bytes, prev_hash: bytes | None) -> bytes:
    """The line of an entry: its body without the previous hash if it is ``prev_hash``."""
    if prev_hash is None:
        return body
    at = _prev_at(body)
    if at >= 0 and body[at : at + _HASH_HEX + 1] == prev_hash + b'"':
        return body[:at] + body[at + _HASH_HEX :]
    return body


def encode_batch(
    *, feed: str, after: int, entries: list[FeedEntry], checkpoint: Signed | None, more: bool
) -> bytes:
    """The compressed bytes of a batch (``entries`` consecutive, the first ``max(after, 1)``)."""
    header: dict[str, Any] = {
        "after": after,
        "checkpoint": (
            {"body": checkpoint.body, "signature": _b64(checkpoint.signature)}
            if checkpoint is not None
            else None
        ),
        "count": len(entries),
        "feed": feed,
        "format": BATCH_FORMAT,
        "more": more,
    }
    parts = [orjson.dumps(header, option=orjson.OPT_SORT_KEYS)]
    prev_hash: bytes | None = None
    for entry in entries:
        parts.append(_line(entry.body.encode(), prev_hash))
        prev_hash = entry.hash.encode()
    parts.append(b"".join(entry.signature for entry in entries))
    return zstandard.ZstdCompressor(level=_LEVEL).compress(b"\n".join(parts))


def _inflate(data: bytes) -> bytes:
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(data)
        chunks, total = [], 0
        while chunk := reader.read(1 << 20):
            total += len(chunk)
            if total > MAX_INFLATED:
                raise WireError(f"the batch inflates past {MAX_INFLATED} bytes")
            chunks.append(chunk)
    except zstandard.ZstdError as exc:
        raise WireError(f"the batch is not zstd data: {exc}") from None
    return b"".join(chunks)


def _text(item: dict[str, Any], name: str, where: str) -> str:
    value = item.get(name)
    if not isinstance(value, str):
        raise WireError(f"{where}: {name} must be a string")
    return value


def _signature(item: dict[str, Any], where: str) -> bytes:
    try:
        raw = base64.b64decode(_text(item, "signature", where), validate=True)
    except (ValueError, binascii.Error):
        raw = b""
    if len(raw) != SIGNATURE_BYTES:
        raise WireError(f"{where}: signature must be the base64 of 64 bytes")
    return raw


def _int(document: dict[str, Any], name: str, where: str) -> int:
    value = document.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise WireError(f"{where}: {name} must be a whole number >= 0")
    return value


def _header(data: bytes) -> tuple[dict[str, Any], int]:
    """The batch's header and where its first entry line starts."""
    end = data.find(b"\n")
    try:
        header = orjson.loads(data[: end if end >= 0 else len(data)])
    except orjson.JSONDecodeError:
        raise WireError("the batch does not start with a JSON header line") from None
    if not isinstance(header, dict) or header.get("format") != BATCH_FORMAT:
        raise WireError(f"the batch is not a {BATCH_FORMAT} document")
    return header, (end + 1 if end >= 0 else len(data))


def _entries(data: bytes, start: int, count: int, first_seq: int) -> list[FeedEntry]:
    """``count`` entry lines from ``start``, then their signatures (the rest of ``data``)."""
    entries: list[FeedEntry] = []
    prev_hash: bytes | None = None
    at = start
    bodies: list[tuple[bytes, str]] = []
    for index in range(count):
        end = data.find(b"\n", at)
        if end < 0:
            raise WireError(f"entries[{index}]: the batch ends before its line does")
        body = data[at:end]
        link = _prev_at(body) if prev_hash is not None else -1
        if prev_hash is not None and link >= 0 and body[link : link + 1] == b'"':
            body = body[:link] + prev_hash + body[link:]
        digest = hashlib.sha256(FEED_ENTRY_DOMAIN + body).hexdigest()
        bodies.append((body, digest))
        prev_hash, at = digest.encode(), end + 1
    signatures = data[at:]
    if len(signatures) != count * SIGNATURE_BYTES:
        raise WireError(
            f"the batch holds {len(signatures)} bytes of signatures for {count} entries"
        )
    for index, (body, digest) in enumerate(bodies):
        try:
            text = body.decode()
        except UnicodeDecodeError:
            raise WireError(f"entries[{index}]: the body is not UTF-8") from None
        signature = signatures[index * SIGNATURE_BYTES : (index + 1) * SIGNATURE_BYTES]
        entries.append(FeedEntry(first_seq + index, text, digest, signature))
    return entries


def decode_batch(data: bytes) -> WireBatch:
    """Read a batch; raises WireError naming what is malformed."""
    inflated = _inflate(data)
    header, start = _header(inflated)
    after = _int(header, "after", "batch")
    count = _int(header, "count", "batch")
    entries = _entries(inflated, start, count, max(after, 1)) if count else []
    if not count and start < len(inflated):
        raise WireError("the batch holds bytes after its header but no entries")
    raw_checkpoint = header.get("checkpoint")
    checkpoint = None
    if raw_checkpoint is not None:
        if not isinstance(raw_checkpoint, dict):
            raise WireError("checkpoint must be an object")
        checkpoint = Signed(
            _text(raw_checkpoint, "body", "checkpoint"), _signature(raw_checkpoint, "checkpoint")
        )
    return WireBatch(
        feed=_text(header, "feed", "batch"),
        after=after,
        entries=entries,
        checkpoint=checkpoint,
        more=header.get("more") is True,
    )


def encode_signed(signed: Signed) -> bytes:
    """A receipt as a request body (plain JSON: it is small)."""
    return orjson.dumps({"body": signed.body, "signature": _b64(signed.signature)})


def decode_signed(data: bytes) -> Signed:
    """Read a receipt body; raises WireError naming what is malformed."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise WireError("the receipt is not JSON") from None
    if not isinstance(document, dict):
        raise WireError("the receipt must be an object")
    return Signed(_text(document, "body", "receipt"), _signature(document, "receipt"))
