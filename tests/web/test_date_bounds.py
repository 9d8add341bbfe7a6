"""Web forms and filters refuse dates that overflow once in UTC, naming the field (was a 500)."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tests.factories import World
from tests.web.conftest import csrf_token
from tests.web.test_web import form_data, journal_rows


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "0001-01-01T02:59", "9999-12-31T23:59"])
def test_the_incident_form_names_a_date_outside_the_range(
    ctx: ServiceContext, world: World, login_as: Any, value: str
) -> None:
    client = login_as("fed_liaison")
    before = journal_rows(ctx)
    token = csrf_token(client.get("/incidents/new").text)
    answer = client.post("/incidents/new", data=form_data(token, occurred_at=value))
    assert answer.status_code == 422
    assert "<strong>When</strong>" in answer.text or "occurred_at" in answer.text
    assert journal_rows(ctx) == before


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=9999-12-31", "until=0001-01-01"])
def test_the_incident_filters_name_a_day_outside_the_range(
    world: World, login_as: Any, query: str
) -> None:
    client = login_as("fed_analyst")
    answer = client.get(f"/incidents?{query}")
    assert answer.status_code == 422
    assert "Enter a date as YYYY-MM-DD." in answer.text
    assert client.get(f"/map/incidents.geojson?{query}").status_code == 422
