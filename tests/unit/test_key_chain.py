"""The key chain without a database: rotation entries, their proofs, the walk's signer rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from tansiq.journal.chain import GENESIS_HASH, EntryDraft, build_rows, entry_hash
from tansiq.journal.keychain import (
    ROTATION_KIND,
    ChainBreak,
    KeyChain,
    build_key_chain,
    rotation_payload,
    rotation_statement,
)
from tansiq.journal.keys import NodeKey, create_key
from tansiq.journal.verify import verify_journal

Rows = list[dict[str, Any]]


@pytest.fixture
def k(tmp_path: Path) -> list[NodeKey]:
    """Three keys: K0, K1, K2, and an attacker's at index 3."""
    return [create_key(tmp_path / f"k{i}") for i in range(4)]


def _record(i: int) -> EntryDraft:
    return EntryDraft(
        actor="u1", record_kind="incident", record_id=f"r{i}", action="create",
        record_version=1, owner_party="fed", releasability="all", center_id=None,
        payload={"id": f"r{i}"},
    )


def _append(rows: Rows, key: NodeKey, draft: EntryDraft) -> dict[str, Any]:
    head_seq, head_hash = (rows[-1]["seq"], rows[-1]["hash"]) if rows else (0, GENESIS_HASH)
    [row] = build_rows([draft], key=key, head_seq=head_seq, head_hash=head_hash, at="t")
    rows.append(row)
    return row


def _rotate(rows: Rows, old: NodeKey, new: NodeKey, *, signer: NodeKey | None = None) -> None:
    head_seq, head_hash = (rows[-1]["seq"], rows[-1]["hash"]) if rows else (0, GENESIS_HASH)
    payload = rotation_payload(old=old, new=new, seq=head_seq + 1, prev_hash=head_hash)
    _append(rows, signer or old, _rotation_draft(new.node_id, payload))


def _rotation_draft(record_id: str, payload: dict[str, Any]) -> EntryDraft:
    return EntryDraft(
        actor="system:cli", record_kind=ROTATION_KIND, record_id=record_id, action="rotate",
        record_version=1, owner_party=None, releasability="all", center_id=None,
        payload=payload,
    )


def _journal(k: list[NodeKey]) -> Rows:
    """r0 by K0, rotation K0->K1, r1 by K1, rotation K1->K2, r2 by K2."""
    rows: Rows = []
    _append(rows, k[0], _record(0))
    _rotate(rows, k[0], k[1])
    _append(rows, k[1], _record(1))
    _rotate(rows, k[1], k[2])
    _append(rows, k[2], _record(2))
    return rows


def _current(rows: Rows) -> list[tuple[str, str, bytes]]:
    return [
        (r["record_kind"], r["record_id"], r["payload"].encode())
        for r in rows
        if r["record_kind"] != ROTATION_KIND
    ]


def _rotations(rows: Rows) -> Rows:
    return [r for r in rows if r["record_kind"] == ROTATION_KIND]


def _problem(rows: Rows, trusted: NodeKey) -> str:
    try:
        chain = build_key_chain(_rotations(rows), trusted.verify_key)
    except ChainBreak as exc:
        return str(exc)
    report = verify_journal(rows, _current(rows), chain)
    assert not report.ok
    return str(report.problem)


@pytest.mark.parametrize("trusted", [0, 1, 2])
def test_any_key_of_the_chain_verifies_the_whole_journal(k: list[NodeKey], trusted: int) -> None:
    rows = _journal(k)
    chain = build_key_chain(_rotations(rows), k[trusted].verify_key)
    assert chain.node_ids == (k[0].node_id, k[1].node_id, k[2].node_id)
    assert chain.trusted == trusted and chain.active == k[2].verify_key
    report = verify_journal(rows, _current(rows), chain)
    assert report.ok, report.problem
    assert report.entries == 5 and report.records == 3


def test_the_proof_is_the_new_keys_signature_over_the_labelled_statement(
    k: list[NodeKey],
) -> None:
    rows = _journal(k)
    payload = orjson.loads(rows[1]["payload"])
    assert set(payload) == {"old_key", "new_key", "proof"}
    statement = rotation_statement(
        old_key=k[0].public_key_hex, new_key=k[1].public_key_hex, seq=2,
        prev_hash=rows[0]["hash"],
    )
    assert statement.startswith(b"tansiq key rotation v1\n{")
    k[1].verify_key.verify(statement, bytes.fromhex(payload["proof"]))
    assert rows[1]["node_id"] == k[0].node_id and rows[1]["record_id"] == k[1].node_id


