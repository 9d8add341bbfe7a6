"""Re-walk the journal: sequence, hash chain, signatures, and current rows.

Pure: the caller reads the journal and the current records and feeds them to a
:class:`JournalCheck` in order; nothing here touches the database. The checks of each
chunk are tasks (``journal/tasks.py``) that run in worker processes for a large
journal; the first break reported is the one a walk checking every entry one by one,
then every record, would meet first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby, islice
from typing import Any

from tansiq.journal import tasks as _tasks
from tansiq.journal.chain import GENESIS_HASH
from tansiq.journal.entries import SEQ, Journaled, JournalLinks, as_entry, check_entries
from tansiq.journal.keychain import KeyChain
from tansiq.journal.tasks import Done, InlineTasks, Tasks

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


@dataclass(frozen=True)
class RecordsChecked:
    """What a task comparing current records found: how many matched before its first
    break, that break, and the first row whose derived columns are wrong."""

    matched: int
    problem: str | None = None
    derived: str | None = None


def payload_problem(
    kind: str, record_id: str, journaled: Journaled, current: Callable[[int], bytes]
) -> str | None:
    """What is wrong with a current record against its latest entry, or None.

    ``current`` gives the record's canonical payload in a payload format (raising
    KeyError for a format its kind never had); ``journaled`` is that entry's payload
    digest and format.
    """
    digest, payload_format = journaled
    try:
        payload = current(payload_format)
    except KeyError:
        return f"record {kind} {record_id}: unknown payload format {payload_format}"
    except TypeError as exc:
        # A row edited to hold e.g. NaN has no canonical form: a break, not a crash.
        return f"record {kind} {record_id} cannot be serialised: {exc}"
    if hashlib.sha256(payload).digest() != digest:
        return f"record {kind} {record_id} differs from its latest journaled version"
    return None


class JournalCheck:
    """One verification, fed in order: the journal's rows (tuples of ``ENTRY_COLUMNS``)
    in chunks, :meth:`end_of_journal`, then each table's rows in chunks; :meth:`finish`.

    Each feeding method returns False once nothing more need be read (a break was found).
    ``tasks`` runs the checks of each chunk (here, unless given; the caller closes
    tasks it passes).
    """

    def __init__(
        self, keys: KeyChain, *, expect_head: JournalHead | None = None, tasks: Tasks | None = None
    ) -> None:
        self.report = VerifyReport()
        self._keys = keys
        self._expect = None if expect_head is None else (expect_head.seq, expect_head.hash)
        self._tasks = InlineTasks() if tasks is None else tasks
        self._links = JournalLinks()
        self._derived: str | None = None
        # A break found by this process is queued behind the tasks before it: read no more.
        self._ended = False
        if expect_head is not None and expect_head.seq == 0 and expect_head.hash != GENESIS_HASH:
            self.report.problem = "the expected head names entry 0, whose hash is always 64 zeros"

    @property
    def reading(self) -> bool:
        """True while more rows may change the outcome."""
        return not self._ended and self.report.problem is None

    def entries(self, rows: Sequence[Sequence[Any]]) -> bool:
        """Check the next journal rows, in ``seq`` order."""
        if not self.reading or not rows:
            return self.reading
        links = self._links
        count = links.feed(rows)
        if count:
            chunk = rows if count == len(rows) else rows[:count]
            tag = ("entries", rows[0][SEQ])
            self._handle(self._tasks.put(tag, check_entries, chunk, self._keys, self._expect))
        if links.problem is not None:
            self._ended = True
            self._handle(self._tasks.put_result(("walk", links.next_seq - 1), links.problem))
        return self.reading

    def end_of_journal(self) -> bool:
        """The journal was read to its end: it must reach the expected head."""
        if not self.reading:
            return False
        seq, last_hash = self._links.head
        self.report.entries, self.report.head = seq, JournalHead(seq, last_hash)
        if self._expect is not None and seq < self._expect[0]:
            self._ended = True
            problem = (
                f"the journal ends at entry {seq} but the expected head is entry "
                f"{self._expect[0]}: entries were removed"
            )
            self._handle(self._tasks.put_result(("end", None), problem))
        return self.reading

    def records(
        self,
        kind: str,
        record_ids: Sequence[str],
        rows: Sequence[Any],
        compare: Callable[..., RecordsChecked],
        *args: Any,
    ) -> bool:
        """Check the next current records of ``kind``: ``compare(*args, rows, journaled)``
        must give what the rows (of ``record_ids``) show against their latest entries."""
        if not self.reading:
            return False
        latest = self._links.latest
        journaled: list[Journaled] = []
        missing: str | None = None
        for record_id in record_ids:
            found = latest.pop(f"{kind}:{record_id}", None)
            if found is None:
                missing = record_id
                break
            journaled.append(found)
        if journaled:
            some = rows if missing is None else rows[: len(journaled)]
            self._handle(self._tasks.put(("records", None), compare, *args, some, journaled))
        if missing is not None:
            self._ended = True
            problem = f"record {kind} {missing} has no journal entry"
            self._handle(self._tasks.put_result(("records", None), RecordsChecked(0, problem)))
        return self.reading

    def finish(self) -> VerifyReport:
        """Wait for the checks; the report names the first break, if any. Once a break is
        known, the checks still queued (all of them later) are dropped."""
        report = self.report
        if report.problem is None:
            self._handle(self._tasks.finish())
        self._tasks.cancel()
        if report.problem is None and self._links.latest:
            label = next(iter(self._links.latest))
            report.problem = (
                f"record {label.replace(':', ' ', 1)} is journaled but missing from the database"
            )
        if report.problem is None and self._derived is not None:
            # Reported only once every payload matched: a row whose journaled fields were
            # edited is named for that, not for the columns derived from them.
            report.problem = self._derived
        return report

    def _handle(self, done: Done) -> None:
        report = self.report
        for (stage, detail), result in done:
            if report.problem is not None:
                return
            if stage == "entries" and result is not None:
                index, problem = result
                self._journal_break(problem, entries=detail + index - 1)
            elif stage == "walk":
                self._journal_break(result, entries=detail)
            elif stage == "end":
                report.problem = result
            elif stage == "records":
                report.records += result.matched
                if self._derived is None:
                    self._derived = result.derived
                report.problem = result.problem

    def _journal_break(self, problem: str, *, entries: int) -> None:
        self.report.problem = problem
        self.report.entries, self.report.records = entries, 0
        self.report.head = JournalHead(0, GENESIS_HASH)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _compare_given(
    kind: str,
    rows: Sequence[tuple[str, bytes | Callable[[int], bytes]]],
    journaled: Sequence[Journaled],
) -> RecordsChecked:
    """Records given as (id, canonical payload, or a function of the payload format)."""
    for index, ((record_id, payload), latest) in enumerate(zip(rows, journaled, strict=True)):
        current = payload if callable(payload) else (lambda _format, p=payload: p)
        problem = payload_problem(kind, record_id, latest, current)
        if problem is not None:
            return RecordsChecked(index, problem)
    return RecordsChecked(len(rows))


def verify_journal(
    entries: Iterable[Mapping[str, Any]],
    current_records: Iterable[tuple[str, str, bytes | Callable[[int], bytes]]],
    keys: KeyChain,
    *,
    expect_head: JournalHead | None = None,
    tasks: Tasks | None = None,
) -> VerifyReport:
    """Check every entry in ``seq`` order, then every current record.

    ``current_records`` yields (record_kind, record_id, canonical payload) of each
    record's current row; the payload may be a function of the payload format, called
    with the format of the record's latest entry, so a record journaled before its
    kind's payload gained a field still verifies. Each entry must be signed by the key
    of ``keys`` active at its place. With ``expect_head`` (a head noted earlier or held
    by a peer) the chain must reach its seq with its hash. ``tasks`` runs the checks
    (here unless given; functions for payloads only run here).
    """
    check = JournalCheck(keys, expect_head=expect_head, tasks=tasks)
    for chunk in _chunks(map(as_entry, entries), _tasks.CHUNK):
        if not check.entries(chunk):
            return check.finish()
    if not check.end_of_journal():
        return check.finish()
    for kind, group in groupby(current_records, key=lambda record: record[0]):
        for chunk in _chunks(((r[1], r[2]) for r in group), _tasks.CHUNK):
            ids = [record_id for record_id, _payload in chunk]
            if not check.records(kind, ids, chunk, _compare_given, kind):
                return check.finish()
    return check.finish()
