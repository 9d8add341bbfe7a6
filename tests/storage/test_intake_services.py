"""The review queue through the services on both databases: propose, dedupe, edit, accept,
discard, and the probable duplicates, with the journal verified after the writes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.domain.errors import NotFound, PermissionDenied, ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.incidents.commands import get_incident
from tansiq.services.intake.commands import (
    accept_candidate,
    discard_candidate,
    edit_candidate,
    propose_candidates,
)
from tansiq.services.intake.queries import (
    CandidateFilters,
    candidate_detail,
    get_article,
    get_candidate,
    list_candidates,
)
from tansiq.services.meetings.action_commands import get_action_item
from tansiq.services.meetings.commands import get_meeting
from tansiq.services.notices.queries import get_notice
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.intake import articles, candidates
from tansiq.storage.tables.journal import journal
from tests.factories import World, build_world
from tests.factories_intake import (
    DEPLOYMENT_SENTENCE,
    IED_SENTENCE,
    article,
    ied_candidate,
    meeting_candidate,
    other_article,
    propose,
)


@pytest.fixture
def world(ctx: ServiceContext) -> World:
    """Parties fed, krg, un with their liaisons, analysts, observers and admins."""
    return build_world(ctx)


def _counts(ctx: ServiceContext) -> tuple[int, ...]:
    with ctx.engine.connect() as conn:
        return tuple(
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (journal, incidents, articles, candidates)
        )


def _verifies(ctx: ServiceContext) -> None:
    report = verify_database(ctx)
    assert report.ok, report.problem


def test_proposing_queues_the_candidates_and_files_nothing(
    ctx: ServiceContext, world: World
) -> None:
    journal_rows, incident_rows, _, _ = _counts(ctx)
    result = propose(ctx, world.actors["fed_liaison"])
    assert not result.already_ingested and result.matched_by is None
    assert result.article["party"] == "fed" and result.article["releasability"] == "party"
    assert [c["position"] for c in result.candidates] == [0, 1, 2]
    assert {c["status"] for c in result.candidates} == {"pending"}
    ied = result.candidates[0]
    assert ied["evidence"] == [IED_SENTENCE]
    assert (ied["admin1"], ied["admin2"], ied["fatalities"]) == ("Kirkuk", "Dibis", 2)
    # Nothing enters the incident log unreviewed.
    assert _counts(ctx)[:2] == (journal_rows + 4, incident_rows)
    _verifies(ctx)


def test_the_same_article_again_proposes_nothing_and_says_so(
    ctx: ServiceContext, world: World
) -> None:
    first = propose(ctx, world.actors["fed_liaison"])
    before = _counts(ctx)
    again = propose(ctx, world.actors["fed_analyst"])
    assert again.already_ingested and again.matched_by == "content_hash"
    assert again.candidates == [] and again.article["id"] == first.article["id"]
    # The same address with another body (the page was edited) is the same article too.
    url = first.article["url"].replace("https://shafaq.com", "HTTPS://Shafaq.COM") + "/#top"
    moved = propose(
        ctx, world.actors["fed_liaison"], ied_candidate(), body="Updated: " + IED_SENTENCE, url=url
    )
    assert moved.already_ingested and moved.matched_by == "url"
    assert _counts(ctx) == before
    # Another party ingests it for itself: its own article and queue.
    krg = propose(ctx, world.actors["krg_liaison"])
    assert not krg.already_ingested and krg.article["id"] != first.article["id"]


def test_another_article_and_an_article_without_address_are_new(
    ctx: ServiceContext, world: World
) -> None:
    actor = world.actors["fed_liaison"]
    propose(ctx, actor)
    second = propose_candidates(
        ctx, actor=actor, article=other_article(), candidates=[ied_candidate()]
    )
    pasted = propose_candidates(
        ctx, actor=actor, article=article(url="", body="Pasted: " + IED_SENTENCE), candidates=[]
    )
    assert not second.already_ingested and not pasted.already_ingested
    assert pasted.article["url"] == "" and pasted.candidates == []
    again = propose_candidates(
        ctx, actor=actor, article=article(url="", body="Pasted: " + IED_SENTENCE), candidates=[]
    )
    assert again.already_ingested and again.matched_by == "content_hash"


def test_a_bad_candidate_or_role_stores_nothing(ctx: ServiceContext, world: World) -> None:
    before = _counts(ctx)
    with pytest.raises(ValidationFailed) as refused:
        propose(
            ctx,
            world.actors["fed_liaison"],
            ied_candidate(),
            ied_candidate(sub_event_type="Grenade!"),
        )
    assert [e.field for e in refused.value.errors] == ["candidates[1].sub_event_type"]
    with pytest.raises(ValidationFailed) as refused:
        propose(ctx, world.actors["fed_liaison"], ied_candidate(admin1="Atlantis"), body=" ")
    assert {e.field for e in refused.value.errors} == {"article.body"}
    with pytest.raises(PermissionDenied):
        propose(ctx, world.actors["fed_observer"])
    assert _counts(ctx) == before


def test_accepting_files_exactly_one_incident_through_the_incident_service(
    ctx: ServiceContext, world: World
) -> None:
    ied = propose(ctx, world.actors["fed_liaison"]).candidates[0]
    analyst = world.actors["fed_analyst"]
    before = _counts(ctx)
    accepted = accept_candidate(ctx, actor=analyst, candidate_id=ied["id"], expected_version=1)
    assert accepted["status"] == "accepted" and accepted["version"] == 2
    assert accepted["accepted_kind"] == "incident"
    # One incident and two journal entries (the incident, the candidate's version 2).
    assert _counts(ctx) == (before[0] + 2, before[1] + 1, before[2], before[3])
    incident = get_incident(ctx, actor=analyst, incident_id=accepted["accepted_id"])
    assert incident["party"] == "fed" and incident["status"] == "submitted"
    assert incident["created_by"] == analyst.user_id
    assert (incident["admin1"], incident["admin2"], incident["place_name"]) == (
        "Kirkuk",
        "Dibis",
        "Dibis",
    )
    assert incident["sub_event_type"] == "Remote explosive/landmine/IED"
    assert (incident["fatalities"], incident["injured"]) == (2, 3)
    assert incident["actor1"] == "Islamic State (Iraq)"
    assert incident["occurred_at"] == "2020-02-18T21:00:00.000000Z"
    assert f'"{IED_SENTENCE}"' in incident["description"]
    assert incident["sources"] == [
        'Shafaq News, "Two soldiers killed in IED blast near Kirkuk", 2020-02-20, '
        "https://shafaq.com/en/Security/Two-soldiers-killed-in-IED-blast-near-Kirkuk"
    ]
    _verifies(ctx)
    # Accepted once: a second accept (or an edit, or a discard) changes nothing.
    for call in (
        lambda: accept_candidate(ctx, actor=analyst, candidate_id=ied["id"]),
        lambda: edit_candidate(ctx, actor=analyst, candidate_id=ied["id"], changes={"injured": 4}),
        lambda: discard_candidate(ctx, actor=analyst, candidate_id=ied["id"]),
    ):
        after = _counts(ctx)
        with pytest.raises(ValidationFailed) as refused:
            call()
        assert refused.value.errors[0].field == "status"
        assert _counts(ctx) == after


def test_corrections_on_accepting_go_through_the_incident_rules(
    ctx: ServiceContext, world: World
) -> None:
    ied = propose(ctx, world.actors["fed_liaison"]).candidates[0]
    analyst = world.actors["fed_analyst"]
    before = _counts(ctx)
    with pytest.raises(ValidationFailed) as refused:
        accept_candidate(
            ctx, actor=analyst, candidate_id=ied["id"], record={"credibility": 9, "actor1": " "}
        )
    assert {e.field for e in refused.value.errors} == {"record.credibility", "record.actor1"}
    assert _counts(ctx) == before
    assert get_candidate(ctx, actor=analyst, candidate_id=ied["id"])["status"] == "pending"
    accepted = accept_candidate(
        ctx,
        actor=analyst,
        candidate_id=ied["id"],
        record={"credibility": 2, "source_reliability": "B", "releasability": "all"},
    )
    incident = get_incident(
        ctx, actor=world.actors["krg_observer"], incident_id=accepted["accepted_id"]
    )
    assert (incident["credibility"], incident["source_reliability"]) == (2, "B")


def test_an_edit_with_bad_input_changes_nothing_and_names_the_field(
    ctx: ServiceContext, world: World
) -> None:
    ied = propose(ctx, world.actors["fed_liaison"]).candidates[0]
    analyst = world.actors["fed_analyst"]
    before = _counts(ctx)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"sub_event_type": "Armed clash"}, "sub_event_type"),
        ({"admin1": "Atlantis"}, "admin1"),
        ({"admin2": "Zakho"}, "admin2"),
        ({"occurred_until": "2020-02-01T00:00:00Z"}, "occurred_until"),
        ({"occurred_from": "yesterday"}, "occurred_from"),
        ({"fatalities": -1}, "fatalities"),
        ({"location": {"type": "Point", "coordinates": [200, 35]}}, "location"),
        ({"actors": "ISIS"}, "actors"),
        ({"evidence": ["invented"]}, "evidence"),
        ({"kind": "strategic_development"}, "kind"),
        ({"status": "accepted"}, "status"),
    ]
    for changes, field in bad:
        with pytest.raises(ValidationFailed) as refused:
            edit_candidate(ctx, actor=analyst, candidate_id=ied["id"], changes=changes)
        assert [e.field for e in refused.value.errors] == [field], changes
    assert _counts(ctx) == before
    # A good edit: a new version, a new event type brings its kind, a new point its district.
    edited = edit_candidate(
        ctx,
        actor=analyst,
        candidate_id=ied["id"],
        changes={
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "location": {"type": "Point", "coordinates": [44.392, 35.468]},
            "place_name": "Kirkuk city",
            "actors": ["Islamic State (Iraq)"],
        },
        expected_version=1,
    )
    assert (edited["version"], edited["kind"]) == (2, "incident")
    assert (edited["admin1"], edited["admin2"]) == ("Kirkuk", "Kirkuk")
    history = candidate_detail(ctx, actor=analyst, candidate_id=ied["id"])["history"]
    assert [h["record"]["event_type"] for h in history] == ["Explosions/Remote violence", "Battles"]
    _verifies(ctx)


def test_only_reviewers_edit_accept_and_discard(ctx: ServiceContext, world: World) -> None:
    ied = propose(ctx, world.actors["fed_liaison"]).candidates[0]
    before = _counts(ctx)
    for who in ("fed_liaison", "fed_observer"):
        actor = world.actors[who]
        # Everyone of the party reads the queue; only analysts and admins review it.
        assert get_candidate(ctx, actor=actor, candidate_id=ied["id"])["id"] == ied["id"]
        with pytest.raises(PermissionDenied):
            accept_candidate(ctx, actor=actor, candidate_id=ied["id"])
        with pytest.raises(PermissionDenied):
            edit_candidate(ctx, actor=actor, candidate_id=ied["id"], changes={"injured": 1})
        with pytest.raises(PermissionDenied):
            discard_candidate(ctx, actor=actor, candidate_id=ied["id"])
    assert _counts(ctx) == before


def test_another_partys_candidate_and_article_are_not_found(
    ctx: ServiceContext, world: World
) -> None:
    result = propose(ctx, world.actors["fed_liaison"])
    ied = result.candidates[0]
    before = _counts(ctx)
    for who in ("krg_analyst", "krg_admin", "un_admin"):
        actor = world.actors[who]
        with pytest.raises(NotFound):
            get_candidate(ctx, actor=actor, candidate_id=ied["id"])
        with pytest.raises(NotFound):
            get_article(ctx, actor=actor, article_id=result.article["id"])
        with pytest.raises(NotFound):
            edit_candidate(ctx, actor=actor, candidate_id=ied["id"], changes={"injured": 1})
        with pytest.raises(NotFound):
            accept_candidate(ctx, actor=actor, candidate_id=ied["id"])
        with pytest.raises(NotFound):
            discard_candidate(ctx, actor=actor, candidate_id=ied["id"], reason="not ours")
        assert list_candidates(ctx, actor=actor, filters=CandidateFilters()).items == []
    assert _counts(ctx) == before


def test_discarding_keeps_the_candidate_with_its_reason(ctx: ServiceContext, world: World) -> None:
    ied = propose(ctx, world.actors["fed_liaison"]).candidates[0]
    analyst = world.actors["fed_analyst"]
    with pytest.raises(ValidationFailed) as refused:
        discard_candidate(ctx, actor=analyst, candidate_id=ied["id"], reason="x" * 2001)
    assert refused.value.errors[0].field == "reason"
    discarded = discard_candidate(
        ctx, actor=analyst, candidate_id=ied["id"], reason="Same blast as our own report."
    )
    assert (discarded["status"], discarded["version"]) == ("discarded", 2)
    assert discarded["discard_reason"] == "Same blast as our own report."
    assert discarded["accepted_id"] is None
    _verifies(ctx)


def test_meeting_items_and_notices_are_written_by_their_own_services(
    ctx: ServiceContext, world: World
) -> None:
    result = propose(ctx, world.actors["fed_liaison"])
    _, meeting, deployment = result.candidates
    admin, analyst = world.actors["fed_admin"], world.actors["fed_analyst"]
    # An analyst who is no secretary or liaison may not write these by hand, nor here.
    with pytest.raises(PermissionDenied):
        accept_candidate(ctx, actor=analyst, candidate_id=meeting["id"])
    with pytest.raises(PermissionDenied):
        accept_candidate(ctx, actor=analyst, candidate_id=deployment["id"])
    with pytest.raises(ValidationFailed) as refused:
        accept_candidate(ctx, actor=admin, candidate_id=meeting["id"], target="notice")
    assert refused.value.errors[0].field == "target"
    # The follow-up with a deadline becomes an action item of JCC Kirkuk by default.
    item = accept_candidate(ctx, actor=admin, candidate_id=meeting["id"])
    assert item["accepted_kind"] == "action_item"
    # The deployment becomes a notice; three parties here, so the recipient is the analyst's.
    with pytest.raises(ValidationFailed) as refused:
        accept_candidate(ctx, actor=admin, candidate_id=deployment["id"])
    assert [e.field for e in refused.value.errors] == ["record.to_party"]
    notice = accept_candidate(
        ctx, actor=admin, candidate_id=deployment["id"], record={"to_party": "krg"}
    )
    assert notice["accepted_kind"] == "notice"
    action = get_action_item(ctx, actor=admin, action_item_id=item["accepted_id"])
    assert action["center_id"] == world.centers["kirkuk"]["id"]
    assert action["due_at"] == "2020-02-29T20:59:59.000000Z"
    assert "before the end of this month" in action["title"]
    sent = get_notice(ctx, actor=world.actors["krg_liaison"], notice_id=notice["accepted_id"])
    assert sent["kind"] == "deployment" and sent["to_party"] == "krg"
    assert f'"{DEPLOYMENT_SENTENCE}"' in sent["message"]
    assert sent["location"]["type"] == "Point"
    assert sent["place_name"] == "border areas of Duhok governorate"
    _verifies(ctx)


def test_a_meeting_candidate_becomes_a_meeting_or_a_decision(
    ctx: ServiceContext, world: World
) -> None:
    admin = world.actors["fed_admin"]
    result = propose(ctx, world.actors["fed_liaison"])
    meeting = result.candidates[1]
    # The deadline is ahead of the clock: a scheduled meeting at JCC Kirkuk.
    held = accept_candidate(ctx, actor=admin, candidate_id=meeting["id"], target="meeting")
    record = get_meeting(ctx, actor=admin, meeting_id=held["accepted_id"])
    assert (record["status"], record["center_id"]) == ("scheduled", world.centers["kirkuk"]["id"])
    assert "Shafaq News" in record["minutes"]
    # A decision needs the meeting it was reached at.
    second = propose_candidates(
        ctx, actor=admin, article=other_article(), candidates=[meeting_candidate()]
    ).candidates[0]
    with pytest.raises(ValidationFailed) as refused:
        accept_candidate(ctx, actor=admin, candidate_id=second["id"], target="decision")
    assert [e.field for e in refused.value.errors] == ["record.meeting_id"]
    decided = accept_candidate(
        ctx,
        actor=admin,
        candidate_id=second["id"],
        target="decision",
        record={"meeting_id": held["accepted_id"], "text_ar": "عقد اجتماع قبل نهاية الشهر"},
    )
    assert decided["accepted_kind"] == "decision"
    _verifies(ctx)


def test_a_region_candidate_is_accepted_at_its_regions_point(
    ctx: ServiceContext, world: World
) -> None:
    candidate = replace(ied_candidate(), location=None, admin2="", geo_precision=3, place_name="")
    queued = propose(ctx, world.actors["fed_liaison"], candidate).candidates[0]
    analyst = world.actors["fed_analyst"]
    accepted = accept_candidate(ctx, actor=analyst, candidate_id=queued["id"])
    incident = get_incident(ctx, actor=analyst, incident_id=accepted["accepted_id"])
    assert (incident["geo_precision"], incident["admin1"], incident["place_name"]) == (
        3,
        "Kirkuk",
        "Kirkuk",
    )
    # Nowhere at all: the analyst must say where.
    nowhere = replace(ied_candidate(), location=None, admin1="", admin2="", place_name="")
    lost = propose_candidates(
        ctx, actor=world.actors["fed_liaison"], article=other_article(), candidates=[nowhere]
    ).candidates[0]
    with pytest.raises(ValidationFailed) as refused:
        accept_candidate(ctx, actor=analyst, candidate_id=lost["id"])
    assert [e.field for e in refused.value.errors] == ["record.location"]
