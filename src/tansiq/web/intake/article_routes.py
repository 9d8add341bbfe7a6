"""Submitting a news article from the review page: paste it, upload it or give its address.

The article is read and its candidates queued by ``ingest/submission`` (as
``POST /api/v1/articles`` does); the queue page then shows them, with a flash
saying how many were proposed, or that the article was ingested before. A refusal
shows the queue page again with the form as typed and its messages (422): nothing
was written.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from tansiq.domain.errors import PermissionDenied, ValidationFailed
from tansiq.ingest.submission import submit_article
from tansiq.services.intake.policy import may_submit_article
from tansiq.web.common.deps import CheckedLargeFormDep, PageDep
from tansiq.web.common.form_errors import INVALID, refusal_page
from tansiq.web.intake.article_forms import parse_article_form
from tansiq.web.intake.routes import render_queue

router = APIRouter()


@router.post("/review/articles")
def submit(page: PageDep, form: CheckedLargeFormDep) -> Response:
    """Read the article and queue its candidates; bad input → the queue page with 422.

    Raises PermissionDenied (a role that may not submit: the 403 page).
    """
    if not may_submit_article(page.actor):
        raise PermissionDenied("your role may not submit articles to the review queue")
    parsed, submission = parse_article_form(form)
    if parsed.errors:
        return render_queue(page, INVALID, article=parsed)
    try:
        result = submit_article(page.ctx, actor=page.actor, submission=submission)
    except ValidationFailed as exc:
        return refusal_page(
            exc, parsed, lambda status: render_queue(page, status, article=parsed)
        )
    if result.already_ingested:
        flash = "article_seen"
    elif result.candidates:
        flash = f"article_proposed:{len(result.candidates)}"
    else:
        flash = "article_without_events"
    return page.redirect("/review", flash=flash)
