"""The batch route hands plain items to the domain, yet refuses all the schema refused.

Its body skips pydantic when the domain's checks cover every field; these are the
bodies where they would not, and the refusals where the schema's answer came first.
"""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.api.incidents.batch_body import plain_items
from tansiq.services.core.context import ServiceContext
from tests.api.conformance import spec
from tests.api.helpers import AsUser, assert_problem, journal_count
from tests.factories import incident_data

KIRKUK = {"type": "Point", "coordinates": [44.39, 35.47]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        # A location member besides type and coordinates: only the schema names it.
        ({"items": [incident_data(location={**KIRKUK, "crs": "EPSG:4326"})]},
         "items[0].location.crs"),
        ({"items": [incident_data(), 7]}, "items[1]"),
        # Types the domain's checks never expect: the schema names them first.
        ({"items": [incident_data(event_type={})]}, "items[0].event_type"),
        ({"items": [incident_data(time_precision=[])]}, "items[0].time_precision"),
        ({"items": [incident_data(status={"a": 1})]}, "items[0].status"),
        ({"items": [incident_data()], "extra": 1}, "extra"),
        ({"items": {"0": incident_data()}}, "items"),
        ([incident_data()], "body"),
    ],
)
def test_what_only_the_schema_checks_is_still_refused(
    as_user: AsUser, ctx: ServiceContext, body: Any, field: str
) -> None:
    before = journal_count(ctx)
    response = as_user("fed_liaison").post("/incidents/batch", json=body)
    assert_problem(response, 422, field)
    assert journal_count(ctx) == before


def test_a_role_that_may_not_file_still_hears_the_schema_first(
    as_user: AsUser, ctx: ServiceContext
) -> None:
    before = journal_count(ctx)
    observer = as_user("fed_observer")
    bad = observer.post("/incidents/batch", json={"items": [incident_data(fatalities="3")]})
    assert_problem(bad, 422, "items[0].fatalities")
    good = observer.post("/incidents/batch", json={"items": [incident_data()]})
    assert good.status_code == 403, good.text
    assert journal_count(ctx) == before


def test_the_rules_answer_when_the_schema_accepts(as_user: AsUser, ctx: ServiceContext) -> None:
    before = journal_count(ctx)
    body = {"items": [incident_data(), incident_data(center_id="no-such-center")]}
    response = as_user("fed_liaison").post("/incidents/batch", json=body)
    problem = assert_problem(response, 422, "items[1].center_id")
    assert [e["field"] for e in problem["errors"]] == ["items[1].center_id"]
    assert journal_count(ctx) == before


def test_plain_items_takes_only_bodies_the_domain_covers() -> None:
    item = incident_data()
    assert plain_items({"items": [item]}) == [item]
    assert plain_items({"items": [{**item, "location": None}]}) is not None
    for body in ({"items": []}, {"items": [item] * 1001}, {"items": [item], "x": 1},
                 {"items": [{**item, "location": {**KIRKUK, "bbox": []}}]}, None, "items"):
        assert plain_items(body) is None


def test_the_documented_body_is_still_the_schema() -> None:
    operation = spec()["paths"]["/api/v1/incidents/batch"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/IncidentBatch"}
    batch = spec()["components"]["schemas"]["IncidentBatch"]
    assert batch["properties"]["items"]["maxItems"] == 1000
    assert batch["additionalProperties"] is False
