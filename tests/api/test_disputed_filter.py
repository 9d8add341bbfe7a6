"""``status=disputed`` finds exactly the open disputes, on both databases.

A dispute is derived (a contest, closed by withdrawal, retraction, correction or
both parties' resolutions); the owner may also set the status ``disputed``
itself. The list, the GeoJSON and ``/disputes`` agree on one rule.
"""

from __future__ import annotations

from typing import Any

from tests.api.helpers import AsUser, Caller
from tests.factories import incident_data
from tests.factories_notices import contest_data


def _incident(caller: Caller, **overrides: Any) -> dict[str, Any]:
    response = caller.post("/incidents", json=incident_data(**overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _contest(caller: Caller, incident_id: str) -> dict[str, Any]:
    response = caller.post(f"/incidents/{incident_id}/assessments", json=contest_data())
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _disputed_ids(caller: Caller) -> set[str]:
    listed = caller.get("/incidents", params={"status": "disputed"})
    assert listed.status_code == 200, listed.text
    mapped = caller.get("/incidents.geojson", params={"status": "disputed"})
    assert mapped.status_code == 200, mapped.text
    ids = {item["id"] for item in listed.json()["items"]}
    features = mapped.json()["features"]
    assert {f["id"] for f in features} == ids
    assert all(f["properties"]["disputed"] is True for f in features)
    return ids


def _agenda_ids(caller: Caller) -> set[str]:
    response = caller.get("/disputes")
    assert response.status_code == 200, response.text
    return {item["incident"]["id"] for item in response.json()["items"]}


def test_the_filter_finds_the_contested_incidents_and_no_other(as_user: AsUser) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_analyst")
    contested = [_incident(fed) for _ in range(2)]
    quiet = _incident(fed)
    for incident in contested:
        _contest(krg, incident["id"])
    expected = {i["id"] for i in contested}
    for caller in (fed, krg, as_user("fed_observer")):
        assert _disputed_ids(caller) == expected == _agenda_ids(caller)
    # The stored status is untouched (single writer): the filter reads the derived state.
    assert fed.get(f"/incidents/{contested[0]['id']}").json()["status"] == "submitted"
    everything = fed.get("/incidents.geojson").json()["features"]
    flags = {f["id"]: f["properties"]["disputed"] for f in everything}
    assert flags == {**{i: True for i in expected}, quiet["id"]: False}


def test_a_closed_dispute_leaves_the_filter(as_user: AsUser) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_analyst")
    withdrawn, corrected, resolved = (_incident(fed) for _ in range(3))
    contests = {i["id"]: _contest(krg, i["id"]) for i in (withdrawn, corrected, resolved)}
    krg.patch(
        f"/assessments/{contests[withdrawn['id']]['id']}",
        json={"status": "withdrawn", "reason": "x"},
    )
    assert fed.patch(f"/incidents/{corrected['id']}", json={"injured": 0}).is_success
    path = f"/assessments/{contests[resolved['id']]['id']}/resolution"
    assert fed.post(path, json={}).status_code == 201
    assert _disputed_ids(fed) == {resolved["id"]}
    assert as_user("krg_liaison").post(path, json={}).status_code == 201
    assert _disputed_ids(fed) == set() == _agenda_ids(fed)


def test_the_owners_own_disputed_status_counts_and_others_see_only_what_is_released(
    as_user: AsUser,
) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    flagged = _incident(fed)
    assert fed.patch(f"/incidents/{flagged['id']}", json={"status": "disputed"}).is_success
    private = _incident(fed, releasability="party")
    assert fed.patch(f"/incidents/{private['id']}", json={"status": "disputed"}).is_success
    assert _disputed_ids(fed) == {flagged["id"], private["id"]}
    assert _disputed_ids(krg) == {flagged["id"]}
    # Other filters still narrow the disputed ones.
    other = fed.get("/incidents", params={"status": "disputed", "party": "krg"}).json()
    assert other["items"] == []
