"""The expected head and the pinned public key, without a database."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tansiq.journal.chain import GENESIS_HASH, EntryDraft, build_rows
from tansiq.journal.keychain import KeyChain
from tansiq.journal.keys import NodeKey, NodeKeyError, create_key, parse_public_key
from tansiq.journal.verify import JournalHead, parse_head, verify_journal


def _rows(key: NodeKey, count: int) -> list[dict[str, object]]:
    drafts = [
        EntryDraft(
            actor="u1", record_kind="incident", record_id=f"r{i}", action="create",
            record_version=1, owner_party="fed", releasability="all", center_id=None,
            payload={"id": f"r{i}", "n": i},
        )
        for i in range(count)
    ]
    return build_rows(
        drafts, key=key, head_seq=0, head_hash=GENESIS_HASH, at="2020-02-20T09:00:00.000000Z"
    )


@pytest.fixture
def key(tmp_path: Path) -> NodeKey:
    return create_key(tmp_path / "k")


def test_the_report_names_the_head_reached(key: NodeKey) -> None:
    rows = _rows(key, 3)
    report = verify_journal(rows, [], KeyChain.single(key.verify_key))
    assert report.head == JournalHead(3, str(rows[-1]["hash"]))
    empty = verify_journal([], [], KeyChain.single(key.verify_key))
    assert empty.ok and empty.head == JournalHead(0, GENESIS_HASH)


def test_an_expected_head_must_be_reached_with_its_hash(key: NodeKey) -> None:
    rows = _rows(key, 4)
    keys = KeyChain.single(key.verify_key)
    current = [("incident", str(r["record_id"]), str(r["payload"]).encode()) for r in rows]
    noted = JournalHead(3, str(rows[2]["hash"]))
    assert verify_journal(rows, current, keys, expect_head=noted).ok

    short = verify_journal(rows[:2], current[:2], keys, expect_head=noted)
    assert short.problem is not None and "ends at entry 2" in short.problem

    other = _rows(key, 3)
    other[2] = build_rows(
        [EntryDraft(actor="u2", record_kind="incident", record_id="x", action="create",
                    record_version=1, owner_party="fed", releasability="all",
                    center_id=None, payload={"id": "x"})],
        key=key, head_seq=2, head_hash=str(other[1]["hash"]),
        at="2020-02-21T09:00:00.000000Z",
    )[0]
    rewritten = verify_journal(other, [], keys, expect_head=noted)
    assert rewritten.problem is not None
    assert "journal entry 3 " in rewritten.problem and "rewritten" in rewritten.problem


@pytest.mark.parametrize("text", ["", "3", ":" + "a" * 64, "3:" + "a" * 63, "-1:" + "a" * 64,
                                  "3:" + "g" * 64, "3:" + "a" * 64 + ":1"])
def test_a_malformed_head_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="SEQ:HASH"):
        parse_head(text)


def test_a_head_reads_as_printed() -> None:
    head = JournalHead(12, "ab" * 32)
    assert parse_head(str(head)) == head
    assert parse_head(f" 12:{'AB' * 32} ") == head


def test_a_public_key_reads_as_hex_or_base64(key: NodeKey) -> None:
    raw = bytes(key.verify_key)
    assert parse_public_key(key.public_key_hex) == key.verify_key
    assert parse_public_key(base64.b64encode(raw).decode()) == key.verify_key
    for bad in ["", "zz" * 32, raw.hex()[:-2], base64.b64encode(raw[:31]).decode(), "a b"]:
        with pytest.raises(NodeKeyError, match="Ed25519 public key"):
            parse_public_key(bad)


def test_a_current_row_without_a_canonical_form_is_a_break(key: NodeKey) -> None:
    from tansiq.journal.canonical import canonical_json

    rows = _rows(key, 1)
    current = [("incident", "r0", lambda _format: canonical_json({"n": float("nan")}))]
    report = verify_journal(rows, current, KeyChain.single(key.verify_key))
    assert report.problem is not None and "cannot be serialised" in report.problem
