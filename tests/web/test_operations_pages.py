"""The operations pages through TestClient: board, plan form, plan page, moving and signing.

Runs on SQLite and PostgreSQL (the ``ctx`` fixture).
"""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from tansiq.services.core.context import ServiceContext
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.operations.queries import operation_detail
from tansiq.services.sectors.site_commands import create_site
from tansiq.storage.tables.operations import operation_approvals, operations
from tests.factories import World
from tests.factories_operations import PLAN_AREA, add_approvers, operation_data
from tests.factories_sectors import site_data
from tests.web.conftest import LoginAs, TestClient, csrf_token
from tests.web.test_web import ERROR_TEXT, journal_rows


def count(ctx: ServiceContext, table: Any) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def plan_form(token: str, **overrides: Any) -> dict[str, Any]:
    """A valid joint plan form: 1 March 2020, 09:00 to 21:00 Baghdad time, Kirkuk."""
    data: dict[str, Any] = {
        "csrf_token": token,
        "kind": "joint",
        "title": "Joint patrol on the Kirkuk-Daquq road",
        "objective": "Reassure the villages along the road.",
        "area": orjson.dumps(PLAN_AREA).decode(),
        "starts_at": "2020-03-01T09:00",
        "ends_at": "2020-03-01T21:00",
        "participants": ["fed", "krg"],
        "lead_party": "fed",
        "forces-fed": "Two companies",
        "forces-krg": "One company",
        "releasability": "all",
        "center_id": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def approvers(ctx: ServiceContext, world: World) -> World:
    add_approvers(ctx, world, parties=("fed", "krg"))
    return world


def proposed_plan(ctx: ServiceContext, world: World, *, with_site: bool = True) -> dict[str, Any]:
    """A proposed fed+krg plan; a school inside its area makes one blocking finding."""
    if with_site:
        school = site_data(geometry={"type": "Point", "coordinates": [44.35, 35.35]})
        create_site(ctx, actor=world.actors["fed_liaison"], data=school)
    actor = world.actors["fed_liaison"]
    plan = create_operation(ctx, actor=actor, data=operation_data())
    return propose_operation(ctx, actor=actor, operation_id=plan["id"])


def test_drafting_a_plan_through_the_form(ctx: ServiceContext, login_as: LoginAs) -> None:
    client = login_as("fed_liaison")
    page = client.get("/operations/new")
    assert page.status_code == 200
    assert 'data-draw data-draw-type="Polygon"' in page.text
    answer = client.post(
        "/operations/new", data=plan_form(csrf_token(page.text)), follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    plan_url = answer.headers["location"]
    plan = client.get(plan_url)
    assert "Plan saved." in plan.text
    assert "Joint patrol on the Kirkuk-Daquq road" in plan.text
    assert 'data-move="proposed"' in plan.text
    # The window was read in Baghdad time.
    with ctx.engine.connect() as conn:
        starts = conn.execute(select(operations.c.starts_at)).scalar_one()
    assert starts.replace(tzinfo=None).isoformat() == "2020-03-01T06:00:00"
    board = client.get("/operations").text
    assert f'href="{plan_url}"' in board


def test_the_area_may_be_uploaded_as_a_feature(ctx: ServiceContext, login_as: LoginAs) -> None:
    client = login_as("fed_liaison")
    token = csrf_token(client.get("/operations/new").text)
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": PLAN_AREA}
    files = {"area_file": ("area.geojson", orjson.dumps(feature), "application/geo+json")}
    answer = client.post(
        "/operations/new", data=plan_form(token, area=""), files=files, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    bad = {"area_file": ("area.geojson", b'{"type": "Feature"', "application/geo+json")}
    before = journal_rows(ctx)
    answer = client.post("/operations/new", data=plan_form(token, area=""), files=bad)
    assert answer.status_code == 422
    assert dict(ERROR_TEXT.findall(answer.text)) == {"area_file": "This is not GeoJSON."}
    assert journal_rows(ctx) == before


def test_bad_plan_input_names_every_field_and_writes_nothing(
    ctx: ServiceContext, login_as: LoginAs
) -> None:
    client = login_as("fed_liaison")
    token = csrf_token(client.get("/operations/new").text)
    before = journal_rows(ctx)
    answer = client.post(
        "/operations/new",
        data=plan_form(token, title="", area="", ends_at="2020-02-01T00:00", participants=[]),
    )
    assert answer.status_code == 422
    errors = dict(ERROR_TEXT.findall(answer.text))
    assert errors == {
        "title": "This field is required.",
        "area": "Draw it on the map or upload a GeoJSON file.",
        "participants": "Choose at least one party.",
    }
    # Rules that span fields come from the service, in the form's words.
    answer = client.post(
        "/operations/new",
        data=plan_form(
            token,
            ends_at="2020-02-01T00:00",
            releasability="party",
            lead_party="un",
            participants=["fed", "krg"],
        ),
    )
    assert answer.status_code == 422
    errors = dict(ERROR_TEXT.findall(answer.text))
    assert errors["ends_at"] == "Must be after the start."
    assert errors["lead_party"] == "The lead must be one of the participants."
    assert "Share the plan" in errors["releasability"]
    self_crossing = {
        "type": "Polygon",
        "coordinates": [[[44.3, 35.3], [44.4, 35.4], [44.4, 35.3], [44.3, 35.4], [44.3, 35.3]]],
    }
    answer = client.post(
        "/operations/new", data=plan_form(token, area=orjson.dumps(self_crossing).decode())
    )
    assert dict(ERROR_TEXT.findall(answer.text)) == {
        "area": "The shape crosses itself; draw it again."
    }
    assert journal_rows(ctx) == before
    assert count(ctx, operations) == 0


def test_csrf_is_enforced(ctx: ServiceContext, approvers: World, login_as: LoginAs) -> None:
    plan = proposed_plan(ctx, approvers)
    client = login_as("fed_liaison")
    before = journal_rows(ctx)
    form = plan_form("forged")
    assert client.post("/operations/new", data=form).status_code == 403
    form.pop("csrf_token")
    assert client.post("/operations/new", data=form).status_code == 403
    answer = client.post(f"/operations/{plan['id']}/status", data={"status": "cancelled"})
    assert answer.status_code == 403
    signer = login_as("fed_approver")
    sign = {"decision": "reject", "plan_hash": plan["plan_hash"], "comment": "no"}
    assert signer.post(f"/operations/{plan['id']}/sign", data=sign).status_code == 403
    assert journal_rows(ctx) == before


def test_pages_show_only_what_is_released(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    kirkuk = world.centers["kirkuk"]["id"]
    plan = create_operation(
        ctx,
        actor=world.actors["fed_liaison"],
        data=operation_data(releasability="center", center_id=kirkuk),
    )
    own = create_operation(
        ctx, actor=world.actors["fed_liaison"], data=operation_data(releasability="party")
    )
    krg = login_as("krg_liaison")
    assert krg.get(f"/operations/{plan['id']}").status_code == 200
    assert krg.get(f"/operations/{own['id']}").status_code == 404
    board = krg.get("/operations").text
    assert plan["id"] in board and own["id"] not in board
    un = login_as("un_liaison")
    assert un.get(f"/operations/{plan['id']}").status_code == 404
    assert plan["id"] not in un.get("/operations").text
    # Another party may read the plan but not amend or move it.
    assert krg.get(f"/operations/{plan['id']}/edit").status_code == 403
    assert 'data-move="proposed"' not in krg.get(f"/operations/{plan['id']}").text
    observer = login_as("fed_observer")
    assert 'href="/operations/new"' not in observer.get("/operations").text
    assert observer.get("/operations/new").status_code == 403


def sign_form(client: TestClient, plan_id: str, **fields: str) -> Any:
    page = client.get(f"/operations/{plan_id}").text
    plan_hash = re.search(r'name="plan_hash" value="([0-9a-f]{64})"', page)
    assert plan_hash, "the page offers no signing form"
    data = {"csrf_token": csrf_token(page), "plan_hash": plan_hash.group(1), **fields}
    return client.post(f"/operations/{plan_id}/sign", data=data, follow_redirects=False)


def test_approving_needs_every_blocking_finding_acknowledged(
    ctx: ServiceContext, approvers: World, login_as: LoginAs
) -> None:
    plan = proposed_plan(ctx, approvers)
    [finding] = operation_detail(
        ctx, actor=approvers.actors["fed_liaison"], operation_id=plan["id"]
    )["findings"]
    assert finding["blocking"]
    fed = login_as("fed_approver")
    page = fed.get(f"/operations/{plan['id']}").text
    assert "Blocking" in page and "Al-Noor primary school" in page
    assert f'name="ack-{finding["id"]}"' in page
    answer = sign_form(fed, plan["id"], decision="approve", comment="Agreed.")
    assert answer.status_code == 422
    assert dict(ERROR_TEXT.findall(answer.text)) == {
        f"ack-{finding['id']}": "Acknowledge this finding with a comment before approving."
    }
    assert count(ctx, operation_approvals) == 0
    # A rejection needs a reason, not acknowledgements.
    answer = sign_form(fed, plan["id"], decision="reject")
    assert dict(ERROR_TEXT.findall(answer.text)) == {
        "comment": "Say why your party rejects the plan."
    }
    answer = sign_form(
        fed,
        plan["id"],
        decision="approve",
        **{f"ack-{finding['id']}": "The patrol keeps 500 m from the school."},
    )
    assert answer.status_code == 303
    page = fed.get(f"/operations/{plan['id']}").text
    assert "Your party&#39;s approval is recorded." in page
    assert 'data-party="fed" data-state="approved"' in page
    assert 'name="plan_hash"' not in page  # signed once per version
    krg = login_as("krg_approver")
    answer = sign_form(
        krg, plan["id"], decision="approve", **{f"ack-{finding['id']}": "Noted; agreed."}
    )
    assert answer.status_code == 303
    owner = login_as("fed_liaison")
    page = owner.get(f"/operations/{plan['id']}").text
    assert 'id="approval-banner"' in page and 'data-move="approved"' in page
    answer = owner.post(
        f"/operations/{plan['id']}/status",
        data={"csrf_token": csrf_token(page), "status": "approved", "version": "2"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    page = owner.get(f"/operations/{plan['id']}").text
    assert 'id="plan-status">Approved' in page


def test_amending_voids_the_signatures(
    ctx: ServiceContext, approvers: World, login_as: LoginAs
) -> None:
    plan = proposed_plan(ctx, approvers, with_site=False)
    assert sign_form(login_as("fed_approver"), plan["id"], decision="approve").status_code == 303
    owner = login_as("fed_liaison")
    edit = owner.get(f"/operations/{plan['id']}/edit")
    assert "the signatures given so far no longer count" in edit.text
    form = plan_form(csrf_token(edit.text), title="Joint patrol, amended", version="2")
    form.pop("kind")
    answer = owner.post(f"/operations/{plan['id']}/edit", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = owner.get(f"/operations/{plan['id']}").text
    assert "Signatures on version 3" in page  # the plan version is the record version
    assert 'data-party="fed" data-state="pending"' in page
    assert "Signatures on earlier versions (no longer count) (1)" in page
    # The fed approver's old page names the old hash: signing it is refused, nothing written.
    stale = {"decision": "approve", "plan_hash": plan["plan_hash"], "comment": ""}
    fed = login_as("fed_approver")
    stale["csrf_token"] = csrf_token(fed.get(f"/operations/{plan['id']}").text)
    answer = fed.post(f"/operations/{plan['id']}/sign", data=stale)
    assert answer.status_code == 409
    assert count(ctx, operation_approvals) == 1
    # A stale amendment (version 2 again) is a conflict too.
    answer = owner.post(f"/operations/{plan['id']}/edit", data=form)
    assert answer.status_code == 409


def test_moves_the_lifecycle_refuses_are_explained(
    ctx: ServiceContext, approvers: World, login_as: LoginAs
) -> None:
    plan = proposed_plan(ctx, approvers, with_site=False)
    owner = login_as("fed_liaison")
    token = csrf_token(owner.get(f"/operations/{plan['id']}").text)
    before = journal_rows(ctx)
    answer = owner.post(
        f"/operations/{plan['id']}/status", data={"csrf_token": token, "status": "approved"}
    )
    assert answer.status_code == 422
    assert "An approver of every participating party must approve" in answer.text
    answer = owner.post(
        f"/operations/{plan['id']}/status", data={"csrf_token": token, "status": "active"}
    )
    assert answer.status_code == 422
    assert "This change is not possible now." in answer.text
    assert journal_rows(ctx) == before
    # A party that does not take part cannot sign.
    add_approvers(ctx, approvers, parties=("un",))
    un = login_as("un_approver")
    assert un.get(f"/operations/{plan['id']}").status_code == 200
    forged = {"csrf_token": csrf_token(un.get("/operations").text), "decision": "approve"}
    assert un.post(f"/operations/{plan['id']}/sign", data=forged).status_code == 403


def test_the_board_and_plan_page_speak_arabic_and_kurdish(
    ctx: ServiceContext, approvers: World, login_as: LoginAs
) -> None:
    plan = proposed_plan(ctx, approvers)
    client = login_as("krg_approver")
    client.cookies.set("tansiq_lang", "ar")
    board = client.get("/operations").text
    assert 'dir="rtl"' in board and "العمليات" in board
    page = client.get(f"/operations/{plan['id']}").text
    assert "نتائج فض التعارض" in page
    client.cookies.set("tansiq_lang", "ckb")
    page = client.get(f"/operations/{plan['id']}").text
    assert 'lang="ckb"' in page and "ئۆپەراسیۆنەکان" in page
