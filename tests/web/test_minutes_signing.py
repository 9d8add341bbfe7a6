"""Minutes worth signing: who endorsed each decision, a signature block, a full page 1.

The demo's first meeting (four attendees, three decisions in three languages, both
parties endorsing each) is rendered as the PDF a party would print and sign:
endorsements name the endorser and their position (what the directory and the
attendee list have; another party's user record stays with that party), every party
has a block with its signer's name and position and lines for signature and date, and
the first decision starts on page 1, which is filled, in English and in Arabic.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tansiq.demo.coordination_feb2020 import MEETING, UNDERSTANDINGS
from tansiq.services.core.context import ServiceContext
from tansiq.services.meetings.commands import create_meeting
from tansiq.services.meetings.decision_commands import create_decision, endorse_decision
from tansiq.web.meetings import minutes_pdf, minutes_routes
from tansiq.web.meetings.minutes_views import endorser_view, signers
from tests.factories import World
from tests.factories_meetings import add_coordinators
from tests.web.conftest import LoginAs
from tests.web.test_minutes_pdf import pdf_text

# fed's approver sits at the table too (after the head of the delegation), so the
# directory's display name meets the attendee list's position.
APPROVER_SEAT = {"party": "fed", "name": "fed_approver", "position": "Chief of staff, JOC"}


@pytest.fixture
def meeting_id(ctx: ServiceContext, world: World) -> str:
    """The demo meeting at JCC Kirkuk; fed and krg endorsed its three decisions."""
    add_coordinators(ctx, world)
    data = {
        **MEETING,
        "center_id": world.centers["kirkuk"]["id"],
        "attendees": [*MEETING["attendees"], APPROVER_SEAT],
    }
    meeting = create_meeting(ctx, actor=world.actors["fed_secretary"], data=data)
    for texts in UNDERSTANDINGS:
        decision = create_decision(
            ctx, actor=world.actors["fed_secretary"], data={**texts, "meeting_id": meeting["id"]}
        )
        for approver in ("fed_approver", "krg_approver"):
            endorse_decision(
                ctx,
                actor=world.actors[approver],
                decision_id=decision["id"],
                version_hash=decision["version_hash"],
            )
    return str(meeting["id"])


def minutes(client: Any, meeting_id: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The PDF's text and WeasyPrint's laid-out document of the same minutes."""
    seen: list[str] = []

    def keep(html: str) -> bytes:
        seen.append(html)
        return minutes_pdf.html_to_pdf(html)

    monkeypatch.setattr(minutes_routes, "html_to_pdf", keep)
    answer = client.get(f"/meetings/{meeting_id}/minutes.pdf?lang={lang}")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    return answer.content, minutes_pdf.html_to_document(seen[0])


def blocks_on(page: Any) -> list[Any]:
    """The element boxes laid out on one page (the page-number margin boxes left out)."""
    from weasyprint.formatting_structure import boxes

    root = [b for b in page._page_box.children if not isinstance(b, boxes.MarginBox)]
    return [b for top in root for b in top.descendants()]


