"""Routes of the review queue: list, read, correct, accept and discard candidates; submit
and read articles.

Thin: each route is one service call (policy, the 404 across parties and the
journal live in ``services/intake``; reading a submitted article in
``ingest/submission``). The queue is the ingesting party's own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from tansiq.api.deps import ContextDep, CurrentActor, Cursor, IdQuery, IfMatch, fields_of, value_of
from tansiq.api.intake.schemas import (
    AcceptCreate,
    ArticleCreate,
    ArticlePublic,
    ArticleSubmitted,
    CandidateDetail,
    CandidateList,
    CandidatePublic,
    CandidateUpdate,
    DiscardCreate,
)
from tansiq.api.pages import page_answer
from tansiq.api.responses import JSONBytes, not_found
from tansiq.domain.articles import CandidateKindChoices, ProposedRecordChoices
from tansiq.domain.choices import CandidateStatusChoices, EventTypeChoices
from tansiq.ingest.submission import Submission, submit_article
from tansiq.services.intake.commands import (
    accept_candidate,
    discard_candidate,
    edit_candidate,
)
from tansiq.services.intake.queries import (
    CandidateFilters,
    candidate_detail,
    get_article,
    get_candidate,
    list_candidates,
)

router = APIRouter(prefix="/candidates", tags=["review queue"])
articles_router = APIRouter(prefix="/articles", tags=["review queue"])

NOT_FOUND = not_found("candidate")
QueueLimit = Annotated[int, Query(ge=1, le=200, description="Each candidate is matched")]


def _filters(
    status: CandidateStatusChoices | None = None,
    kind: CandidateKindChoices | None = None,
    proposes: ProposedRecordChoices | None = None,
    event_type: EventTypeChoices | None = None,
    admin1: Annotated[str | None, Query(max_length=64, description="Governorate")] = None,
    article_id: IdQuery = None,
) -> CandidateFilters:
    return CandidateFilters(
        status=value_of(status),
        kind=value_of(kind),
        proposes=value_of(proposes),
        event_type=value_of(event_type),
        admin1=admin1,
        article_id=article_id,
    )


FiltersDep = Annotated[CandidateFilters, Depends(_filters)]


@router.get("", response_model=CandidateList, response_class=JSONBytes)
def list_(
    ctx: ContextDep,
    actor: CurrentActor,
    filters: FiltersDep,
    cursor: Cursor = None,
    limit: QueueLimit = 50,
) -> JSONBytes:
    """Your party's queue: pending candidates first (newest articles first), then the rest."""
    page = list_candidates(ctx, actor=actor, filters=filters, cursor=cursor, limit=limit)
    return page_answer(page)


@router.get("/{candidate_id}", response_model=CandidateDetail, responses=NOT_FOUND)
def read(ctx: ContextDep, actor: CurrentActor, candidate_id: str) -> JSONBytes:
    """One candidate with its article, probable duplicates and history."""
    return JSONBytes(candidate_detail(ctx, actor=actor, candidate_id=candidate_id))


@router.patch("/{candidate_id}", response_model=CandidatePublic, responses=NOT_FOUND)
def patch(
    ctx: ContextDep,
    actor: CurrentActor,
    candidate_id: str,
    body: CandidateUpdate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Correct a pending candidate (an analyst or admin): a new version."""
    edit_candidate(
        ctx,
        actor=actor,
        candidate_id=candidate_id,
        changes=fields_of(body),
        expected_version=if_match,
    )
    return JSONBytes(get_candidate(ctx, actor=actor, candidate_id=candidate_id))


@router.post("/{candidate_id}/accept", response_model=CandidatePublic, responses=NOT_FOUND)
def accept(
    ctx: ContextDep,
    actor: CurrentActor,
    candidate_id: str,
    body: AcceptCreate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Accept a pending candidate: the record it becomes is written by its own service, with
    the article as source and the evidence quoted; the answer names it (``accepted_id``)."""
    accept_candidate(
        ctx,
        actor=actor,
        candidate_id=candidate_id,
        target=body.target,
        record=body.record,
        expected_version=if_match,
    )
    return JSONBytes(get_candidate(ctx, actor=actor, candidate_id=candidate_id))


@router.post("/{candidate_id}/discard", response_model=CandidatePublic, responses=NOT_FOUND)
def discard(
    ctx: ContextDep,
    actor: CurrentActor,
    candidate_id: str,
    body: DiscardCreate,
    if_match: IfMatch = None,
) -> JSONBytes:
    """Discard a pending candidate, with an optional reason (it is kept)."""
    discard_candidate(
        ctx, actor=actor, candidate_id=candidate_id, reason=body.reason, expected_version=if_match
    )
    return JSONBytes(get_candidate(ctx, actor=actor, candidate_id=candidate_id))


@articles_router.post(
    "",
    status_code=201,
    response_model=ArticleSubmitted,
    response_class=JSONBytes,
    responses={200: {"model": ArticleSubmitted, "description": "Ingested before: nothing new"}},
)
def submit(ctx: ContextDep, actor: CurrentActor, body: ArticleCreate) -> JSONBytes:
    """Read a news article (its HTML or pasted text, or its address to fetch) and queue the
    incidents, meetings and notices it describes for your party's review (a liaison,
    analyst or admin). The same article again (same body or address) proposes nothing and
    answers 200 with ``already_ingested``."""
    sources = {name: value for name, value in (("html", body.html), ("text", body.text))
               if value is not None}
    submission = Submission(
        sources=sources, url=body.url or "", published=body.published or ""
    )
    result = submit_article(ctx, actor=actor, submission=submission)
    answer = {
        "article": result.article,
        "candidates": result.candidates,
        "already_ingested": result.already_ingested,
        "matched_by": result.matched_by,
    }
    return JSONBytes(answer, status_code=200 if result.already_ingested else 201)


@articles_router.get("/{article_id}", response_model=ArticlePublic, responses=not_found("article"))
def read_article(ctx: ContextDep, actor: CurrentActor, article_id: str) -> JSONBytes:
    """An article your party ingested, with the candidates read from it."""
    return JSONBytes(get_article(ctx, actor=actor, article_id=article_id))
