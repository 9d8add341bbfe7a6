"""Re-walk the journal: sequence, hash chain, signatures, and current rows.

Pure: the caller streams journal rows and current records in; nothing here
touches the database.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from nacl.exceptions import BadSignatureError

from tansiq.journal.chain import GENESIS_HASH, WITHDRAWN_ACTION, entry_hash
from tansiq.journal.keychain import ROTATION_KIND, ChainBreak, KeyChain

_HEAD = re.compile(r"(\d+):([0-9a-f]{64})")


@dataclass(frozen=True)
class JournalHead:
    """A point of the chain: an entry's ``seq`` and hash (seq 0 is the empty journal)."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def parse_head(text: str) -> JournalHead:
    """Read ``SEQ:HASH`` (as ``tansiq verify`` prints it); raises ValueError if malformed."""
    match = _HEAD.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(
            f"--expect-head must be SEQ:HASH (a number, a colon, 64 hex digits), got {text!r}"
        )
    return JournalHead(int(match[1]), match[2])


@dataclass
class VerifyReport:
    """Outcome of a verification; ``problem`` names the first break found."""

    entries: int = 0
    records: int = 0
    problem: str | None = None
    head: JournalHead = JournalHead(0, GENESIS_HASH)
    # The public key the signatures were checked against (hex), set by the caller.
    public_key: str = ""
    # The key that signs the next entry (hex): another than ``public_key`` after a rotation.
    active_key: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing was broken."""
        return self.problem is None


def verify_journal(
    entries: Iterable[Mapping[str, Any]],
    current_records: Iterable[tuple[str, str, bytes | Callable[[int], bytes]]],
    keys: KeyChain,
    *,
    expect_head: JournalHead | None = None,
) -> VerifyReport:
    """Check every entry in ``seq`` order, then every current record.

    ``current_records`` yields (record_kind, record_id, canonical payload) of
    each record's current row; the payload may be a function of the payload
    format, called with the format of the record's latest entry, so a record
    journaled before its kind's payload gained a field still verifies. Each entry
    must be signed by the key of ``keys`` active at its place. With
    ``expect_head`` (a head noted earlier or held by a peer) the chain must reach
    its seq with its hash. Stops at the first problem and reports it.
    """
    report = VerifyReport()
    if expect_head is not None and expect_head.seq == 0 and expect_head.hash != GENESIS_HASH:
        report.problem = "the expected head names entry 0, whose hash is always 64 zeros"
        return report
    latest: dict[str, tuple[bytes, int]] = {}
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for row in entries:
        seq = row["seq"]
        where = f"journal entry {seq} ({row['record_kind']} {row['record_id']})"
        if seq != expected_seq:
            report.problem = f"journal entry {expected_seq} is missing (next found is {seq})"
            return report
        if row["prev_hash"] != prev_hash:
            report.problem = f"{where}: prev_hash does not match entry {seq - 1}"
            return report
        digest = entry_hash(row)
        if digest != row["hash"]:
            report.problem = f"{where}: hash mismatch, the entry was altered"
            return report
        try:
            key = keys.key_for(row)
        except ChainBreak as exc:
            report.problem = f"{where}: {exc}"
            return report
        try:
            key.verify(bytes.fromhex(digest), bytes(row["signature"]))
        except BadSignatureError:
            report.problem = f"{where}: bad signature"
            return report
        if expect_head is not None and seq == expect_head.seq and digest != expect_head.hash:
            report.problem = (
                f"{where}: hash {digest} is not the expected head {expect_head.hash}, "
                "the journal was rewritten"
            )
            return report
        label = f"{row['record_kind']}:{row['record_id']}"
        if row["action"] == WITHDRAWN_ACTION:
            latest.pop(label, None)
        elif row["record_kind"] != ROTATION_KIND:  # a rotation is no record of a table
            latest[label] = (
                hashlib.sha256(row["payload"].encode()).digest(),
                row.get("payload_format", 1),
            )
        prev_hash = digest
        expected_seq += 1
        report.entries += 1
    report.head = JournalHead(expected_seq - 1, prev_hash)
    if expect_head is not None and report.head.seq < expect_head.seq:
        report.problem = (
            f"the journal ends at entry {report.head.seq} but the expected head is entry "
            f"{expect_head.seq}: entries were removed"
        )
        return report

    for kind, record_id, payload in current_records:
        label = f"{kind}:{record_id}"
        journaled = latest.pop(label, None)
        if journaled is None:
            report.problem = f"record {kind} {record_id} has no journal entry"
            return report
        journaled_digest, payload_format = journaled
        try:
            current = payload if isinstance(payload, bytes) else payload(payload_format)
        except KeyError:
            report.problem = f"record {kind} {record_id}: unknown payload format {payload_format}"
            return report
        except TypeError as exc:
            # A row edited to hold e.g. NaN has no canonical form: a break, not a crash.
            report.problem = f"record {kind} {record_id} cannot be serialised: {exc}"
            return report
        if hashlib.sha256(current).digest() != journaled_digest:
            report.problem = f"record {kind} {record_id} differs from its latest journaled version"
            return report
        report.records += 1
    if latest:
        label = next(iter(latest))
        report.problem = (
            f"record {label.replace(':', ' ', 1)} is journaled but missing from the database"
        )
    return report
