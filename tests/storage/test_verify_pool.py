"""verify with the signature pool on and off names the same earliest badly signed entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

import tansiq.journal.signatures as signatures
import tansiq.services.core.verification as verification
from tansiq.journal.keys import create_key
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import create_incidents
from tansiq.storage.tables.journal import journal
from tests.factories import build_world, incident_data


def _checkers_used(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    used: list[str] = []
    chosen = verification.checker_for

    def spy(entries: int) -> signatures.SignatureChecker:
        checker = chosen(entries)
        used.append(type(checker).__name__)
        return checker

    monkeypatch.setattr(verification, "checker_for", spy)
    return used


def _resign(ctx: ServiceContext, seq: int, key_path: Path) -> str:
    """Re-sign entry ``seq`` with another key; returns its record id."""
    other = create_key(key_path)
    with ctx.engine.begin() as conn:
        row = conn.execute(select(journal).where(journal.c.seq == seq)).mappings().one()
        conn.execute(
            update(journal)
            .where(journal.c.seq == seq)
            .values(signature=other.sign(bytes.fromhex(row["hash"])))
        )
    return str(row["record_id"])


@pytest.mark.parametrize("pooled", [True, False], ids=["pool", "in-process"])
def test_a_bad_signature_mid_chunk_is_named_with_or_without_the_pool(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pooled: bool
) -> None:
    world = build_world(ctx)
    create_incidents(
        ctx, actor=world.actors["fed_liaison"], items=[incident_data(injured=i) for i in range(40)]
    )
    with ctx.engine.connect() as conn:
        first = conn.execute(select(func.max(journal.c.seq))).scalar_one()
    first -= 39  # the seq of the batch's first entry
    if pooled:
        # Every journal of the test is above the threshold; chunks of 7 entries.
        monkeypatch.setattr(signatures, "POOL_THRESHOLD", 10)
        monkeypatch.setattr(signatures, "CHUNK", 7)
    used = _checkers_used(monkeypatch)
    assert verify_database(ctx).ok
    bad = first + 17
    record_id = _resign(ctx, bad, tmp_path / "a.key")
    _resign(ctx, first + 33, tmp_path / "b.key")  # a later one, maybe checked first

    report = verify_database(ctx)

    assert report.problem == f"journal entry {bad} (incident {record_id}): bad signature"
    assert report.entries == bad - 1
    assert used == ["PooledChecker" if pooled else "InlineChecker"] * 2
