"""The node's key chain: K0 -> K1 -> … -> Kn, one link per journaled key rotation.

A rotation is a journal entry of kind ``node_key`` signed, like every entry, by the
key active before it (the old key). Its payload names the old and the new public key
and carries the new key's signature over a statement naming both keys and the
rotation's place in the chain (its proof of possession). So each link is vouched for
by both ends: trusting any key of the chain, the links after it are authenticated by
the old keys' signatures, the links before it by the new keys' proofs.

Pure: ``services/core/keychain.py`` reads the rotation entries from the database.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from tansiq.journal.canonical import canonical_json
from tansiq.journal.chain import entry_hash
from tansiq.journal.keys import NodeKey, node_id_for

ROTATION_KIND = "node_key"
ROTATION_ACTION = "rotate"
# Domain separation: a proof can never be mistaken for an entry signature (those sign
# 32 raw digest bytes) nor for any other statement a Tansiq key might sign.
_STATEMENT_LABEL = b"tansiq key rotation v1\n"


class ChainBreak(Exception):
    """The key chain is broken, or an entry is not signed by the key active at its place."""


def rotation_statement(*, old_key: str, new_key: str, seq: int, prev_hash: str) -> bytes:
    """What the new key signs: the label + canonical JSON of both keys (hex), seq, prev_hash.

    Naming ``seq`` and ``prev_hash`` binds the proof to the journal before the
    rotation, so the retired key alone cannot rewrite that history.
    """
    statement = {"new_key": new_key, "old_key": old_key, "prev_hash": prev_hash, "seq": seq}
    return _STATEMENT_LABEL + canonical_json(statement)


def rotation_payload(*, old: NodeKey, new: NodeKey, seq: int, prev_hash: str) -> dict[str, str]:
    """The payload of the rotation entry at ``seq`` (after ``prev_hash``), with ``new``'s proof."""
    statement = rotation_statement(
        old_key=old.public_key_hex, new_key=new.public_key_hex, seq=seq, prev_hash=prev_hash
    )
    return {
        "new_key": new.public_key_hex,
        "old_key": old.public_key_hex,
        "proof": new.sign(statement).hex(),
    }


@dataclass(frozen=True)
class KeyChain:
    """The keys in the order they were active, and the seq of each rotation entry.

    ``keys[i]`` signs the entries before ``rotated_at[i]`` (and that rotation entry
    itself) and after ``rotated_at[i - 1]``; ``trusted`` is the index of the key the
    verifier was given.
    """

    keys: tuple[VerifyKey, ...]
    node_ids: tuple[str, ...]
    rotated_at: tuple[int, ...] = ()
    rotation_hashes: tuple[str, ...] = ()
    trusted: int = 0

    @classmethod
    def single(cls, key: VerifyKey) -> KeyChain:
        """The chain of a node that never rotated its key."""
        return cls((key,), (node_id_for(bytes(key)),))

    @property
    def active(self) -> VerifyKey:
        """The key that signs the next entry."""
        return self.keys[-1]

    def key_for(self, row: Mapping[str, Any]) -> VerifyKey:
        """The key that must have signed the journal entry ``row`` (the one active at its seq).

        Raises ChainBreak when the entry names another key (a retired one, one not yet
        active, or one outside the chain: "unknown node"), or is a rotation the chain
        does not hold at that seq.
        """
        return self.key_at(row["seq"], row["node_id"], row["record_kind"], row["hash"])

    def key_at(self, seq: int, node_id: str, record_kind: str, entry_hash: str) -> VerifyKey:
        """:meth:`key_for` of an entry given by its seq, signer, kind and hash."""
        index = bisect_left(self.rotated_at, seq)
        at_rotation = index < len(self.rotated_at) and self.rotated_at[index] == seq
        if at_rotation != (record_kind == ROTATION_KIND) or (
            at_rotation and self.rotation_hashes[index] != entry_hash
        ):
            raise ChainBreak("not the key rotation the key chain holds at this entry")
        if self.node_ids[index] == node_id:
            return self.keys[index]
        if node_id not in self.node_ids:
            raise ChainBreak(f"unknown node {node_id}")
        other = self.node_ids.index(node_id)
        if other < index:
            raise ChainBreak(
                f"signed by {node_id}, a key retired at entry {self.rotated_at[other]}"
            )
        raise ChainBreak(
            f"signed by {node_id}, a key active only from entry {self.rotated_at[other - 1]}"
        )

    def describe(self) -> str:
        """The chain as node ids, ``node-a -> node-b``."""
        return " -> ".join(self.node_ids)


