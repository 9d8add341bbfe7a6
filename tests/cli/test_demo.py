"""The demo scenario: what it loads, that loading twice adds nothing, who sees what."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from tansiq.demo import load_demo
from tansiq.demo.directory_feb2020 import USERS, demo_password
from tansiq.demo.incidents_feb2020 import INCIDENTS
from tansiq.demo.scenario import WARNING, occurred
from tansiq.services.accounts.commands import authenticate_password, get_user_by_username
from tansiq.services.core.context import ServiceContext
from tansiq.services.core.verification import verify_database
from tansiq.services.directory.commands import list_centers, list_parties
from tansiq.services.incidents.queries import IncidentFilters, list_incidents
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tests.factories import Clock

# The services refuse incidents from the future; the demo runs to 24 February 2020.
AFTER_THE_DEMO = datetime(2020, 2, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def loaded(ctx: ServiceContext, clock: Clock) -> ServiceContext:
    """The demo loaded once, the clock set the day after its last incident."""
    clock.now = AFTER_THE_DEMO
    load_demo(ctx)
    return ctx


def _count(ctx: ServiceContext, table: Any) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _all_rows(ctx: ServiceContext) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return [dict(row) for row in conn.execute(select(incidents)).mappings()]


def test_the_data_is_consistent() -> None:
    keys = [(occurred(entry["when"])[0], entry["place_name"]) for entry in INCIDENTS]
    assert len(set(keys)) == len(keys) and 30 <= len(keys) <= 45
    assert [entry["admin1"] for entry in INCIDENTS].count(None) == 1
    assert all(len(demo_password(user.username)) >= 10 for user in USERS)


def test_load_demo_creates_the_scenario(ctx: ServiceContext, clock: Clock) -> None:
    clock.now = AFTER_THE_DEMO
    summary = load_demo(ctx)
    assert (summary.parties, summary.centers, summary.users) == (2, 4, 12)
    assert summary.incidents == len(INCIDENTS) == _count(ctx, incidents)
    assert [party["id"] for party in list_parties(ctx)] == ["fed", "krg"]
    centers = {center["code"]: center for center in list_centers(ctx)}
    assert set(centers) == {"supreme", "jcc-diyala", "jcc-kirkuk", "jcc-nineveh"}
    assert centers["jcc-nineveh"]["governorates"] == ["Ninewa"]
    assert all(center["member_parties"] == ["fed", "krg"] for center in centers.values())
    for user in USERS:
        assert get_user_by_username(ctx, username=user.username)["roles"] == [user.role]
    text = summary.describe()
    assert WARNING in text
    assert all(login.password in text for login in summary.logins)
    assert len(summary.logins) == 12
    # Each login says which UI language its pages open in.
    liaison = next(line for line in text.splitlines() if line.startswith("fed_liaison "))
    assert "ar (Arabic)" in liaison and "UI language" in text
    analyst = next(line for line in text.splitlines() if line.startswith("krg_analyst "))
    assert "en (English)" in analyst
    report = verify_database(ctx)
    assert report.ok, report.problem


def test_a_second_load_adds_nothing(loaded: ServiceContext) -> None:
    entries = _count(loaded, journal)
    summary = load_demo(loaded)
    assert (summary.parties, summary.centers, summary.users, summary.incidents) == (0, 0, 0, 0)
    assert "nothing new" in summary.describe()
    assert _count(loaded, journal) == entries


def test_incidents_are_placed_released_and_verified(loaded: ServiceContext) -> None:
    rows = {
        (row["occurred_at"].replace(tzinfo=UTC), row["place_name"]): row
        for row in _all_rows(loaded)
    }
    centers = {center["code"]: center["id"] for center in list_centers(loaded)}
    for entry in INCIDENTS:
        row = rows[(occurred(entry["when"])[0], entry["place_name"])]
        assert row["admin1"] == entry["admin1"], entry["place_name"]
        assert row["cross_border"] is (entry["admin1"] is None)
        assert row["status"] == entry["status"]
        assert row["center_id"] == (centers[entry["center"]] if "center" in entry else None)
    assert {row["releasability"] for row in rows.values()} == {"party", "center", "all"}


def test_krg_observer_sees_no_fed_party_incidents(loaded: ServiceContext) -> None:
    observer = authenticate_password(
        loaded, username="krg_observer", password=demo_password("krg_observer")
    )
    seen = list_incidents(loaded, actor=observer, filters=IncidentFilters(), limit=1000).items
    fed_seen = {item["releasability"] for item in seen if item["party"] == "fed"}
    assert fed_seen == {"center", "all"}
    # Not vacuous: fed has party-only reports, and none of them reached the observer.
    assert any(
        row["party_id"] == "fed" and row["releasability"] == "party" for row in _all_rows(loaded)
    )


def test_load_demo_refuses_a_clock_before_the_scenario(ctx: ServiceContext) -> None:
    with pytest.raises(ValueError, match="the demo's incidents run to"):
        load_demo(ctx)
    assert _count(ctx, journal) == 0


def test_the_demo_records_the_supreme_committee_meeting(loaded: ServiceContext) -> None:
    from tansiq.services.incidents.dispute_queries import list_disputes
    from tansiq.services.meetings.action_queries import ActionFilters, list_action_items
    from tansiq.services.meetings.commands import MeetingFilters, list_meetings, meeting_detail
    from tansiq.services.notices.queries import pending_notices

    password = demo_password("krg_liaison")
    krg = authenticate_password(loaded, username="krg_liaison", password=password)
    supreme = {c["code"]: c["id"] for c in list_centers(loaded)}["supreme"]
    meetings = list_meetings(loaded, actor=krg, filters=MeetingFilters(center_id=supreme)).items
    assert [m["held_at"] for m in meetings] == ["2020-02-20T08:00:00.000000Z"]
    detail = meeting_detail(loaded, actor=krg, meeting_id=meetings[0]["id"])
    assert [d["status"] for d in detail["decisions"]] == ["agreed"] * 3
    assert "Diyala, Kirkuk and Nineveh" in detail["decisions"][0]["text_en"]
    items = list_action_items(loaded, actor=krg, filters=ActionFilters(center_id=supreme)).items
    assert [(i["title"], i["due_at"]) for i in items] == [
        (
            "Hold a meeting before the end of this month to start work.",
            "2020-02-29T20:59:59.000000Z",
        )
    ]
    notices = pending_notices(loaded, actor=krg)
    assert [(n["kind"], n["subject"]) for n in notices] == [
        ("deployment", "Border guards deploy to the Duhok border area")
    ]
    disputes = list_disputes(loaded, actor=krg, center="jcc-diyala")
    assert [d["incident"]["place_name"] for d in disputes] == ["Hamrin mountains"]
    summary = load_demo(loaded)
    assert summary.coordination is not None and not summary.coordination.created_anything
