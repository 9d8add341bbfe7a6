"""``POST /api/v1/articles``: pasted text, raw HTML or an address in, candidates queued.

Each refusal is problem+json naming the input at fault and leaves the journal as it
was; the article and its candidates are the submitting party's alone (404 to
another). URLs are fetched from a local server started by the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

import tansiq.ingest.sources as sources
from tansiq.services.core.context import ServiceContext
from tansiq.services.sectors.site_commands import create_site
from tests.api.helpers import AsUser, assert_problem, assert_verifies, journal_count
from tests.apps import app_on
from tests.factories import World
from tests.factories_sectors import site_data
from tests.pages import KHANAQIN, SIDAKAN, PageServer, serving_pages

KHANAQIN_URL = "https://shafaq.com/en/Security/ISIS-attack-kills-two-soldiers-in-Diyala"
SCHOOL_TEXT = (
    "A mortar round fell near Al-Noor primary school in Kirkuk yesterday, wounding two "
    "children, police said."
)


def fetching(ctx: ServiceContext, policy: str) -> None:
    """Let the node fetch article URLs as ``policy`` says (the tests' default is off)."""
    ctx.settings = replace(ctx.settings, article_fetch=policy)


@pytest.fixture
def pages() -> Iterator[PageServer]:
    with serving_pages() as server:
        yield server


@pytest.fixture
def unchanged(ctx: ServiceContext, world: World) -> Iterator[None]:
    """After the test: no journal row was added and the database still verifies."""
    before = journal_count(ctx)
    yield
    assert journal_count(ctx) == before
    assert_verifies(ctx)


def _submitted(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def test_pasted_text_queues_its_candidates_for_the_party_alone(
    ctx: ServiceContext, as_user: AsUser
) -> None:
    before = journal_count(ctx)
    body = _submitted(as_user("krg_liaison").post("/articles", json={"text": SIDAKAN.read_text()}))
    assert body["already_ingested"] is False and body["matched_by"] is None
    article, candidates = body["article"], body["candidates"]
    assert (article["title"], article["outlet"], article["url"]) == (
        "Turkish drone strike kills two in Sidakan", "Rudaw", "")
    assert "Leave a Reply" not in article["body"]
    [drone] = candidates
    assert (drone["status"], drone["admin1"], drone["fatalities"]) == ("pending", "Erbil", 2)
    assert drone["article"]["id"] == article["id"]
    assert journal_count(ctx) == before + 2  # the article and its one candidate
    queue = as_user("krg_observer").get("/candidates").json()["items"]
    assert [c["id"] for c in queue] == [drone["id"]]
    assert_problem(as_user("fed_analyst").get(f"/candidates/{drone['id']}"), 404)
    assert_problem(as_user("fed_analyst").get(f"/articles/{article['id']}"), 404)
    assert as_user("fed_analyst").get("/candidates").json()["items"] == []
    assert_verifies(ctx)


def test_raw_html_is_read_with_its_address_and_date(as_user: AsUser) -> None:
    body = _submitted(as_user("fed_analyst").post(
        "/articles", json={"html": KHANAQIN.read_text(), "url": KHANAQIN_URL}))
    article = body["article"]
    assert (article["outlet"], article["url"]) == ("Shafaq News", KHANAQIN_URL)
    first = body["candidates"][0]
    assert (first["sub_event_type"], first["admin1"], first["fatalities"]) == (
        "Armed clash", "Diyala", 2)
    read = as_user("fed_analyst").get(f"/articles/{article['id']}").json()
    assert [c["id"] for c in read["candidates"]] == [c["id"] for c in body["candidates"]]


def test_published_dates_a_text_that_has_none(as_user: AsUser) -> None:
    text = "A roadside bomb killed two soldiers in Tarmiyah yesterday, Wednesday."
    body = _submitted(as_user("fed_liaison").post(
        "/articles", json={"text": text, "published": "2020-02-20"}))
    assert body["article"]["published_at"] == "2020-02-19T21:00:00.000000Z"
    assert body["candidates"][0]["occurred_from"] == "2020-02-18T21:00:00.000000Z"


def test_the_same_article_again_proposes_nothing(ctx: ServiceContext, as_user: AsUser) -> None:
    analyst = as_user("fed_analyst")
    first = _submitted(analyst.post("/articles", json={"html": KHANAQIN.read_text(),
                                                       "url": KHANAQIN_URL}))
    before = journal_count(ctx)
    again = _submitted(analyst.post("/articles", json={"html": KHANAQIN.read_text()}), 200)
    assert (again["already_ingested"], again["matched_by"], again["candidates"]) == (
        True, "content_hash", [])
    assert again["article"]["id"] == first["article"]["id"]
    moved = _submitted(analyst.post("/articles", json={"text": SCHOOL_TEXT,
                                                       "url": KHANAQIN_URL + "/"}), 200)
    assert (moved["matched_by"], moved["article"]["id"]) == ("url", first["article"]["id"])
    assert journal_count(ctx) == before
    # Another party's queue is its own: krg may ingest the same article.
    assert _submitted(as_user("krg_analyst").post(
        "/articles", json={"html": KHANAQIN.read_text()}))["already_ingested"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"html": ""}, "html"),
        ({"html": "<p>a</p>", "text": "a"}, "text"),
        ({"text": "<html><body></body></html>"}, "text"),
        ({"text": SCHOOL_TEXT, "published": "soon"}, "published"),
        ({"text": SCHOOL_TEXT, "published": "2020-02-30"}, "published"),
        ({"text": SCHOOL_TEXT, "published": "1980-01-01"}, "published"),
        ({"text": SCHOOL_TEXT, "published": "2020-03-20"}, "published"),  # after today
        ({"text": SCHOOL_TEXT, "url": "javascript:alert(1)"}, "url"),
        ({"text": SCHOOL_TEXT, "url": "https://" + "a" * 2_000}, "url"),
        ({"url": "https://shafaq.com/en/article"}, "url"),  # the node fetches nothing
        ({"text": SCHOOL_TEXT, "source": "Rudaw"}, "source"),
        ({"text": 7}, "text"),
        ({"text": "a" * 200_001}, "text"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    as_user: AsUser, unchanged: None, body: dict[str, Any], field: str
) -> None:
    assert_problem(as_user("fed_analyst").post("/articles", json=body), 422, field)


def test_a_role_that_may_not_submit_is_refused_before_any_fetch(
    ctx: ServiceContext, as_user: AsUser, unchanged: None, pages: PageServer
) -> None:
    fetching(ctx, "any")
    for username in ("fed_observer", "krg_observer"):
        refused = as_user(username).post("/articles", json={"url": f"{pages.url}/khanaqin"})
        assert_problem(refused, 403)
    assert pages.requested == []


def test_an_address_is_fetched_redirects_followed(
    ctx: ServiceContext, as_user: AsUser, pages: PageServer
) -> None:
    fetching(ctx, "any")
    body = _submitted(as_user("fed_analyst").post("/articles", json={"url": f"{pages.url}/moved"}))
    assert pages.requested == ["/moved", "/khanaqin"]
    assert body["article"]["url"] == f"{pages.url}/khanaqin"  # where the page was
    assert body["candidates"][0]["admin1"] == "Diyala"
    text = _submitted(as_user("fed_analyst").post(
        "/articles", json={"url": f"{pages.url}/sidakan"}))
    assert text["candidates"][0]["admin1"] == "Erbil"
    again = _submitted(as_user("fed_analyst").post(
        "/articles", json={"url": f"{pages.url}/khanaqin"}), 200)
    assert again["already_ingested"] is True


@pytest.mark.parametrize(
    ("path", "policy", "message"),
    [
        ("/missing", "any", "HTTP 404"),
        ("/report.pdf", "any", "not a web page or text (application/pdf)"),
        ("/huge", "any", "larger than"),
        ("/khanaqin", "public", "only ports 80 and 443"),
        ("/khanaqin", "off", "does not fetch pages"),
    ],
)
def test_an_address_that_cannot_be_read_is_a_422_naming_url(
    ctx: ServiceContext,
    as_user: AsUser,
    pages: PageServer,
    unchanged: None,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    policy: str,
    message: str,
) -> None:
    monkeypatch.setattr(sources, "MAX_ARTICLE_BYTES", 1_000_000)
    fetching(ctx, policy)
    refused = as_user("fed_analyst").post("/articles", json={"url": pages.url + path})
    problem = assert_problem(refused, 422, "url")
    assert message in problem["errors"][0]["message"]


def test_an_unreachable_address_is_a_422_naming_url(
    ctx: ServiceContext, as_user: AsUser, unchanged: None
) -> None:
    fetching(ctx, "any")
    problem = assert_problem(
        as_user("fed_analyst").post("/articles", json={"url": "http://127.0.0.1:9/none"}),
        422,
        "url",
    )
    assert problem["errors"][0]["message"].startswith("could not be fetched: http://127.0.0.1:9")


def test_the_node_does_not_fetch_from_its_own_network_by_default(
    ctx: ServiceContext, as_user: AsUser, unchanged: None
) -> None:
    fetching(ctx, "public")
    for url in ("http://127.0.0.1/admin", "http://localhost/", "http://[::1]/",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/"):
        problem = assert_problem(as_user("fed_analyst").post("/articles", json={"url": url}),
                                 422, "url")
        assert "not a public address" in problem["errors"][0]["message"], url


def test_the_partys_own_places_are_found(
    ctx: ServiceContext, world: World, as_user: AsUser
) -> None:
    create_site(ctx, actor=world.actors["krg_liaison"], data=site_data(releasability="party"))
    unseen = _submitted(as_user("fed_analyst").post("/articles", json={"text": SCHOOL_TEXT}))
    assert unseen["candidates"][0]["place_name"] == "Kirkuk"  # krg's school is not fed's to see
    create_site(ctx, actor=world.actors["fed_liaison"], data=site_data())
    found = _submitted(as_user("fed_analyst").post(
        "/articles", json={"text": SCHOOL_TEXT + " The school was closed."}))
    school = found["candidates"][0]
    assert (school["place_name"], school["admin1"]) == ("Al-Noor primary school", "Kirkuk")
    assert school["location"] == {"type": "Point", "coordinates": [44.392, 35.468]}


def test_a_body_over_the_limit_is_a_413_and_changes_nothing(
    ctx: ServiceContext, world: World, unchanged: None
) -> None:
    from tests.api.helpers import Caller, TestClient

    ctx.settings = replace(ctx.settings, max_body_bytes=10_000)
    with TestClient(app_on(ctx)) as client:
        big = Caller(client, world.tokens["fed_analyst"]).post(
            "/articles", json={"text": "news " * 5_000})
    assert_problem(big, 413, "body")


@pytest.mark.parametrize(
    ("published", "stored"),
    [
        ("2020-02-20T11:22:38", "2020-02-20T08:22:38.000000Z"),  # Baghdad time
        ("2020-02-20T08:00:00Z", "2020-02-20T08:00:00.000000Z"),
        ("2020-02-20T10:00:00+02:00", "2020-02-20T08:00:00.000000Z"),
    ],
)
def test_a_publication_time_without_an_offset_is_baghdad_time(
    as_user: AsUser, published: str, stored: str
) -> None:
    body = _submitted(as_user("fed_liaison").post(
        "/articles", json={"text": SCHOOL_TEXT, "published": published}))
    assert body["article"]["published_at"] == stored


def test_a_retry_with_the_same_key_answers_the_first_result(
    ctx: ServiceContext, as_user: AsUser
) -> None:
    analyst, key = as_user("fed_analyst"), {"Idempotency-Key": "article-retry-1"}
    first = analyst.post("/articles", json={"text": SCHOOL_TEXT}, headers=key)
    assert first.status_code == 201, first.text
    written = journal_count(ctx)
    retry = analyst.post("/articles", json={"text": SCHOOL_TEXT}, headers=key)
    assert (retry.status_code, retry.headers["idempotent-replayed"]) == (201, "true")
    assert retry.json() == first.json()
    assert journal_count(ctx) == written
