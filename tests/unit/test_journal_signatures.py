"""Signature checkers: in this process and in worker processes, the same earliest bad entry."""

from __future__ import annotations

import hashlib
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from tansiq.journal.chain import GENESIS_HASH, EntryDraft, build_rows
from tansiq.journal.keychain import KeyChain
from tansiq.journal.keys import NodeKey, create_key
from tansiq.journal.signatures import (
    InlineChecker,
    PooledChecker,
    SignatureChecker,
    checker_for,
)
from tansiq.journal.verify import verify_journal


def _signed(key: NodeKey, count: int) -> list[tuple[int, str, bytes, bytes, bytes]]:
    items = []
    for seq in range(1, count + 1):
        digest = hashlib.sha256(str(seq).encode()).digest()
        items.append((seq, f"entry {seq}", bytes(key.verify_key), digest, key.sign(digest)))
    return items


def _forge(item: tuple[int, str, bytes, bytes, bytes]) -> tuple[int, str, bytes, bytes, bytes]:
    seq, label, public_key, digest, signature = item
    return seq, label, public_key, digest, bytes([signature[0] ^ 1]) + signature[1:]


def _first_bad(
    checker: SignatureChecker, items: list[tuple[int, str, bytes, bytes, bytes]]
) -> tuple[int, str] | None:
    try:
        for item in items:
            checker.add(*item)
        return checker.first_bad()
    finally:
        checker.close()


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> NodeKey:
    return create_key(tmp_path_factory.mktemp("keys") / "node.key")


def test_a_good_journal_has_no_bad_entry_in_either_checker(key: NodeKey) -> None:
    items = _signed(key, 40)
    assert _first_bad(InlineChecker(), items) is None
    assert _first_bad(PooledChecker(2, chunk=7), items) is None


def test_the_pool_names_the_earliest_bad_entry_in_the_middle_of_a_chunk(key: NodeKey) -> None:
    items = _signed(key, 60)
    # Entry 25 is the 4th of the 4th chunk of 7; a later chunk also holds a bad one,
    # and may well finish first.
    items[24], items[50] = _forge(items[24]), _forge(items[50])
    assert _first_bad(PooledChecker(2, chunk=7), items) == (25, "entry 25")
    assert _first_bad(InlineChecker(), items) == (25, "entry 25")


def test_a_signature_under_another_key_is_bad(key: NodeKey, tmp_path: Path) -> None:
    other = create_key(tmp_path / "other.key")
    items = _signed(key, 10)
    seq, label, _, digest, signature = items[8]
    items[8] = (seq, label, bytes(other.verify_key), digest, signature)
    assert _first_bad(PooledChecker(1, chunk=4), items) == (9, "entry 9")


def test_small_journals_stay_in_this_process() -> None:
    small = checker_for(10, threshold=100)
    large = checker_for(100, workers=2, threshold=100)
    none = checker_for(100, workers=0, threshold=100)
    try:
        assert isinstance(small, InlineChecker)
        assert isinstance(large, PooledChecker)
        assert isinstance(none, InlineChecker)
    finally:
        for checker in (small, large, none):
            checker.close()


def test_verify_with_the_pool_reports_what_one_by_one_reports(tmp_path: Path) -> None:
    key = create_key(tmp_path / "k")
    drafts = [
        EntryDraft("u1", "incident", f"r{i}", "create", 1, "fed", "all", None, {"id": f"r{i}"})
        for i in range(30)
    ]
    rows = build_rows(drafts, key=key, head_seq=0, head_hash=GENESIS_HASH, at="2020-02-20Z")
    current = [("incident", r["record_id"], r["payload"].encode()) for r in rows]
    keys = KeyChain.single(key.verify_key)
    other = create_key(tmp_path / "other")
    rows[12]["signature"] = other.sign(bytes.fromhex(rows[12]["hash"]))
    # A later entry is broken too (its hash): the earlier bad signature is named.
    rows[20]["payload"] = rows[20]["payload"].replace("r20", "r99")
    inline = verify_journal(rows, current, keys)
    pool = PooledChecker(2, chunk=5)
    try:
        pooled = verify_journal(rows, current, keys, signatures=pool)
    finally:
        pool.close()
    assert inline.problem == pooled.problem == "journal entry 13 (incident r12): bad signature"
    assert inline.entries == pooled.entries == 12


class _BrokenPool:
    """An executor whose workers have died."""

    def submit(self, *_args: object) -> None:
        raise BrokenProcessPool("a child process terminated abruptly")

    def shutdown(self, **_kwargs: object) -> None:
        """Nothing to stop."""


def test_a_broken_pool_still_names_the_earliest_bad_entry(key: NodeKey) -> None:
    items = _signed(key, 30)
    items[11] = _forge(items[11])
    checker = PooledChecker(1, chunk=4)
    checker._pool.shutdown()
    checker._pool = _BrokenPool()  # type: ignore[assignment]
    assert _first_bad(checker, items) == (12, "entry 12")
