"""Coverage and center dashboards opened long after the data: they open on the latest
day with a sector in force, or say plainly that nothing is in force (English, Arabic)."""

from __future__ import annotations

from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident
from tansiq.services.sectors.commands import create_sector
from tests.factories import Clock, World, incident_data
from tests.factories_sectors import sector_data

OPENS_ON = {
    "en": "the page opens on 2020-05-31, the latest day with one",
    "ar": "تُفتح الصفحة على \u20662020-05-31\u2069",
}
NONE_ON = {"en": "No sector in force on this date.", "ar": "لا يوجد قطاع نافذ في هذا التاريخ."}


@pytest.fixture
def years_later(ctx: ServiceContext, world: World, clock: Clock) -> None:
    """fed's sector of Feb-May 2020 near Kirkuk, one incident of Feb 2020, seen in late 2026."""
    create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data(releasability="party"))
    create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    clock.advance(days=2483)  # 2026-11-29


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_coverage_opens_on_the_latest_day_with_a_sector_in_force(
    years_later: None, login_as: Any, lang: str
) -> None:
    client = login_as("fed_liaison")
    client.cookies.set("tansiq_lang", lang)
    page = client.get("/coverage?area=Kirkuk").text
    assert 'id="coverage-default"' in page and OPENS_ON[lang] in page
    assert 'name="at" value="2020-05-31"' in page
    assert 'id="coverage-none"' not in page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_date_without_sectors_says_so_and_links_the_latest(
    years_later: None, login_as: Any, lang: str
) -> None:
    client = login_as("fed_liaison")
    client.cookies.set("tansiq_lang", lang)
    page = client.get("/coverage?area=Kirkuk&at=2026-11-01").text
    assert NONE_ON[lang] in page
    assert 'href="/coverage?area=Kirkuk&amp;at=2020-05-31"' in page
    assert 'id="coverage-default"' not in page  # the user chose this date


def test_nothing_released_anywhere_says_so(years_later: None, login_as: Any) -> None:
    # krg may not see fed's party-only sector: today stays, and the page says why it is empty.
    page = login_as("krg_liaison").get("/coverage?area=Kirkuk").text
    assert 'id="coverage-default"' not in page
    assert "No sector in force on this date." in page
    assert "None released to you was in force in this area on an earlier date either." in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "No incident in the last 7 days in this center's governorates."),
        ("ar", "لا حوادث في الأيام السبعة الأخيرة في محافظات هذا المركز."),
    ],
)
def test_a_quiet_dashboard_names_the_latest_incident(
    ctx: ServiceContext, years_later: None, login_as: Any, lang: str, words: str
) -> None:
    client = login_as("fed_liaison")
    client.cookies.set("tansiq_lang", lang)
    page = client.get("/centers/jcc-kirkuk").text
    assert words in page and 'id="no-recent-incidents"' in page
    assert 'href="/incidents/' in page.split('id="no-recent-incidents"')[1].split("</p>")[0]
    assert 'href="/coverage?area=jcc-kirkuk"' in page


def test_a_busy_dashboard_says_nothing_of_the_kind(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    page = login_as("fed_liaison").get("/centers/jcc-kirkuk").text
    assert 'id="no-recent-incidents"' not in page
