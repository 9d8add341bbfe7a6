"""A meeting's minutes: a printable page and the same page as a PDF, in a chosen language.

``?lang=ar`` picks the language of the minutes (default: the page's). Both come
from ``meetings/minutes.html``; the PDF is rendered by WeasyPrint
(``web/minutes_pdf.py``), and a node without Pango answers 503 with a page
pointing to the printable version.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.errors import NotFound
from tansiq.services.accounts.commands import user_labels
from tansiq.services.accounts.queries import signatories
from tansiq.services.meetings.centers import center_by_code
from tansiq.services.meetings.commands import meeting_detail
from tansiq.services.meetings.decision_commands import decision_detail
from tansiq.web.common import i18n
from tansiq.web.common.coordination_labels import coord_labels_for
from tansiq.web.common.deps import Page, PageDep
from tansiq.web.common.i18n import N_
from tansiq.web.common.templating import environment, render
from tansiq.web.meetings.minutes_pdf import PdfUnavailable, html_to_pdf
from tansiq.web.meetings.minutes_views import endorser_view, signers
from tansiq.web.meetings.views import (
    action_view,
    decision_text,
    endorsement_view,
    meeting_view,
    other_texts,
    text_dir,
)

router = APIRouter()
NO_PDF_TITLE = N_("PDF export unavailable")
NO_PDF = N_(
    "This server cannot make PDF files: the Pango text library is missing. "
    "Open the printable minutes and use your browser's Print command instead."
)


def _language(page: Page) -> str:
    chosen = page.request.query_params.get("lang") or page.lang
    if chosen not in i18n.LANGUAGES:
        raise NotFound(f"no minutes in {chosen!r}")
    return chosen


def _context(page: Page, meeting_id: str, lang: str, *, pdf: bool) -> dict[str, Any]:
    actor, now = page.actor, page.ctx.clock()
    labels = coord_labels_for(page.ctx, lang)
    meeting = meeting_view(meeting_detail(page.ctx, actor=actor, meeting_id=meeting_id))
    center = center_by_code(page.ctx, code=meeting["center_id"])
    details = [
        decision_detail(page.ctx, actor=actor, decision_id=decision["id"])
        for decision in meeting["decisions"]
    ]
    # Only the endorsements that count (of the current version) are shown and named.
    counted = [[e for e in d["endorsements"] if e["current"]] for d in details]
    who = signatories(
        page.ctx, actor=actor, user_ids=[e["created_by"] for given in counted for e in given]
    )
    attendees = meeting["attendees"]
    decisions = []
    for number, (detail, given) in enumerate(zip(details, counted, strict=True), start=1):
        shown, body = decision_text(detail, lang)
        endorsements = [
            {
                **endorsement_view(e),
                "endorser": endorser_view(e["party"], who[e["created_by"]], attendees),
            }
            for e in given
        ]
        decisions.append(
            {
                **detail,
                "number": number,
                "shown_lang": shown,
                "shown_text": body,
                "other_texts": other_texts(detail, shown),
                "endorsements": endorsements,
            }
        )
    numbers = {d["id"]: d["number"] for d in decisions}
    tz = page.ctx.settings.display_timezone
    members = sorted(center["member_parties"])
    endorsers = [e["endorser"] for d in decisions for e in d["endorsements"]]
    return {
        "meeting": meeting,
        "center": center,
        "members": members,
        "signers": signers(members, attendees, endorsers),
        "decisions": decisions,
        "decision_numbers": numbers,
        "actions": [action_view(a, labels, now) for a in meeting["action_items"]],
        "recorder": user_labels(page.ctx, actor=actor, user_ids=[meeting["created_by"]]),
        "generated": now,
        "labels": labels,
        "tz": tz,
        "tz_city": i18n.zone_city(tz, lang),
        "pdf": pdf,
        "asset_base": "" if pdf else "/static/",
        "languages_named": i18n.LANGUAGE_NAMES,
        "text_dir": lambda text: text_dir(str(text), "rtl" if lang in i18n.RTL else "ltr"),
    }


@router.get("/meetings/{meeting_id}/minutes")
def minutes_page(page: PageDep, meeting_id: str) -> Response:
    """The printable minutes (print CSS hides the toolbar); 404 when not released."""
    lang = _language(page)
    context = _context(page, meeting_id, lang, pdf=False)
    return render(page.request, "meetings/minutes.html", context, lang=lang)


@router.get("/meetings/{meeting_id}/minutes.pdf")
def minutes_pdf(page: PageDep, meeting_id: str) -> Response:
    """The minutes as a PDF; 503 with an explanation when this node cannot make PDFs."""
    lang = _language(page)
    context = _context(page, meeting_id, lang, pdf=True)
    html = (
        environment()
        .get_template("meetings/minutes.html")
        .render({**i18n.page_context(lang), "request": page.request, **context})
    )
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable:
        return page.render(
            "error.html",
            {"status": 503, "title": NO_PDF_TITLE, "message": NO_PDF},
            status_code=503,
        )
    day = context["meeting"]["held"].astimezone(ZoneInfo(context["tz"])).strftime("%Y-%m-%d")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="minutes-{day}-{lang}.pdf"'},
    )
