"""Concurrent writers queue on the journal head: the chain stays whole."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import create_incident
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tests.factories import build_world, incident_data


def test_parallel_writers_keep_one_valid_chain(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    writers = [world.actors["fed_liaison"], world.actors["krg_liaison"]] * 2

    def file_many(index: int) -> None:
        for n in range(8):
            create_incident(ctx, actor=writers[index], data=incident_data(injured=n))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(file_many, range(4)))
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(incidents)).scalar() == 32
        seqs = [r.seq for r in conn.execute(select(journal.c.seq).order_by(journal.c.seq))]
    assert seqs == list(range(1, len(seqs) + 1))
    report = verify_database(ctx)
    assert report.ok, report.problem
