"""The incident log shows a contested incident as disputed, and its "Disputed" filter
finds it, in English and Arabic (the derived state, not only the stored status)."""

from __future__ import annotations

import re

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.assessment_commands import assess_incident
from tansiq.services.incidents.commands import create_incident
from tests.factories import World, incident_data
from tests.factories_notices import contest_data
from tests.web.conftest import LoginAs

DISPUTED = {"en": "Disputed", "ar": "متنازع عليها"}
ROW = re.compile(r'<tr>\s*<td class="nowrap"><a href="/incidents/([^"]+)">.*?</tr>', re.S)


def _rows(html: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in ROW.finditer(html)}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_log_badges_and_filters_a_contested_incident(
    ctx: ServiceContext, world: World, login_as: LoginAs, lang: str
) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_analyst"]
    contested = create_incident(ctx, actor=fed, data=incident_data(place_name="Contested"))
    quiet = create_incident(ctx, actor=fed, data=incident_data(place_name="Quiet"))
    assess_incident(ctx, actor=krg, incident_id=contested["id"], data=contest_data())
    client = login_as("krg_observer")
    client.cookies.set("tansiq_lang", lang)

    rows = _rows(client.get("/incidents").text)
    assert set(rows) == {contested["id"], quiet["id"]}
    assert "data-derived-dispute" in rows[contested["id"]]
    assert f">{DISPUTED[lang]}</a>".lower() in rows[contested["id"]].lower()
    assert "data-derived-dispute" not in rows[quiet["id"]]

    page = client.get("/incidents", params={"status": "disputed"})
    assert page.status_code == 200
    assert set(_rows(page.text)) == {contested["id"]}
