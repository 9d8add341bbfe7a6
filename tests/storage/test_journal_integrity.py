"""The journal head on both backends: a lost head stops writes; verify reads one snapshot."""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Any

import pytest
from sqlalchemy import Connection, delete, func, select

import tansiq.services.core.verification as verification
from tansiq.journal.verify import JournalHead
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import JournalBroken
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import create_incident
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal, journal_heads
from tests.factories import build_world, incident_data


def _count(ctx: ServiceContext, table: Any) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_missing_head_refuses_the_write_and_changes_nothing(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    actor = world.actors["fed_liaison"]
    create_incident(ctx, actor=actor, data=incident_data())
    with ctx.engine.begin() as conn:
        conn.execute(delete(journal_heads))
    before = (_count(ctx, incidents), _count(ctx, journal))

    with pytest.raises(JournalBroken, match="journal head is missing"):
        create_incident(ctx, actor=actor, data=incident_data(injured=3))

    assert (_count(ctx, incidents), _count(ctx, journal)) == before
    assert _count(ctx, journal_heads) == 0, "the head must not be rebuilt from the tail"
    report = verify_database(ctx)
    assert report.problem is not None and "journal head is missing" in report.problem


def test_a_write_committed_during_verify_is_not_tampering(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(ctx)
    actor = world.actors["fed_liaison"]
    create_incident(ctx, actor=actor, data=incident_data())
    entries_before = _count(ctx, journal)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            create_incident(ctx, actor=actor, data=incident_data(injured=5))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    streamed = verification._entries

    def entries_then_a_write(conn: Connection) -> Generator[Any, None, None]:
        stream = streamed(conn)
        yield next(stream)
        # Verify has started reading: another writer commits before the tables are read.
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=30)
        assert not writer.is_alive(), "the writer was blocked by verify"
        yield from stream

    monkeypatch.setattr(verification, "_entries", entries_then_a_write)
    report = verify_database(ctx)
    assert not failures, failures
    assert report.ok, report.problem
    assert report.entries == entries_before
    assert _count(ctx, journal) == entries_before + 1

    monkeypatch.undo()
    again = verify_database(ctx)
    assert again.ok, again.problem
    assert again.entries == entries_before + 1


def test_verify_with_a_writer_running_alongside(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    actor = world.actors["krg_liaison"]
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                create_incident(ctx, actor=actor, data=incident_data(injured=1))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        reports = [verify_database(ctx) for _ in range(5)]
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not failures, failures
    assert all(r.ok for r in reports), [r.problem for r in reports]


def test_the_report_names_the_head_the_chain_reached(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    with ctx.engine.connect() as conn:
        head = conn.execute(select(journal_heads.c.seq, journal_heads.c.hash)).one()
    report = verify_database(ctx)
    assert report.ok and report.head == JournalHead(head.seq, head.hash)
    assert report.public_key == ctx.key.public_key_hex
    assert verify_database(ctx, expect_head=report.head).ok
    shortened = verify_database(ctx, expect_head=JournalHead(head.seq + 1, head.hash))
    assert shortened.problem is not None and "entries were removed" in shortened.problem
