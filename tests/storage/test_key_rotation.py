"""Key rotation on both backends: the journaled link, verify along the chain, stale writers.

Each forgery is written as someone with the database (and perhaps a retired or their
own key) would: rows inserted or re-signed behind the services, the head moved to match.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, insert, select, update

import tansiq.services.core.rotation as rotation
from tansiq.journal.chain import EntryDraft, build_rows, entry_hash
from tansiq.journal.keychain import ROTATION_KIND, rotation_payload
from tansiq.journal.keys import NodeKey, NodeKeyError, create_key, load_key
from tansiq.journal.verify import VerifyReport
from tansiq.services.core.context import ServiceContext, open_context
from tansiq.services.core.journaling import KeyRetired
from tansiq.services.core.rotation import rotate_node_key
from tansiq.services.core.verification import verify_database, verify_node
from tansiq.services.directory.commands import create_party
from tansiq.services.incidents.commands import create_incident
from tansiq.storage.tables.directory import parties
from tansiq.storage.tables.journal import journal, journal_heads
from tests.factories import SYSTEM, build_world, incident_data


def keyed(ctx: ServiceContext) -> ServiceContext:
    """``ctx`` with its key written to its key file (0600), as ``tansiq init`` leaves it."""
    fd = os.open(ctx.settings.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(bytes(ctx.key.signing_key).hex() + "\n")
    return ctx


def _party(ctx: ServiceContext, party_id: str) -> None:
    create_party(ctx, by=SYSTEM, party_id=party_id, name_en=party_id, name_ar="x", name_ckb="x")


def _count(ctx: ServiceContext, table: Any) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _rows(ctx: ServiceContext) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(journal).order_by(journal.c.seq))]


def _trusting(ctx: ServiceContext, key: NodeKey) -> VerifyReport:
    return verify_node(ctx.settings, public_key=key.public_key_hex)


def _rotated(ctx: ServiceContext) -> tuple[ServiceContext, NodeKey]:
    """Rotate ``ctx``'s key; the new context (the restarted process) and the old key."""
    new = rotate_node_key(ctx, by=SYSTEM).new
    return replace(ctx, key=new), ctx.key


def test_a_rotation_is_one_journaled_entry_and_a_new_key_file(ctx: ServiceContext) -> None:
    build_world(ctx)
    keyed(ctx)
    before = _count(ctx, journal)
    done = rotate_node_key(ctx, by=SYSTEM)
    assert _count(ctx, journal) == before + 1 and done.seq == before + 1
    entry = _rows(ctx)[-1]
    assert (entry["record_kind"], entry["record_id"]) == (ROTATION_KIND, done.new.node_id)
    assert (entry["node_id"], entry["owner_party"], entry["releasability"]) == (
        ctx.key.node_id, None, "all",
    )
    payload = orjson.loads(entry["payload"])
    assert payload["old_key"] == ctx.key.public_key_hex
    assert payload["new_key"] == done.new.public_key_hex
    # The old secret is gone: the key file holds only the new key, still 0600.
    path = ctx.settings.key_path
    assert load_key(path).node_id == done.new.node_id != ctx.key.node_id
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [
        path.name
    ]


