"""The checks of each journal entry, split between the reader and the workers.

``tansiq verify`` reads the journal as tuples of ``ENTRY_COLUMNS`` in ``seq`` order.
The reader (:class:`JournalLinks`) checks what ties an entry to the one before it —
its seq and its ``prev_hash`` against the stored hash of that entry — and notes each
record's latest payload; :func:`check_entries` checks what an entry holds by itself —
its hash, its signer and its signature — over a chunk at a time, in a worker process
for a large journal. Together they make every check of the one-by-one walk: an entry
whose stored hash is wrong is named by its own hash check, which comes before the
``prev_hash`` check of the entry after it. Pure: nothing here touches the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from nacl.exceptions import BadSignatureError

from tansiq.journal.chain import ENVELOPE_FIELDS, GENESIS_HASH, WITHDRAWN_ACTION, envelope_digest
from tansiq.journal.keychain import ROTATION_KIND, ChainBreak, KeyChain

# The columns of a journal row as the verifier reads them: the hashed envelope fields
# first, in ENVELOPE_FIELDS order, then the rest.
ENTRY_COLUMNS = (
    *ENVELOPE_FIELDS,
    "payload",
    "payload_format",
    "prev_hash",
    "hash",
    "signature",
)
_FIELDS = len(ENVELOPE_FIELDS)
SEQ, NODE_ID = ENTRY_COLUMNS.index("seq"), ENTRY_COLUMNS.index("node_id")
KIND, RECORD_ID = ENTRY_COLUMNS.index("record_kind"), ENTRY_COLUMNS.index("record_id")
ACTION = ENTRY_COLUMNS.index("action")
PAYLOAD, FORMAT = ENTRY_COLUMNS.index("payload"), ENTRY_COLUMNS.index("payload_format")
PREV_HASH, HASH = ENTRY_COLUMNS.index("prev_hash"), ENTRY_COLUMNS.index("hash")
SIGNATURE = ENTRY_COLUMNS.index("signature")

# A break: the index of the entry in its chunk and what is wrong with it.
EntryBreak = tuple[int, str]
# What a record's latest entry says of it: the payload's SHA-256 and its format.
Journaled = tuple[bytes, int]


def as_entry(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """A journal row given as a mapping, as the tuple the checks read (format 1 if absent)."""
    return tuple(
        row.get(name, 1) if name == "payload_format" else row[name] for name in ENTRY_COLUMNS
    )


def where(row: Sequence[Any]) -> str:
    """How messages name an entry: ``journal entry 7 (incident <id>)``."""
    return f"journal entry {row[SEQ]} ({row[KIND]} {row[RECORD_ID]})"


def check_entries(
    rows: Sequence[Sequence[Any]], keys: KeyChain, expect_head: tuple[int, str] | None
) -> EntryBreak | None:
    """The first entry of ``rows`` whose hash, signer or signature is wrong, or that is
    at ``expect_head``'s seq (seq, hash) with another hash; None when all hold.

    The checks of one entry run in the walk's order: hash, signer, signature, head.
    """
    for index, row in enumerate(rows):
        digest = envelope_digest(row[:_FIELDS], row[PREV_HASH], row[PAYLOAD], row[FORMAT])
        hex_digest = digest.hex()
        if hex_digest != row[HASH]:
            return index, f"{where(row)}: hash mismatch, the entry was altered"
        try:
            key = keys.key_at(row[SEQ], row[NODE_ID], row[KIND], row[HASH])
        except ChainBreak as exc:
            return index, f"{where(row)}: {exc}"
        try:
            key.verify(digest, bytes(row[SIGNATURE]))
        except (BadSignatureError, ValueError, TypeError):
            # ValueError: a signature cut to another length is as bad as a wrong one.
            return index, f"{where(row)}: bad signature"
        if expect_head is not None and row[SEQ] == expect_head[0] and hex_digest != expect_head[1]:
            return index, (
                f"{where(row)}: hash {hex_digest} is not the expected head {expect_head[1]}, "
                "the journal was rewritten"
            )
    return None


class JournalLinks:
    """The reader's part of the walk: seqs without gaps, ``prev_hash`` links, and each
    record's latest journaled payload (``latest``, by ``kind:id``)."""

    def __init__(self) -> None:
        self.next_seq = 1
        self.last_hash = GENESIS_HASH
        self.latest: dict[str, Journaled] = {}
        self.problem: str | None = None

    def feed(self, rows: Sequence[Sequence[Any]]) -> int:
        """Check the links of the next ``rows``; how many of them precede the first break
        (all of them when none, else ``problem`` names it and nothing more may be fed)."""
        latest, sha256 = self.latest, hashlib.sha256
        expected, last_hash = self.next_seq, self.last_hash
        count = 0
        for row in rows:
            seq = row[SEQ]
            if seq != expected:
                self.problem = f"journal entry {expected} is missing (next found is {seq})"
                break
            if row[PREV_HASH] != last_hash:
                self.problem = f"{where(row)}: prev_hash does not match entry {seq - 1}"
                break
            last_hash = row[HASH]
            kind = row[KIND]
            label = f"{kind}:{row[RECORD_ID]}"
            if row[ACTION] == WITHDRAWN_ACTION:
                latest.pop(label, None)
            elif kind != ROTATION_KIND:  # a rotation is no record of a table
                latest[label] = (sha256(row[PAYLOAD].encode()).digest(), row[FORMAT])
            expected += 1
            count += 1
        self.next_seq, self.last_hash = expected, last_hash
        return count

    @property
    def head(self) -> tuple[int, str]:
        """(seq, hash) of the last entry fed whose links held."""
        return self.next_seq - 1, self.last_hash
