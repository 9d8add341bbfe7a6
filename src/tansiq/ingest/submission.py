"""Submitting a news article for review: read it, fetching its URL when allowed, and queue
its candidates for the submitter's party.

``POST /api/v1/articles`` and the review page's upload/paste form both call
:func:`submit_article`, so they read, refuse and store alike. Everything is checked
before anything is fetched, the page is fetched before anything is written, and the
article and its candidates are then written in one transaction by
``services/intake.propose_candidates``: a refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from tansiq.domain.actors import Actor
from tansiq.domain.errors import ErrorCollector, FieldError, PermissionDenied, ValidationFailed
from tansiq.domain.intake import MAX_URL
from tansiq.ingest.addresses import OFF
from tansiq.ingest.reading import read_article
from tansiq.ingest.sources import SourceError, check_url, fetch
from tansiq.services.core.context import ServiceContext
from tansiq.services.intake.commands import ProposalResult, propose_candidates
from tansiq.services.intake.places import own_places
from tansiq.services.intake.policy import may_submit_article

BAGHDAD: Final = ZoneInfo("Asia/Baghdad")
EARLIEST_PUBLISHED: Final = date(1990, 1, 1)
MISSING: Final = "send the article's html or text, or its url to fetch it from"
UNREADABLE: Final = "holds no article text that could be read"
NOT_FETCHING: Final = (
    "is not fetched: this node does not fetch pages (TANSIQ_ARTICLE_FETCH=off); send the "
    "page's html or text"
)
URL: Final = "url"
PUBLISHED: Final = "published"


@dataclass(frozen=True)
class Submission:
    """An article as a user sends it. ``sources`` maps the input it came in (``html``,
    ``text``, ``file``; errors name it) to the page's HTML or text: one of them, or none
    to fetch ``url``. ``url`` is the article's address, ``published`` its ISO date or
    date-time (Baghdad time without an offset), standing in when the page gives none;
    ``missing_field`` is the input named when nothing at all was sent."""

    sources: Mapping[str, str] = field(default_factory=dict)
    url: str = ""
    published: str = ""
    missing_field: str = "text"


def parse_published(value: str, *, today: date) -> datetime | None:
    """An ISO date (midnight in Baghdad) or date-time (Baghdad unless it has an offset),
    None for ""; raises ValueError with a message fit for the user."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = (
            datetime.combine(date.fromisoformat(value), time())
            if len(value) <= 10
            else datetime.fromisoformat(value.replace("Z", "+00:00"))
        )
    except ValueError:
        raise ValueError("must be an ISO 8601 date or date-time, such as 2020-02-20") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BAGHDAD)
    if not EARLIEST_PUBLISHED <= moment.astimezone(BAGHDAD).date() <= today + timedelta(days=1):
        raise ValueError(f"must be between {EARLIEST_PUBLISHED.isoformat()} and today")
    return moment


def _check(errors: ErrorCollector, submission: Submission) -> None:
    """The submission's own problems, before anything is fetched."""
    url = submission.url.strip()
    given = list(submission.sources)
    for name in given[1:]:
        errors.add(name, f"send the article once: {given[0]} or {name}, not both")
    for name, source in submission.sources.items():
        if not source.strip():
            errors.add(name, "must not be empty")
    if not given and not url:
        errors.add(submission.missing_field, MISSING)
    if len(url) > MAX_URL:
        errors.add(URL, f"must be at most {MAX_URL} characters")
    elif url:
        try:
            check_url(url)  # an address to show as a link: http(s) only, fetched or not
        except SourceError:
            errors.add(URL, "must be an http:// or https:// address")


def _renamed(exc: ValidationFailed, source_field: str) -> ValidationFailed:
    """The service's ``article.<field>`` errors named by the inputs they came from."""
    names = {"article.url": URL, "article.published_at": PUBLISHED}
    errors = [
        FieldError(
            names.get(e.field, source_field) if e.field.startswith("article.") else e.field,
            e.message,
        )
        for e in exc.errors
    ]
    return ValidationFailed(exc.detail, errors)


def submit_article(
    ctx: ServiceContext, *, actor: Actor, submission: Submission
) -> ProposalResult:
    """Read the article (fetching ``url`` when no source is given, as TANSIQ_ARTICLE_FETCH
    allows), with the node's own places, and queue its candidates for the actor's party.

    Raises PermissionDenied (a role that may not submit; nothing is fetched) and
    ValidationFailed naming the input at fault (the source field, ``url``: refused,
    unreachable or not a page, ``published``); then nothing is written.
    """
    if not may_submit_article(actor):
        raise PermissionDenied("your role may not submit articles to the review queue")
    errors = ErrorCollector()
    _check(errors, submission)
    published = None
    try:
        published = parse_published(submission.published, today=ctx.clock().date())
    except ValueError as exc:
        errors.add(PUBLISHED, str(exc))
    errors.raise_if_any("The article cannot be read")
    url = submission.url.strip()
    if not submission.sources and ctx.settings.article_fetch == OFF:
        raise ValidationFailed.single(URL, NOT_FETCHING)
    if submission.sources:
        source_field, source = next(iter(submission.sources.items()))
    else:
        try:
            fetched = fetch(url, policy=ctx.settings.article_fetch)
        except SourceError as exc:
            raise ValidationFailed.single(URL, f"could not be fetched: {exc}") from None
        source_field, source, url = URL, fetched.text, fetched.url
    try:
        reading = read_article(
            source, url=url, published=published, extra_places=own_places(ctx, actor=actor)
        )
    except ValueError:
        raise ValidationFailed.single(source_field, UNREADABLE) from None
    try:
        return propose_candidates(
            ctx, actor=actor, article=reading.article, candidates=reading.candidates
        )
    except ValidationFailed as exc:
        raise _renamed(exc, source_field) from None