def test_after_rotations_verify_trusts_any_key_of_the_chain(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    k1_ctx, k0 = _rotated(keyed(ctx))
    create_incident(k1_ctx, actor=world.actors["fed_liaison"], data=incident_data())
    k2_ctx, k1 = _rotated(k1_ctx)
    create_incident(k2_ctx, actor=world.actors["krg_liaison"], data=incident_data(injured=2))
    for key in (k0, k1, k2_ctx.key):
        report = _trusting(ctx, key)
        assert report.ok, report.problem
        assert report.public_key == key.public_key_hex
        assert report.active_key == k2_ctx.key.public_key_hex
        pinned = replace(ctx.settings, pinned_public_key=key.public_key_hex)
        assert verify_database(replace(k2_ctx, settings=pinned)).ok
    assert verify_node(ctx.settings).ok  # the key file's (new) key
    stranger = create_key(ctx.settings.key_path.with_name("stranger"))
    problem = str(_trusting(ctx, stranger).problem)
    assert f"the trusted key {stranger.node_id} is not in the journal's key chain" in problem


def test_a_stale_process_refuses_to_write_after_a_rotation(ctx: ServiceContext) -> None:
    build_world(ctx)
    new_ctx, _ = _rotated(keyed(ctx))
    before = (_count(ctx, journal), _count(ctx, parties), _rows(ctx)[-1]["hash"])
    with pytest.raises(KeyRetired, match="the node key was rotated") as caught:
        _party(ctx, "iq")
    assert caught.value.status == 503
    assert (_count(ctx, journal), _count(ctx, parties), _rows(ctx)[-1]["hash"]) == before
    _party(new_ctx, "iq")
    assert verify_database(new_ctx).ok


def test_a_database_from_before_the_signer_column_takes_the_last_entrys_signer(
    ctx: ServiceContext, node_key: NodeKey
) -> None:
    _party(ctx, "fed")
    with ctx.engine.begin() as conn:
        conn.execute(update(journal_heads).values(signer=None))
    other = replace(ctx, key=create_key(ctx.settings.key_path.with_name("other")))
    with pytest.raises(KeyRetired):
        _party(other, "krg")
    _party(ctx, "krg")
    with ctx.engine.connect() as conn:
        assert conn.execute(select(journal_heads.c.signer)).scalar() == node_key.node_id


def _append_forged(ctx: ServiceContext, signer: NodeKey, draft: EntryDraft) -> int:
    """Insert an entry signed by ``signer`` after the head and move the head, as an attacker."""
    with ctx.engine.begin() as conn:
        head = conn.execute(select(journal_heads.c.seq, journal_heads.c.hash)).one()
        [row] = build_rows(
            [draft], key=signer, head_seq=head.seq, head_hash=head.hash, at="2020-02-21T00:00:00Z"
        )
        conn.execute(insert(journal), [row])
        conn.execute(update(journal_heads).values(seq=row["seq"], hash=row["hash"]))
    return int(row["seq"])


def _rotation(record_id: str, payload: dict[str, Any]) -> EntryDraft:
    return EntryDraft(
        actor="system:cli", record_kind=ROTATION_KIND, record_id=record_id, action="rotate",
        record_version=1, owner_party=None, releasability="all", center_id=None,
        payload=payload,
    )


def _head(ctx: ServiceContext) -> tuple[int, str]:
    with ctx.engine.connect() as conn:
        head = conn.execute(select(journal_heads.c.seq, journal_heads.c.hash)).one()
    return int(head.seq), str(head.hash)


def test_an_entry_signed_by_the_retired_key_after_the_rotation_fails(ctx: ServiceContext) -> None:
    build_world(ctx)
    new_ctx, old = _rotated(keyed(ctx))
    rotated_at = _head(ctx)[0]
    # Whoever kept the old key appends a record entry signed with it.
    draft = EntryDraft(
        actor="system:x", record_kind="party", record_id="iq", action="create",
        record_version=1, owner_party=None, releasability="all", center_id=None,
        payload={"id": "iq"},
    )
    seq = _append_forged(ctx, old, draft)
    for trusted in (old, new_ctx.key):
        problem = str(_trusting(ctx, trusted).problem)
        assert problem.startswith(f"journal entry {seq} (party iq): signed by {old.node_id}")
        assert f"retired at entry {rotated_at}" in problem


def _forged_rotation(ctx: ServiceContext, case: str) -> tuple[int, NodeKey]:
    """Append the forged rotation ``case``; its seq and the key to trust while checking."""
    attacker = create_key(ctx.settings.key_path.with_name("attacker"))
    seq, prev = _head(ctx)
    if case == "signed by an attacker":
        payload = rotation_payload(old=ctx.key, new=attacker, seq=seq + 1, prev_hash=prev)
        return _append_forged(ctx, attacker, _rotation(attacker.node_id, payload)), ctx.key
    if case == "proof that does not verify":
        # Signed by the real key (say, stolen), but the new key's proof is another's.
        payload = rotation_payload(old=ctx.key, new=attacker, seq=seq + 1, prev_hash=prev)
        payload["proof"] = "00" * 64
        return _append_forged(ctx, ctx.key, _rotation(attacker.node_id, payload)), ctx.key
    # A second rotation, signed by the active K1, naming K0 again as the key it retires.
    new_ctx, old = _rotated(ctx)
    seq, prev = _head(ctx)
    payload = rotation_payload(old=old, new=attacker, seq=seq + 1, prev_hash=prev)
    return _append_forged(ctx, new_ctx.key, _rotation(attacker.node_id, payload)), old


@pytest.mark.parametrize(
    ("case", "named"),
    [
        ("signed by an attacker", "names signer"),
        ("proof that does not verify", "proof of possession does not verify"),
        ("naming a wrong old key", "as the old key but the active key is"),
    ],
)
def test_a_forged_rotation_fails_naming_the_entry(
    ctx: ServiceContext, case: str, named: str
) -> None:
    build_world(ctx)
    seq, trusted = _forged_rotation(keyed(ctx), case)
    problem = str(_trusting(ctx, trusted).problem)
    assert problem.startswith(f"journal entry {seq} (node_key ") and named in problem, problem


def test_a_replaced_key_file_and_a_re_signed_chain_fail_against_a_chain_key(
    ctx: ServiceContext,
) -> None:
    build_world(ctx)
    new_ctx, old = _rotated(keyed(ctx))
    _party(new_ctx, "iq")
    attacker = create_key(ctx.settings.key_path.with_name("attacker"))
    prev = "0" * 64
    with ctx.engine.begin() as conn:
        for row in _rows(ctx):
            row.update(node_id=attacker.node_id, prev_hash=prev)
            row["hash"] = entry_hash(row)
            row["signature"] = attacker.sign(bytes.fromhex(row["hash"]))
            conn.execute(update(journal).where(journal.c.seq == row["seq"]).values(**row))
            prev = row["hash"]
        conn.execute(update(journal_heads).values(hash=prev))
    # Even trusting the replaced key file itself: the rotation it re-signed names the old key.
    for trusted in (old, new_ctx.key, attacker):
        problem = str(_trusting(ctx, trusted).problem)
        assert "(node_key " in problem and f"names signer {attacker.node_id}" in problem


def test_a_pinned_old_key_still_opens_the_node_a_replaced_one_does_not(
    ctx: ServiceContext,
) -> None:
    build_world(ctx)
    new_ctx, old = _rotated(keyed(ctx))
    pinned_old = replace(ctx.settings, pinned_public_key=old.public_key_hex)
    opened = open_context(pinned_old)
    try:
        assert opened.key.node_id == new_ctx.key.node_id
    finally:
        opened.engine.dispose()
    # The retired key back in the key file, with the new key pinned: refused.
    path = ctx.settings.key_path
    path.unlink()
    keyed(ctx)
    pinned_new = replace(ctx.settings, pinned_public_key=new_ctx.key.public_key_hex)
    with pytest.raises(NodeKeyError, match="TANSIQ_PINNED_PUBLIC_KEY"):
        open_context(pinned_new)
    path.unlink()
    create_key(path)
    with pytest.raises(NodeKeyError, match="TANSIQ_PINNED_PUBLIC_KEY"):
        open_context(pinned_old)


def test_an_interrupted_rotation_is_finished_by_running_it_again(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_world(ctx)
    keyed(ctx)

    def crash(staged: Path, path: Path) -> None:
        raise OSError("power lost")

    monkeypatch.setattr(rotation, "replace_key_file", crash)
    with pytest.raises(OSError, match="power lost"):
        rotate_node_key(ctx, by=SYSTEM)
    monkeypatch.undo()
    # The entry was committed, the key file not yet replaced: every write refuses.
    with pytest.raises(KeyRetired):
        _party(ctx, "iq")
    entries = _count(ctx, journal)
    done = rotate_node_key(ctx, by=SYSTEM)
    assert done.resumed and _count(ctx, journal) == entries
    assert load_key(ctx.settings.key_path).node_id == done.new.node_id
    _party(replace(ctx, key=done.new), "iq")
    assert verify_database(replace(ctx, key=done.new)).ok


def test_a_staged_key_never_journaled_is_left_alone_and_nothing_is_written(
    ctx: ServiceContext,
) -> None:
    build_world(ctx)
    path = keyed(ctx).settings.key_path
    staged = create_key(path.with_name(path.name + rotation.STAGED_SUFFIX))
    entries = _count(ctx, journal)
    with pytest.raises(NodeKeyError, match="never made active"):
        rotate_node_key(ctx, by=SYSTEM)
    assert _count(ctx, journal) == entries
    assert load_key(path).node_id == ctx.key.node_id
    assert load_key(path.with_name(path.name + ".rotating")).node_id == staged.node_id


def test_a_key_file_holding_another_key_is_not_rotated(ctx: ServiceContext) -> None:
    build_world(ctx)
    other = create_key(ctx.settings.key_path)
    entries = _count(ctx, journal)
    with pytest.raises(NodeKeyError, match="no longer holds"):
        rotate_node_key(ctx, by=SYSTEM)
    assert _count(ctx, journal) == entries
    assert load_key(ctx.settings.key_path).node_id == other.node_id
