"""Pages name stored values in words ("To the day", "In force", "Overdue"), never the raw
value."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tests.factories import World, incident_data


@pytest.mark.parametrize(
    ("lang", "precision", "status"),
    [("en", "To the day", "Submitted"), ("ar", "لأقرب يوم", "مُقدَّمة")],
)
def test_an_incident_names_its_time_precision_and_status_in_words(
    ctx: ServiceContext, world: World, login_as: Any, lang: str, precision: str, status: str
) -> None:
    made = create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    client = login_as("krg_liaison")
    client.cookies.set("tansiq_lang", lang)
    page = client.get(f"/incidents/{made['id']}").text
    assert precision in page and status in page
    assert ">day<" not in page and ">submitted<" not in page