def test_a_key_outside_the_chain_is_refused_by_name(k: list[NodeKey]) -> None:
    problem = _problem(_journal(k), k[3])
    assert f"the trusted key {k[3].node_id} is not in the journal's key chain" in problem


def test_an_entry_signed_by_a_retired_key_is_a_break(k: list[NodeKey]) -> None:
    rows = _journal(k)
    _append(rows, k[0], _record(9))
    for trusted in (k[0], k[2]):
        problem = _problem(rows, trusted)
        assert problem.startswith("journal entry 6 (incident r9): signed by")
        assert f"{k[0].node_id}, a key retired at entry 2" in problem


def test_an_entry_signed_by_a_key_before_its_rotation_is_a_break(k: list[NodeKey]) -> None:
    rows: Rows = []
    _append(rows, k[1], _record(0))
    _rotate(rows, k[0], k[1])
    problem = _problem(rows, k[0])
    assert "journal entry 1 (incident r0)" in problem and "active only from entry 2" in problem


def test_a_rotation_signed_by_another_than_the_old_key_is_a_break(k: list[NodeKey]) -> None:
    rows: Rows = []
    _append(rows, k[0], _record(0))
    # The attacker names K0 as the signer but can only sign with his own key.
    _rotate(rows, k[0], k[3], signer=k[3])
    assert "journal entry 2 (node_key" in _problem(rows, k[0])
    rows[-1]["node_id"] = k[0].node_id
    rows[-1]["hash"] = entry_hash(rows[-1])
    rows[-1]["signature"] = k[3].sign(bytes.fromhex(rows[-1]["hash"]))
    problem = _problem(rows, k[0])
    assert "journal entry 2 (node_key" in problem and "bad signature" in problem


def test_a_rotation_whose_proof_does_not_verify_is_a_break(k: list[NodeKey]) -> None:
    rows: Rows = []
    _append(rows, k[0], _record(0))
    payload = rotation_payload(old=k[0], new=k[1], seq=2, prev_hash=rows[0]["hash"])
    # A proof by another key, or over another place in the chain, proves nothing.
    payload["proof"] = rotation_payload(old=k[0], new=k[3], seq=2, prev_hash=rows[0]["hash"])[
        "proof"
    ]
    _append(rows, k[0], _rotation_draft(k[1].node_id, payload))
    for trusted in (k[0], k[1]):
        problem = _problem(rows, trusted)
        assert "journal entry 2 (node_key" in problem and "proof of possession" in problem


def test_a_rotation_naming_another_old_key_than_the_active_one_is_a_break(
    k: list[NodeKey],
) -> None:
    rows: Rows = []
    _rotate(rows, k[0], k[1])
    # Signed by K1 (active), but it names K3 as the key it retires.
    head = rows[-1]
    payload = rotation_payload(old=k[3], new=k[2], seq=2, prev_hash=head["hash"])
    _append(rows, k[1], _rotation_draft(k[2].node_id, payload))
    problem = _problem(rows, k[0])
    assert "journal entry 2 (node_key" in problem
    assert f"names {k[3].node_id} as the old key but the active key is {k[1].node_id}" in problem


def test_the_retired_key_alone_cannot_rewrite_the_history_its_successor_vouched_for(
    k: list[NodeKey],
) -> None:
    rows: Rows = []
    _append(rows, k[0], _record(0))
    _rotate(rows, k[0], k[1])
    # Whoever kept K0 rewrites entry 1 and re-signs up to the rotation, its last entry.
    forged: Rows = []
    _append(forged, k[0], EntryDraft(**{**_record(0).__dict__, "payload": {"id": "r0", "x": 1}}))
    rotation = {**rows[1], "prev_hash": forged[0]["hash"]}
    rotation["hash"] = entry_hash(rotation)
    rotation["signature"] = k[0].sign(bytes.fromhex(rotation["hash"]))
    forged.append(rotation)
    problem = _problem(forged, k[1])
    assert "journal entry 2 (node_key" in problem and "proof of possession" in problem


def test_a_malformed_rotation_payload_is_named(k: list[NodeKey]) -> None:
    rows: Rows = []
    _append(rows, k[0], _rotation_draft(k[1].node_id, {"old_key": "zz"}))
    assert "journal entry 1 (node_key" in _problem(rows, k[0])


def test_the_walk_refuses_a_rotation_the_chain_does_not_hold(k: list[NodeKey]) -> None:
    rows: Rows = []
    _rotate(rows, k[0], k[1])
    report = verify_journal(rows, [], KeyChain.single(k[0].verify_key))
    assert "journal entry 1 (node_key" in str(report.problem)
    assert "not the key rotation the key chain holds" in str(report.problem)
