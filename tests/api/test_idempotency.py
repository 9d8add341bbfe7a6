"""Idempotency-Key: a create retried with the same key answers the first result, once written."""

from __future__ import annotations

import hashlib

import orjson
from sqlalchemy import func, select

from tansiq.services.core.context import ServiceContext
from tansiq.services.core.idempotency import keyed_request
from tansiq.services.incidents.commands import create_incident
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.notices import notices
from tests.api.helpers import AsUser, assert_problem, journal_count
from tests.factories import World, incident_data
from tests.factories_notices import notice_data


def _count(ctx: ServiceContext, table: object) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


def test_a_retry_with_the_same_key_answers_the_first_result(
    as_user: AsUser, ctx: ServiceContext
) -> None:
    fed = as_user("fed_liaison")
    first = fed.post("/incidents", json=incident_data(), headers=_keyed("report-2020-02-19-a"))
    assert first.status_code == 201, first.text
    entries = journal_count(ctx)
    again = fed.post("/incidents", json=incident_data(), headers=_keyed("report-2020-02-19-a"))
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert _count(ctx, incidents) == 1
    assert journal_count(ctx) == entries


def test_a_batch_is_written_once_too(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    body = {"items": [incident_data(injured=n) for n in range(3)]}
    first = fed.post("/incidents/batch", json=body, headers=_keyed("batch-7"))
    assert first.status_code == 201, first.text
    again = fed.post("/incidents/batch", json=body, headers=_keyed("batch-7"))
    assert again.json() == first.json()
    assert _count(ctx, incidents) == 3


def test_other_creates_take_a_key(as_user: AsUser, ctx: ServiceContext, world: World) -> None:
    fed = as_user("fed_liaison")
    first = fed.post("/notices", json=notice_data(), headers=_keyed("notice-1"))
    assert first.status_code == 201, first.text
    again = fed.post("/notices", json=notice_data(), headers=_keyed("notice-1"))
    assert again.json()["id"] == first.json()["id"]
    assert _count(ctx, notices) == 1


def test_the_same_key_for_another_request_is_refused_and_writes_nothing(
    as_user: AsUser, ctx: ServiceContext
) -> None:
    fed = as_user("fed_liaison")
    assert fed.post("/incidents", json=incident_data(), headers=_keyed("k1")).status_code == 201
    entries = journal_count(ctx)
    other = fed.post("/incidents", json=incident_data(injured=9), headers=_keyed("k1"))
    assert_problem(other, 422, "Idempotency-Key")
    assert _count(ctx, incidents) == 1
    assert journal_count(ctx) == entries


def test_a_malformed_key_is_refused_by_name_and_writes_nothing(
    as_user: AsUser, ctx: ServiceContext
) -> None:
    fed = as_user("fed_liaison")
    entries = journal_count(ctx)
    for bad in ("has space", "x" * 201, ""):
        answer = fed.post("/incidents", json=incident_data(), headers=_keyed(bad))
        assert_problem(answer, 400, "Idempotency-Key")
    assert journal_count(ctx) == entries


def test_keys_belong_to_their_user(as_user: AsUser, ctx: ServiceContext) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    assert fed.post("/incidents", json=incident_data(), headers=_keyed("shared")).status_code == 201
    theirs = krg.post("/incidents", json=incident_data(), headers=_keyed("shared"))
    assert theirs.status_code == 201 and "idempotent-replayed" not in theirs.headers
    assert _count(ctx, incidents) == 2


def test_without_a_key_every_post_creates(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    for _ in range(2):
        assert fed.post("/incidents", json=incident_data()).status_code == 201
    assert _count(ctx, incidents) == 2


def test_a_refused_create_keeps_no_key(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    bad = fed.post("/incidents", json=incident_data(event_type="Parade"), headers=_keyed("k2"))
    assert bad.status_code == 422
    good = fed.post("/incidents", json=incident_data(), headers=_keyed("k3"))
    assert good.status_code == 201
    assert _count(ctx, incidents) == 1


def test_an_answer_lost_after_the_commit_is_rebuilt_from_the_journal(
    as_user: AsUser, ctx: ServiceContext, world: World
) -> None:
    """The process died after committing, before keeping its answer: the retry finds
    the records the key noted in the creating transaction and answers them."""
    body = incident_data()
    raw = orjson.dumps(body)
    digest = hashlib.sha256(b"\n".join([b"/api/v1/incidents", b"", raw])).hexdigest()
    actor = world.actors["fed_liaison"]
    with keyed_request(user_id=actor.user_id, key="lost-answer", digest=digest):
        created = create_incident(ctx, actor=actor, data=body)
    retry = as_user("fed_liaison").post(
        "/incidents",
        content=raw,
        headers={**_keyed("lost-answer"), "Content-Type": "application/json"},
    )
    assert retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == {**created, "received": None}
    assert _count(ctx, incidents) == 1


def test_a_keyed_body_streamed_past_the_limit_answers_413(
    as_user: AsUser, ctx: ServiceContext
) -> None:
    def chunks():  # no Content-Length: the limit counts the stream
        yield b'{"items": ['
        for _ in range(200_000):
            yield b'"' + b"x" * 40 + b'",'
        yield b'"x"]}'

    answer = as_user("fed_liaison").post(
        "/incidents/batch",
        content=chunks(),
        headers={**_keyed("big"), "Content-Type": "application/json"},
    )
    assert_problem(answer, 413, "body")
    assert _count(ctx, incidents) == 0