def build_key_chain(rotations: Iterable[Mapping[str, Any]], trusted: VerifyKey) -> KeyChain:
    """The chain the ``node_key`` entries ``rotations`` (in seq order) form, trusting ``trusted``.

    Checks each rotation's hash, its signature by the old key it names, the new key's
    proof and that it names the key active before it as old. Raises ChainBreak naming
    the first bad entry, or when ``trusted`` is not a key of the chain.
    """
    keys: list[VerifyKey] = []
    seqs: list[int] = []
    hashes: list[str] = []
    for row in rotations:
        old, new = _checked_link(row, active=keys[-1] if keys else None)
        if new in keys or new == old:
            raise ChainBreak(f"{_where(row)}: names a new key already in the key chain")
        if not keys:
            keys.append(old)
        keys.append(new)
        seqs.append(row["seq"])
        hashes.append(row["hash"])
    if not keys:
        return KeyChain.single(trusted)
    node_ids = tuple(node_id_for(bytes(k)) for k in keys)
    if trusted not in keys:
        raise ChainBreak(
            f"the trusted key {node_id_for(bytes(trusted))} is not in the journal's key chain "
            f"({' -> '.join(node_ids)})"
        )
    return KeyChain(tuple(keys), node_ids, tuple(seqs), tuple(hashes), keys.index(trusted))


def _where(row: Mapping[str, Any]) -> str:
    return f"journal entry {row['seq']} ({row['record_kind']} {row['record_id']})"


def _checked_link(
    row: Mapping[str, Any], *, active: VerifyKey | None
) -> tuple[VerifyKey, VerifyKey]:
    """The (old, new) keys of one rotation entry, every check passed; raises ChainBreak."""
    where = _where(row)
    try:
        payload = orjson.loads(row["payload"])
        old = VerifyKey(bytes.fromhex(payload["old_key"]))
        new = VerifyKey(bytes.fromhex(payload["new_key"]))
        proof = bytes.fromhex(payload["proof"])
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise ChainBreak(f"{where}: not a key rotation (malformed payload)") from None
    old_id = node_id_for(bytes(old))
    if active is not None and old != active:
        raise ChainBreak(
            f"{where}: names {old_id} as the old key but the active key is "
            f"{node_id_for(bytes(active))}"
        )
    if row["node_id"] != old_id:
        raise ChainBreak(f"{where}: names signer {row['node_id']}, not the old key {old_id}")
    if row["record_id"] != node_id_for(bytes(new)):
        raise ChainBreak(f"{where}: its record id is not the new key's node id")
    digest = entry_hash(row)
    if digest != row["hash"]:
        raise ChainBreak(f"{where}: hash mismatch, the entry was altered")
    try:
        old.verify(bytes.fromhex(digest), bytes(row["signature"]))
    except (BadSignatureError, ValueError):
        raise ChainBreak(f"{where}: bad signature, the old key did not sign it") from None
    statement = rotation_statement(
        old_key=payload["old_key"],
        new_key=payload["new_key"],
        seq=row["seq"],
        prev_hash=row["prev_hash"],
    )
    try:
        new.verify(statement, proof)
    except (BadSignatureError, ValueError):
        raise ChainBreak(f"{where}: the new key's proof of possession does not verify") from None
    return old, new
