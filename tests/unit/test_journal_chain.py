"""Journal entries chain, sign and verify without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tansiq.journal.chain import GENESIS_HASH, EntryDraft, build_rows
from tansiq.journal.keychain import KeyChain
from tansiq.journal.keys import NodeKeyError, create_key, load_key
from tansiq.journal.verify import verify_journal


def _draft(i: int) -> EntryDraft:
    return EntryDraft(
        actor="u1",
        record_kind="incident",
        record_id=f"r{i}",
        action="create",
        record_version=1,
        owner_party="fed",
        releasability="all",
        center_id=None,
        payload={"id": f"r{i}", "n": i, "name": "كركوك"},
    )


def test_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "node.key"
    key = create_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_key(path).node_id == key.node_id
    with pytest.raises(NodeKeyError):
        create_key(path)
    path.chmod(0o644)
    with pytest.raises(NodeKeyError, match="owner only"):
        load_key(path)


def test_chain_verifies_and_detects_tampering(tmp_path: Path) -> None:
    key = create_key(tmp_path / "k")
    rows = build_rows(
        [_draft(i) for i in range(5)],
        key=key,
        head_seq=0,
        head_hash=GENESIS_HASH,
        at="2020-02-20T09:00:00.000000Z",
    )
    current = [("incident", r["record_id"], r["payload"].encode()) for r in rows]
    keys = KeyChain.single(key.verify_key)
    assert verify_journal(rows, current, keys).ok

    altered = [dict(r) for r in rows]
    altered[2]["payload"] = altered[2]["payload"].replace('"n":2', '"n":3')
    report = verify_journal(altered, current, keys)
    assert report.problem is not None and "journal entry 3" in report.problem

    resigned = [dict(r) for r in rows]
    other = create_key(tmp_path / "other")
    resigned[1]["signature"] = other.sign(bytes.fromhex(resigned[1]["hash"]))
    report = verify_journal(resigned, current, keys)
    assert report.problem is not None and "bad signature" in report.problem

    report = verify_journal(rows[:2] + rows[3:], current, keys)
    assert report.problem is not None and "entry 3 is missing" in report.problem

    drifted = current[:4] + [("incident", "r4", b'{"id":"r4","n":99}')]
    report = verify_journal(rows, drifted, keys)
    assert report.problem is not None and "record incident r4 differs" in report.problem

    report = verify_journal(rows, current[:4], keys)
    assert report.problem is not None and "missing from the database" in report.problem
