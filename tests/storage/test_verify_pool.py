"""verify with its checks in worker processes finds what it finds in this process.

Every record kind the world below holds goes through the workers, on both backends,
and each tamper is named alike, with small chunks so that every check spans several.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

import tansiq.journal.tasks as tasks
import tansiq.services.core.verification as verification
from tansiq.journal.keys import create_key
from tansiq.journal.tasks import PooledTasks, Tasks
from tansiq.journal.verify import VerifyReport
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.assessment_commands import assess_incident
from tansiq.services.incidents.commands import create_incidents
from tansiq.services.meetings.action_commands import add_action_note, create_action_item
from tansiq.services.notices.commands import acknowledge_notice, send_notice
from tansiq.services.operations.commands import create_operation
from tansiq.services.sectors.commands import create_sector
from tansiq.services.sectors.site_commands import create_site
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tansiq.storage.tables.meetings import action_notes
from tansiq.storage.tables.operations import operations
from tests import snapshots
from tests.factories import World, build_world, incident_data, replay_key
from tests.factories_meetings import action_data, add_coordinators
from tests.factories_notices import assessment_data, notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data, site_data


@pytest.fixture(scope="module")
def shared_pool() -> Iterator[PooledTasks]:
    """Two workers for the whole module: starting them is most of a small verify's time."""
    pool = PooledTasks(2, preload=verification.WORKER_MODULES)
    yield pool
    pool.close()


class _Kept:
    """The shared pool, kept running when a verify closes it."""

    def __init__(self, pool: PooledTasks) -> None:
        self.pool = pool

    def put(self, tag: Any, task: Callable[..., Any], *args: Any) -> Any:
        return self.pool.put(tag, task, *args)

    def put_result(self, tag: Any, result: Any) -> Any:
        return self.pool.put_result(tag, result)

    def finish(self) -> Any:
        return self.pool.finish()

    def cancel(self) -> None:
        self.pool.cancel()

    def close(self) -> None:
        self.pool.cancel()


def _verify(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, pool: PooledTasks
) -> VerifyReport:
    """verify_database with its checks in the shared workers, seven rows a task."""
    used: list[Tasks] = []

    def pooled(_entries: int, **_options: Any) -> Tasks:
        used.append(_Kept(pool))
        return used[-1]

    with monkeypatch.context() as patch:
        patch.setattr(verification, "tasks_for", pooled)
        patch.setattr(tasks, "CHUNK", 7)
        report = verify_database(ctx)
    assert len(used) == 1
    return report


def _world(ctx: ServiceContext) -> dict[str, str]:
    """A record or more of most kinds (replayed after the first build); some of their ids."""
    return snapshots.replay(ctx.engine, replay_key(ctx, "verify_pool"), lambda: _build(ctx))


def _build(ctx: ServiceContext) -> dict[str, str]:
    world: World = add_coordinators(ctx, build_world(ctx, with_tokens=True))
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    filed = create_incidents(ctx, actor=fed, items=[incident_data(injured=i) for i in range(20)])
    assess_incident(ctx, actor=krg, incident_id=filed[0]["id"], data=assessment_data())
    create_sector(ctx, actor=fed, data=sector_data())
    create_site(ctx, actor=fed, data=site_data())
    plan = create_operation(ctx, actor=fed, data=operation_data())
    notice = send_notice(ctx, actor=fed, data=notice_data())
    acknowledge_notice(ctx, actor=krg, notice_id=notice["id"], data={"response": "ack"})
    item = create_action_item(
        ctx,
        actor=world.actors["fed_secretary"],
        data=action_data(center_id=world.centers["kirkuk"]["id"], releasability="all"),
    )
    note = add_action_note(ctx, actor=krg, action_item_id=item["id"], text="On it")
    return {"incident": filed[10]["id"], "operation": plan["id"], "note": note["id"]}


def _middle_seq(ctx: ServiceContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.max(journal.c.seq))).scalar_one()) // 2


