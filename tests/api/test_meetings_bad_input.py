"""Invariant 6 for meetings, decisions and action items: a 4xx naming the field, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import AsUser, assert_problem, assert_verifies, journal_count
from tests.factories import World
from tests.factories_meetings import action_data, add_coordinators, decision_data, meeting_data

SECRETARY = "fed_secretary"
Ids = dict[str, str]

# (overrides of a valid body, the field the problem must name); all answer 422.
BAD_MEETINGS: dict[str, tuple[dict[str, Any], str]] = {
    "held_at without offset": ({"held_at": "2020-02-19T09:00:00"}, "held_at"),
    "impossible date": ({"held_at": "2020-02-30T09:00:00Z"}, "held_at"),
    "held in the future": ({"held_at": "2020-02-21T09:00:00Z"}, "held_at"),
    "before 1900": ({"held_at": "1899-12-31T09:00:00Z"}, "held_at"),
    "held_at missing": ({"held_at": None}, "held_at"),
    "unknown center": ({"center_id": "no-such-center"}, "center_id"),
    "attendee of unknown party": (
        {"attendees": [{"party": "pmf", "name": "X", "position": ""}]},
        "attendees",
    ),
    "attendee without name": ({"attendees": [{"party": "fed"}]}, "attendees"),
    "attendee with extra field": (
        {"attendees": [{"party": "fed", "name": "A", "rank": "Col."}]},
        "attendees",
    ),
    "attendees a string": ({"attendees": "Ali, Karwan"}, "attendees"),
    "long place": ({"place": "x" * 201}, "place"),
    "NUL in minutes": ({"minutes": "a\x00b"}, "minutes"),
    "status postponed": ({"status": "postponed"}, "status"),
    "new meeting cancelled": ({"status": "cancelled"}, "status"),
    "releasability world": ({"releasability": "world"}, "releasability"),
    "unknown field": ({"colour": "red"}, "colour"),
}

BAD_DECISIONS: dict[str, tuple[dict[str, Any], str]] = {
    "no Arabic or Kurdish": ({"text_ar": "", "text_ckb": ""}, "text_ar"),
    "empty English": ({"text_en": ""}, "text_en"),
    "blank English": ({"text_en": "   "}, "text_en"),
    "agreed set by hand": ({"status": "agreed"}, "status"),
    "unknown meeting": ({"meeting_id": "no-such-meeting"}, "meeting_id"),
    "wider than meeting": ({"releasability": "all"}, "releasability"),
    "proposed but private": ({"releasability": "party", "status": "proposed"}, "releasability"),
    "NUL in text": ({"text_ar": "\x00"}, "text_ar"),
    "derived field sent": ({"version_hash": "a" * 64}, "version_hash"),
}

BAD_ACTIONS: dict[str, tuple[dict[str, Any], str]] = {
    "due date impossible": ({"due_at": "2020-02-30"}, "due_at"),
    "due without offset": ({"due_at": "2020-02-29T18:00:00"}, "due_at"),
    "due in words": ({"due_at": "end of the month"}, "due_at"),
    "due a number": ({"due_at": 20200229}, "due_at"),
    "empty title": ({"title": ""}, "title"),
    "owed by another party": ({"owner_party": "krg"}, "owner_party"),
    "status sent": ({"status": "done"}, "status"),
    "derived field sent": ({"overdue": False}, "overdue"),
    "unknown decision": ({"decision_id": "no-such-decision"}, "decision_id"),
    "no center": ({"center_id": None}, "center_id"),
    "long person": ({"owner_person": "x" * 201}, "owner_person"),
}


@pytest.fixture
def ids(ctx: ServiceContext, world: World, as_user: AsUser) -> Ids:
    """Coordinators, plus a meeting, a decision and an action item recorded by fed."""
    add_coordinators(ctx, world, with_tokens=True)
    fed = as_user(SECRETARY)
    center_id = world.centers["kirkuk"]["id"]
    meeting = fed.post("/meetings", json=meeting_data(center_id)).json()
    decision = fed.post("/decisions", json=decision_data(meeting["id"])).json()
    item = fed.post("/action-items", json=action_data(center_id=center_id)).json()
    return {
        "center_id": center_id,
        "meeting_id": meeting["id"],
        "decision_id": decision["id"],
        "action_item_id": item["id"],
    }


KINDS: dict[str, tuple[str, str, Callable[[Ids], dict[str, Any]], dict[str, Any]]] = {
    # kind: (collection, id key, valid body, bad cases)
    "meeting": ("/meetings", "meeting_id", lambda i: meeting_data(i["center_id"]), BAD_MEETINGS),
    "decision": (
        "/decisions",
        "decision_id",
        lambda i: decision_data(i["meeting_id"], releasability="center"),
        BAD_DECISIONS,
    ),
    "action_item": (
        "/action-items",
        "action_item_id",
        lambda i: action_data(center_id=i["center_id"]),
        BAD_ACTIONS,
    ),
}
CASES = [(kind, case) for kind, spec in KINDS.items() for case in spec[3]]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_bad_create_names_the_field_and_writes_nothing(
    as_user: AsUser, ctx: ServiceContext, ids: Ids, kind: str, case: str
) -> None:
    collection, _key, valid, bad = KINDS[kind]
    overrides, field = bad[case]
    before = journal_count(ctx)
    assert_problem(
        as_user(SECRETARY).post(collection, json={**valid(ids), **overrides}), 422, field
    )
    assert journal_count(ctx) == before
    assert_verifies(ctx)


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_bad_patch_names_the_field_and_writes_nothing(
    as_user: AsUser, ctx: ServiceContext, ids: Ids, kind: str, case: str
) -> None:
    collection, key, _valid, bad = KINDS[kind]
    overrides, field = bad[case]
    path = f"{collection}/{ids[key]}"
    before = journal_count(ctx)
    assert_problem(as_user(SECRETARY).patch(path, json=overrides), 422, field)
    assert journal_count(ctx) == before
    assert as_user(SECRETARY).get(path).json()["version"] == 1
    assert_verifies(ctx)


def test_all_errors_are_named_at_once(as_user: AsUser, ids: Ids) -> None:
    body = {**meeting_data(ids["center_id"]), "place": "x" * 201, "colour": "red"}
    assert_problem(as_user(SECRETARY).post("/meetings", json=body), 422, "place", "colour")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/action-items/{action_item_id}/status", {"status": "finished"}, "status"),
        ("/action-items/{action_item_id}/status", {"status": "open"}, "status"),
        ("/action-items/{action_item_id}/status", {"status": "done", "note": 1}, "note"),
        ("/action-items/{action_item_id}/notes", {"text": ""}, "text"),
        ("/action-items/{action_item_id}/notes", {"text": "x", "status": "done"}, "status"),
        ("/decisions/{decision_id}/endorsements", {"version_hash": "abc"}, "version_hash"),
    ],
)
def test_bad_attached_records_are_refused(
    as_user: AsUser, ctx: ServiceContext, ids: Ids, path: str, body: dict[str, Any], field: str
) -> None:
    before = journal_count(ctx)
    response = as_user("fed_admin").post(path.format(**ids), json=body)
    assert_problem(response, 422, field)
    assert journal_count(ctx) == before


def test_a_stale_version_is_409(as_user: AsUser, ctx: ServiceContext, ids: Ids) -> None:
    path = f"/meetings/{ids['meeting_id']}"
    before = journal_count(ctx)
    response = as_user(SECRETARY).patch(path, json={"place": "K1"}, headers={"If-Match": "7"})
    assert_problem(response, 409)
    assert journal_count(ctx) == before
