"""ACLED's coding on incidents through the API: filed, answered, corrected, refused."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tests.api.helpers import API, AsUser, assert_problem, assert_verifies, journal_count
from tests.factories import incident_data

ACLED_CODING: dict[str, Any] = {
    "event_id_cnty": "IRQ10512",
    "disorder_type": "Political violence",
    "assoc_actor_1": "",
    "inter1": "Rebel group",
    "assoc_actor_2": "Farmers (Iraq)",
    "inter2": "Civilians",
    "civilian_targeting": True,
    "source_scale": "National",
    "tags": "",
}


def test_an_incident_carries_acleds_coding(as_user: AsUser, ctx: ServiceContext) -> None:
    fed = as_user("fed_liaison")
    created = fed.post("/incidents", json=incident_data(**ACLED_CODING))
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in ACLED_CODING} == ACLED_CODING
    assert (body["admin1"], body["admin2"], body["admin3"]) == (
        "Kirkuk",
        "Kirkuk",
        "Markaz Kirkuk",
    )
    assert fed.get(f"/incidents/{body['id']}").json()["history"][0]["record"]["inter1"] == (
        "Rebel group"
    )
    assert_verifies(ctx)


def test_the_coding_defaults_to_none(as_user: AsUser) -> None:
    body = as_user("fed_liaison").post("/incidents", json=incident_data()).json()
    assert body["event_id_cnty"] is None
    assert body["disorder_type"] == "Political violence"  # the event type's usual one
    assert (body["inter1"], body["inter2"], body["civilian_targeting"]) == ("", "", False)
    protest = incident_data(event_type="Protests", sub_event_type="Peaceful protest")
    assert as_user("fed_liaison").post("/incidents", json=protest).json()["disorder_type"] == (
        "Demonstrations"
    )


def test_a_correction_of_the_event_type_settles_the_disorder_type(as_user: AsUser) -> None:
    fed = as_user("fed_liaison")
    created = fed.post("/incidents", json=incident_data()).json()
    changed = fed.patch(
        f"/incidents/{created['id']}",
        json={"event_type": "Strategic developments", "sub_event_type": "Arrests"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["disorder_type"] == "Strategic developments"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"inter1": "Militia"}, "inter1"),
        ({"inter2": "Civilians", "actor2": ""}, "inter2"),
        ({"disorder_type": "Strategic developments"}, "disorder_type"),
        ({"event_id_cnty": "IRQ 12"}, "event_id_cnty"),
        ({"civilian_targeting": "yes"}, "civilian_targeting"),
        ({"tags": "x" * 2001}, "tags"),
    ],
)
def test_bad_coding_is_422_naming_the_field(
    as_user: AsUser, ctx: ServiceContext, changes: dict[str, Any], field: str
) -> None:
    before = journal_count(ctx)
    assert_problem(
        as_user("fed_liaison").post("/incidents", json=incident_data(**changes)), 422, field
    )
    assert journal_count(ctx) == before


def test_an_event_id_is_one_incident_a_party(as_user: AsUser, ctx: ServiceContext) -> None:
    fed, krg = as_user("fed_liaison"), as_user("krg_liaison")
    first = fed.post("/incidents", json=incident_data(event_id_cnty="IRQ1")).json()
    before = journal_count(ctx)
    assert_problem(
        fed.post("/incidents", json=incident_data(event_id_cnty="IRQ1")), 422, "event_id_cnty"
    )
    batch = {"items": [incident_data(event_id_cnty="IRQ2"), incident_data(event_id_cnty="IRQ2")]}
    assert_problem(fed.post("/incidents/batch", json=batch), 422, "items[1].event_id_cnty")
    other = fed.post("/incidents", json=incident_data(event_id_cnty="IRQ3")).json()
    assert journal_count(ctx) == before + 1
    assert_problem(
        fed.patch(f"/incidents/{other['id']}", json={"event_id_cnty": "IRQ1"}), 422, "event_id_cnty"
    )
    # Another party keeps its own copy of the same event.
    assert krg.post("/incidents", json=incident_data(event_id_cnty="IRQ1")).status_code == 201
    assert fed.patch(f"/incidents/{first['id']}", json={"tags": "x"}).status_code == 200


def test_the_openapi_document_names_the_coding(as_user: AsUser) -> None:
    spec = as_user("fed_liaison").client.get(f"{API}/openapi.json").json()
    public = spec["components"]["schemas"]["IncidentPublic"]["properties"]
    assert set(ACLED_CODING) | {"admin3"} <= set(public)
