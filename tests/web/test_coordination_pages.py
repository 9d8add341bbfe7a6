"""Coordination pages through TestClient: notices, assessments and disputes, centers.

Each page renders for the party it concerns, is a 404 for what is not released,
refuses a form without the session's CSRF token, and answers bad input with 422
naming the fields while writing nothing. Meetings are in test_meeting_pages.py.
"""

from __future__ import annotations

import re
from typing import Any

from tansiq.domain.notices import NOTIFICATION_IS_NOT_PERMISSION
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.assessment_commands import assess_incident
from tansiq.services.incidents.dispute_queries import incident_dispute
from tansiq.services.notices.commands import send_notice
from tansiq.services.notices.queries import get_notice
from tansiq.web.common import i18n
from tests.factories import World
from tests.factories_notices import contest_data, file_incident, notice_data
from tests.web.conftest import csrf_token
from tests.web.test_web import incident_count, journal_rows

ERROR_FIELD = re.compile(r'<li><a href="#([\w-]+)">')


def bad_fields(html: str) -> set[str]:
    """The fields an error summary names (its links point at the inputs)."""
    return set(ERROR_FIELD.findall(html))


def notice_form(token: str, **overrides: str) -> dict[str, str]:
    """A valid deployment notice form from fed to krg near Kirkuk, Baghdad local times."""
    data = {
        "csrf_token": token,
        "kind": "deployment",
        "to_party": "krg",
        "subject": "Border guard company to Dibis",
        "message": "One company moves to the Dibis checkpoints.",
        "place_name": "Dibis",
        "lat": "35.65",
        "lon": "44.07",
        "area": "",
        "starts_at": "2020-02-20T15:00",
        "ends_at": "2020-02-27T15:00",
        "ack_deadline": "",
        "releasability": "all",
        "center_id": "",
    }
    data.update(overrides)
    return data


def test_notification_text_is_the_services(ctx: ServiceContext) -> None:
    # The banner translates the domain's own sentence; every language has it.
    for lang in ("ar", "ckb"):
        translated = i18n.translations(lang).gettext(NOTIFICATION_IS_NOT_PERMISSION)
        assert translated != NOTIFICATION_IS_NOT_PERMISSION


