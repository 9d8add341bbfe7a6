"""Every refused form opens on an error summary whose links reach their fields.

Each form is posted with bad input, in English and in Arabic, and the page that comes
back (422) is read as HTML: it has one focusable error summary (role=alert,
tabindex=-1, the script that focuses it), each of its messages links to an id that
exists once on the page, and that field (or, for a group, the group) is marked
aria-invalid and described by an element that says the same message. (That nothing
is written is each form's own test.) The browser half (focus and scroll) is
tests/e2e/test_browser_form_errors.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lxml.html
import pytest

from tansiq.services.core.context import ServiceContext
from tansiq.services.meetings.commands import create_meeting
from tansiq.services.notices.commands import send_notice
from tests.factories import World
from tests.factories_meetings import add_coordinators, meeting_data
from tests.factories_notices import file_incident, notice_data
from tests.factories_operations import add_approvers
from tests.web.conftest import LoginAs, TestClient, csrf_token
from tests.web.test_operations_pages import proposed_plan

CONTROLS = ("input", "select", "textarea")
Refusal = Callable[[ServiceContext, World, Callable[[str], TestClient]], Any]


def summary_links(html: str) -> dict[str, str]:
    """The error summary's links (field id → message), checked against the page.

    Asserts what a reader and a screen reader need: the summary is focusable and
    announced, each link's id exists once, the field is aria-invalid (a group: its
    controls, or the group is described) and aria-describedby names its message.
    """
    doc = lxml.html.fromstring(html)
    summaries = doc.xpath("//*[@data-error-summary]")
    assert summaries, "the page has no error summary"
    first = summaries[0]
    assert first.get("tabindex") == "-1" and first.get("role") == "alert"
    assert doc.xpath("//script[@src='/static/form-errors.js']")
    links: dict[str, str] = {}
    for link in first.xpath(".//a[starts-with(@href, '#')]"):
        field_id = link.get("href")[1:]
        found = doc.xpath("//*[@id=$id]", id=field_id)
        assert len(found) == 1, f"#{field_id} names {len(found)} elements"
        target = found[0]
        item = link.getparent().text_content()
        # "Label: message"; a summary of one message is the link itself.
        message = (item.split(": ", 1)[1] if ": " in item else item).strip()
        if target.tag in CONTROLS:
            controls = [target]
        else:
            controls = target.xpath(".//input[not(@type='hidden')] | .//select | .//textarea")
        described = [e for e in [target, *controls] if e.get("aria-describedby")]
        said = " ".join(
            doc.xpath("//*[@id=$id]", id=ref)[0].text_content()
            for e in described
            for ref in e.get("aria-describedby").split()
        )
        assert message and message in said, f"#{field_id} is not described by {message!r}"
        if target.tag in CONTROLS:
            assert target.get("aria-invalid") == "true", f"#{field_id} is not aria-invalid"
        else:
            # A group (fieldset, radios): its controls are invalid, or it names the message.
            assert target.get("aria-describedby") or all(
                c.get("aria-invalid") == "true" for c in controls
            ), f"the controls of #{field_id} are not aria-invalid"
        links[field_id] = message
    return links


def post(client: TestClient, page: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
    """Post ``data`` to ``action`` with the CSRF token of ``page``."""
    token = csrf_token(client.get(page).text)
    return client.post(action, data={"csrf_token": token, **data}, **kw)


def contest_without_comment(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    url = f"/incidents/{file_incident(ctx, world.actors['fed_liaison'])['id']}"
    data = {"kind": "contest", "comment": "", "releasability": "all"}
    return post(login_as("krg_analyst"), url, f"{url}/assessments", data)


def assessment_without_kind(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    url = f"/incidents/{file_incident(ctx, world.actors['fed_liaison'])['id']}"
    return post(login_as("krg_analyst"), url, f"{url}/assessments", {"releasability": "all"})


def approval_without_acknowledgement(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    add_approvers(ctx, world, parties=("fed", "krg"))
    plan = proposed_plan(ctx, world)
    client, url = login_as("fed_approver"), f"/operations/{plan['id']}"
    data = {"plan_hash": plan["plan_hash"], "decision": "approve", "comment": ""}
    return post(client, url, f"{url}/sign", data)


def forged_signature(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    add_approvers(ctx, world, parties=("fed", "krg"))
    plan = proposed_plan(ctx, world, with_site=False)
    client, url = login_as("fed_approver"), f"/operations/{plan['id']}"
    return post(client, url, f"{url}/sign", {"plan_hash": plan["plan_hash"], "decision": "x"})


def empty_incident(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    return post(login_as("fed_liaison"), "/incidents/new", "/incidents/new", {})


def empty_plan(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    data = {"kind": "joint", "forces-un": "A platoon"}
    return post(login_as("fed_liaison"), "/operations/new", "/operations/new", data)


def empty_sector(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    return post(login_as("fed_liaison"), "/sectors/new", "/sectors/new", {})


def empty_meeting(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    add_coordinators(ctx, world)
    url = "/centers/jcc-kirkuk/meetings/new"
    return post(login_as("fed_secretary"), url, url, {"held_at": "soon", "status": "held"})


def _meeting_url(ctx: ServiceContext, world: World) -> str:
    add_coordinators(ctx, world)
    kirkuk = str(world.centers["kirkuk"]["id"])
    meeting = create_meeting(ctx, actor=world.actors["fed_secretary"], data=meeting_data(kirkuk))
    return f"/meetings/{meeting['id']}"


def decision_in_english_only(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    url = _meeting_url(ctx, world)
    data = {"text_en": "Meet again.", "status": "proposed"}
    return post(login_as("fed_secretary"), url, f"{url}/decisions", data)


def decision_of_unknown_status(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    url = _meeting_url(ctx, world)
    data = {"text_en": "Meet again.", "text_ar": "نلتقي مجددا.", "status": "final"}
    return post(login_as("fed_secretary"), url, f"{url}/decisions", data)


def action_without_title(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    url = _meeting_url(ctx, world)
    data = {"title": "", "due_at": "soon", "releasability": "center"}
    return post(login_as("fed_secretary"), url, f"{url}/actions", data)


def action_shared_with_nobody(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    url = _meeting_url(ctx, world)
    data = {"title": "Reopen the road", "due_at": "2099-01-01", "releasability": "everyone"}
    return post(login_as("fed_secretary"), url, f"{url}/actions", data)


def answer_without_response(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    notice = send_notice(ctx, actor=world.actors["fed_liaison"], data=notice_data())
    url = f"/notices/{notice['id']}"
    data = {"comment": "", "notice_version": str(notice["version"])}
    return post(login_as("krg_liaison"), url, f"{url}/acknowledge", data)


def empty_article(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    return post(login_as("fed_analyst"), "/review", "/review/articles", {"url": "not a url"})


def bad_site_file(ctx: ServiceContext, world: World, login_as: LoginAs) -> Any:
    bad = b"kind,name,lon,lat\nclinic,Daquq clinic,east,35.1\n"
    url = "/protected-sites/import"
    files = {"file": ("sites.csv", bad, "text/csv")}
    return post(login_as("fed_liaison"), url, url, {}, files=files)


# (what is posted, fields its summary must link to: a subset, the rest is checked too)
REFUSALS: tuple[tuple[Refusal, set[str]], ...] = (
    (contest_without_comment, {"comment"}),
    (assessment_without_kind, {"kind"}),
    (approval_without_acknowledgement, set()),
    (forged_signature, {"sign-decision"}),
    (empty_incident, {"occurred_at", "lat", "event_type"}),
    (empty_plan, {"title", "objective", "area", "starts_at", "participants"}),
    (empty_sector, {"geometry", "valid_from"}),
    (empty_meeting, {"held_at"}),
    (decision_in_english_only, {"text_ar"}),
    (decision_of_unknown_status, {"decision-status"}),
    (action_without_title, {"title", "due_at"}),
    (action_shared_with_nobody, {"action-releasability"}),
    (answer_without_response, {"response"}),
    (empty_article, {"url"}),
    (bad_site_file, {"file"}),
)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("refusal,fields", REFUSALS, ids=[r.__name__ for r, _ in REFUSALS])
def test_a_refused_form_links_each_message_to_its_field(
    ctx: ServiceContext,
    world: World,
    login_as: LoginAs,
    lang: str,
    refusal: Refusal,
    fields: set[str],
) -> None:
    def in_lang(username: str) -> TestClient:
        client = login_as(username)
        client.cookies.set("tansiq_lang", lang)
        return client

    answer = refusal(ctx, world, in_lang)
    assert answer.status_code == 422, answer.text[:400]
    assert f'lang="{lang}"' in answer.text
    links = summary_links(answer.text)
    assert fields <= set(links), links
    if refusal is approval_without_acknowledgement:
        [field] = links
        assert field.startswith("ack-")


def test_a_page_without_errors_has_no_summary(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    html = login_as("fed_liaison").get("/incidents/new").text
    assert "data-error-summary" not in html and "form-errors.js" not in html
