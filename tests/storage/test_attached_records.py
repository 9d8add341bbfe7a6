"""Records attached to another never reach further than it, declared once in the registry.

The registry's parent/child pairs drive the guard for every kind; these tests
cover the pair that had no guard before (action items and their progress notes)
and the guard under concurrent writers (locks on PostgreSQL, the write lock on
SQLite).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.domain.errors import NotFound, ValidationFailed
from tansiq.domain.releasability import reaches_within
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.registry import RECORD_KINDS, children_of, parents_of
from tansiq.services.core.verification import verify_database
from tansiq.services.meetings.action_commands import (
    add_action_note,
    create_action_item,
    update_action_item,
)
from tansiq.storage.tables.journal import journal
from tansiq.storage.tables.meetings import action_items, action_notes
from tests.factories import World, build_world
from tests.factories_meetings import action_data, add_coordinators


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """The factory world plus secretaries and approvers."""
    return add_coordinators(ctx, build_world(ctx))


def _journal_size(ctx: ServiceContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(journal)).scalar_one())


def _shared_item(ctx: ServiceContext, world: World) -> dict[str, Any]:
    return create_action_item(
        ctx,
        actor=world.actors["fed_secretary"],
        data=action_data(center_id=world.centers["kirkuk"]["id"], releasability="all"),
    )


def _note_reach(ctx: ServiceContext, item_id: str, party: str) -> str | None:
    with ctx.engine.connect() as conn:
        return conn.execute(
            select(action_notes.c.releasability).where(
                action_notes.c.action_item_id == item_id, action_notes.c.party_id == party
            )
        ).scalar()


def test_every_declared_child_names_its_parent_in_a_column() -> None:
    for kind in RECORD_KINDS:
        for child, column, label in children_of(kind):
            assert column in child.table.c, (kind.name, child.name, column)
            assert label
            assert (kind, column) in parents_of(child)


def test_action_notes_are_children_of_action_items() -> None:
    item = next(k for k in RECORD_KINDS if k.name == "action_item")
    assert [c.name for c, _, _ in children_of(item)] == ["action_note"]


def test_an_action_item_cannot_be_narrowed_below_its_notes(
    ctx: ServiceContext, world: World
) -> None:
    item = _shared_item(ctx, world)
    add_action_note(ctx, actor=world.actors["krg_liaison"], action_item_id=item["id"], text="On it")
    before = _journal_size(ctx)
    with pytest.raises(ValidationFailed) as refused:
        update_action_item(
            ctx,
            actor=world.actors["fed_secretary"],
            action_item_id=item["id"],
            changes={"releasability": "party"},
        )
    assert refused.value.errors[0].field == "releasability"
    assert "progress notes" in refused.value.errors[0].message
    assert _journal_size(ctx) == before
    widened = update_action_item(
        ctx,
        actor=world.actors["fed_secretary"],
        action_item_id=item["id"],
        changes={"releasability": "all", "title": "Hold the founding meeting"},
    )
    assert widened["version"] == 2
    assert verify_database(ctx).ok


def test_an_item_without_notes_can_still_be_narrowed(ctx: ServiceContext, world: World) -> None:
    item = _shared_item(ctx, world)
    narrowed = update_action_item(
        ctx,
        actor=world.actors["fed_secretary"],
        action_item_id=item["id"],
        changes={"releasability": "party"},
    )
    assert narrowed["releasability"] == "party"


def test_narrowing_and_attaching_at_once_never_leave_a_wider_child(
    ctx: ServiceContext, world: World
) -> None:
    """Each round races a narrowing against notes; at most one side may win."""
    owner, other = world.actors["fed_secretary"], world.actors["krg_liaison"]
    fed_note_writer = world.actors["fed_liaison"]
    for _round in range(6):
        item = _shared_item(ctx, world)

        def narrow(item_id: str = item["id"]) -> str:
            try:
                update_action_item(
                    ctx, actor=owner, action_item_id=item_id, changes={"releasability": "party"}
                )
            except ValidationFailed:
                return "refused"
            return "narrowed"

        def note(actor: Any, item_id: str = item["id"]) -> str:
            try:
                add_action_note(ctx, actor=actor, action_item_id=item_id, text="Progress")
            except (ValidationFailed, NotFound):
                return "refused"
            return "noted"

        with ThreadPoolExecutor(max_workers=3) as pool:
            outcomes = [pool.submit(note, fed_note_writer), pool.submit(narrow)]
            outcomes.append(pool.submit(note, other))
            results = [f.result() for f in outcomes]
        # The other party's note and the narrowing exclude each other; the owner's
        # own note may follow a narrowing (it then reaches only the owner party).
        assert not (results[1] == "narrowed" and results[2] == "noted") or _note_reach(
            ctx, item["id"], other.party
        ) == "party", results
    with ctx.engine.connect() as conn:
        columns = (action_items.c.id, action_items.c.releasability, action_items.c.center_id)
        parents = {r.id: r for r in conn.execute(select(*columns))}
        for note_row in conn.execute(select(action_notes)).mappings():
            parent = parents[note_row["action_item_id"]]
            assert reaches_within(
                child=note_row["releasability"],
                child_center=note_row["center_id"],
                parent=parent.releasability,
                parent_center=parent.center_id,
            ), (dict(note_row), parent)
    assert verify_database(ctx).ok