def _resign(ctx: ServiceContext, ids: dict[str, str], tmp_path: Path) -> None:
    seq, other = _middle_seq(ctx), create_key(tmp_path / "other.key")
    with ctx.engine.begin() as conn:
        digest = conn.execute(select(journal.c.hash).where(journal.c.seq == seq)).scalar_one()
        signature = other.sign(bytes.fromhex(digest))
        conn.execute(update(journal).where(journal.c.seq == seq).values(signature=signature))


def _alter_entry(ctx: ServiceContext, ids: dict[str, str], tmp_path: Path) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(update(journal).where(journal.c.seq == _middle_seq(ctx)).values(actor="x"))


def _drop_entry(ctx: ServiceContext, ids: dict[str, str], tmp_path: Path) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(delete(journal).where(journal.c.seq == _middle_seq(ctx)))


def _edit_incident(ctx: ServiceContext, ids: dict[str, str], tmp_path: Path) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(update(incidents).where(incidents.c.id == ids["incident"]).values(injured=99))


def _edit_derived(ctx: ServiceContext, ids: dict[str, str], tmp_path: Path) -> None:
    with ctx.engine.begin() as conn:
        plan = operations.c.id == ids["operation"]
        conn.execute(update(operations).where(plan).values(participant_key=",fed,"))


def _rename_note(ctx: ServiceContext, ids: dict[str, str], tmp_path: Path) -> None:
    with ctx.engine.begin() as conn:
        note = action_notes.c.id == ids["note"]
        conn.execute(update(action_notes).where(note).values(id=str(uuid.uuid4())))


def _drop_note(ctx: ServiceContext, ids: dict[str, str], tmp_path: Path) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(delete(action_notes).where(action_notes.c.id == ids["note"]))


TAMPERS = {
    "re-signed entry": (_resign, "bad signature"),
    "altered entry": (_alter_entry, "hash mismatch"),
    "removed entry": (_drop_entry, "is missing (next found is"),
    "edited record": (_edit_incident, "differs from its latest journaled version"),
    "edited derived column": (_edit_derived, "column participant_key differs"),
    "record without entry": (_rename_note, "has no journal entry"),
    "deleted record": (_drop_note, "journaled but missing from the database"),
}


def test_every_kind_verifies_in_the_workers_as_here(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, shared_pool: PooledTasks
) -> None:
    _world(ctx)
    here = verify_database(ctx)
    pooled = _verify(ctx, monkeypatch, shared_pool)
    assert here.ok and pooled.ok, (here.problem, pooled.problem)
    assert (pooled.entries, pooled.records, pooled.head) == (here.entries, here.records, here.head)
    with ctx.engine.connect() as conn:
        kinds = set(conn.execute(select(journal.c.record_kind).distinct()).scalars())
    assert kinds == {
        "party", "center", "user", "api_token", "incident", "assessment", "sector",
        "protected_site", "operation", "notice", "notice_ack", "action_item", "action_note",
    }


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_each_tamper_is_named_alike_in_the_workers(
    ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
    shared_pool: PooledTasks,
    tmp_path: Path,
    tamper: str,
) -> None:
    ids = _world(ctx)
    apply, expected = TAMPERS[tamper]
    apply(ctx, ids, tmp_path)
    here = verify_database(ctx)
    pooled = _verify(ctx, monkeypatch, shared_pool)
    assert here.problem is not None and expected in here.problem, here.problem
    assert pooled.problem == here.problem
    assert (pooled.entries, pooled.records) == (here.entries, here.records)


def test_a_journal_past_the_threshold_is_checked_in_workers(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_world(ctx)
    used: list[str] = []
    chosen = verification.tasks_for

    def spy(entries: int, **options: Any) -> Tasks:
        runner = chosen(entries, workers=1, **options)
        used.append(type(runner).__name__)
        return runner

    monkeypatch.setattr(verification, "tasks_for", spy)
    assert verify_database(ctx).ok
    monkeypatch.setattr(tasks, "POOL_THRESHOLD", 10)
    monkeypatch.setattr(tasks, "CHUNK", 7)
    assert verify_database(ctx).ok
    assert used == ["InlineTasks", "PooledTasks"]
