"""The minutes as a PDF: a readable file in English, text in Arabic, and a 503 without Pango."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tansiq.services.core.context import ServiceContext
from tansiq.services.meetings.action_commands import create_action_item
from tansiq.services.meetings.commands import create_meeting
from tansiq.services.meetings.decision_commands import create_decision, endorse_decision
from tansiq.web.meetings import minutes_pdf
from tests.factories import World
from tests.factories_meetings import action_data, add_coordinators, decision_data, meeting_data


def pdf_text(body: bytes) -> str:
    """All the text pypdf extracts from a PDF, pages joined, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def meeting(ctx: ServiceContext, world: World) -> dict[str, Any]:
    """A JCC Kirkuk meeting with one decision fed endorsed, and one action item."""
    add_coordinators(ctx, world)
    kirkuk = world.centers["kirkuk"]["id"]
    made = create_meeting(ctx, actor=world.actors["fed_secretary"], data=meeting_data(kirkuk))
    decision = create_decision(
        ctx, actor=world.actors["fed_secretary"], data=decision_data(made["id"])
    )
    endorse_decision(
        ctx,
        actor=world.actors["fed_approver"],
        decision_id=decision["id"],
        version_hash=decision["version_hash"],
    )
    create_action_item(
        ctx, actor=world.actors["fed_secretary"], data=action_data(meeting_id=made["id"])
    )
    return made


def test_minutes_pdf_in_english_is_readable(meeting: dict[str, Any], login_as: Any) -> None:
    answer = login_as("krg_secretary").get(f"/meetings/{meeting['id']}/minutes.pdf?lang=en")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == 'inline; filename="minutes-2020-02-19-en.pdf"'
    assert answer.content.startswith(b"%PDF")
    text = pdf_text(answer.content)
    assert "Minutes of the meeting of 2020-02-19 12:00" in text
    assert "Hold a meeting before the end of this month to start work." in text
    assert "Col. Karwan Aziz" in text and "Hold a meeting to start work" in text
    assert "not yet endorsed" in text and "endorsed" in text


def test_minutes_pdf_in_arabic_has_text(meeting: dict[str, Any], login_as: Any) -> None:
    answer = login_as("fed_secretary").get(f"/meetings/{meeting['id']}/minutes.pdf?lang=ar")
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    # Shaping turns letters into presentation forms, so only check that text came out.
    text = pdf_text(answer.content)
    assert text.strip()
    assert "2020-02-19" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(answer.content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Sans-Arabic" in name for name in fonts), fonts


def test_minutes_pdf_is_a_503_page_without_pango(
    meeting: dict[str, Any], login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Any:
        raise minutes_pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(minutes_pdf, "_weasyprint", missing)
    assert not minutes_pdf.pdf_available()
    answer = login_as("fed_secretary").get(f"/meetings/{meeting['id']}/minutes.pdf")
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("text/html")
    assert "the Pango text library is missing" in answer.text


def test_minutes_are_not_there_for_other_parties(meeting: dict[str, Any], login_as: Any) -> None:
    client = login_as("un_secretary")
    assert client.get(f"/meetings/{meeting['id']}/minutes.pdf").status_code == 404
    assert client.get(f"/meetings/{meeting['id']}/minutes").status_code == 404


def test_the_pdf_renderer_reads_only_the_static_folder() -> None:
    html = (
        '<html><head><link rel="stylesheet" href="minutes.css">'
        '<link rel="stylesheet" href="file:///etc/hostname"></head>'
        "<body><h1>Minutes</h1></body></html>"
    )
    assert minutes_pdf.pdf_available()
    assert "Minutes" in pdf_text(minutes_pdf.html_to_pdf(html))
    with pytest.raises(ValueError, match="only files under"):
        minutes_pdf._fetcher().fetch("file:///etc/hostname")
    with pytest.raises(ValueError, match="only files under"):
        minutes_pdf._fetcher().fetch(minutes_pdf.STATIC_URL + "../../../../../../etc/hostname")
