"""The node's Ed25519 key: created once by ``tansiq init``, kept outside the database."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey, VerifyKey


class NodeKeyError(Exception):
    """The key file is missing, unreadable or too widely readable."""


@dataclass(frozen=True)
class NodeKey:
    """A node's signing key and the node id derived from its public key."""

    signing_key: SigningKey
    node_id: str

    @property
    def verify_key(self) -> VerifyKey:
        """The public half, shared with peers."""
        return self.signing_key.verify_key

    @property
    def public_key_hex(self) -> str:
        """The public key as 64 hex characters."""
        return bytes(self.signing_key.verify_key).hex()

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``message``."""
        return bytes(self.signing_key.sign(message).signature)

    def derived_secret(self, label: bytes) -> bytes:
        """A 32-byte secret for one purpose, HMAC-SHA256(seed, ``label``).

        Kept where the key is kept (never in the database); the label separates the
        purposes, so no derived secret reveals the seed or another purpose's secret.
        """
        return hmac.new(bytes(self.signing_key), label, hashlib.sha256).digest()


def parse_public_key(text: str) -> VerifyKey:
    """Read an Ed25519 public key given as 64 hex digits or base64 of its 32 bytes.

    Raises NodeKeyError when it is neither.
    """
    raw = text.strip()
    try:
        data = bytes.fromhex(raw) if len(raw) == 64 else base64.b64decode(raw, validate=True)
    except (ValueError, binascii.Error):
        data = b""
    if len(data) != 32:
        raise NodeKeyError(
            "public key must be 64 hex digits or the base64 of 32 bytes (an Ed25519 public key)"
        )
    return VerifyKey(data)


def node_id_for(public_key: bytes) -> str:
    """A short stable name for the node holding ``public_key``."""
    return "node-" + hashlib.sha256(public_key).hexdigest()[:12]


def create_key(path: Path) -> NodeKey:
    """Write a new key to ``path`` with mode 0600; raises NodeKeyError if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = SigningKey.generate()
    try:
        # O_EXCL: never overwrite a key, that would orphan the whole journal.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise NodeKeyError(f"key file {path} already exists") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(bytes(key).hex() + "\n")
        # On disk before anything is signed with it: a lost key orphans what it signed.
        handle.flush()
        os.fsync(handle.fileno())
    _sync_directory(path.parent)
    return NodeKey(key, node_id_for(bytes(key.verify_key)))


def replace_key_file(staged: Path, path: Path) -> None:
    """Move the key file ``staged`` (made by :func:`create_key`) over ``path``, atomically.

    The old key file is gone afterwards (``os.replace``); raises OSError.
    """
    os.replace(staged, path)
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make a file created or renamed in ``directory`` survive a crash."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_key(path: Path) -> NodeKey:
    """Read the node key; raises NodeKeyError if missing, malformed or not 0600."""
    if not path.exists():
        raise NodeKeyError(f"no node key at {path}: run `tansiq init` first")
    if path.stat().st_mode & 0o077:
        raise NodeKeyError(f"key file {path} must be readable by its owner only (chmod 600)")
    try:
        seed = bytes.fromhex(path.read_text().strip())
        key = SigningKey(seed)
    except ValueError:
        raise NodeKeyError(f"key file {path} is not a valid Ed25519 seed") from None
    return NodeKey(key, node_id_for(bytes(key.verify_key)))
