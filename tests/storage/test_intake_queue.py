"""The review queue's reads and races on both databases: the queue's order and paging,
probable duplicates, and two reviewers (or two submissions) at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.domain.errors import ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.intake.commands import (
    accept_candidate,
    discard_candidate,
    propose_candidates,
)
from tansiq.services.intake.queries import (
    CandidateFilters,
    get_article,
    get_candidate,
    list_candidates,
)
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.intake import articles
from tests.factories import Clock, World, build_world
from tests.factories_intake import article, ied_candidate, other_article, propose
from tests.factories_notices import file_incident


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """Parties fed, krg, un with their liaisons, analysts, observers and admins."""
    return build_world(ctx)


def _count(ctx: ServiceContext, table: Any) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` in threads started together; each result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each call raised
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_queue_lists_pending_first_and_pages_by_cursor(
    ctx: ServiceContext, world: World, clock: Clock
) -> None:
    liaison, analyst = world.actors["fed_liaison"], world.actors["fed_analyst"]
    first = propose(ctx, liaison).candidates
    clock.advance(minutes=5)
    second = propose_candidates(
        ctx, actor=liaison, article=other_article(), candidates=[ied_candidate(), ied_candidate()]
    ).candidates
    discard_candidate(ctx, actor=analyst, candidate_id=second[0]["id"])
    seen: list[str] = []
    cursor = None
    while True:
        page = list_candidates(
            ctx, actor=analyst, filters=CandidateFilters(), cursor=cursor, limit=2
        )
        seen += [c["id"] for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    # Pending first (newest article first, each in reading order), then the reviewed.
    assert seen == [second[1]["id"], *(c["id"] for c in first), second[0]["id"]]
    pending = list_candidates(ctx, actor=analyst, filters=CandidateFilters(status="pending"))
    assert len(pending.items) == 4
    by_kind = list_candidates(ctx, actor=analyst, filters=CandidateFilters(proposes="notice"))
    assert [c["id"] for c in by_kind.items] == [first[2]["id"]]
    with pytest.raises(ValidationFailed) as refused:
        list_candidates(ctx, actor=analyst, filters=CandidateFilters(), cursor="forged.cursor")
    assert refused.value.errors[0].field == "cursor"
    article_view = get_article(ctx, actor=analyst, article_id=first[0]["article_id"])
    assert [c["id"] for c in article_view["candidates"]] == [c["id"] for c in first]


def test_probable_duplicates_are_shown_with_the_incident(ctx: ServiceContext, world: World) -> None:
    krg = world.actors["krg_liaison"]
    near = file_incident(  # Released to all, 1.5 km from Dibis, the same evening.
        ctx,
        krg,
        occurred_at="2020-02-19T17:00:00Z",
        location={"type": "Point", "coordinates": [44.075, 35.653]},
    )
    file_incident(
        ctx,
        krg,
        occurred_at="2020-02-10T17:00:00Z",  # another week
        location={"type": "Point", "coordinates": [44.075, 35.653]},
    )
    file_incident(ctx, krg, occurred_at="2020-02-19T17:00:00Z")  # Kirkuk city, 30 km off
    file_incident(
        ctx,
        krg,
        event_type="Battles",
        sub_event_type="Armed clash",
        occurred_at="2020-02-19T17:00:00Z",
        location={"type": "Point", "coordinates": [44.06, 35.65]},
    )
    file_incident(
        ctx,
        krg,
        releasability="party",
        occurred_at="2020-02-19T17:00:00Z",
        location={"type": "Point", "coordinates": [44.06, 35.65]},
    )  # not fed's to see
    ied = propose(ctx, world.actors["fed_liaison"]).candidates[0]
    found = get_candidate(ctx, actor=world.actors["fed_analyst"], candidate_id=ied["id"])
    assert [d["id"] for d in found["duplicates"]] == [near["id"]]
    duplicate = found["duplicates"][0]
    assert duplicate["party"] == "krg" and 1.0 < duplicate["distance_km"] < 2.0
    # A candidate known only to its district matches by the district.
    region = propose_candidates(
        ctx,
        actor=world.actors["fed_liaison"],
        article=other_article(),
        candidates=[ied_candidate(location=None, geo_precision=2)],
    ).candidates[0]
    assert [d["id"] for d in region["duplicates"]] == [near["id"]]
    assert region["duplicates"][0]["distance_km"] is None
    # Once reviewed, a candidate no longer shows duplicates.
    discard_candidate(ctx, actor=world.actors["fed_analyst"], candidate_id=ied["id"])
    assert (
        get_candidate(ctx, actor=world.actors["fed_analyst"], candidate_id=ied["id"])["duplicates"]
        == []
    )


def test_two_submissions_of_one_article_at_once_store_it_once(
    ctx: ServiceContext, world: World
) -> None:
    liaison, analyst = world.actors["fed_liaison"], world.actors["fed_analyst"]
    results = _at_once(
        lambda: propose_candidates(
            ctx, actor=liaison, article=article(), candidates=[ied_candidate()]
        ),
        lambda: propose_candidates(
            ctx, actor=analyst, article=article(), candidates=[ied_candidate()]
        ),
    )
    assert sorted(r.already_ingested for r in results) == [False, True]
    assert results[0].article["id"] == results[1].article["id"]
    assert _count(ctx, articles) == 1


def test_two_reviewers_accepting_at_once_file_one_incident(
    ctx: ServiceContext, world: World
) -> None:
    ied = propose(ctx, world.actors["fed_liaison"], ied_candidate()).candidates[0]
    before = _count(ctx, incidents)
    results = _at_once(
        lambda: accept_candidate(ctx, actor=world.actors["fed_analyst"], candidate_id=ied["id"]),
        lambda: accept_candidate(ctx, actor=world.actors["fed_admin"], candidate_id=ied["id"]),
    )
    accepted = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(accepted) == 1 and len(refused) == 1, results
    assert refused[0].errors[0].field == "status"
    assert _count(ctx, incidents) == before + 1
