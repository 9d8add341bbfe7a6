"""Assessments and disputes beyond the shared contract: who may assess, how disputes close,
the per-center agenda, and the releasability of contests and resolutions."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.dispute_queries import disputed_incident_ids, incident_dispute
from tansiq.storage.db import read_transaction
from tests.api.helpers import AsUser, Caller, assert_problem, assert_verifies, journal_count
from tests.factories import World, incident_data
from tests.factories_notices import assessment_data, contest_data

BAGHDAD = {"type": "Point", "coordinates": [44.36, 33.31]}


def _incident(caller: Caller, **overrides: Any) -> dict[str, Any]:
    response = caller.post("/incidents", json=incident_data(**overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _assess(caller: Caller, incident_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = caller.post(f"/incidents/{incident_id}/assessments", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _dispute(caller: Caller, assessment_id: str) -> dict[str, Any]:
    response = caller.get(f"/assessments/{assessment_id}")
    assert response.status_code == 200, response.text
    dispute: dict[str, Any] = response.json()["dispute"]
    return dispute


def _agenda(caller: Caller, center: str | None = None) -> list[str]:
    params = {"center": center} if center else {}
    response = caller.get("/disputes", params=params)
    assert response.status_code == 200, response.text
    return [item["incident"]["id"] for item in response.json()["items"]]


@pytest.fixture
def contested(as_user: AsUser) -> tuple[dict[str, Any], dict[str, Any]]:
    """A fed incident in Kirkuk and krg's contest of it: (incident, contest)."""
    incident = _incident(as_user("fed_liaison"))
    return incident, _assess(as_user("krg_analyst"), incident["id"], contest_data())


