"""Feed batches on the wire and in transfer files: JSON, zstd-compressed, bounded on reading.

A batch carries signed entries and the sender's signed checkpoint exactly as
stored (body text + base64 signature), so it verifies wherever it travels: over
HTTP, or as a file carried by hand (``tansiq sync export``/``import``). Reading
refuses anything malformed with a WireError naming the problem, and never
inflates more than ``MAX_INFLATED`` bytes (a compressed bomb is refused).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

import orjson
import zstandard

from tansiq.journal.feed import FeedEntry, FeedError, Signed

MEDIA_TYPE = "application/vnd.tansiq.batch+zstd"
BATCH_FORMAT = "tansiq-batch/1"
MAX_INFLATED = 256 * 1024 * 1024
_LEVEL = 6


class WireError(FeedError):
    """A batch that cannot be read: not zstd, not JSON, a missing or mistyped field."""


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


def encode_batch(
    *, feed: str, after: int, entries: list[FeedEntry], checkpoint: Signed | None, more: bool
) -> bytes:
    """The compressed bytes of a batch."""
    document: dict[str, Any] = {
        "format": BATCH_FORMAT,
        "feed": feed,
        "after": after,
        "more": more,
        "entries": [
            {"seq": e.seq, "hash": e.hash, "body": e.body, "signature": _b64(e.signature)}
            for e in entries
        ],
        "checkpoint": (
            {"body": checkpoint.body, "signature": _b64(checkpoint.signature)}
            if checkpoint is not None
            else None
        ),
    }
    return zstandard.ZstdCompressor(level=_LEVEL).compress(orjson.dumps(document))


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
    if len(raw) != 64:
        raise WireError(f"{where}: signature must be the base64 of 64 bytes")
    return raw


def _int(document: dict[str, Any], name: str, where: str) -> int:
    value = document.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise WireError(f"{where}: {name} must be a whole number >= 0")
    return value


def decode_batch(data: bytes) -> WireBatch:
    """Read a batch; raises WireError naming what is malformed."""
    try:
        document = orjson.loads(_inflate(data))
    except orjson.JSONDecodeError:
        raise WireError("the batch is not JSON") from None
    if not isinstance(document, dict) or document.get("format") != BATCH_FORMAT:
        raise WireError(f"the batch is not a {BATCH_FORMAT} document")
    raw_entries = document.get("entries")
    if not isinstance(raw_entries, list):
        raise WireError("the batch has no entries list")
    entries = []
    for index, item in enumerate(raw_entries):
        where = f"entries[{index}]"
        if not isinstance(item, dict):
            raise WireError(f"{where} must be an object")
        entries.append(
            FeedEntry(
                seq=_int(item, "seq", where),
                body=_text(item, "body", where),
                hash=_text(item, "hash", where),
                signature=_signature(item, where),
            )
        )
    raw_checkpoint = document.get("checkpoint")
    checkpoint = None
    if raw_checkpoint is not None:
        if not isinstance(raw_checkpoint, dict):
            raise WireError("checkpoint must be an object")
        checkpoint = Signed(
            _text(raw_checkpoint, "body", "checkpoint"), _signature(raw_checkpoint, "checkpoint")
        )
    return WireBatch(
        feed=_text(document, "feed", "batch"),
        after=_int(document, "after", "batch"),
        entries=entries,
        checkpoint=checkpoint,
        more=document.get("more") is True,
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