def test_send_a_notice_and_the_recipient_acknowledges(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    fed = login_as("fed_liaison")
    page = fed.get("/notices/new")
    assert page.status_code == 200
    assert "Notification is not permission" in page.text
    answer = fed.post(
        "/notices/new", data=notice_form(csrf_token(page.text)), follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    notice_id = answer.headers["location"].rsplit("/", 1)[1]
    notice = get_notice(ctx, actor=world.actors["fed_liaison"], notice_id=notice_id)
    # Baghdad 15:00 is 12:00 UTC; a deployment gets 6 hours to be acknowledged.
    assert notice["starts_at"] == "2020-02-20T12:00:00.000000Z"
    assert notice["ack_deadline"] == "2020-02-20T15:00:00.000000Z"
    assert notice["location"] == {"type": "Point", "coordinates": [44.07, 35.65]}

    krg = login_as("krg_liaison")
    inbox = krg.get("/notices").text
    assert f'href="/notices/{notice_id}"' in inbox
    assert "due in 6 hours" in inbox
    detail = krg.get(f"/notices/{notice_id}")
    assert "Notification is not permission" in detail.text
    assert f'action="/notices/{notice_id}/acknowledge"' in detail.text
    # An objection without a comment names the comment and writes nothing.
    before = journal_rows(ctx)
    token = csrf_token(detail.text)
    bad = krg.post(
        f"/notices/{notice_id}/acknowledge",
        data={"csrf_token": token, "response": "objection", "comment": "", "notice_version": "1"},
    )
    assert bad.status_code == 422
    assert bad_fields(bad.text) == {"comment"}
    assert "Say what the concern is." in bad.text
    assert journal_rows(ctx) == before
    good = krg.post(
        f"/notices/{notice_id}/acknowledge",
        data={"csrf_token": token, "response": "ack", "comment": "", "notice_version": "1"},
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert get_notice(ctx, actor=world.actors["krg_liaison"], notice_id=notice_id)["state"] == (
        "acknowledged"
    )
    # An ack is final: the form is gone; the sender sees the answer.
    assert "/acknowledge" not in krg.get(f"/notices/{notice_id}").text
    assert "Acknowledged" in fed.get(f"/notices/{notice_id}").text


def test_the_inbox_flags_escalated_notices_first(
    ctx: ServiceContext, world: World, clock: Any, login_as: Any
) -> None:
    fed = world.actors["fed_liaison"]
    late = send_notice(ctx, actor=fed, data=notice_data(kind="incident_alert", subject="Late"))
    clock.advance(hours=2)
    fresh = send_notice(ctx, actor=fed, data=notice_data(subject="Fresh"))
    page = login_as("krg_liaison").get("/notices").text
    pending = page.split('id="answered-heading"')[0]
    assert pending.index(late["id"]) < pending.index(fresh["id"])
    assert "badge-state-escalated" in pending and "overdue by 1 hour" in pending
    ar = login_as("krg_liaison")
    ar.cookies.set("tansiq_lang", "ar")
    assert "مُصعَّدة" in ar.get("/notices").text


def test_bad_notice_forms_name_the_fields_and_write_nothing(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    client = login_as("fed_liaison")
    token = csrf_token(client.get("/notices/new").text)
    before = journal_rows(ctx)
    answer = client.post(
        "/notices/new",
        data=notice_form(token, subject="", starts_at="tomorrow", lat="", lon="", to_party=""),
    )
    assert answer.status_code == 422
    # No point and no area: the summary's link goes to the latitude box, where a point starts.
    assert bad_fields(answer.text) == {"subject", "starts_at", "lat", "to_party"}
    # What only the service knows is named too: a window that runs backwards, fed to fed.
    answer = client.post("/notices/new", data=notice_form(token, ends_at="2020-02-19T10:00"))
    assert answer.status_code == 422 and bad_fields(answer.text) == {"ends_at"}
    answer = client.post("/notices/new", data=notice_form(token, to_party="fed"))
    assert answer.status_code == 422 and bad_fields(answer.text) == {"to_party"}
    assert "Choose another party than yours." in answer.text
    answer = client.post("/notices/new", data=notice_form(token, area="{not json"))
    assert answer.status_code == 422 and bad_fields(answer.text) == {"area"}
    assert journal_rows(ctx) == before


def test_notice_forms_need_csrf_and_a_writer(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    client = login_as("fed_liaison")
    before = journal_rows(ctx)
    assert client.post("/notices/new", data=notice_form("forged")).status_code == 403
    assert client.post("/notices/new", data=notice_form("")).status_code == 403
    observer = login_as("fed_observer")
    assert observer.get("/notices/new").status_code == 403
    token = csrf_token(observer.get("/notices").text)
    assert observer.post("/notices/new", data=notice_form(token)).status_code == 403
    assert journal_rows(ctx) == before


def test_a_third_party_gets_404_for_a_notice_it_was_not_sent(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    kirkuk = world.centers["kirkuk"]["id"]
    notice = send_notice(
        ctx,
        actor=world.actors["fed_liaison"],
        data=notice_data(releasability="center", center_id=kirkuk),
    )
    un = login_as("un_liaison")
    assert un.get(f"/notices/{notice['id']}").status_code == 404
    assert notice["id"] not in un.get("/notices").text
    assert login_as("fed_observer").get(f"/notices/{notice['id']}").status_code == 200
    assert login_as("krg_liaison").get("/notices/nope").status_code == 404


def test_withdrawing_a_notice(ctx: ServiceContext, world: World, login_as: Any) -> None:
    notice = send_notice(ctx, actor=world.actors["fed_liaison"], data=notice_data())
    krg = login_as("krg_liaison")
    page = krg.get(f"/notices/{notice['id']}").text
    assert "/withdraw" not in page
    answer = krg.post(f"/notices/{notice['id']}/withdraw", data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 403
    fed = login_as("fed_liaison")
    page = fed.get(f"/notices/{notice['id']}/withdraw").text
    answer = fed.post(
        f"/notices/{notice['id']}/withdraw",
        data={"csrf_token": csrf_token(page), "reason": "Convoy postponed."},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "badge-state-withdrawn" in fed.get(f"/notices/{notice['id']}").text


def test_contesting_an_incident_disputes_it_until_both_resolve(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    incident = file_incident(ctx, world.actors["fed_liaison"])
    krg = login_as("krg_analyst")
    page = krg.get(f"/incidents/{incident['id']}").text
    assert f'action="/incidents/{incident["id"]}/assessments"' in page
    token = csrf_token(page)
    before = journal_rows(ctx)
    form = {"csrf_token": token, "kind": "contest", "comment": "", "releasability": "all"}
    bad = krg.post(f"/incidents/{incident['id']}/assessments", data=form)
    assert bad.status_code == 422 and bad_fields(bad.text) == {"comment"}
    bad = krg.post(f"/incidents/{incident['id']}/assessments", data={**form, "kind": ""})
    assert bad.status_code == 422 and "kind" in bad_fields(bad.text)
    assert journal_rows(ctx) == before
    form.update(comment="The road was closed all night.", sources="Checkpoint 4")
    answer = krg.post(f"/incidents/{incident['id']}/assessments", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    # Both parties see it disputed; the owner is not offered the assessment form.
    fed = login_as("fed_liaison")
    for client in (krg, fed):
        html = client.get(f"/incidents/{incident['id']}").text
        assert 'class="badge badge-status badge-disputed"' in html
        assert "The road was closed all night." in html
    owner_page = fed.get(f"/incidents/{incident['id']}").text
    assert "Assess this report" not in owner_page
    agenda = fed.get("/centers/jcc-kirkuk/disputes").text
    assert incident["id"] in agenda
    contest_id = re.findall(r'action="/assessments/([\w-]+)/resolve"', owner_page)[0]
    for client in (fed, krg):
        token = csrf_token(client.get(f"/incidents/{incident['id']}").text)
        answer = client.post(
            f"/assessments/{contest_id}/resolve",
            data={"csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303
    assert not incident_dispute(ctx, actor=world.actors["fed_liaison"], incident_id=incident["id"])[
        "disputed"
    ]
    assert incident["id"] not in fed.get("/centers/jcc-kirkuk/disputes").text


def test_own_and_hidden_incidents_cannot_be_assessed(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    own = file_incident(ctx, world.actors["krg_liaison"])
    hidden = file_incident(ctx, world.actors["fed_liaison"], releasability="party")
    krg = login_as("krg_analyst")
    page = krg.get(f"/incidents/{own['id']}").text
    assert "Assess this report" not in page
    token = csrf_token(page)
    before = journal_rows(ctx)
    form = {"csrf_token": token, "kind": "comment", "comment": "x", "releasability": "all"}
    answer = krg.post(f"/incidents/{own['id']}/assessments", data=form)
    assert answer.status_code == 422
    assert "You can assess only another party&#39;s reports." in answer.text
    assert krg.post(f"/incidents/{hidden['id']}/assessments", data=form).status_code == 404
    assert (
        krg.post(
            f"/incidents/{own['id']}/assessments", data={**form, "csrf_token": "x"}
        ).status_code
        == 403
    )
    assert journal_rows(ctx) == before


def test_centers_index_dashboard_and_its_map(
    ctx: ServiceContext, world: World, clock: Any, login_as: Any
) -> None:
    fed = world.actors["fed_liaison"]
    recent = file_incident(ctx, fed, occurred_at="2020-02-18T10:00:00Z")
    old = file_incident(ctx, fed, occurred_at="2020-01-01T10:00:00Z")
    contested = file_incident(ctx, fed)
    assess_incident(
        ctx, actor=world.actors["krg_analyst"], incident_id=contested["id"], data=contest_data()
    )
    send_notice(ctx, actor=fed, data=notice_data(subject="Dibis deployment"))
    client = login_as("krg_liaison")
    index = client.get("/centers").text
    assert 'href="/centers/jcc-kirkuk"' in index and 'href="/centers/fed-un"' not in index
    board = client.get("/centers/jcc-kirkuk")
    assert board.status_code == 200
    html = board.text
    assert "Dibis deployment" in html
    assert f'href="/incidents/{contested["id"]}#assessments"' in html
    assert 'data-incidents-url="/centers/jcc-kirkuk/incidents.geojson"' in html
    points = client.get("/centers/jcc-kirkuk/incidents.geojson").json()
    ids = {feature["id"] for feature in points["features"]}
    assert recent["id"] in ids and contested["id"] in ids and old["id"] not in ids
    # A center the party does not sit on is not there for it.
    assert client.get("/centers/fed-un").status_code == 404
    assert client.get("/centers/fed-un/incidents.geojson").status_code == 404
    assert client.get("/centers/fed-un/disputes").status_code == 404
    assert client.get("/centers/nowhere").status_code == 404
    assert incident_count(ctx) == 3


def test_pages_render_in_arabic_and_kurdish(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    notice = send_notice(ctx, actor=world.actors["fed_liaison"], data=notice_data())
    client = login_as("krg_liaison")
    for lang in ("ar", "ckb"):
        client.cookies.set("tansiq_lang", lang)
        for url in ("/notices", f"/notices/{notice['id']}", "/centers", "/centers/jcc-kirkuk"):
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert f'<html lang="{lang}" dir="rtl">' in answer.text
        detail = client.get(f"/notices/{notice['id']}").text
        assert i18n.translations(lang).gettext(NOTIFICATION_IS_NOT_PERMISSION) in detail