def test_a_contest_shows_as_disputed_to_both_parties_and_on_the_agenda(
    as_user: AsUser,
    ctx: ServiceContext,
    world: World,
    contested: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    incident, contest = contested
    fed, krg = as_user("fed_observer"), as_user("krg_observer")
    for caller in (fed, krg):
        assert _dispute(caller, contest["id"]) == {
            "open": True,
            "closed_by": None,
            "resolved_by": [],
            "awaiting": ["fed", "krg"],
        }
        assert _agenda(caller) == [incident["id"]]
        assert _agenda(caller, "jcc-kirkuk") == [incident["id"]]
    # The fed+un desk is not krg's forum, and the incident is not in its area.
    assert _agenda(fed, "fed-un") == []
    for name in ("fed_observer", "krg_observer"):
        actor = world.actors[name]
        with read_transaction(ctx.engine) as conn:
            assert disputed_incident_ids(conn, actor) == {incident["id"]}
        assert incident_dispute(ctx, actor=actor, incident_id=incident["id"]) == {
            "disputed": True,
            "open_contests": [contest["id"]],
        }


def test_the_owner_retracting_closes_the_dispute(
    as_user: AsUser, contested: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    incident, contest = contested
    fed = as_user("fed_liaison")
    assert fed.patch(f"/incidents/{incident['id']}", json={"status": "retracted"}).is_success
    assert _dispute(fed, contest["id"])["closed_by"] == "retracted"
    assert _agenda(fed) == []


def test_a_correction_closes_it_but_verifying_does_not(
    as_user: AsUser, contested: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    incident, contest = contested
    fed = as_user("fed_analyst")
    assert fed.patch(f"/incidents/{incident['id']}", json={"status": "verified"}).is_success
    assert _dispute(fed, contest["id"])["open"] is True
    assert fed.patch(f"/incidents/{incident['id']}", json={"injured": 0}).is_success
    assert _dispute(fed, contest["id"])["closed_by"] == "corrected"
    assert _agenda(fed) == []
    # A contest of the corrected version opens a new dispute.
    again = _assess(as_user("krg_liaison"), incident["id"], contest_data(incident_version=3))
    assert _dispute(fed, again["id"])["open"] is True


def test_both_parties_resolve_it(
    as_user: AsUser, ctx: ServiceContext, contested: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    _incident_record, contest = contested
    fed, krg, un = as_user("fed_liaison"), as_user("krg_liaison"), as_user("un_admin")
    path = f"/assessments/{contest['id']}/resolution"
    assert_problem(un.post(path, json={}), 403)
    assert_problem(as_user("fed_observer").post(path, json={}), 403)
    first = fed.post(path, json={"comment": "Agreed at the JCC meeting."})
    assert first.status_code == 201, first.text
    assert first.json()["dispute"] == {
        "open": True,
        "closed_by": None,
        "resolved_by": ["fed"],
        "awaiting": ["krg"],
    }
    before = journal_count(ctx)
    assert_problem(fed.post(path, json={}), 422, "assessment")
    assert journal_count(ctx) == before
    assert krg.post(path, json={}).json()["dispute"]["closed_by"] == "resolved"
    assert _agenda(fed) == []
    detail = fed.get(f"/assessments/{contest['id']}").json()
    assert [r["party"] for r in detail["resolutions"]] == ["fed", "krg"]
    assert_problem(krg.post(path, json={}), 422, "assessment")
    assert_verifies(ctx)


def test_the_contesting_party_withdraws_its_contest(
    as_user: AsUser, contested: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    _incident_record, contest = contested
    krg = as_user("krg_analyst")
    assert_problem(
        as_user("fed_liaison").patch(f"/assessments/{contest['id']}", json={"status": "withdrawn"}),
        403,
    )
    assert_problem(
        krg.patch(f"/assessments/{contest['id']}", json={"status": "withdrawn"}), 422, "reason"
    )
    withdrawn = krg.patch(
        f"/assessments/{contest['id']}", json={"status": "withdrawn", "reason": "Corrected."}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert _dispute(krg, contest["id"])["closed_by"] == "withdrawn"
    history = krg.get(f"/assessments/{contest['id']}").json()["history"]
    assert [h["action"] for h in history] == ["create", "withdraw"]
    assert_problem(
        krg.patch(f"/assessments/{contest['id']}", json={"status": "active"}), 422, "status"
    )


def test_only_a_contest_can_be_resolved(as_user: AsUser) -> None:
    incident = _incident(as_user("fed_liaison"))
    comment = _assess(as_user("krg_liaison"), incident["id"], assessment_data(kind="comment"))
    assert _dispute(as_user("krg_liaison"), comment["id"]) is None
    assert_problem(
        as_user("fed_liaison").post(f"/assessments/{comment['id']}/resolution", json={}),
        422,
        "assessment",
    )


def test_agenda_by_governorate_and_center_link(as_user: AsUser, world: World) -> None:
    fed, un = as_user("fed_liaison"), as_user("un_liaison")
    baghdad = _incident(fed, location=BAGHDAD, place_name="Baghdad")
    _assess(un, baghdad["id"], contest_data())
    linked = _incident(
        fed, location=BAGHDAD, releasability="center", center_id=world.centers["kirkuk"]["id"]
    )
    _assess(
        as_user("krg_liaison"),
        linked["id"],
        contest_data(releasability="center", center_id=world.centers["kirkuk"]["id"]),
    )
    assert _agenda(fed, "fed-un") == [baghdad["id"]]
    assert _agenda(fed, "jcc-kirkuk") == [linked["id"]]
    assert _agenda(un) == [baghdad["id"]]  # the krg contest is kept within the JCC
    assert_problem(fed.get("/disputes", params={"center": "jcc-mars"}), 422, "center")


def test_center_contest_and_its_resolutions_stay_in_the_center(
    as_user: AsUser, world: World
) -> None:
    fed, krg, un = as_user("fed_liaison"), as_user("krg_liaison"), as_user("un_admin")
    incident = _incident(fed)
    kirkuk = world.centers["kirkuk"]["id"]
    contest = _assess(krg, incident["id"], contest_data(releasability="center", center_id=kirkuk))
    assert fed.post(f"/assessments/{contest['id']}/resolution", json={}).status_code == 201
    assert_problem(un.get(f"/assessments/{contest['id']}"), 404)
    listed = un.get(f"/incidents/{incident['id']}/assessments").json()["items"]
    assert listed == []
    assert _agenda(un) == []
    assert [
        r["center_id"] for r in fed.get(f"/assessments/{contest['id']}").json()["resolutions"]
    ] == [kirkuk]


# (overrides of a valid body, status, the field the problem must name)
BAD_ASSESSMENTS: dict[str, tuple[dict[str, Any], int, str]] = {
    "party releasability": ({"releasability": "party"}, 422, "releasability"),
    "center without krg": ({"releasability": "center", "center_id": "FEDUN"}, 422, "center_id"),
    "unknown center": ({"releasability": "center", "center_id": "nowhere"}, 422, "center_id"),
    "contest without reason": ({"kind": "contest", "comment": ""}, 422, "comment"),
    "unknown kind": ({"kind": "refute"}, 422, "kind"),
    "credibility 7": ({"credibility": 7}, 422, "credibility"),
    "reliability G": ({"source_reliability": "G"}, 422, "source_reliability"),
    "21 sources": ({"sources": ["s"] * 21}, 422, "sources"),
    "unknown field": ({"colour": "red"}, 422, "colour"),
    "status on create": ({"status": "withdrawn"}, 422, "status"),
    "stale version": ({"incident_version": 2}, 409, ""),
}


@pytest.mark.parametrize("case", BAD_ASSESSMENTS)
def test_bad_assessment_is_refused_naming_the_field(
    as_user: AsUser, ctx: ServiceContext, world: World, case: str
) -> None:
    incident = _incident(as_user("fed_liaison"))
    overrides, status, field = BAD_ASSESSMENTS[case]
    if overrides.get("center_id") == "FEDUN":
        overrides = {**overrides, "center_id": world.centers["fedun"]["id"]}
    before = journal_count(ctx)
    response = as_user("krg_liaison").post(
        f"/incidents/{incident['id']}/assessments", json=assessment_data(**overrides)
    )
    assert_problem(response, status, *([field] if field else []))
    assert journal_count(ctx) == before
    assert_verifies(ctx)


def test_who_may_assess_what(as_user: AsUser, ctx: ServiceContext, world: World) -> None:
    fed = as_user("fed_liaison")
    own = _incident(fed)
    private = _incident(fed, releasability="party")
    kirkuk_only = _incident(fed, releasability="center", center_id=world.centers["kirkuk"]["id"])
    retracted = _incident(fed)
    fed.patch(f"/incidents/{retracted['id']}", json={"status": "retracted"}).raise_for_status()
    before = journal_count(ctx)
    krg = as_user("krg_liaison")
    assert_problem(
        fed.post(f"/incidents/{own['id']}/assessments", json=assessment_data()), 422, "incident_id"
    )
    assert_problem(krg.post(f"/incidents/{private['id']}/assessments", json=assessment_data()), 404)
    assert_problem(krg.get(f"/incidents/{private['id']}/assessments"), 404)
    assert_problem(
        krg.post(f"/incidents/{retracted['id']}/assessments", json=assessment_data()),
        422,
        "incident_id",
    )
    assert_problem(
        as_user("krg_observer").post(f"/incidents/{own['id']}/assessments", json=assessment_data()),
        403,
    )
    # Released to the JCC only: an assessment may not reach further than that.
    assert_problem(
        krg.post(f"/incidents/{kirkuk_only['id']}/assessments", json=assessment_data()),
        422,
        "releasability",
    )
    assert journal_count(ctx) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "contest"}, "kind"),
        ({"incident_version": 1}, "incident_version"),
        ({"releasability": "party"}, "releasability"),
        ({"credibility": 0}, "credibility"),
    ],
)
def test_bad_assessment_patch_changes_nothing(
    as_user: AsUser, ctx: ServiceContext, body: dict[str, Any], field: str
) -> None:
    incident = _incident(as_user("fed_liaison"))
    krg = as_user("krg_liaison")
    assessment = _assess(krg, incident["id"], assessment_data())
    before = journal_count(ctx)
    assert_problem(krg.patch(f"/assessments/{assessment['id']}", json=body), 422, field)
    assert journal_count(ctx) == before
    assert krg.get(f"/assessments/{assessment['id']}").json()["version"] == 1


def test_an_assessed_incident_cannot_be_narrowed_below_its_assessments(
    as_user: AsUser, ctx: ServiceContext, contested: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    # Narrowing the incident would leave krg's contest (released to all) reaching further.
    incident, _contest = contested
    before = journal_count(ctx)
    response = as_user("fed_liaison").patch(
        f"/incidents/{incident['id']}", json={"releasability": "party"}
    )
    assert_problem(response, 422, "releasability")
    assert journal_count(ctx) == before
    assert_verifies(ctx)
    widened = as_user("fed_liaison").patch(
        f"/incidents/{incident['id']}", json={"description": "Corrected location details."}
    )
    assert widened.status_code == 200, widened.text
