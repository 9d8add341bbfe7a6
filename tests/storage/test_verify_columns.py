"""Every stored column is journaled, journaled as a digest, or derived and derived again.

Each test edits one column behind the services' back, as someone with the database
would, and ``tansiq verify`` must name the record (and, for a derived column, the column).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Table, select, update

import tansiq.services.core.verification as verification
from tansiq.services.accounts.admin_commands import reset_password, revoke_token
from tansiq.services.accounts.commands import (
    create_token,
    create_user,
    get_user_by_username,
    hash_password,
)
from tansiq.services.accounts.queries import party_users
from tansiq.services.accounts.records import USER, public_user
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.registry import RECORD_KINDS
from tansiq.services.core.verification import verify_database
from tansiq.services.directory.commands import create_party
from tansiq.services.operations.commands import create_operation
from tansiq.services.sectors.commands import create_sector
from tansiq.storage.tables.accounts import api_tokens, users
from tansiq.storage.tables.journal import journal
from tansiq.storage.tables.operations import operations
from tansiq.storage.tables.sectors import sectors
from tests.factories import SYSTEM, build_world
from tests.factories_operations import operation_data
from tests.factories_sectors import sector_data

NEW_PASSWORD = "correct horse battery staple 7"


def _edit(ctx: ServiceContext, table: Table, record_id: str, **values: Any) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == record_id).values(**values))


def _problem(ctx: ServiceContext) -> str:
    report = verify_database(ctx)
    assert not report.ok, "verify passed a tampered column"
    return str(report.problem)


def test_a_replaced_password_hash_is_detected(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    victim = world.actors["fed_admin"]
    assert verify_database(ctx).ok
    # The attacker's own password, hashed as the node would: a working login if unnoticed.
    _edit(ctx, users, victim.user_id, password_hash=hash_password(ctx, NEW_PASSWORD))
    assert f"record user {victim.user_id} differs" in _problem(ctx)


def test_a_replaced_token_hash_is_detected(ctx: ServiceContext) -> None:
    build_world(ctx)
    _, token = create_token(ctx, by=SYSTEM, username="fed_liaison")
    assert verify_database(ctx).ok
    known = hashlib.sha256(b"tsq_the-attackers-own-token").hexdigest()
    _edit(ctx, api_tokens, token["id"], token_hash=known)
    assert f"record api_token {token['id']} differs" in _problem(ctx)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("min_lon", 10.0),
        ("max_lat", 0.0),
        # Dropping krg from the filter key hides the plan from krg's deconfliction.
        ("participant_key", ",fed,"),
    ],
)
def test_an_edited_derived_operation_column_is_named(
    ctx: ServiceContext, column: str, value: Any
) -> None:
    world = build_world(ctx)
    plan = create_operation(ctx, actor=world.actors["fed_liaison"], data=operation_data())
    assert verify_database(ctx).ok
    _edit(ctx, operations, plan["id"], **{column: value})
    problem = _problem(ctx)
    assert f"record operation {plan['id']}: column {column} differs" in problem


def test_an_edited_journaled_field_is_named_before_its_derived_columns(
    ctx: ServiceContext,
) -> None:
    world = build_world(ctx)
    plan = create_operation(ctx, actor=world.actors["fed_liaison"], data=operation_data())
    _edit(ctx, operations, plan["id"], participants=["fed"])
    problem = _problem(ctx)
    assert "differs from its latest journaled version" in problem


def test_an_edited_sector_box_is_detected(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    sector = create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data())
    assert verify_database(ctx).ok
    _edit(ctx, sectors, sector["id"], min_lon=40.0, max_lon=40.1)
    assert f"record sector {sector['id']} differs" in _problem(ctx)


def test_users_journaled_before_the_digest_still_verify(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The user kind as it was at format 2: no password digest.
    format_2 = replace(USER, payload=public_user, payload_format=2, earlier_payloads={})
    kinds = tuple(format_2 if k.name == USER.name else k for k in RECORD_KINDS)
    monkeypatch.setattr(verification, "RECORD_KINDS", kinds)
    monkeypatch.setattr("tansiq.services.accounts.commands.USER", format_2)
    # Not build_world: a replayed snapshot would hold users of the current format.
    create_party(ctx, by=SYSTEM, party_id="fed", name_en="FED", name_ar="fed", name_ckb="fed")
    create_user(ctx, by=SYSTEM, username="ivan", party="fed", roles=["liaison"])
    with ctx.engine.connect() as conn:
        query = select(journal.c.payload_format).where(journal.c.record_kind == "user")
        formats = {r.payload_format for r in conn.execute(query)}
    assert formats == {2}
    monkeypatch.undo()
    assert verify_database(ctx).ok


def test_answers_carry_no_credential_or_digest(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    admin = world.actors["fed_admin"]
    answers: list[dict[str, Any]] = []
    created, _ = create_user(ctx, by=SYSTEM, username="ivan", party="fed", roles=["liaison"])
    answers.append(created)
    answers.append(get_user_by_username(ctx, username="ivan"))
    answers.extend(party_users(ctx, actor=admin))
    answers.append(reset_password(ctx, by=admin, username="ivan")[0])
    _, token = create_token(ctx, by=SYSTEM, username="ivan")
    answers.append(token)
    answers.append(revoke_token(ctx, by=admin, token_id=token["id"]))
    for answer in answers:
        assert not {"password_hash", "password_digest", "token_hash", "token_digest"} & set(
            answer
        ), answer
    assert verify_database(ctx).ok


def test_a_value_its_column_cannot_read_is_a_break_not_a_crash(ctx: ServiceContext) -> None:
    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL refuses text that is no timestamp in a timestamp column")
    world = build_world(ctx)
    sector = create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data())
    assert verify_database(ctx).ok
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE sectors SET valid_from = 'the day after' WHERE id = ?", (sector["id"],)
        )
    assert f"record sector {sector['id']} cannot be read" in _problem(ctx)
