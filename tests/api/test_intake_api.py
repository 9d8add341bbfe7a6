"""The review queue over HTTP: list, read, correct, accept, discard; problem+json naming
the field; another party's candidate answers 404."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, assert_problem, assert_verifies, journal_count
from tests.factories import World
from tests.factories_intake import IED_SENTENCE, propose


@pytest.fixture
def queued(ctx: ServiceContext, world: World) -> list[dict[str, Any]]:
    """fed's queue: the IED, the agreed meeting and the border-guard deployment."""
    return propose(ctx, world.actors["fed_liaison"]).candidates


@pytest.fixture
def unchanged(ctx: ServiceContext, queued: list[dict[str, Any]]) -> Iterator[None]:
    """After the test: no journal row was added and the database still verifies."""
    before = journal_count(ctx)
    yield
    assert journal_count(ctx) == before
    assert_verifies(ctx)


def test_the_queue_lists_the_partys_candidates(
    as_user: AsUser, queued: list[dict[str, Any]]
) -> None:
    response = as_user("fed_observer").get("/candidates")
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["id"] for i in items] == [c["id"] for c in queued]
    first = items[0]
    assert first["evidence"] == [IED_SENTENCE] and first["status"] == "pending"
    assert first["article"]["outlet"] == "Shafaq News"
    notices = as_user("fed_analyst").get("/candidates", params={"proposes": "notice"}).json()
    assert [i["id"] for i in notices["items"]] == [queued[2]["id"]]
    assert as_user("krg_analyst").get("/candidates").json()["items"] == []
    assert_problem(as_user("fed_analyst").get("/candidates", params={"limit": 500}), 422, "limit")
    assert_problem(
        as_user("fed_analyst").get("/candidates", params={"cursor": "x.y"}), 422, "cursor"
    )


def test_a_candidate_reads_with_its_article_and_history(
    as_user: AsUser, queued: list[dict[str, Any]]
) -> None:
    read = as_user("fed_analyst").get(f"/candidates/{queued[0]['id']}")
    assert read.status_code == 200, read.text
    body = read.json()
    assert [h["version"] for h in body["history"]] == [1]
    assert body["history"][0]["action"] == "propose"
    article = as_user("fed_analyst").get(f"/articles/{body['article_id']}")
    assert article.status_code == 200, article.text
    assert [c["id"] for c in article.json()["candidates"]] == [c["id"] for c in queued]


def test_another_partys_candidate_answers_404(
    as_user: AsUser, queued: list[dict[str, Any]], unchanged: None
) -> None:
    krg = as_user("krg_admin")
    candidate_id = queued[0]["id"]
    assert_problem(krg.get(f"/candidates/{candidate_id}"), 404)
    assert_problem(krg.patch(f"/candidates/{candidate_id}", json={"injured": 4}), 404)
    assert_problem(krg.post(f"/candidates/{candidate_id}/accept", json={}), 404)
    assert_problem(krg.post(f"/candidates/{candidate_id}/discard", json={}), 404)
    assert_problem(krg.get(f"/articles/{queued[0]['article_id']}"), 404)


def test_a_bad_edit_names_the_field_and_changes_nothing(
    as_user: AsUser, queued: list[dict[str, Any]], unchanged: None
) -> None:
    analyst = as_user("fed_analyst")
    path = f"/candidates/{queued[0]['id']}"
    assert_problem(
        analyst.patch(path, json={"sub_event_type": "Armed clash"}), 422, "sub_event_type"
    )
    assert_problem(analyst.patch(path, json={"admin1": "Atlantis"}), 422, "admin1")
    assert_problem(analyst.patch(path, json={"fatalities": "2"}), 422, "fatalities")
    assert_problem(analyst.patch(path, json={"evidence": ["made up"]}), 422, "evidence")
    assert_problem(analyst.patch(path, json={"injured": 4}, headers={"If-Match": "7"}), 409)
    assert_problem(as_user("fed_liaison").patch(path, json={"injured": 4}), 403)
    assert analyst.get(path).json()["version"] == 1


def test_editing_then_accepting_files_the_corrected_incident(
    as_user: AsUser, queued: list[dict[str, Any]], ctx: ServiceContext
) -> None:
    analyst = as_user("fed_analyst")
    path = f"/candidates/{queued[0]['id']}"
    edited = analyst.patch(
        path, json={"injured": 4, "place_name": "Dibis checkpoint"}, headers={"If-Match": "1"}
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["version"], edited.json()["injured"]) == (2, 4)
    before = journal_count(ctx)
    refused = analyst.post(f"{path}/accept", json={"record": {"credibility": 0}})
    assert_problem(refused, 422, "record.credibility")
    assert journal_count(ctx) == before
    accepted = analyst.post(
        f"{path}/accept",
        json={"target": "incident", "record": {"releasability": "all"}},
        headers={"If-Match": "2"},
    )
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert (body["status"], body["accepted_kind"], body["duplicates"]) == (
        "accepted",
        "incident",
        [],
    )
    assert journal_count(ctx) == before + 2
    incident = as_user("krg_observer").get(f"/incidents/{body['accepted_id']}").json()
    assert (incident["injured"], incident["place_name"]) == (4, "Dibis checkpoint")
    assert IED_SENTENCE in incident["description"]
    assert incident["sources"][0].startswith("Shafaq News")
    again = analyst.post(f"{path}/accept", json={})
    assert_problem(again, 422, "status")
    assert_verifies(ctx)


def test_accepting_as_something_it_does_not_propose_names_target(
    as_user: AsUser, queued: list[dict[str, Any]], unchanged: None
) -> None:
    analyst = as_user("fed_admin")
    path = f"/candidates/{queued[0]['id']}/accept"
    assert_problem(analyst.post(path, json={"target": "meeting"}), 422, "target")
    assert_problem(analyst.post(path, json={"target": "party"}), 422, "target")
    assert_problem(analyst.post(path, json={"record": []}), 422, "record")
    assert_problem(analyst.post(path, json={"surprise": 1}), 422, "surprise")
    # The analyst may not send notices by hand, so not from the queue either.
    assert_problem(
        as_user("fed_analyst").post(f"/candidates/{queued[2]['id']}/accept", json={}), 403
    )


def test_discarding_keeps_the_reason(as_user: AsUser, queued: list[dict[str, Any]]) -> None:
    analyst = as_user("fed_analyst")
    path = f"/candidates/{queued[1]['id']}/discard"
    assert_problem(analyst.post(path, json={"reason": "x" * 2001}), 422, "reason")
    discarded = analyst.post(path, json={"reason": "Old news, recorded in January."})
    assert discarded.status_code == 200, discarded.text
    assert discarded.json()["status"] == "discarded"
    assert discarded.json()["discard_reason"] == "Old news, recorded in January."
    listed = analyst.get("/candidates").json()["items"]
    assert listed[-1]["id"] == queued[1]["id"]  # the reviewed come after the pending
