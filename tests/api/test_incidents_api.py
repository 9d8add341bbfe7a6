"""Incident endpoints beyond the shared contract: filters, batches, edits, lifecycle,
and the directory endpoints (/me, /parties, /centers, /health)."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import (
    API,
    AsUser,
    TestClient,
    assert_problem,
    assert_verifies,
    journal_count,
)
from tests.factories import World, incident_data

BAGHDAD = [44.36, 33.31]
NINEWA = [43.13, 36.34]
TURKEY = [42.0, 37.5]  # Sirnak province, across the border from Zakho


def _point(coordinates: list[float]) -> dict[str, Any]:
    return {"type": "Point", "coordinates": coordinates}


@pytest.fixture
def filed(as_user: AsUser) -> dict[str, str]:
    """Four incidents with different places, times, types, parties and statuses."""
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    bodies = {
        "kirkuk_ied": (fed, incident_data()),
        "baghdad_clash": (fed, incident_data(
            occurred_at="2020-02-10T12:00:00Z", location=_point(BAGHDAD), place_name="Baghdad",
            event_type="Battles", sub_event_type="Armed clash", status="draft",
        )),
        "ninewa_attack": (krg, incident_data(
            occurred_at="2020-01-05T06:30:00+03:00", location=_point(NINEWA), place_name="Mosul",
            event_type="Violence against civilians", sub_event_type="Attack",
        )),
        "border_shelling": (fed, incident_data(
            occurred_at="2020-02-18T04:00:00Z", location=_point(TURKEY), cross_border=True,
            sub_event_type="Shelling/artillery/missile attack", actor1="Military Forces of Turkey",
        )),
    }
    ids = {}
    for name, (caller, body) in bodies.items():
        response = caller.post("/incidents", json=body)
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    return ids


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"kirkuk_ied", "baghdad_clash", "ninewa_attack", "border_shelling"}),
        ({"since": "2020-02-15T00:00:00Z"}, {"kirkuk_ied", "border_shelling"}),
        # 23:59 in Baghdad is 20:59 UTC, a minute before the IED.
        ({"since": "2020-02-19T23:59:00+03:00"}, {"kirkuk_ied"}),
        ({"until": "2020-02-10T12:00:00Z"}, {"ninewa_attack"}),  # until is exclusive
        ({"since": "2020-02-01T00:00:00Z", "until": "2020-02-19T00:00:00Z"},
         {"baghdad_clash", "border_shelling"}),
        ({"bbox": "43.5,35.0,45.0,36.0"}, {"kirkuk_ied"}),
        ({"bbox": "38.0,29.0,49.0,38.0"},
         {"kirkuk_ied", "baghdad_clash", "ninewa_attack", "border_shelling"}),
        ({"admin1": "Kirkuk"}, {"kirkuk_ied"}),
        ({"admin1": "Ninewa"}, {"ninewa_attack"}),
        ({"event_type": "Battles"}, {"baghdad_clash"}),
        ({"event_type": "Explosions/Remote violence"}, {"kirkuk_ied", "border_shelling"}),
        ({"party": "krg"}, {"ninewa_attack"}),
        ({"status": "draft"}, {"baghdad_clash"}),
        ({"status": "verified"}, set()),
        ({"party": "fed", "event_type": "Explosions/Remote violence", "admin1": "Kirkuk"},
         {"kirkuk_ied"}),
    ],
    ids=lambda value: ("&".join(f"{k}={v}" for k, v in value.items()) or "none")
    if isinstance(value, dict) else "",
)
def test_filters(
    as_user: AsUser, filed: dict[str, str], params: dict[str, str], expected: set[str]
) -> None:
    for path in ("/incidents", "/incidents.geojson"):
        response = as_user("fed_observer").get(path, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        rows = body["items"] if "items" in body else body["features"]
        assert {row["id"] for row in rows} == {filed[name] for name in expected}, path


def test_list_is_newest_first(as_user: AsUser, filed: dict[str, str]) -> None:
    items = as_user("fed_observer").get("/incidents").json()["items"]
    assert [i["id"] for i in items] == [
        filed[n] for n in ("kirkuk_ied", "border_shelling", "baghdad_clash", "ninewa_attack")
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2020-02-15T00:00:00"}, "since"),  # no offset
        ({"until": "yesterday"}, "until"),
        ({"bbox": "43.5,35.0,45.0"}, "bbox"),
        ({"bbox": "45.0,35.0,43.5,36.0"}, "bbox"),  # west > east
        ({"event_type": "Skirmish"}, "event_type"),
        ({"status": "deleted"}, "status"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(
    as_user: AsUser, params: dict[str, str], field: str
) -> None:
    assert_problem(as_user("fed_observer").get("/incidents", params=params), 422, field)


# --- batches -------------------------------------------------------------------------


def test_batch_files_all_in_order(as_user: AsUser, ctx: ServiceContext) -> None:
    before = journal_count(ctx)
    items = [incident_data(injured=n) for n in range(3)]
    response = as_user("fed_liaison").post("/incidents/batch", json={"items": items})
    assert response.status_code == 201, response.text
    created = response.json()["items"]
    assert [c["injured"] for c in created] == [0, 1, 2]
    assert len({c["id"] for c in created}) == 3
    assert journal_count(ctx) == before + 3


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"event_type": "Skirmish"}, "items[1].event_type"),  # refused by the schema
        ({"location": _point(TURKEY)}, "items[1].location"),  # refused by the rules
        ({"sub_event_type": "Armed clash"}, "items[1].sub_event_type"),
    ],
)
def test_batch_with_one_bad_item_writes_nothing(
    as_user: AsUser, ctx: ServiceContext, bad: dict[str, Any], field: str
) -> None:
    before = journal_count(ctx)
    items = [incident_data(), incident_data(**bad), incident_data()]
    response = as_user("fed_liaison").post("/incidents/batch", json={"items": items})
    body = assert_problem(response, 422, field)
    assert [e["field"] for e in body["errors"]] == [field]
    assert journal_count(ctx) == before
    assert as_user("fed_liaison").get("/incidents").json()["items"] == []


def test_batch_of_1000_is_accepted_and_1001_refused(
    as_user: AsUser, ctx: ServiceContext
) -> None:
    fed = as_user("fed_liaison")
    before = journal_count(ctx)
    refused = fed.post("/incidents/batch", json={"items": [incident_data()] * 1001})
    assert_problem(refused, 422, "items")
    assert journal_count(ctx) == before

    accepted = fed.post("/incidents/batch", json={"items": [incident_data()] * 1000})
    assert accepted.status_code == 201, accepted.text
    assert len(accepted.json()["items"]) == 1000
    assert journal_count(ctx) == before + 1000
    assert_verifies(ctx)


def test_empty_batch_is_refused(as_user: AsUser) -> None:
    assert_problem(as_user("fed_liaison").post("/incidents/batch", json={"items": []}), 422,
                   "items")


# --- corrections ---------------------------------------------------------------------


def test_patch_by_the_other_party_is_403_if_visible_and_404_if_not(
    as_user: AsUser, ctx: ServiceContext
) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    shared = fed.post("/incidents", json=incident_data()).json()
    private = fed.post("/incidents", json=incident_data(releasability="party")).json()
    before = journal_count(ctx)

    assert_problem(krg.patch(f"/incidents/{shared['id']}", json={"injured": 9}), 403)
    assert_problem(krg.patch(f"/incidents/{private['id']}", json={"injured": 9}), 404)
    # The other party's admin is no exception: single writer per record.
    assert_problem(as_user("krg_admin").patch(f"/incidents/{shared['id']}", json={}), 403)
    assert journal_count(ctx) == before
    assert fed.get(f"/incidents/{shared['id']}").json()["injured"] == 2


def test_observer_may_not_file_or_correct(as_user: AsUser) -> None:
    assert_problem(as_user("fed_observer").post("/incidents", json=incident_data()), 403)
    created = as_user("fed_liaison").post("/incidents", json=incident_data()).json()
    response = as_user("fed_observer").patch(f"/incidents/{created['id']}", json={"injured": 1})
    assert_problem(response, 403)


def test_if_match_stale_is_409(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    created = fed.post("/incidents", json=incident_data()).json()
    path = f"/incidents/{created['id']}"
    ok = fed.patch(path, json={"injured": 3}, headers={"If-Match": "1"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2

    before = journal_count(ctx)
    stale = fed.patch(path, json={"injured": 4}, headers={"If-Match": "1"})
    assert_problem(stale, 409)
    assert journal_count(ctx) == before
    assert fed.patch(path, json={"injured": 4}, headers={"If-Match": "2"}).json()["version"] == 3


def test_patch_without_change_makes_no_version(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    created = fed.post("/incidents", json=incident_data()).json()
    before = journal_count(ctx)
    same = fed.patch(f"/incidents/{created['id']}", json={"injured": created["injured"]})
    assert same.status_code == 200, same.text
    assert same.json()["version"] == 1
    assert journal_count(ctx) == before


def test_retracted_is_final(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    created = fed.post("/incidents", json=incident_data()).json()
    path = f"/incidents/{created['id']}"
    retracted = fed.patch(path, json={"status": "retracted"})
    assert retracted.status_code == 200, retracted.text
    assert retracted.json()["status"] == "retracted"
    history = fed.get(path).json()["history"]
    assert [h["action"] for h in history] == ["create", "retract"]

    before = journal_count(ctx)
    assert_problem(fed.patch(path, json={"status": "submitted"}), 422, "status")
    assert_problem(fed.patch(path, json={"injured": 7}), 422, "status")
    assert journal_count(ctx) == before
    # Nothing is deleted: a retracted report is still listed.
    assert created["id"] in {i["id"] for i in fed.get("/incidents").json()["items"]}


def test_verify_needs_an_analyst(as_user: AsUser) -> None:
    created = as_user("fed_liaison").post("/incidents", json=incident_data()).json()
    path = f"/incidents/{created['id']}"
    assert_problem(as_user("fed_liaison").patch(path, json={"status": "verified"}), 403)
    verified = as_user("fed_analyst").patch(path, json={"status": "verified"})
    assert verified.status_code == 200, verified.text
    assert verified.json()["status"] == "verified"
    # The other party's analyst corroborates with an assessment, never by editing.
    assert_problem(as_user("krg_analyst").patch(path, json={"status": "disputed"}), 403)


@pytest.mark.parametrize(
    ("start", "target"),
    [("draft", "verified"), ("draft", "disputed"), ("submitted", "draft")],
)
def test_transition_not_in_the_lifecycle_is_422(
    as_user: AsUser, start: str, target: str
) -> None:
    analyst = as_user("fed_analyst")
    created = analyst.post("/incidents", json=incident_data(status=start)).json()
    assert_problem(analyst.patch(f"/incidents/{created['id']}", json={"status": target}), 422,
                   "status")


@pytest.mark.parametrize("status", ["verified", "disputed", "retracted"])
def test_new_incident_is_draft_or_submitted(as_user: AsUser, status: str) -> None:
    response = as_user("fed_analyst").post("/incidents", json=incident_data(status=status))
    assert_problem(response, 422, "status")


def test_center_must_be_one_of_the_partys(as_user: AsUser, world: World) -> None:
    body = incident_data(releasability="center", center_id=world.centers["fedun"]["id"])
    assert_problem(as_user("krg_liaison").post("/incidents", json=body), 422, "center_id")
    no_center = incident_data(releasability="center")
    assert_problem(as_user("krg_liaison").post("/incidents", json=no_center), 422, "center_id")


# --- directory -----------------------------------------------------------------------


def test_me(as_user: AsUser, world: World) -> None:
    response = as_user("krg_analyst").get("/me")
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["username"] == "krg_analyst"
    assert me["id"] == world.actors["krg_analyst"].user_id
    assert me["party"] == "krg"
    assert me["roles"] == ["analyst"]
    assert me["centers"] == [world.centers["kirkuk"]["id"]]
    fed_centers = as_user("fed_observer").get("/me").json()["centers"]
    assert fed_centers == sorted(c["id"] for c in world.centers.values())


def test_parties_and_centers(as_user: AsUser) -> None:
    observer = as_user("un_observer")
    parties = observer.get("/parties").json()
    assert sorted(p["id"] for p in parties) == ["fed", "krg", "un"]
    assert all(p["name_ar"] and p["name_ckb"] for p in parties)
    centers = {c["code"]: c for c in observer.get("/centers").json()}
    assert set(centers) == {"jcc-kirkuk", "fed-un"}
    assert sorted(centers["jcc-kirkuk"]["member_parties"]) == ["fed", "krg"]
    assert centers["jcc-kirkuk"]["governorates"] == ["Kirkuk"]


def test_health_needs_no_token(client: TestClient, ctx: ServiceContext) -> None:
    response = client.get(f"{API}/health")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "database": "ok", "node_id": ctx.key.node_id}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/me"),
        ("GET", "/parties"),
        ("GET", "/centers"),
        ("GET", "/incidents"),
        ("GET", "/incidents.geojson"),
        ("GET", "/incidents/0190a7c4-0000-7000-8000-000000000000"),
        ("POST", "/incidents"),
        ("POST", "/incidents/batch"),
        ("PATCH", "/incidents/0190a7c4-0000-7000-8000-000000000000"),
    ],
)
@pytest.mark.parametrize("authorization", [None, "Basic Zm9vOmJhcg==", "Bearer"])
def test_unauthenticated_is_401_problem(
    client: TestClient, world: World, ctx: ServiceContext,
    method: str, path: str, authorization: str | None,
) -> None:
    before = journal_count(ctx)
    headers = {"Authorization": authorization} if authorization else {}
    response = client.request(method, API + path, headers=headers, json=incident_data())
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert journal_count(ctx) == before
