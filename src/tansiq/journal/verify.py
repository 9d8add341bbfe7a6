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

from tansiq.journal.chain import GENESIS_HASH, WITHDRAWN_ACTION, entry_digest
from tansiq.journal.keychain import ROTATION_KIND, ChainBreak, KeyChain
from tansiq.journal.signatures import InlineChecker, SignatureChecker

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
    signatures: SignatureChecker | None = None,
) -> VerifyReport:
    """Check every entry in ``seq`` order, then every current record.

    ``current_records`` yields (record_kind, record_id, canonical payload) of
    each record's current row; the payload may be a function of the payload
    format, called with the format of the record's latest entry, so a record
    journaled before its kind's payload gained a field still verifies. Each entry
    must be signed by the key of ``keys`` active at its place. With
    ``expect_head`` (a head noted earlier or held by a peer) the chain must reach
    its seq with its hash. ``signatures`` checks the signatures (in this process
    unless given; the caller closes a checker it passes). Reports the first
    problem, as if every entry were checked one by one in order.
    """
    report = VerifyReport()
    if expect_head is not None and expect_head.seq == 0 and expect_head.hash != GENESIS_HASH:
        report.problem = "the expected head names entry 0, whose hash is always 64 zeros"
        return report
    checker = InlineChecker() if signatures is None else signatures
    latest: dict[str, tuple[bytes, int]] = {}
    _walk(entries, keys, expect_head, checker, latest, report)
    if report.ok and not checker.failed:
        _compare_records(current_records, latest, report)
    # A bad signature comes before any other problem found: the walk queued only
    # entries whose own earlier checks passed, and everything else follows them.
    bad = checker.first_bad()
    if bad is not None:
        seq, label = bad
        report.problem = f"{label}: bad signature"
        report.entries, report.records = seq - 1, 0
        report.head = JournalHead(0, GENESIS_HASH)
    return report


def _walk(
    entries: Iterable[Mapping[str, Any]],
    keys: KeyChain,
    expect_head: JournalHead | None,
    checker: SignatureChecker,
    latest: dict[str, tuple[bytes, int]],
    report: VerifyReport,
) -> None:
    """Sequence, chain, hashes and signers of every entry; signatures go to ``checker``.

    Notes each record's latest payload digest and format in ``latest``; stops at
    the first problem (or once the checker knows of a bad signature).
    """
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for row in entries:
        seq = row["seq"]
        where = f"journal entry {seq} ({row['record_kind']} {row['record_id']})"
        if seq != expected_seq:
            report.problem = f"journal entry {expected_seq} is missing (next found is {seq})"
            return
        if row["prev_hash"] != prev_hash:
            report.problem = f"{where}: prev_hash does not match entry {seq - 1}"
            return
        raw_digest = entry_digest(row)
        digest = raw_digest.hex()
        if digest != row["hash"]:
            report.problem = f"{where}: hash mismatch, the entry was altered"
            return
        try:
            public_key = bytes(keys.key_for(row))
        except ChainBreak as exc:
            report.problem = f"{where}: {exc}"
            return
        checker.add(seq, where, public_key, raw_digest, bytes(row["signature"]))
        if expect_head is not None and seq == expect_head.seq and digest != expect_head.hash:
            report.problem = (
                f"{where}: hash {digest} is not the expected head {expect_head.hash}, "
                "the journal was rewritten"
            )
            return
        if checker.failed:
            return
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


def _compare_records(
    current_records: Iterable[tuple[str, str, bytes | Callable[[int], bytes]]],
    latest: dict[str, tuple[bytes, int]],
    report: VerifyReport,
) -> None:
    """Every current record must equal its latest journaled version, and vice versa."""
    for kind, record_id, payload in current_records:
        label = f"{kind}:{record_id}"
        journaled = latest.pop(label, None)
        if journaled is None:
            report.problem = f"record {kind} {record_id} has no journal entry"
            return
        journaled_digest, payload_format = journaled
        try:
            current = payload if isinstance(payload, bytes) else payload(payload_format)
        except KeyError:
            report.problem = f"record {kind} {record_id}: unknown payload format {payload_format}"
            return
        except TypeError as exc:
            # A row edited to hold e.g. NaN has no canonical form: a break, not a crash.
            report.problem = f"record {kind} {record_id} cannot be serialised: {exc}"
            return
        if hashlib.sha256(current).digest() != journaled_digest:
            report.problem = f"record {kind} {record_id} differs from its latest journaled version"
            return
        report.records += 1
    if latest:
        label = next(iter(latest))
        report.problem = (
            f"record {label.replace(':', ' ', 1)} is journaled but missing from the database"
        )
