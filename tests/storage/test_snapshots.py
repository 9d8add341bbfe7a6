"""The test databases' snapshots (tests/snapshots.py): a reset is a fresh migration and a
replayed world is as whole as one built through the services."""

from __future__ import annotations

from sqlalchemy import select

from tansiq.journal.chain import GENESIS_HASH
from tansiq.services.accounts.commands import actor_for_token, authenticate_password, create_user
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.journaling import LOCAL_CHAIN
from tansiq.services.core.verification import verify_database
from tansiq.services.directory.commands import create_party
from tansiq.services.incidents.commands import create_incident
from tansiq.storage.tables.directory import parties
from tansiq.storage.tables.journal import journal_heads
from tests import snapshots
from tests.factories import PASSWORD, SYSTEM, _create_world, build_world, incident_data


def _counts(ctx: ServiceContext) -> dict[str, int]:
    with ctx.engine.connect() as conn:
        return {name: len(rows) for name, rows in snapshots.take(conn).items()}


def test_a_reset_leaves_only_the_seeded_journal_head(ctx: ServiceContext) -> None:
    build_world(ctx)
    snapshots.reset(ctx.engine)
    with ctx.engine.connect() as conn:
        rows = snapshots.take(conn)
        head = conn.execute(select(journal_heads)).one()
    assert {name: len(found) for name, found in rows.items() if found} == {"journal_heads": 1}
    assert (head.node_id, head.seq, head.hash) == (LOCAL_CHAIN, 0, GENESIS_HASH)


def test_a_replayed_world_is_the_world_it_recorded(ctx: ServiceContext) -> None:
    recorded = build_world(ctx, with_tokens=True)
    snapshots.reset(ctx.engine)
    replayed = build_world(ctx, with_tokens=True)
    assert replayed == recorded
    assert replayed is not recorded
    report = verify_database(ctx)
    assert report.ok, report.problem
    for username, token in replayed.tokens.items():
        assert actor_for_token(ctx, token=token) == replayed.actors[username]
    assert authenticate_password(ctx, username="krg_admin", password=PASSWORD)


def test_a_replayed_world_has_the_rows_of_a_built_one(ctx: ServiceContext) -> None:
    build_world(ctx, with_tokens=True)
    replayed = _counts(ctx)
    snapshots.reset(ctx.engine)
    _create_world(ctx, with_tokens=True)
    assert _counts(ctx) == replayed


def test_the_chain_goes_on_after_a_replay(ctx: ServiceContext) -> None:
    snapshots.reset(ctx.engine)
    world = build_world(ctx)
    create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    create_user(
        ctx, by=SYSTEM, username="late_user", party="un", roles=["observer"], password=PASSWORD
    )
    report = verify_database(ctx)
    assert report.ok, report.problem


def test_a_changed_database_is_not_replayed_over(ctx: ServiceContext) -> None:
    build_world(ctx)  # recorded (or replayed) from the pristine rows
    snapshots.reset(ctx.engine)
    names = {"name_en": "NATO mission", "name_ar": "بعثة الناتو", "name_ckb": "ناتۆ"}
    create_party(ctx, by=SYSTEM, party_id="nato", **names)
    build_world(ctx)
    with ctx.engine.connect() as conn:
        found = set(conn.execute(select(parties.c.id)).scalars())
    assert found == {"nato", "fed", "krg", "un"}
    report = verify_database(ctx)
    assert report.ok, report.problem