def filled(page: Any) -> float:
    """How far down its content area a page's last line of text reaches (0 to 1)."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box
    lines = [b for b in blocks_on(page) if isinstance(b, boxes.LineBox)]
    bottom = max(line.position_y + line.height for line in lines)
    return float((bottom - box.content_box_y()) / box.height)


def between(text: str, start: str, end: str) -> str:
    """The part of ``text`` from ``start`` up to ``end`` (both must be there)."""
    head = text.index(start)
    return text[head : text.index(end, head)]


def classes_on(page: Any) -> set[str]:
    return {
        name
        for b in blocks_on(page)
        if getattr(b, "element", None) is not None and b.element_tag != "html"
        for name in (b.element.get("class") or "").split()
    }


@pytest.mark.parametrize("lang", ["en", "ar", "ckb"])
def test_page_one_is_filled_and_no_page_is_left_half_empty(
    meeting_id: str, login_as: LoginAs, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    body, document = minutes(login_as("fed_secretary"), meeting_id, lang, monkeypatch)
    first = document.pages[0]
    # A decision kept whole did not fit under the minutes: it moved to page 2 with the
    # "Decisions" heading, and page 1 (English) or page 2 (Kurdish) stayed part empty.
    assert filled(first) > 0.9, filled(first)
    if lang == "en":
        assert "decision" in classes_on(first)
        assert "Decision 1" in (PdfReader(io.BytesIO(body)).pages[0].extract_text() or "")
    # Only a row of signature blocks, kept whole, may leave the end of a page blank.
    assert all(filled(page) > 0.6 for page in document.pages[:-1]), [
        round(filled(page), 2) for page in document.pages
    ]
    assert sum("signature" in classes_on(page) for page in document.pages) == 1


def test_endorsements_name_the_endorser_and_position(
    meeting_id: str, login_as: LoginAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    body, _ = minutes(login_as("fed_secretary"), meeting_id, "en", monkeypatch)
    decisions = between(pdf_text(body), "Decisions Decision 1", "Action items")
    assert decisions.count("Endorsed by") == 3
    # fed's endorser: the display name, and the position the attendee list gives them.
    assert decisions.count("fed_approver Chief of staff, JOC") == 3
    # krg's user record stays with krg: its endorser is named by party and role only.
    assert decisions.count("Name held by Ministry of Peshmerga Approver or admin") == 3
    assert "krg_approver" not in decisions
    # A krg reader (krg's own node) names krg's endorser, and fed's by party and role.
    krg_body, _ = minutes(login_as("krg_secretary"), meeting_id, "en", monkeypatch)
    krg_decisions = between(pdf_text(krg_body), "Decisions Decision 1", "Action items")
    assert krg_decisions.count("krg_approver Approver") == 3
    assert krg_decisions.count("Name held by Federal MoD / JOC Approver or admin") == 3
    assert "fed_approver" not in krg_decisions


def test_a_signature_block_per_party_names_who_signs(
    meeting_id: str, login_as: LoginAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    body, _ = minutes(login_as("fed_secretary"), meeting_id, "en", monkeypatch)
    text = pdf_text(body)
    block = text[text.index("Signatures One signature for each party of the center.") :]
    # The first attendee of each party, with their position, then the lines to sign on.
    assert (
        "Federal MoD / JOC Name: Lt. Gen. Qasim Mohammed al-Obeidi "
        "Position: Deputy Commander of Joint Operations Signature Date"
    ) in block
    assert (
        "Ministry of Peshmerga Name: Brig. Gen. Hazhar Ismail Qadir "
        "Position: Ministry of Peshmerga delegate Signature Date"
    ) in block


def test_the_arabic_minutes_are_right_to_left_with_translated_blocks(
    meeting_id: str, login_as: LoginAs
) -> None:
    html = login_as("fed_secretary").get(f"/meetings/{meeting_id}/minutes?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in html
    for arabic in ("التواقيع", "المُصادِق", "التوقيع", "الاسم محفوظ لدى", "مُعتمِد أو مسؤول النظام"):
        assert arabic in html, arabic
    assert "Endorsed by" not in html and "Signatures" not in html
    kurdish = login_as("fed_secretary").get(f"/meetings/{meeting_id}/minutes?lang=ckb").text
    assert '<html lang="ckb" dir="rtl">' in kurdish and "واژۆکان" in kurdish


def test_who_signs_falls_back_to_an_endorser_then_to_blank_lines() -> None:
    seated = [{"party": "fed", "name": "Brig. Ali Hassan", "position": "JOC liaison"}]
    known = endorser_view("krg", {"name": "Col. Karwan  Aziz", "roles": ["approver"]}, seated)
    hidden = endorser_view("un", {"name": "", "roles": []}, seated)
    rows = signers(["fed", "krg", "un"], seated, [hidden, known])
    assert rows == [
        {"party": "fed", "name": "Brig. Ali Hassan", "position": "JOC liaison", "role": ""},
        {"party": "krg", "name": "Col. Karwan  Aziz", "position": "", "role": "Approver"},
        {"party": "un", "name": "", "position": "", "role": ""},
    ]
    # The attendee list's position is used when the names match (spacing, case aside).
    same = endorser_view("fed", {"name": "brig. ali  HASSAN", "roles": ["admin"]}, seated)
    assert same["position"] == "JOC liaison" and same["role"] == "Admin"
    assert hidden["role"] == "Approver or admin"
