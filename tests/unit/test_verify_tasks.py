"""verify's tasks in worker processes and in this process: the same first break, in order."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

import tansiq.journal.tasks as tasks
from tansiq.journal.chain import GENESIS_HASH, EntryDraft, build_rows
from tansiq.journal.entries import as_entry, check_entries
from tansiq.journal.keychain import KeyChain
from tansiq.journal.keys import NodeKey, create_key
from tansiq.journal.tasks import InlineTasks, PooledTasks, Tasks, tasks_for
from tansiq.journal.verify import verify_journal


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> NodeKey:
    return create_key(tmp_path_factory.mktemp("keys") / "node.key")


@pytest.fixture(scope="module")
def pool() -> Iterator[PooledTasks]:
    """Two workers, started once for the module (each test closes its own runner)."""
    runner = PooledTasks(2)
    yield runner
    runner.close()


def _rows(key: NodeKey, count: int) -> list[dict[str, Any]]:
    drafts = [
        EntryDraft("u1", "incident", f"r{i}", "create", 1, "fed", "all", None, {"id": f"r{i}"})
        for i in range(count)
    ]
    return build_rows(drafts, key=key, head_seq=0, head_hash=GENESIS_HASH, at="2020-02-20Z")


def _current(rows: list[dict[str, Any]]) -> list[tuple[str, str, bytes]]:
    return [("incident", r["record_id"], r["payload"].encode()) for r in rows]


def _forge(row: dict[str, Any]) -> None:
    row["signature"] = bytes([row["signature"][0] ^ 1]) + row["signature"][1:]


def _results(runner: Tasks) -> list[Any]:
    done = []
    for n in range(20):
        done += runner.put(n, sum, [n, n])
        if n % 7 == 0:
            done += runner.put_result(f"after {n}", None)
    done += runner.finish()
    return done


def test_results_come_back_in_the_order_the_tasks_were_put(pool: PooledTasks) -> None:
    expected = _results(InlineTasks())
    assert expected[:3] == [(0, 0), ("after 0", None), (1, 2)]
    assert _results(pool) == expected


def test_the_pool_names_the_earliest_bad_entry_in_the_middle_of_a_chunk(
    key: NodeKey, pool: PooledTasks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "CHUNK", 7)
    rows = _rows(key, 60)
    # Entry 25 is the 4th of the 4th chunk of 7; a later chunk also holds a bad one,
    # and may well finish first.
    _forge(rows[24])
    _forge(rows[50])
    keys = KeyChain.single(key.verify_key)
    inline = verify_journal(rows, _current(rows), keys)
    pooled = verify_journal(rows, _current(rows), keys, tasks=pool)
    assert inline.problem == pooled.problem == "journal entry 25 (incident r24): bad signature"
    assert inline.entries == pooled.entries == 24


def test_a_bad_signature_comes_before_a_later_broken_hash(
    key: NodeKey, pool: PooledTasks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "CHUNK", 5)
    rows = _rows(key, 30)
    other = create_key(tmp_path / "other")
    rows[12]["signature"] = other.sign(bytes.fromhex(rows[12]["hash"]))
    # A later entry is broken too (its hash): the earlier bad signature is named.
    rows[20]["payload"] = rows[20]["payload"].replace("r20", "r99")
    keys = KeyChain.single(key.verify_key)
    inline = verify_journal(rows, _current(rows), keys)
    pooled = verify_journal(rows, _current(rows), keys, tasks=pool)
    assert inline.problem == pooled.problem == "journal entry 13 (incident r12): bad signature"
    assert inline.entries == pooled.entries == 12


def test_a_signature_under_another_key_or_cut_short_is_bad(key: NodeKey, tmp_path: Path) -> None:
    rows = _rows(key, 10)
    keys = KeyChain.single(key.verify_key)
    assert check_entries([as_entry(r) for r in rows], keys, None) is None
    other = create_key(tmp_path / "other.key")
    rows[8]["signature"] = other.sign(bytes.fromhex(rows[8]["hash"]))
    assert check_entries([as_entry(r) for r in rows], keys, None) == (
        8, "journal entry 9 (incident r8): bad signature"
    )
    rows[3]["signature"] = rows[3]["signature"][:40]
    assert check_entries([as_entry(r) for r in rows], keys, None) == (
        3, "journal entry 4 (incident r3): bad signature"
    )


def test_small_journals_stay_in_this_process() -> None:
    small = tasks_for(10, threshold=100)
    large = tasks_for(100, workers=2, threshold=100)
    none = tasks_for(100, workers=0, threshold=100)
    try:
        assert isinstance(small, InlineTasks)
        assert isinstance(large, PooledTasks)
        assert isinstance(none, InlineTasks)
    finally:
        for runner in (small, large, none):
            runner.close()


class _BrokenPool:
    """An executor whose workers have died."""

    def submit(self, *_args: object) -> None:
        raise BrokenProcessPool("a child process terminated abruptly")

    def shutdown(self, **_kwargs: object) -> None:
        """Nothing to stop."""


def test_a_broken_pool_still_names_the_earliest_bad_entry(
    key: NodeKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "CHUNK", 4)
    rows = _rows(key, 30)
    _forge(rows[11])
    runner = PooledTasks(1)
    runner._pool.shutdown()
    runner._pool = _BrokenPool()  # type: ignore[assignment]
    try:
        report = verify_journal(rows, _current(rows), KeyChain.single(key.verify_key), tasks=runner)
    finally:
        runner.close()
    assert report.problem == "journal entry 12 (incident r11): bad signature"


def test_the_records_compared_are_those_of_the_journal(key: NodeKey, pool: PooledTasks) -> None:
    rows = _rows(key, 12)
    current = _current(rows)
    current[9] = ("incident", "r9", hashlib.sha256(b"not the payload").digest())
    keys = KeyChain.single(key.verify_key)
    inline = verify_journal(rows, current, keys)
    pooled = verify_journal(rows, current, keys, tasks=pool)
    differs = "record incident r9 differs from its latest journaled version"
    assert inline.problem == pooled.problem == differs
    assert inline.records == pooled.records == 9
