"""Pages name stored values in words ("To the day", "In force", "Overdue"), never the raw
value, and spell durations alike in English, Arabic and Kurdish ("7 years" overdue)."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tansiq.services.meetings.action_commands import create_action_item
from tansiq.services.meetings.commands import create_meeting
from tests.factories import Clock, World, incident_data
from tests.factories_meetings import action_data, add_coordinators, meeting_data

OVERDUE = {
    "en": "overdue by 7 years",
    "ar": "متأخر 7 سنوات",
    "ckb": "7 ساڵ دواکەوتووە",
}
FLAGS = {"en": "Escalated", "ar": "مُصعَّدة", "ckb": "بەرزکراوەتەوە"}


@pytest.mark.parametrize("lang", ["en", "ar", "ckb"])
def test_a_long_overdue_action_item_reads_7_years_in_every_language(
    ctx: ServiceContext, world: World, clock: Clock, login_as: Any, lang: str
) -> None:
    add_coordinators(ctx, world)
    kirkuk = str(world.centers["kirkuk"]["id"])
    meeting = create_meeting(ctx, actor=world.actors["fed_secretary"], data=meeting_data(kirkuk))
    create_action_item(
        ctx, actor=world.actors["fed_secretary"], data=action_data(meeting_id=meeting["id"])
    )
    clock.advance(days=2571)  # the demo's items, seen today
    client = login_as("krg_secretary")
    client.cookies.set("tansiq_lang", lang)
    page = client.get(f"/meetings/{meeting['id']}").text
    assert OVERDUE[lang] in page
    assert f'<span class="badge badge-escalated">{FLAGS[lang]}</span>' in page


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
