"""Per-peer feed entries, checkpoints and receipts: their exact bytes, hashes and signatures.

Pure: the services build and store them, the sync transport carries them. Every
signed object is canonical JSON text that travels and is stored *as is*: the
receiver checks the signature over the bytes it received and only then parses
them, so no re-serialisation can break a signature (see docs/federation.md).
Each purpose has its own signing domain, so a feed signature can never pass for
a journal signature, a checkpoint or a receipt, nor the reverse.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from tansiq.journal.canonical import canonical_json, envelope_json
from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.keys import NodeKey

FEED_ENTRY_DOMAIN = b"tansiq feed entry v1\n"
CHECKPOINT_DOMAIN = b"tansiq feed checkpoint v1\n"
RECEIPT_DOMAIN = b"tansiq feed receipt v1\n"
ROTATION_DOMAIN = b"tansiq feed key rotation v1\n"

# What an entry says happened to the record, as the peer must apply it.
VERSION = "version"  # the record's full new version (payload present)
WITHDRAW = "withdraw"  # the record left the peer's reach (no payload)
KEY_ROTATION = "key_rotation"  # the sending node's key changed (payload names both keys)

FEED_ACTIONS = (VERSION, WITHDRAW, KEY_ROTATION)


class FeedError(ValueError):
    """A feed object is malformed, mis-signed or out of place; the message names the problem."""


def feed_id(node_id: str, party: str) -> str:
    """The name of ``node_id``'s feed to ``party``: also bound into every entry it holds."""
    return f"{node_id}/{party}"


def _sign(key: NodeKey, domain: bytes, body: bytes) -> tuple[str, bytes]:
    digest = hashlib.sha256(domain + body).hexdigest()
    return digest, key.sign(domain + bytes.fromhex(digest))


def _check(key: VerifyKey, domain: bytes, body: bytes, signature: bytes) -> str:
    """The body's hash if ``signature`` is ``key``'s over it; raises FeedError otherwise."""
    digest = hashlib.sha256(domain + body).hexdigest()
    try:
        key.verify(domain + bytes.fromhex(digest), signature)
    except BadSignatureError:
        raise FeedError("bad signature") from None
    return digest


def _object(text: str, what: str) -> dict[str, Any]:
    """``text`` parsed as a JSON object; raises FeedError naming ``what`` otherwise."""
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise FeedError(f"{what} is not JSON") from None
    if not isinstance(parsed, dict):
        raise FeedError(f"{what} is not a JSON object")
    return parsed


@dataclass(frozen=True)
class FeedEntry:
    """One signed feed entry: its canonical ``body`` text, hash and signature."""

    seq: int
    body: str
    hash: str
    signature: bytes

    def fields(self) -> dict[str, Any]:
        """The parsed body; raises FeedError when it is not a JSON object."""
        return _object(self.body, "the entry body")


def build_entry(
    key: NodeKey,
    *,
    feed: str,
    seq: int,
    prev_hash: str,
    fields: Mapping[str, Any],
    payload_text: str | None,
) -> FeedEntry:
    """Sign the feed entry ``seq`` after ``prev_hash``.

    ``fields`` are the envelope (kind, id, action, version, owner, reach, format,
    at, actor); ``payload_text`` the record's canonical payload embedded as is
    (``None`` for a withdrawal).
    """
    envelope: dict[str, Any] = {**fields, "feed": feed, "seq": seq, "prev": prev_hash}
    envelope["payload"] = orjson.Fragment(payload_text) if payload_text is not None else None
    body = envelope_json(envelope)
    digest, signature = _sign(key, FEED_ENTRY_DOMAIN, body)
    return FeedEntry(seq, body.decode(), digest, signature)


def entry_digest(entry: FeedEntry) -> str:
    """The hash the entry's body gives (what its signature covers)."""
    return hashlib.sha256(FEED_ENTRY_DOMAIN + entry.body.encode()).hexdigest()


def check_signature(entry: FeedEntry, key: VerifyKey) -> str:
    """The entry body's hash if ``key`` signed it; raises FeedError ("bad signature")."""
    return _check(key, FEED_ENTRY_DOMAIN, entry.body.encode(), entry.signature)


@dataclass(frozen=True)
class CheckedSignatures:
    """The signatures of a batch's entries checked ahead, under one key.

    Verifying is most of what receiving costs and PyNaCl lets other threads run
    meanwhile, so the receiver checks the next batch while it applies this one.
    """

    key: bytes
    entries: tuple[FeedEntry, ...]
    digests: tuple[str | None, ...]  # the body's hash where the signature verified

    def digest(self, index: int, entry: FeedEntry, key: VerifyKey) -> str | None:
        """The hash found for ``entry``, the ``index``-th checked, if its signature verified
        under ``key``; None when it did not, or was checked under another key or not at all."""
        if bytes(key) != self.key or index >= len(self.entries) or self.entries[index] is not entry:
            return None
        return self.digests[index]


def check_signatures(entries: list[FeedEntry], key: VerifyKey) -> CheckedSignatures:
    """Check every entry's signature under ``key``; a bad one is only left unchecked."""
    digests: list[str | None] = []
    for entry in entries:
        try:
            digests.append(check_signature(entry, key))
        except FeedError:
            digests.append(None)
    return CheckedSignatures(bytes(key), tuple(entries), tuple(digests))


