"""The review page's article form: paste or upload an article, its candidates join the queue.

A submit redirects to the queue with a flash saying how many were proposed (or
that the article was ingested before); a refusal shows the page again with 422,
the error summary and the input kept, and writes nothing. CSRF-checked; a role
that may not submit gets neither the form nor a 303.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.intake.queries import CandidateFilters, list_candidates
from tests.factories import World
from tests.pages import KHANAQIN, SIDAKAN, PageServer, serving_pages
from tests.web.conftest import csrf_token
from tests.web.test_coordination_pages import bad_fields
from tests.web.test_web import journal_rows

TARMIYAH = "A roadside bomb killed two soldiers in Tarmiyah yesterday, Wednesday."


def _queue(ctx: ServiceContext, world: World, username: str) -> list[dict[str, Any]]:
    actor = world.actors[username]
    return list_candidates(ctx, actor=actor, filters=CandidateFilters()).items


def _post(client: Any, data: dict[str, str], files: Any = None) -> Any:
    token = csrf_token(client.get("/review").text)
    return client.post("/review/articles", data={"csrf_token": token, **data}, files=files,
                       follow_redirects=False)


def test_a_pasted_article_is_proposed_with_a_flash(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    liaison = login_as("fed_liaison")
    form = liaison.get("/review")
    assert 'action="/review/articles"' in form.text and 'enctype="multipart/form-data"' in form.text
    answer = _post(liaison, {"text": TARMIYAH, "published": "2020-02-20"})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/review"
    page = liaison.get("/review")
    assert "Candidates proposed for review: 1." in page.text
    assert TARMIYAH in html.unescape(page.text)  # the evidence, quoted in the queue
    [candidate] = _queue(ctx, world, "fed_liaison")
    assert candidate["occurred_from"] == "2020-02-18T21:00:00.000000Z"  # Wednesday
    assert _queue(ctx, world, "krg_liaison") == []
    assert TARMIYAH not in html.unescape(login_as("krg_analyst").get("/review").text)
    again = _post(liaison, {"text": TARMIYAH})
    assert again.status_code == 303
    assert "This article was ingested before; nothing was proposed again." in (
        liaison.get("/review").text)


def test_an_uploaded_page_is_read(ctx: ServiceContext, world: World, login_as: Any) -> None:
    analyst = login_as("fed_analyst")
    files = {"file": ("khanaqin.html", KHANAQIN.read_bytes(), "text/html")}
    answer = _post(analyst, {"url": "https://shafaq.com/en/Security/khanaqin"}, files)
    assert answer.status_code == 303, answer.text
    queued = _queue(ctx, world, "fed_analyst")
    assert queued and queued[0]["article"]["url"] == "https://shafaq.com/en/Security/khanaqin"
    assert queued[0]["admin1"] == "Diyala"
    flash = analyst.get("/review").text
    assert f"Candidates proposed for review: {len(queued)}." in flash
    text = {"file": ("sidakan.txt", SIDAKAN.read_bytes(), "text/plain")}
    assert _post(analyst, {}, text).status_code == 303
    assert any(c["admin1"] == "Erbil" for c in _queue(ctx, world, "fed_analyst"))


def test_an_article_without_events_says_so(login_as: Any) -> None:
    analyst = login_as("fed_analyst")
    assert _post(analyst, {"text": "The weather in Erbil was mild this week."}).status_code == 303
    assert "no event was found in it; nothing was proposed" in analyst.get("/review").text


@pytest.mark.parametrize(
    ("data", "files", "fields"),
    [
        ({}, None, {"text"}),
        ({"text": TARMIYAH, "published": "20/02/2020"}, None, {"published"}),
        ({"text": TARMIYAH, "url": "javascript:alert(1)"}, None, {"url"}),
        ({"text": TARMIYAH}, {"file": ("a.txt", TARMIYAH.encode(), "text/plain")}, {"file"}),
        ({}, {"file": ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png")}, {"file"}),
        ({"url": "https://shafaq.com/en/article"}, None, {"url"}),  # this node fetches nothing
        ({"text": "<html><body></body></html>"}, None, {"text"}),
    ],
)
def test_a_refused_article_keeps_the_input_and_writes_nothing(
    ctx: ServiceContext, world: World, login_as: Any, data: dict[str, str], files: Any,
    fields: set[str]
) -> None:
    analyst = login_as("fed_analyst")
    before = journal_rows(ctx)
    answer = _post(analyst, data, files)
    assert answer.status_code == 422, answer.text
    assert bad_fields(answer.text) == fields
    assert "Please correct the highlighted fields." in answer.text
    for name in ("text", "url"):
        if data.get(name):
            assert html.escape(data[name], quote=False) in answer.text  # kept as typed
    if files:
        assert "Choose the file again." in answer.text or "is not text" in answer.text
    assert journal_rows(ctx) == before


@pytest.fixture
def pages() -> Iterator[PageServer]:
    with serving_pages() as server:
        yield server


def test_with_nothing_pasted_the_address_is_fetched(
    ctx: ServiceContext, world: World, login_as: Any, pages: PageServer
) -> None:
    ctx.settings = replace(ctx.settings, article_fetch="any")
    analyst = login_as("fed_analyst")
    assert "the page is fetched from this address" in analyst.get("/review").text
    assert _post(analyst, {"url": f"{pages.url}/khanaqin"}).status_code == 303
    assert pages.requested == ["/khanaqin"]
    missing = _post(analyst, {"url": f"{pages.url}/missing"})
    assert missing.status_code == 422 and bad_fields(missing.text) == {"url"}
    assert "The page could not be fetched from this address." in missing.text
    assert "HTTP 404" in missing.text
    ctx.settings = replace(ctx.settings, article_fetch="public")
    refused = _post(analyst, {"url": f"{pages.url}/khanaqin"})
    assert "only from public web addresses" in refused.text
    assert pages.requested == ["/khanaqin", "/missing"]


def test_the_form_is_csrf_checked_and_for_submitters_only(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    before = journal_rows(ctx)
    liaison = login_as("fed_liaison")
    forged = liaison.post("/review/articles", data={"text": TARMIYAH}, follow_redirects=False)
    assert forged.status_code == 403
    observer = login_as("fed_observer")
    page = observer.get("/review")
    assert page.status_code == 200 and 'action="/review/articles"' not in page.text
    token = csrf_token(page.text)
    refused = observer.post("/review/articles", data={"csrf_token": token, "text": TARMIYAH},
                            follow_redirects=False)
    assert refused.status_code == 403
    assert journal_rows(ctx) == before


@pytest.mark.parametrize("lang", ["ar", "ckb"])
def test_the_form_speaks_the_users_language(login_as: Any, lang: str) -> None:
    analyst = login_as("fed_analyst")
    analyst.cookies.set("tansiq_lang", lang)
    page = analyst.get("/review").text
    assert 'action="/review/articles"' in page
    for english in ("Read a news article", "Address (optional)", "Read and propose"):
        assert english not in page
    refused = _post(analyst, {})
    assert refused.status_code == 422
    assert "Paste the article, choose its file, or give its address." not in refused.text


def test_a_pasted_page_may_be_larger_than_a_plain_form_field(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    # Starlette refuses a form field over 1 MiB; a page's HTML source often is that large.
    page = KHANAQIN.read_text().replace(
        "</head>", "<script>" + "var x = 1;\n" * 110_000 + "</script></head>")
    assert len(page.encode()) > 1024 * 1024
    answer = _post(login_as("fed_analyst"), {"text": page})
    assert answer.status_code == 303, answer.text[:500]
    assert _queue(ctx, world, "fed_analyst")[0]["admin1"] == "Diyala"
