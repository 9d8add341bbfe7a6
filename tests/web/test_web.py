"""The web UI end to end through TestClient: login, CSRF, filing, errors, visibility, language."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from tansiq.app import create_app
from tansiq.services.accounts.commands import user_labels
from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.commands import create_incident, get_incident
from tansiq.storage.tables.accounts import web_sessions
from tansiq.storage.tables.incidents import incidents
from tansiq.storage.tables.journal import journal
from tests.factories import PASSWORD, World, build_world, incident_data
from tests.web.conftest import TestClient, csrf_token, log_in

ERROR_TEXT = re.compile(r'<p class="error-text"(?: id="([\w-]+)-error")?>([^<]*)</p>')


def journal_rows(ctx: ServiceContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(journal)).scalar_one())


def incident_count(ctx: ServiceContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(incidents)).scalar_one())


def form_data(token: str, **overrides: str) -> dict[str, str]:
    """A valid incident form: Kirkuk, 2020-02-20 00:00 Baghdad time (21:00 UTC the day before)."""
    data = {
        "csrf_token": token,
        "occurred_at": "2020-02-20T00:00",
        "time_precision": "exact",
        "place_name": "Kirkuk",
        "lat": "35.468",
        "lon": "44.392",
        "geo_precision": "1",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "actor1": "Islamic State (Iraq)",
        "actor2": "Civilians (Iraq)",
        "fatalities": "1",
        "injured": "3",
        "description": "IED on the road south of Kirkuk.",
        "sources": "JCC Kirkuk liaison\nPolice report",
        "source_reliability": "B",
        "credibility": "2",
        "releasability": "all",
        "center_id": "",
        "status": "submitted",
    }
    data.update(overrides)
    return data


def file_via_form(client: TestClient, **overrides: str) -> Any:
    token = csrf_token(client.get("/incidents/new").text)
    return client.post("/incidents/new", data=form_data(token, **overrides), follow_redirects=False)


def test_pages_redirect_to_login_with_a_local_next(client: TestClient, world: World) -> None:
    answer = client.get("/incidents?status=draft", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fincidents%3Fstatus%3Ddraft"
    assert client.get("/", follow_redirects=False).headers["location"] == "/incidents"
    page = client.get("/login?next=/map")
    assert 'name="next" value="/map"' in page.text
    answer = client.post(
        "/login",
        data={
            "username": "fed_liaison",
            "password": PASSWORD,
            "csrf_token": csrf_token(page.text),
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/incidents"


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(
    ctx: ServiceContext, client: TestClient, world: World
) -> None:
    page = client.get("/login")
    assert "HttpOnly" in page.headers["set-cookie"]
    answer = client.post(
        "/login",
        data={"username": "fed_liaison", "password": PASSWORD, "csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "tansiq_session=" in c)
    assert "HttpOnly" in cookie and "Path=/" in cookie and "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie
    listing = client.get("/incidents")
    assert listing.status_code == 200
    assert "fed_liaison" in listing.text
    token = csrf_token(listing.text)
    # Logging out needs the CSRF token too.
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/incidents", follow_redirects=False).status_code == 200
    answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert answer.headers["location"] == "/login"
    assert "You have logged out." in client.get("/login").text
    assert client.get("/incidents", follow_redirects=False).status_code == 303
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(web_sessions)).scalar_one() == 0


def test_session_cookie_is_secure_when_configured(ctx: ServiceContext, world: World) -> None:
    secure_ctx = replace(ctx, settings=replace(ctx.settings, cookie_secure=True))
    with TestClient(create_app(ctx=secure_ctx), base_url="https://testserver") as client:
        page = client.get("/login")
        answer = client.post(
            "/login",
            data={
                "username": "krg_analyst",
                "password": PASSWORD,
                "csrf_token": csrf_token(page.text),
            },
            follow_redirects=False,
        )
        cookie = next(c for c in answer.headers.get_list("set-cookie") if "tansiq_session=" in c)
        assert "Secure" in cookie


def test_login_refuses_bad_passwords_and_forged_forms(
    ctx: ServiceContext, client: TestClient, world: World
) -> None:
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": "fed_liaison", "password": "wrong", "csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 200
    assert "Invalid username or password." in answer.text
    assert "tansiq_session" not in answer.headers.get("set-cookie", "")
    # Login CSRF: a form posted from elsewhere carries no matching double-submit cookie.
    client.cookies.clear()
    answer = client.post(
        "/login",
        data={"username": "fed_liaison", "password": PASSWORD, "csrf_token": "guess"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "text/html" in answer.headers["content-type"]
    with ctx.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(web_sessions)).scalar_one() == 0


def test_csrf_refused_writes_nothing(ctx: ServiceContext, login_as: Any) -> None:
    client = login_as("fed_liaison")
    before = journal_rows(ctx)
    for token in ("", "forged-token"):
        data = form_data(token)
        answer = client.post("/incidents/new", data=data, follow_redirects=False)
        assert answer.status_code == 403
        assert "did not come from this site" in answer.text
    assert journal_rows(ctx) == before
    assert incident_count(ctx) == 0


def test_filing_via_the_form_stores_utc_and_shows_baghdad_time(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    client = login_as("fed_liaison")
    before = journal_rows(ctx)
    answer = file_via_form(client)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    incident_id = location.rsplit("/", 1)[1]
    stored = get_incident(ctx, actor=world.actors["fed_liaison"], incident_id=incident_id)
    assert stored["occurred_at"].startswith("2020-02-19T21:00:00")
    assert stored["sources"] == ["JCC Kirkuk liaison", "Police report"]
    assert stored["admin1"] == "Kirkuk" and stored["party"] == "fed"
    assert journal_rows(ctx) == before + 1
    detail = client.get(location)
    assert "Incident saved." in detail.text
    assert "2020-02-20 00:00 (Baghdad)" in detail.text
    assert "Remote explosive/landmine/IED" in detail.text
    assert f'href="/incidents/{incident_id}/edit"' in detail.text
    # The flash is shown once.
    assert "Incident saved." not in client.get(location).text
    listing = client.get("/incidents")
    assert f'href="/incidents/{incident_id}">2020-02-20 00:00</a>' in listing.text
    assert "Times are in Baghdad local time." in listing.text


def test_bad_input_answers_422_with_field_errors_and_writes_nothing(
    ctx: ServiceContext, login_as: Any
) -> None:
    client = login_as("fed_liaison")
    before = journal_rows(ctx)
    answer = file_via_form(client, lat="north", actor1="", fatalities="-1", occurred_at="soon")
    assert answer.status_code == 422
    errors = dict(ERROR_TEXT.findall(answer.text))
    assert errors == {
        "lat": "Enter a number.",
        "actor1": "This field is required.",
        "occurred_at": "Enter a date and time.",
    }
    # The user's input comes back.
    assert 'value="north"' in answer.text and "IED on the road south of Kirkuk." in answer.text
    # The server checks what the services check: a sub-type of another type, the future.
    answer = file_via_form(client, sub_event_type="Armed clash", occurred_at="2020-02-21T00:00")
    assert answer.status_code == 422
    assert "Must not be in the future." in answer.text
    answer = file_via_form(client, sub_event_type="Armed clash")
    assert answer.status_code == 422
    assert dict(ERROR_TEXT.findall(answer.text)) == {
        "sub_event_type": "Choose a sub-event type of the event type."
    }
    answer = file_via_form(client, lat="41.0", lon="29.0")
    assert answer.status_code == 422
    assert "The point is outside Iraq" in answer.text
    assert journal_rows(ctx) == before
    assert incident_count(ctx) == 0


def test_another_partys_hidden_incident_is_404_and_absent(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    fed = world.actors["fed_liaison"]
    hidden = create_incident(ctx, actor=fed, data=incident_data(releasability="party"))
    shared = create_incident(
        ctx, actor=fed, data=incident_data(releasability="all", place_name="Tuz Khurmatu")
    )
    krg = login_as("krg_liaison")
    unknown_id = "01a00000-0000-7000-8000-000000000000"
    answer = krg.get(f"/incidents/{hidden['id']}")
    unknown = krg.get(f"/incidents/{unknown_id}")
    assert answer.status_code == unknown.status_code == 404
    assert "text/html" in answer.headers["content-type"]
    assert "Page not found." in answer.text
    # The same page as for an id that never existed (the path is echoed in the language form).
    assert answer.text.replace(hidden["id"], "ID") == unknown.text.replace(unknown_id, "ID")
    assert krg.get(f"/incidents/{hidden['id']}/edit").status_code == 404
    listing = krg.get("/incidents").text
    assert hidden["id"] not in listing and shared["id"] in listing
    points = krg.get("/map/incidents.geojson").json()
    assert [f["id"] for f in points["features"]] == [shared["id"]]
    # The owner party sees both; the other party may read but not edit the shared one.
    assert hidden["id"] in login_as("fed_observer").get("/incidents").text
    assert krg.get(f"/incidents/{shared['id']}/edit").status_code == 403
    assert "/edit" not in krg.get(f"/incidents/{shared['id']}").text


def test_arabic_pages_are_right_to_left(world: World, client: TestClient) -> None:
    login = client.get("/login", headers={"Accept-Language": "ar-IQ,ar;q=0.9"})
    assert '<html lang="ar" dir="rtl">' in login.text
    assert "تسجيل الدخول" in login.text
    client.cookies.clear()
    log_in(client, "krg_liaison")
    page = client.get("/incidents")
    assert '<html lang="en" dir="ltr">' in page.text
    answer = client.post(
        "/lang",
        data={"lang": "ar", "next": "/map", "csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/map"
    page = client.get("/incidents")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert ">الحوادث<" in page.text
    # Switching language while logged in is CSRF-checked too.
    assert client.post("/lang", data={"lang": "ckb", "next": "/"}).status_code == 403
    assert '<html lang="ar"' in client.get("/incidents").text


def test_times_are_shown_in_baghdad_in_every_language(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    made = create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    client = login_as("fed_analyst")
    client.cookies.set("tansiq_lang", "ar")
    detail = client.get(f"/incidents/{made['id']}").text
    assert "\u20662020-02-20 00:00\u2069 (بغداد)" in detail
    edit = client.get(f"/incidents/{made['id']}/edit").text
    assert 'value="2020-02-20T00:00"' in edit


def test_html_responses_carry_security_headers(world: World, client: TestClient) -> None:
    page = client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "img-src 'self' data:" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "same-origin"
    # No inline scripts: every <script> has a src, or holds JSON data the browser never runs.
    assert not re.search(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", page.text
    )
    assert '<script type="application/json" id="map-chrome">' in page.text
    assert client.get("/static/app.css").status_code == 200


def test_detail_names_own_party_users_and_only_the_party_of_others(ctx: ServiceContext) -> None:
    world = build_world(ctx)
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    labels = user_labels(ctx, actor=fed, user_ids=[fed.user_id, krg.user_id, "system:cli"])
    assert labels == {fed.user_id: "fed_liaison", krg.user_id: "krg", "system:cli": "system:cli"}
