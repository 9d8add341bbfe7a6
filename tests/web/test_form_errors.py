"""A service's refusal of a form, shown once for every page: 422 bad input, 409 stale.

The shared helper (``web/common/form_errors.py``) directly, then through the
notice answer form: a stale version is a 409 with the notice page again, a
withdrawn notice a 422 naming why; nothing is written either way.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.responses import Response

from tansiq.domain.errors import Conflict, FieldError, ValidationFailed
from tansiq.services.core.context import ServiceContext
from tansiq.services.notices.commands import send_notice, withdraw_notice
from tansiq.web.common.form_errors import PageProblem, refusal_page
from tansiq.web.common.forms import ParsedForm
from tansiq.web.common.geo_forms import GeoForm
from tests.factories import World
from tests.factories_notices import notice_data
from tests.web.conftest import csrf_token
from tests.web.test_web import journal_rows


def rendered(status: int) -> Response:
    return Response(status_code=status)


def test_validation_failed_marks_the_fields_and_answers_422() -> None:
    form = GeoForm(values={}, renames={"depth_m": "width_m"})
    failed = ValidationFailed("bad", [FieldError("depth_m", "is required")])
    answer = refusal_page(failed, form, rendered, conflict="stale")
    assert answer.status_code == 422
    assert form.errors == {"width_m": ["This field is required."]}
    assert form.problem == ""


def test_an_error_on_a_problem_field_becomes_the_page_problem() -> None:
    form = ParsedForm(values={})
    failed = ValidationFailed.single("incident_id", "is retracted; there is nothing to assess")
    assert refusal_page(failed, form, rendered, problem_fields=("incident_id",)).status_code == 422
    assert form.problem == "The report was retracted."


def test_conflict_answers_409_with_its_problem() -> None:
    form = ParsedForm(values={})
    assert refusal_page(Conflict("stale"), form, rendered, conflict="changed").status_code == 409
    assert form.problem == "changed"
    chosen = PageProblem(lambda error: error.message)
    refusal_page(Conflict("again"), chosen, rendered, conflict=lambda exc: str(exc))
    assert chosen.problem == "again"


def test_an_unexpected_conflict_is_left_to_the_generic_409_page() -> None:
    with pytest.raises(Conflict):
        refusal_page(Conflict("stale"), ParsedForm(values={}), rendered)


def test_a_page_problem_takes_the_first_message_or_its_fallback() -> None:
    shown = PageProblem(lambda error: error.field, otherwise="none named")
    refusal_page(
        ValidationFailed("bad", [FieldError("a", "x"), FieldError("b", "y")]), shown, rendered
    )
    assert shown.problem == "a"
    refusal_page(ValidationFailed("bad"), shown, rendered)
    assert shown.problem == "none named"


def test_answering_a_stale_or_withdrawn_notice(
    ctx: ServiceContext, world: World, login_as: Any
) -> None:
    notice = send_notice(ctx, actor=world.actors["fed_liaison"], data=notice_data())
    url = f"/notices/{notice['id']}"
    krg = login_as("krg_liaison")
    token = csrf_token(krg.get(url).text)
    before = journal_rows(ctx)
    form = {"csrf_token": token, "response": "ack", "comment": "", "notice_version": "7"}
    stale = krg.post(f"{url}/acknowledge", data=form)
    assert stale.status_code == 409
    assert "The notice changed while you read it." in stale.text
    assert journal_rows(ctx) == before

    withdraw_notice(
        ctx, actor=world.actors["fed_liaison"], notice_id=notice["id"], reason="Called off."
    )
    before = journal_rows(ctx)
    gone = krg.post(f"{url}/acknowledge", data={**form, "notice_version": "2"})
    assert gone.status_code == 422
    # The notice page again (the answer form is gone for a withdrawn notice).
    assert "badge-state-withdrawn" in gone.text
    assert journal_rows(ctx) == before