def check_entry(
    entry: FeedEntry,
    key: VerifyKey,
    *,
    feed: str,
    seq: int,
    prev_hash: str,
    checked: str | None = None,
) -> dict[str, Any]:
    """Verify one received entry in its place in the chain and return its fields.

    ``checked`` is the hash :func:`check_signatures` found for this very entry under
    ``key``, if it ran. Raises FeedError naming what is wrong: signature, feed,
    sequence or chain link.
    """
    digest = checked if checked is not None else check_signature(entry, key)
    if digest != entry.hash:
        raise FeedError("the entry's hash does not match its body")
    fields = entry.fields()
    if fields.get("feed") != feed:
        raise FeedError(f"the entry belongs to feed {fields.get('feed')!r}, not {feed!r}")
    if fields.get("seq") != seq or entry.seq != seq:
        raise FeedError(f"expected entry {seq}, got {fields.get('seq')!r}")
    if fields.get("prev") != prev_hash:
        raise FeedError(f"entry {seq} does not follow entry {seq - 1} (prev hash differs)")
    if fields.get("action") not in FEED_ACTIONS:
        raise FeedError(f"unknown action {fields.get('action')!r}")
    return fields


def _rotation_statement(feed: str, old_key: str, new_key: str) -> bytes:
    return ROTATION_DOMAIN + canonical_json({"feed": feed, "new_key": new_key, "old_key": old_key})


def rotation_payload(*, feed: str, old: NodeKey, new: NodeKey) -> dict[str, str]:
    """The payload of a feed's key-rotation entry: both keys and the new key's proof.

    The entry itself is signed by ``old`` (it is written before the old secret goes),
    so the peer accepts the new key on the word of the key it already trusts.
    """
    old_hex, new_hex = old.public_key_hex, new.public_key_hex
    proof = new.sign(_rotation_statement(feed, old_hex, new_hex)).hex()
    return {"old_key": old_hex, "new_key": new_hex, "proof": proof}


def check_rotation(payload: Mapping[str, Any], *, feed: str) -> tuple[str, str]:
    """(old, new) keys (hex) of a feed rotation payload whose proof verifies.

    Raises FeedError naming what is missing or wrong.
    """
    old, new, proof = payload.get("old_key"), payload.get("new_key"), payload.get("proof")
    if not all(isinstance(v, str) for v in (old, new, proof)):
        raise FeedError("a key rotation names old_key, new_key and proof")
    try:
        VerifyKey(bytes.fromhex(str(new))).verify(
            _rotation_statement(feed, str(old), str(new)), bytes.fromhex(str(proof))
        )
    except (ValueError, BadSignatureError):
        raise FeedError("the new key's proof does not verify") from None
    return str(old), str(new)


@dataclass(frozen=True)
class Signed:
    """A signed canonical object (checkpoint or receipt): its body text and signature."""

    body: str
    signature: bytes

    def fields(self) -> dict[str, Any]:
        """The parsed body; raises FeedError when it is not a JSON object."""
        return _object(self.body, "the signed body")


def sign_checkpoint(key: NodeKey, *, feed: str, size: int, head: str, at: str) -> Signed:
    """The sender's statement that ``feed`` holds ``size`` entries ending in ``head``."""
    body = canonical_json({"feed": feed, "size": size, "head": head, "at": at})
    return Signed(body.decode(), _sign(key, CHECKPOINT_DOMAIN, body)[1])


def sign_receipt(
    key: NodeKey, *, feed: str, seq: int, head: str, at: str, withdrawn: int, held: int
) -> Signed:
    """The receiver's statement that it applied ``feed`` up to entry ``seq`` with ``head``.

    ``withdrawn`` counts the records it removed from its live tables on the sender's
    word, ``held`` the entries it holds until what they attach to arrives.
    """
    body = canonical_json(
        {
            "feed": feed,
            "seq": seq,
            "head": head,
            "at": at,
            "withdrawn": withdrawn,
            "held": held,
        }
    )
    return Signed(body.decode(), _sign(key, RECEIPT_DOMAIN, body)[1])


def check_signed(signed: Signed, key: VerifyKey, *, domain: bytes, feed: str) -> dict[str, Any]:
    """Verify a checkpoint or receipt of ``feed``; raises FeedError otherwise."""
    _check(key, domain, signed.body.encode(), signed.signature)
    fields = signed.fields()
    if fields.get("feed") != feed:
        raise FeedError(f"signed for feed {fields.get('feed')!r}, not {feed!r}")
    if not isinstance(fields.get("seq", fields.get("size")), int):
        raise FeedError("the signed statement names no entry count")
    head = fields.get("head")
    if not isinstance(head, str) or len(head) != 64:
        raise FeedError("the signed statement names no head hash")
    return fields


__all__ = [
    "CHECKPOINT_DOMAIN",
    "GENESIS_HASH",
    "RECEIPT_DOMAIN",
    "FeedEntry",
    "FeedError",
    "Signed",
    "CheckedSignatures",
    "build_entry",
    "check_entry",
    "check_signatures",
    "check_signed",
    "feed_id",
    "sign_checkpoint",
    "sign_receipt",
]
